package io.medallion.source.auth;

import io.medallion.source.Secrets;
import io.medallion.source.StringOrSecret;
import io.medallion.source.rest.Transport;
import io.medallion.source.rest.Urls;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * An API key in a header or a query parameter. In the query it is set on the URL as it goes out,
 * replacing whatever an echoed next link carried there (blanked when it was stored).
 */
final class ApiKeyAuthenticator implements Authenticator {

  private final ApiKey spec;
  private final StaticSecret key;

  ApiKeyAuthenticator(ApiKey spec, Secrets secrets) {
    this.spec = spec;
    this.key = new StaticSecret(StringOrSecret.of(spec.apiKey()), secrets);
  }

  @Override
  public Signed sign(URI url, Transport transport) throws IOException {
    String value = transport.redactor().remember(key.value());
    if (spec.location() == ApiKey.Location.QUERY) {
      return new Signed(Urls.withParam(url, spec.name(), value), Map.of(), null);
    }
    return new Signed(url, Map.of(spec.name(), value), null);
  }
}
