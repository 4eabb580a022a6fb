package io.medallion.source.rest;

import io.medallion.source.OutOfTimeException;
import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import io.medallion.source.SourceException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The HTTP exchanges of one reader, with its retries: HTTP 429 (waiting what Retry-After asks, in
 * seconds or as an HTTP-date, capped by the policy's maximum backoff), any 5xx and I/O failures of
 * the exchange itself are retried per {@link RetryPolicy}; every other status is returned for the
 * caller to judge. Every attempt, body included, and every wait (a backoff, Retry-After, the rate
 * limit) ends before the policy's deadline, else {@link OutOfTimeException}; every wait goes
 * through the policy's sleeper.
 *
 * <p>Every message names the source and resource, the request as shown (its URL without
 * credentials) and what went wrong, with every secret value the run resolved blanked by the
 * {@link Redactor}.
 */
public final class Transport {

  /** How long one attempt may take, body included, unless the deadline is nearer. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public static final String USER_AGENT = "medallion/0.1";

  /**
   * An attempt needs at least this much of the deadline left to start: a connect timeout's worth
   * and a little more, so that no attempt is cut off after the server began to answer.
   */
  static final Duration MIN_ATTEMPT_TIME = Duration.ofSeconds(5);

  // A failed response's body goes into the message only this far: enough for an API's error JSON.
  private static final int SNIPPET_CHARS = 200;

  private static final Logger LOG = Logger.getLogger(Transport.class.getName());

  private final String context;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Redactor redactor;
  private final Duration requestTimeout;
  private final RateLimiter limiter;

  /**
   * @param context what is read, for messages: {@code source breweries, resource breweries}
   * @param limiter the source's declared rate limit, or null
   */
  public Transport(String context, HttpClient http, RetryPolicy retry, Redactor redactor, Duration requestTimeout,
      RateLimiter limiter) {
    this.context = Objects.requireNonNull(context, "context");
    this.http = Objects.requireNonNull(http, "http");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.limiter = limiter;
  }

  /** One request as it goes out, credentials included: never put into a message. */
  public record Outgoing(String method, URI url, Map<String, String> headers, byte[] body) {
    @Override
    public String toString() {
      return "Outgoing[" + method + "]"; // the URL and headers may carry credentials
    }
  }

  /** Builds the request of each attempt afresh (a renewed token signs the retry). */
  @FunctionalInterface
  public interface RequestFactory {
    Outgoing build() throws IOException;
  }

  /**
   * The answer of the last attempt.
   *
   * @param attempts how many requests were sent
   */
  public record Reply(int status, HttpHeaders headers, byte[] body, int attempts) {
    /** The status is 2xx. */
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** What is read, for messages: {@code source S, resource R}. */
  public String context() {
    return context;
  }

  public Redactor redactor() {
    return redactor;
  }

  /** The clock of the run's deadline (tests move it). */
  public Clock clock() {
    return retry.deadline().clock();
  }

  /**
   * Sends {@code factory}'s request until an answer that is not transient: a 2xx, or a status the
   * caller must judge (4xx other than 429, 3xx).
   *
   * @param shown the request for messages: its URL without credentials
   * @param limited whether the source's rate limit applies (API requests; a token endpoint is another service)
   * @throws SourceException retryable after the last attempt on a transient failure; not retryable
   *     when a secret is not set
   * @throws OutOfTimeException when the deadline comes first
   */
  public Reply send(String method, URI shown, RequestFactory factory, boolean limited) throws IOException {
    String display = redactor.redact(shown.toString());
    for (int attempt = 1; ; attempt++) {
      Duration left = retry.deadline().remaining();
      if (left.compareTo(MIN_ATTEMPT_TIME) < 0) {
        throw outOfTime(display, left.toMillis() + " ms left, too little for attempt " + attempt);
      }
      if (limited && limiter != null) {
        pace(limiter.reserve(clock()), display);
      }
      Outgoing outgoing;
      try {
        outgoing = factory.build();
      } catch (Secrets.SecretMissingException e) {
        throw failure(method + " " + display + ": " + e.getMessage() + "; set it and resume the run", shown, 0,
            attempt - 1, false, e);
      } catch (SourceException | OutOfTimeException | InterruptedIOException e) {
        throw e; // a token endpoint's own failure (or deadline), already saying what and where
      } catch (IOException e) {
        // Where secrets live refused or failed (permissions, Secret Manager down after its own retries).
        throw failure(method + " " + display + ": the credentials could not be read: " + e.getMessage(), shown, 0,
            attempt - 1, false, e);
      }
      // Building it may have taken a while (a token fetched): what is left is measured again.
      left = retry.deadline().remaining();
      if (left.compareTo(MIN_ATTEMPT_TIME) < 0) {
        throw outOfTime(display, left.toMillis() + " ms left, too little for attempt " + attempt);
      }
      Duration timeout = left.minus(Duration.ofSeconds(1)).compareTo(requestTimeout) < 0
          ? left.minus(Duration.ofSeconds(1)) : requestTimeout;
      HttpRequest.Builder builder = HttpRequest.newBuilder(outgoing.url()).timeout(timeout)
          .header("Accept", "application/json").header("User-Agent", USER_AGENT);
      for (Map.Entry<String, String> header : outgoing.headers().entrySet()) {
        try {
          builder.setHeader(header.getKey(), header.getValue());
        } catch (IllegalArgumentException e) {
          // Java's HTTP client sets some headers itself (Host, Connection, Content-Length...).
          throw failure(method + " " + display + ": the header '" + header.getKey() + "' cannot be sent: "
              + e.getMessage() + " (remove it from the declaration's headers)", shown, 0, attempt - 1, false, null);
        }
      }
      builder.method(outgoing.method(), outgoing.body() == null
          ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(outgoing.body()));
      HttpResponse<byte[]> response;
      try {
        response = exchange(builder.build(), timeout, display);
      } catch (InterruptedIOException e) {
        throw e;
      } catch (IOException e) {
        // Every I/O failure of the exchange is transient as far as we can tell: refused, reset,
        // timed out. A permanent one (a bad certificate) only costs the remaining attempts.
        // Connection failures often have no message: the exception type is the reason.
        String what = e.getMessage() == null ? e.getClass().getSimpleName() + " (no response from the server)"
            : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (attempt >= retry.maxAttempts()) {
          throw gaveUp(method, display, shown, 0, attempt, what, e);
        }
        Duration wait = retry.backoff(attempt);
        log(method, display, what, attempt, wait);
        sleep(wait, display, "a wait");
        continue;
      }
      int status = response.statusCode();
      if (!transient_(status)) {
        return new Reply(status, response.headers(), response.body(), attempt);
      }
      String what = "HTTP " + status + snippet(response.body());
      if (attempt >= retry.maxAttempts()) {
        throw gaveUp(method, display, shown, status, attempt, what, null);
      }
      int failed = attempt;
      Duration wait = response.headers().firstValue("Retry-After")
          .flatMap(v -> parseRetryAfter(v, clock().instant()))
          .map(retry::capped)
          .orElseGet(() -> retry.backoff(failed));
      log(method, display, what, attempt, wait);
      sleep(wait, display, "a wait");
    }
  }

  /** The failure for a status that will not change: {@code why} says what it means. */
  public SourceException permanent(String method, URI shown, Reply reply, String why) {
    return failure(method + " " + redactor.redact(shown.toString()) + " failed with HTTP " + reply.status()
        + snippet(reply.body()) + " on attempt " + reply.attempts() + "; not retried: " + why,
        shown, reply.status(), reply.attempts(), false, null);
  }

  /**
   * A {@link SourceException} for this reader: the message is prefixed with what is read and, like
   * the URL and the cause, has every secret value blanked.
   */
  public SourceException failure(String message, URI shown, int status, int attempts, boolean retryable,
      Throwable cause) {
    return new SourceException(redactor.redact(context + ": " + message), redactedUri(shown), status, attempts,
        retryable, clean(cause));
  }

  /** {@code url} with every secret value blanked (still a URL: the mask is URL-safe). */
  public URI redactedUri(URI url) {
    String r = redactor.redact(url.toString());
    try {
      return URI.create(r);
    } catch (IllegalArgumentException e) {
      return URI.create(Urls.encode(r));
    }
  }

  /** The start of a body, on one line, with secrets blanked: for messages. */
  public String snippet(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String s = new String(body, 0, Math.min(body.length, 4 * SNIPPET_CHARS), StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").trim();
    s = redactor.redact(s);
    return ": " + (s.length() > SNIPPET_CHARS ? s.substring(0, SNIPPET_CHARS) + "..." : s);
  }

  /**
   * A cause whose message may carry a secret (an HTTP library echoing a URL) is replaced by one
   * with the message blanked; a clean cause is kept as it is, its type and stack intact.
   */
  private Throwable clean(Throwable cause) {
    if (cause == null) {
      return null;
    }
    boolean dirty = false;
    for (Throwable t = cause; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.equals(redactor.redact(m))) {
        dirty = true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (!dirty) {
      return cause;
    }
    IOException replaced = new IOException(cause.getClass().getName() + ": " + redactor.redact(cause.getMessage()));
    replaced.setStackTrace(cause.getStackTrace());
    return replaced;
  }

  /**
   * Sends and reads the whole body within {@code timeout}: the request timeout alone bounds only
   * the wait for the headers, and a server that trickles its body would hold ingest forever.
   */
  private HttpResponse<byte[]> exchange(HttpRequest request, Duration timeout, String display) throws IOException {
    var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException("no complete response within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(true);
      throw interrupted(display, e);
    }
  }

  /** 429 and 5xx may pass; every other status will be the same next time. */
  static boolean transient_(int status) {
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

  private SourceException gaveUp(String method, String display, URI shown, int status, int attempts,
      String lastFailure, Throwable cause) {
    return failure(method + " " + display + " failed after " + attempts + " attempt" + (attempts == 1 ? "" : "s")
        + "; last failure: " + lastFailure, shown, status, attempts, true, cause);
  }

  private void log(String method, String display, String what, int attempt, Duration wait) {
    LOG.fine(() -> redactor.redact(context + ": " + method + " " + display + ": " + what + " on attempt " + attempt
        + " of " + retry.maxAttempts() + "; retrying in " + wait.toMillis() + " ms"));
  }

  /** The rate limit's wait: no retry, so not counted as one. */
  private void pace(Duration wait, String display) throws IOException {
    if (wait.isZero() || wait.isNegative()) {
      return;
    }
    Duration left = retry.deadline().remaining();
    if (wait.plus(MIN_ATTEMPT_TIME).compareTo(left) > 0) {
      throw outOfTime(display, "a wait for the declared rate limit of " + wait.toMillis() + " ms would leave "
          + left.minus(wait).toMillis() + " ms for the next attempt");
    }
    try {
      retry.sleeper().pace(wait);
    } catch (InterruptedException e) {
      throw interrupted(display, e);
    }
  }

  /** A wait before a retry, through the policy's sleeper even when it is zero: each is one retry. */
  private void sleep(Duration wait, String display, String what) throws IOException {
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    Duration left = retry.deadline().remaining();
    if (wait.plus(MIN_ATTEMPT_TIME).compareTo(left) > 0) {
      throw outOfTime(display, what + " of " + wait.toMillis() + " ms would leave "
          + left.minus(wait).toMillis() + " ms for the next attempt");
    }
    try {
      retry.sleeper().sleep(wait);
    } catch (InterruptedException e) {
      throw interrupted(display, e);
    }
  }

  private OutOfTimeException outOfTime(String display, String what) {
    return new OutOfTimeException(redactedUri(URI.create(display)), context + ": " + what);
  }

  private InterruptedIOException interrupted(String display, InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException(context + ": interrupted while fetching " + display);
    io.initCause(e);
    return io;
  }
}
