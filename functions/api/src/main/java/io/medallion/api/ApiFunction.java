package io.medallion.api;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.medallion.config.MedallionConfig;
import io.medallion.logging.FunctionLogging;
import io.medallion.port.Lazy;
import io.medallion.port.Ports;
import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The deployed query API: an HTTP Cloud Run function behind API Gateway (which checks API keys and
 * quotas, and is the only principal terraform lets invoke it), serving {@link GoldApi} over
 * BigQuery.
 *
 * <p>Page tokens are signed with the key in {@value #TOKEN_KEY} (base64 of at least 32 bytes, a
 * Secret Manager secret terraform mounts as that environment variable): every instance shares it,
 * so a token one instance issued is read by any other.
 */
public final class ApiFunction implements HttpFunction {

  /** The environment variable (a mounted secret) holding the page-token key, base64. */
  public static final String TOKEN_KEY = "MEDALLION_API_TOKEN_KEY";

  private final Supplier<GoldApi> api;

  /** Used by the Functions Framework: configuration from the environment, clients on first use. */
  public ApiFunction() {
    MedallionConfig config = MedallionConfig.fromEnvironment();
    FunctionLogging.configureFromEnvironment(config.project());
    Lazy<Ports> ports = Lazy.of(() -> Ports.fromEnvironment(config));
    Lazy<GoldApi> built = Lazy.of(() -> new GoldApi(ApiRoutes.of(SourceRegistry.standard()), ports.get().warehouse(),
        source -> config.goldDataset(SourceRegistry.standard().find(source).orElseThrow()), new PageTokens(tokenKey(MedallionConfig.environment()), PageTokens.DEFAULT_TTL,
            Clock.systemUTC()), Clock.systemUTC(), GoldApi.unmasked(MedallionConfig.environment())));
    this.api = built::get;
  }

  /** Over a built API (tests). */
  ApiFunction(GoldApi api) {
    this.api = () -> api;
  }

  /**
   * The page-token key from the environment.
   *
   * @throws IllegalStateException when it is unset or shorter than 32 bytes: the function then
   *     answers nothing rather than sign tokens with a guessable key
   */
  static byte[] tokenKey(Map<String, String> env) {
    String value;
    try {
      value = Secrets.fromEnvironment(env).value(new SecretRef(TOKEN_KEY));
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage() + ": add a version to the secret terraform created for it"
          + " (terraform/README.md, Query API)", e);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(TOKEN_KEY + " is not base64 (openssl rand -base64 32 makes one)", e);
    }
    if (key.length < 32) {
      throw new IllegalStateException(TOKEN_KEY + " holds " + key.length + " bytes; at least 32 are needed");
    }
    return key;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    ApiResponse answer;
    try {
      answer = api.get().handle(new ApiRequest(request.getMethod(), request.getPath(), request.getQueryParameters(),
          request.getHeaders()));
    } catch (IllegalStateException | UncheckedIOException e) {
      // The API could not be built (no token key, no sources): the log says why, the caller gets 503.
      java.util.logging.Logger.getLogger(ApiFunction.class.getName()).severe("api: cannot start: " + e.getMessage());
      answer = GoldApi.unavailable("the API is not configured; its operator is told why in its log");
    }
    response.setStatusCode(answer.status());
    answer.headers().forEach((k, v) -> {
      if (k.equalsIgnoreCase("Content-Type")) {
        response.setContentType(v);
      } else {
        response.appendHeader(k, v);
      }
    });
    if (answer.status() != 304 && answer.body().length > 0 && !"HEAD".equalsIgnoreCase(request.getMethod())) {
      try (OutputStream out = response.getOutputStream()) {
        out.write(answer.body());
      }
    }
  }
}
