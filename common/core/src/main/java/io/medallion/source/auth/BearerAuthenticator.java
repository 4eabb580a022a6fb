package io.medallion.source.auth;

import io.medallion.source.Secrets;
import io.medallion.source.StringOrSecret;
import io.medallion.source.rest.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/** {@code Authorization: Bearer <token>} with a declared token (RFC 6750 section 2.1). */
final class BearerAuthenticator implements Authenticator {

  private final StaticSecret token;

  BearerAuthenticator(Bearer spec, Secrets secrets) {
    this.token = new StaticSecret(StringOrSecret.of(spec.token()), secrets);
  }

  @Override
  public Signed sign(URI url, Transport transport) throws IOException {
    String value = transport.redactor().remember(token.value());
    return new Signed(url, Map.of("Authorization", "Bearer " + value), null);
  }
}
