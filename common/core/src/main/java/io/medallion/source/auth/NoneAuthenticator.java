package io.medallion.source.auth;

import io.medallion.source.rest.Transport;
import java.net.URI;
import java.util.Map;

/** Public APIs: nothing is added. */
final class NoneAuthenticator implements Authenticator {
  @Override
  public Signed sign(URI url, Transport transport) {
    return new Signed(url, Map.of(), null);
  }
}
