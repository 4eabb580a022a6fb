package io.medallion.source.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.medallion.source.Secrets;
import io.medallion.source.SourceException;
import io.medallion.source.StringOrSecret;
import io.medallion.source.rest.Records;
import io.medallion.source.rest.Transport;
import io.medallion.source.rest.Urls;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4): {@code POST token_url} with the form {@code
 * grant_type=client_credentials} (and {@code scope}), the client authenticated by an {@code
 * Authorization: Basic} header of the form-encoded id and secret (section 2.3.1, the default) or by
 * {@code client_id}/{@code client_secret} in the form body, as declared. The access token is sent as
 * a bearer token and kept until {@code expires_in} minus a margin, then fetched again; a 401 from
 * the API drops it and the request is signed once more with a new one. One fetch at a time: threads
 * that need a token while one is being fetched wait for it.
 */
final class OAuth2Authenticator implements Authenticator {

  /** A token is fetched again this long before it expires (at most half its lifetime). */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

  private static final Logger LOG = Logger.getLogger(OAuth2Authenticator.class.getName());

  private final OAuth2ClientCredentials spec;
  private final URI tokenUrl;
  private final StaticSecret clientId;
  private final StaticSecret clientSecret;
  private final Object fetching = new Object();
  private volatile Token token;

  /** An access token and when to stop using it (null: until the API refuses it). */
  private record Token(String value, Instant renewAt) {
    boolean usable(Instant now) {
      return renewAt == null || now.isBefore(renewAt);
    }

    @Override
    public String toString() {
      return "Token[hidden]";
    }
  }

  OAuth2Authenticator(OAuth2ClientCredentials spec, URI tokenUrl, Secrets secrets) {
    this.spec = spec;
    this.tokenUrl = tokenUrl == null ? spec.tokenUrl() : tokenUrl;
    this.clientId = new StaticSecret(spec.clientId(), secrets);
    this.clientSecret = new StaticSecret(StringOrSecret.of(spec.clientSecret()), secrets);
  }

  @Override
  public Signed sign(URI url, Transport transport) throws IOException {
    Token t = token;
    if (t == null || !t.usable(transport.clock().instant())) {
      synchronized (fetching) {
        t = token;
        if (t == null || !t.usable(transport.clock().instant())) {
          t = fetch(transport);
          token = t;
        }
      }
    }
    // Remembered for every reader that uses it: each run's redactor must know it.
    transport.redactor().remember(t.value());
    return new Signed(url, Map.of("Authorization", "Bearer " + t.value()), t.value());
  }

  @Override
  public boolean renew(Signed rejected) {
    synchronized (fetching) {
      Token t = token;
      if (t != null && t.value().equals(rejected.credential())) {
        token = null;
      }
    }
    return true;
  }

  private Token fetch(Transport transport) throws IOException {
    String id = clientId.value();
    if (clientId.secret()) {
      transport.redactor().remember(id);
    }
    String secret = transport.redactor().remember(clientSecret.value());
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (!spec.scopes().isEmpty()) {
      form.append("&scope=").append(Urls.encode(String.join(" ", spec.scopes())));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/x-www-form-urlencoded");
    if (spec.clientInBody()) {
      form.append("&client_id=").append(Urls.encode(id)).append("&client_secret=").append(Urls.encode(secret));
      transport.redactor().remember(Urls.encode(secret));
    } else {
      // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and encoded.
      String pair = Urls.encode(id).replace("%20", "+") + ":" + Urls.encode(secret).replace("%20", "+");
      headers.put("Authorization", "Basic " + transport.redactor().remember(
          Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
    LOG.fine(() -> transport.context() + ": fetching an access token from " + tokenUrl);
    Transport.Reply reply = transport.send("POST", tokenUrl,
        () -> new Transport.Outgoing("POST", tokenUrl, headers, body), false);
    if (!reply.ok()) {
      String why = reply.status() == 400 || reply.status() == 401 || reply.status() == 403
          ? "the token endpoint refused the client credentials (" + credentialsNamed() + ")"
          : "the token endpoint did not answer with a token";
      throw transport.permanent("POST", tokenUrl, reply, why);
    }
    JsonNode answer;
    try {
      answer = Records.parse(reply.body());
    } catch (Records.UnexpectedBodyException e) {
      throw refused(transport, reply, "its answer is not JSON: " + e.getMessage());
    }
    JsonNode access = answer.get("access_token");
    if (access == null || !access.isTextual() || access.asText().isEmpty()) {
      throw refused(transport, reply, "its answer has no access_token (found " + Records.describe(answer) + ")");
    }
    String value = transport.redactor().remember(access.asText());
    JsonNode type = answer.get("token_type");
    if (type != null && type.isTextual() && !type.asText().toLowerCase(Locale.ROOT).equals("bearer")) {
      throw refused(transport, reply, "its token_type is '" + type.asText() + "', not bearer");
    }
    Instant renewAt = null;
    JsonNode expires = answer.get("expires_in");
    if (expires != null && !expires.isNull()) {
      long seconds;
      try {
        seconds = expires.isNumber() ? expires.asLong() : Long.parseLong(expires.asText().trim());
      } catch (NumberFormatException e) {
        throw refused(transport, reply, "its expires_in is " + Records.describe(expires) + ", not a number of seconds");
      }
      Duration lifetime = Duration.ofSeconds(Math.max(0, seconds));
      Duration margin = EXPIRY_MARGIN.compareTo(lifetime.dividedBy(2)) < 0 ? EXPIRY_MARGIN : lifetime.dividedBy(2);
      renewAt = transport.clock().instant().plus(lifetime).minus(margin);
    }
    return new Token(value, renewAt);
  }

  private String credentialsNamed() {
    StringBuilder s = new StringBuilder("client_id ");
    s.append(spec.clientId().secret() != null ? "from secret " + spec.clientId().secret().name() : "as declared");
    s.append(", client_secret from secret ").append(spec.clientSecret().name());
    s.append(spec.clientInBody() ? ", sent in the form body" : ", sent as HTTP Basic");
    return s.toString();
  }

  private SourceException refused(Transport transport, Transport.Reply reply, String what) {
    return transport.failure("POST " + tokenUrl + " (the token endpoint) answered HTTP " + reply.status()
        + " but " + what + transport.snippet(reply.body()), tokenUrl, reply.status(), reply.attempts(), false, null);
  }
}
