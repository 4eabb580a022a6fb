package io.medallion.source.auth;

import io.medallion.source.Json;
import io.medallion.source.SecretRef;
import java.util.List;

/**
 * How a source's requests authenticate, declared as {@code {"type": ..., ...}}: one record per
 * kind. Secrets are references only ({@link SecretRef}).
 */
public sealed interface AuthSpec permits NoAuth, ApiKey, Bearer, HttpBasic, OAuth2ClientCredentials {

  String type();

  /** The secrets this auth needs, so that terraform creates them and a check can say which are unset. */
  List<SecretRef> secrets();

  static AuthSpec parse(Json json) {
    String type = json.required("type");
    return switch (type) {
      case "none" -> new NoAuth();
      case "api_key" -> new ApiKey(json.required("name"),
          "query".equals(json.string("location", "header")) ? ApiKey.Location.QUERY : ApiKey.Location.HEADER,
          json.secret("api_key").orElseThrow());
      case "bearer" -> new Bearer(json.secret("token").orElseThrow());
      case "http_basic" -> new HttpBasic(json.stringOrSecret("username").orElseThrow(), json.secret("password").orElseThrow());
      case "oauth2_client_credentials" -> new OAuth2ClientCredentials(
          java.net.URI.create(json.required("token_url")),
          json.stringOrSecret("client_id").orElseThrow(),
          json.secret("client_secret").orElseThrow(),
          json.strings("scopes"),
          "body".equals(json.string("client_authentication", "basic")));
      default -> throw new IllegalArgumentException("unknown auth type '" + type + "'");
    };
  }
}
