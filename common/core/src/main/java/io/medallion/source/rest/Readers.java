package io.medallion.source.rest;

import io.medallion.source.Redactor;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.auth.AuthSpec;
import io.medallion.source.auth.Authenticator;
import io.medallion.source.auth.OAuth2ClientCredentials;
import io.medallion.source.paginate.Paginator;
import io.medallion.source.paginate.PaginatorSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a {@link ResourceReader} on any declared resource: the one REST engine every source is read
 * by.
 *
 * <p>Requests: {@code client.base_url} (or {@link ReadSettings#baseUrl()} in its place; then every
 * absolute URL of the declaration, an OAuth2 token_url, and every next link to the declared host,
 * moves to the replacement's scheme, host and port), {@code endpoint.path} with a child's {@code
 * {field}} placeholders filled from {@link ReadSettings#parentValues()} (encoded as one path
 * segment; in param values too), the client's and endpoint's headers, the endpoint's params, the
 * paginator's params (the run's page size in place of the declared one), and the incremental start
 * parameter when the run sends one. Credentials are added only as a request goes out: a {@link
 * PageRequest} never holds one.
 *
 * <p>Refused, each with a {@link SourceException} that is not retryable and names the source, the
 * resource, the request (secrets blanked) and what is wrong: a page size above the declared maximum;
 * a next link or redirect to a host that is neither the base URL's nor in {@code
 * client.allowed_hosts} (credentials are never sent there); a next link or cursor that asks again
 * for a page this reader read (a loop); a body that is not JSON (an HTML page answered with 200); a
 * data selector that finds no array (a JSON null is an empty page); a 4xx other than 429 (a 401 of
 * an OAuth2 source after one fresh token); a token endpoint that refuses the client credentials; a
 * secret that is not set. Transient failures (429 with Retry-After, 5xx, I/O, timeouts) are retried
 * per the run's {@link io.medallion.source.RetryPolicy} within its deadline, see {@link Transport}.
 *
 * <p>Readers opened with the same {@link Redactor} (one run) share their authentication: one OAuth2
 * token serves every resource and every parent record of the run, and every secret it uses is
 * known to that run's redactor. They share the source's declared {@code requests_per_second} too.
 */
public final class Readers {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  // Keyed by the run's redactor (weakly: a finished run's entries go with it). The authenticators
  // never hold the redactor, so the key can be collected.
  private static final Map<Redactor, Map<AuthKey, Authenticator>> AUTHENTICATORS = new WeakHashMap<>();
  // Likewise: a declared requests_per_second is the client's, so every reader of a run (each
  // resource, each parent record of a child resource) takes its slots from one limiter.
  private static final Map<Redactor, Map<LimitKey, RateLimiter>> RATE_LIMITERS = new WeakHashMap<>();
  private static final Map<HttpClient, HttpClient> WITHOUT_REDIRECTS = new WeakHashMap<>();

  private Readers() {}

  /** What makes two authenticators the same: the declared auth, where its tokens come from, and where secrets come from. */
  private record AuthKey(AuthSpec spec, URI tokenUrl, Secrets secrets) {}

  /** What makes two rate limits the same: the source and its declared rate. */
  private record LimitKey(String source, double requestsPerSecond) {}

