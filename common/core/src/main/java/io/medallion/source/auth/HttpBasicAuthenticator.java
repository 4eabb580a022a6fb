package io.medallion.source.auth;

import io.medallion.source.Secrets;
import io.medallion.source.StringOrSecret;
import io.medallion.source.rest.Transport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * HTTP basic authentication (RFC 7617): {@code Authorization: Basic base64(user:password)} in
 * UTF-8. The encoded pair is remembered as secret too: a server echoing the header must not show it.
 */
final class HttpBasicAuthenticator implements Authenticator {

  private final StaticSecret username;
  private final StaticSecret password;

  HttpBasicAuthenticator(HttpBasic spec, Secrets secrets) {
    this.username = new StaticSecret(spec.username(), secrets);
    this.password = new StaticSecret(StringOrSecret.of(spec.password()), secrets);
  }

  @Override
  public Signed sign(URI url, Transport transport) throws IOException {
    String user = username.value();
    if (username.secret()) {
      transport.redactor().remember(user);
    }
    String pass = transport.redactor().remember(password.value());
    String encoded = transport.redactor().remember(
        Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
    return new Signed(url, Map.of("Authorization", "Basic " + encoded), null);
  }
}
