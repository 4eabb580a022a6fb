package io.medallion.source.breweries;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.Page;
import io.medallion.source.RetryPolicy;
import io.medallion.source.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads pages of the Open Brewery DB API: {@code GET <base>/v1/breweries?page=P&per_page=N}.
 *
 * <p>Transient failures are retried according to a {@link RetryPolicy}: HTTP 429 (waiting what
 * Retry-After asks, in seconds or as an HTTP-date, capped by the policy's maximum backoff), any
 * 5xx, and I/O failures of the exchange itself (connection refused or reset, connect and request
 * timeouts). Any other status is permanent and fails at once, since asking again gets the same
 * answer. A 2xx body must be one JSON array; anything else fails at once, not retryable.
 *
 * <p>Thread-safe: one client can fetch several pages concurrently.
 */
public final class OpenBreweryDbClient {

  /** The public API. */
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.openbrewerydb.org");

  /** The API's largest page. */
  public static final int MAX_PER_PAGE = 200;

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final String USER_AGENT = "medallion/0.1";

  // A failed response's body goes into the message only this far: enough for an API's error JSON.
  private static final int SNIPPET_CHARS = 200;

  private final String baseUrl;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Duration requestTimeout;
  private final Clock clock = Clock.systemUTC();

  /**
   * @param baseUrl scheme, host and optional path prefix; {@code /v1/breweries} is appended
   * @param http its connect timeout and redirect policy apply as configured
   * @param requestTimeout how long one request may take from sending to the end of the headers
   */
  public OpenBreweryDbClient(
      URI baseUrl, HttpClient http, RetryPolicy retry, Duration requestTimeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    this.http = Objects.requireNonNull(http, "http");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    String base = baseUrl.toString();
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** With the default request timeout of 30 s. */
  public OpenBreweryDbClient(URI baseUrl, HttpClient http, RetryPolicy retry) {
    this(baseUrl, http, retry, DEFAULT_REQUEST_TIMEOUT);
  }

  /** With {@link #defaultHttpClient()}, {@link RetryPolicy#defaults()} and a 30 s timeout. */
  public OpenBreweryDbClient(URI baseUrl) {
    this(baseUrl, defaultHttpClient(), RetryPolicy.defaults());
  }

  /** The public API with all defaults. */
  public OpenBreweryDbClient() {
    this(DEFAULT_BASE_URL);
  }

  /** An HTTP client with a 10 s connect timeout that follows redirects except https to http. */
  public static HttpClient defaultHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  /** The URL of one page. */
  public URI pageUri(int page, int perPage) {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1, got " + page);
    }
    if (perPage < 1 || perPage > MAX_PER_PAGE) {
      throw new IllegalArgumentException(
          "perPage must be in 1.." + MAX_PER_PAGE + ", got " + perPage);
    }
    return URI.create(baseUrl + "/v1/breweries?page=" + page + "&per_page=" + perPage);
  }

  /**
   * Fetches one page, retrying transient failures.
   *
   * @return the page with its body exactly as received; an empty page ({@code []}) means the end
   * @throws SourceException when the page cannot be had: a permanent status or a body that is not a
   *     JSON array (not retryable), or still failing after the last attempt (retryable)
   * @throws InterruptedIOException when the thread is interrupted while waiting
   */
  public Page fetchPage(int page, int perPage) throws IOException {
    URI uri = pageUri(page, perPage);
    return get(uri, (response, attempt) -> toPage(page, uri, response, attempt));
  }

  /** The URL of the listing's metadata, {@code /v1/breweries/meta}. */
  public URI metaUri() {
    return URI.create(baseUrl + "/v1/breweries/meta");
  }

  /**
   * How many breweries the listing holds now, from {@code /v1/breweries/meta} (whose numbers the
   * API sends as strings), retrying transient failures like {@link #fetchPage}.
   *
   * @throws SourceException when the answer cannot be had or has no usable {@code total}
   */
  public long total() throws IOException {
    URI uri = metaUri();
    return get(uri, (response, attempt) -> toTotal(uri, response, attempt));
  }

  /** Reads a 2xx response into a value; throws {@link SourceException} when it is unusable. */
  @FunctionalInterface
  private interface BodyReader<T> {
    T read(HttpResponse<byte[]> response, int attempt) throws SourceException;
  }

  /**
   * An attempt needs at least this much of the deadline left to start: a connect timeout's worth
   * and a little more, so that no attempt is cut off after the server began to answer.
   */
  static final Duration MIN_ATTEMPT_TIME = Duration.ofSeconds(5);

  /**
   * GET with the retry policy: 429 and 5xx and I/O failures again, other statuses fail at once.
   * Every attempt, body included, and every wait ends before the policy's deadline; when the time
   * left is too short for the next one, {@link OutOfTimeException} says so.
   */
  private <T> T get(URI uri, BodyReader<T> reader) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Duration left = retry.deadline().remaining();
      if (left.compareTo(MIN_ATTEMPT_TIME) < 0) {
        throw new OutOfTimeException(uri, left.toMillis() + " ms left, too little for attempt " + attempt);
      }
      Duration timeout = left.minus(Duration.ofSeconds(1)).compareTo(requestTimeout) < 0
          ? left.minus(Duration.ofSeconds(1)) : requestTimeout;
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .GET()
              .timeout(timeout)
              .header("Accept", "application/json")
              .header("User-Agent", USER_AGENT)
              .build();
      HttpResponse<byte[]> response;
      try {
        response = send(request, timeout);
      } catch (IOException e) {
        // Every I/O failure of the exchange is transient as far as we can tell: refused, reset,
        // timed out. A permanent one (a bad certificate) only costs the remaining attempts.
        // Connection failures often have no message: the exception type is the reason.
        String what = e.getMessage() == null ? e.getClass().getSimpleName() + " (no response from the server)"
            : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (attempt >= retry.maxAttempts()) {
          throw gaveUp(uri, 0, attempt, what, e);
        }
        sleep(retry.backoff(attempt), uri);
        continue;
      }

      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return reader.read(response, attempt);
      }
      String what = "HTTP " + status + snippet(response.body());
      if (!retryable(status)) {
        throw new SourceException(
            "GET "
                + uri
                + " failed with "
                + what
                + " on attempt "
                + attempt
                + "; not retried: the status is permanent",
            uri,
            status,
            attempt,
            false);
      }
      if (attempt >= retry.maxAttempts()) {
        throw gaveUp(uri, status, attempt, what, null);
      }
      int failed = attempt;
      Duration wait =
          response
              .headers()
              .firstValue("Retry-After")
              .flatMap(v -> parseRetryAfter(v, clock.instant()))
              .map(retry::capped)
              .orElseGet(() -> retry.backoff(failed));
      sleep(wait, uri);
    }
  }

  /**
   * Sends and reads the whole body within {@code timeout}: the request timeout alone bounds only
   * the wait for the headers, and a server that trickles its body would hold ingest forever.
   */
  private HttpResponse<byte[]> send(HttpRequest request, Duration timeout) throws IOException {
    var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      throw new java.net.http.HttpTimeoutException("no complete response within " + timeout.toMillis() + " ms");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw interrupted(request.uri(), e);
    }
  }

  private static long toTotal(URI uri, HttpResponse<byte[]> response, int attempt) throws SourceException {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    try {
      JsonElement total = JsonParser.parseString(body).getAsJsonObject().get("total");
      long n = total.getAsJsonPrimitive().isNumber() ? total.getAsLong() : Long.parseLong(total.getAsString().trim());
      if (n < 0) {
        throw new NumberFormatException("negative");
      }
      return n;
    } catch (RuntimeException e) {
      throw new SourceException(
          "GET " + uri + " returned HTTP " + response.statusCode() + " without a usable \"total\""
              + snippet(response.body()) + " (attempt " + attempt + ")",
          uri, response.statusCode(), attempt, false, e);
    }
  }

  private static Page toPage(int page, URI uri, HttpResponse<byte[]> response, int attempt)
      throws SourceException {
    byte[] body = response.body();
    try {
      return new Page(page, body, Page.countRecords(body));
    } catch (IOException e) {
      throw new SourceException(
          "GET "
              + uri
              + " returned HTTP "
              + response.statusCode()
              + " but "
              + e.getMessage()
              + "; expected a JSON array of breweries ("
              + body.length
              + " bytes, attempt "
              + attempt
              + ")",
          uri,
          response.statusCode(),
          attempt,
          false,
          e);
    }
  }

  /** 429 and 5xx may pass; every other status will be the same next time. */
  static boolean retryable(int status) {
    return status == 429 || (status >= 500 && status <= 599);
  }

  /**
   * The wait a Retry-After header asks for: delta-seconds or an HTTP-date (RFC 9110 10.2.3). Empty
   * when the value is neither, so the caller falls back to its own backoff.
   */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static SourceException gaveUp(
      URI uri, int status, int attempts, String lastFailure, Throwable cause) {
    return new SourceException(
        "GET "
            + uri
            + " failed after "
            + attempts
            + " attempt"
            + (attempts == 1 ? "" : "s")
            + "; last failure: "
            + lastFailure,
        uri,
        status,
        attempts,
        true,
        cause);
  }

  private void sleep(Duration wait, URI uri) throws IOException {
    Duration left = retry.deadline().remaining();
    if (wait.plus(MIN_ATTEMPT_TIME).compareTo(left) > 0) {
      throw new OutOfTimeException(uri, "a wait of " + wait.toMillis() + " ms before the next attempt would leave "
          + left.minus(wait).toMillis() + " ms for it");
    }
    try {
      retry.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      throw interrupted(uri, e);
    }
  }

  private static InterruptedIOException interrupted(URI uri, InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException("Interrupted while fetching " + uri);
    io.initCause(e);
    return io;
  }

  /** The start of an error body, on one line, for the exception message. */
  private static String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String s = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
    return ": " + (s.length() > SNIPPET_CHARS ? s.substring(0, SNIPPET_CHARS) + "..." : s);
  }
}
