package io.medallion.source.auth;

import io.medallion.source.SecretRef;
import io.medallion.source.StringOrSecret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4): an access token from {@code tokenUrl},
 * cached until it expires and fetched again on a 401.
 *
 * @param clientInBody whether the client id and secret go in the form body rather than a Basic header
 */
public record OAuth2ClientCredentials(
    URI tokenUrl, StringOrSecret clientId, SecretRef clientSecret, List<String> scopes, boolean clientInBody)
    implements AuthSpec {

  public OAuth2ClientCredentials {
    scopes = List.copyOf(scopes);
  }

  @Override
  public String type() {
    return "oauth2_client_credentials";
  }

  @Override
  public List<SecretRef> secrets() {
    List<SecretRef> out = new ArrayList<>();
    if (clientId.secret() != null) {
      out.add(clientId.secret());
    }
    out.add(clientSecret);
    return out;
  }
}
