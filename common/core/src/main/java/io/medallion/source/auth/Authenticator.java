package io.medallion.source.auth;

import io.medallion.source.Secrets;
import io.medallion.source.rest.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * What a declared auth does at run time: puts its credentials on a request that is about to go
 * out, and says whether a 401 is worth one more try with a fresh credential. One small class per
 * kind, chosen by {@link #of} from the declared {@link AuthSpec}.
 *
 * <p>Secret values come only from {@link Secrets}, are read once per authenticator, and every one
 * (and every value derived from one: a Basic header, an access token) is remembered by the
 * transport's {@link io.medallion.source.Redactor} before it is used, so that no message shows it.
 * An authenticator is thread-safe; several readers of one run may share it.
 */
public interface Authenticator {

  /**
   * The authenticator of {@code spec}.
   *
   * @param tokenUrl for OAuth2, the token endpoint requests go to (the declared one, moved onto a
   *     replacement base URL); ignored otherwise
   */
  static Authenticator of(AuthSpec spec, URI tokenUrl, Secrets secrets) {
    Objects.requireNonNull(secrets, "secrets");
    if (spec instanceof ApiKey k) {
      return new ApiKeyAuthenticator(k, secrets);
    } else if (spec instanceof Bearer b) {
      return new BearerAuthenticator(b, secrets);
    } else if (spec instanceof HttpBasic h) {
      return new HttpBasicAuthenticator(h, secrets);
    } else if (spec instanceof OAuth2ClientCredentials o) {
      return new OAuth2Authenticator(o, tokenUrl, secrets);
    }
    return new NoneAuthenticator();
  }

  /**
   * {@code url} and the headers to send it with, credentials included.
   *
   * @param transport the calling reader's: a token endpoint is asked through it (its retries,
   *     deadline and redaction)
   * @throws Secrets.SecretMissingException when a secret is not set
   * @throws io.medallion.source.SourceException when a token endpoint refuses the credentials
   */
  Signed sign(URI url, Transport transport) throws IOException;

  /**
   * The API answered 401 to {@code rejected}: forgets that credential and says whether signing
   * again may help (a fresh OAuth2 token). A static credential would be refused again: false.
   */
  default boolean renew(Signed rejected) {
    return false;
  }

  /**
   * A request with credentials: never put into a message.
   *
   * @param credential what {@link #renew} compares (an access token), or null
   */
  record Signed(URI url, Map<String, String> headers, String credential) {
    public Signed {
      headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
      return "Signed[credentials hidden]";
    }
  }
}