  /**
   * A reader of {@code resource} of {@code source} (for a child resource, of the parent record whose
   * values {@code settings} carries). Nothing is sent yet, and no secret is read yet.
   *
   * @throws SourceException (not retryable) when the run's page size is above the declared maximum,
   *     or a placeholder of the path has no parent value
   */
  public static ResourceReader open(Source source, Source.Resource resource, ReadSettings settings)
      throws SourceException {
    PaginatorSpec spec = source.paginator(resource);
    if (spec == null) {
      throw new IllegalArgumentException("source " + source.name() + ", resource " + resource.name()
          + " declares no paginator (the declaration check should have refused it)");
    }
    boolean credentials = !"none".equals(source.client().auth().type());
    HttpClient http = credentials ? withoutRedirects(settings.http()) : settings.http();
    Transport transport = new Transport(context(source, resource, settings), http, settings.retry(),
        settings.redactor(), settings.requestTimeout(), rateLimiter(source, settings));
    URI declared = Urls.build(settings.baseUrl(),
        resource.endpoint().path().replace("{", "%7B").replace("}", "%7D"), Map.of());
    Paginator paginator;
    try {
      paginator = Paginator.of(spec, settings.pageSize());
    } catch (IllegalArgumentException e) {
      throw transport.failure(e.getMessage() + " for GET " + declared + "; choose a smaller page size", declared, 0, 0,
          false, e);
    }
    String path;
    Map<String, String> params = new LinkedHashMap<>();
    try {
      path = fill(resource.endpoint().path(), settings.parentValues(), true);
      for (Map.Entry<String, String> p : resource.endpoint().params().entrySet()) {
        params.put(p.getKey(), fill(p.getValue(), settings.parentValues(), false));
      }
      if (paginator.total() != null && paginator.total().endpoint() != null) {
        fill(paginator.total().endpoint(), settings.parentValues(), true);
      }
    } catch (IllegalArgumentException e) {
      throw transport.failure(e.getMessage(), declared, 0, 0, false, null);
    }
    URI tokenUrl = null;
    if (source.client().auth() instanceof OAuth2ClientCredentials o) {
      tokenUrl = RestResourceReader.sameBase(settings.baseUrl(), source.defaultBaseUrl())
          ? o.tokenUrl() : Urls.rebase(o.tokenUrl(), settings.baseUrl());
    }
    Authenticator auth = authenticator(settings, source.client().auth(), tokenUrl);
    return new RestResourceReader(source, resource, settings, paginator, auth, transport, path, params,
        http.followRedirects() == HttpClient.Redirect.NEVER);
  }

  private static String context(Source source, Source.Resource resource, ReadSettings settings) {
    StringBuilder s = new StringBuilder("source ").append(source.name()).append(", resource ").append(resource.name());
    if (!settings.parentValues().isEmpty()) {
      StringJoiner j = new StringJoiner(", ", " (parent ", ")");
      new java.util.TreeMap<>(settings.parentValues()).forEach((k, v) -> j.add(k + "=" + v));
      s.append(j);
    }
    return s.toString();
  }

  /** The run's limiter of the source's declared rate, or null when it declares none. */
  private static RateLimiter rateLimiter(Source source, ReadSettings settings) {
    Double rate = source.client().requestsPerSecond();
    if (rate == null) {
      return null;
    }
    synchronized (RATE_LIMITERS) {
      return RATE_LIMITERS.computeIfAbsent(settings.redactor(), r -> new HashMap<>())
          .computeIfAbsent(new LimitKey(source.name(), rate), k -> new RateLimiter(rate));
    }
  }

  private static Authenticator authenticator(ReadSettings settings, AuthSpec spec, URI tokenUrl) {
    synchronized (AUTHENTICATORS) {
      return AUTHENTICATORS.computeIfAbsent(settings.redactor(), r -> new HashMap<>())
          .computeIfAbsent(new AuthKey(spec, tokenUrl, settings.secrets()),
              k -> Authenticator.of(spec, tokenUrl, settings.secrets()));
    }
  }

  /**
   * {@code http}, or a client like it that does not follow redirects: an HTTP client that follows
   * them may carry an Authorization header to whatever host a redirect names, so an authenticated
   * source follows them itself, checking each host.
   */
  static HttpClient withoutRedirects(HttpClient http) {
    if (http.followRedirects() == HttpClient.Redirect.NEVER) {
      return http;
    }
    synchronized (WITHOUT_REDIRECTS) {
      return WITHOUT_REDIRECTS.computeIfAbsent(http, h -> {
        HttpClient.Builder b = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(h.version()).sslContext(h.sslContext()).sslParameters(h.sslParameters());
        h.connectTimeout().ifPresent(b::connectTimeout);
        h.executor().ifPresent(b::executor);
        h.proxy().ifPresent(b::proxy);
        h.authenticator().ifPresent(b::authenticator);
        h.cookieHandler().ifPresent(b::cookieHandler);
        return b.build();
      });
    }
  }

  /**
   * {@code template} with each {@code {name}} replaced by its value, encoded as one path segment
   * when {@code segment} (a query value is encoded when the URL is built).
   *
   * @throws IllegalArgumentException naming a placeholder without a value
   */
  static String fill(String template, Map<String, String> values, boolean segment) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("'" + template + "' needs {" + m.group(1)
            + "} but the parent record gave no value for it (parent values: " + values.keySet() + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(segment ? Urls.encodeSegment(value) : value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
