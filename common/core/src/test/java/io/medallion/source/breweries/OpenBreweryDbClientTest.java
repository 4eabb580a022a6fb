package io.medallion.source.breweries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.medallion.source.Deadline;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.Page;
import io.medallion.source.RetryPolicy;
import io.medallion.source.SourceException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client against a scripted loopback server; nothing sleeps for real. */
class OpenBreweryDbClientTest {

  /** One scripted answer; {@code delayMillis} holds the response back to provoke a timeout. */
  record Reply(int status, Map<String, String> headers, String body, long delayMillis) {
    static Reply ok(String body) {
      return new Reply(200, Map.of(), body, 0);
    }

    static Reply status(int status) {
      return new Reply(status, Map.of(), "{\"message\":\"status " + status + "\"}", 0);
    }
  }

  /** What the server saw of one request. */
  record Seen(String method, String pathAndQuery, String accept, String userAgent) {}

  private static HttpServer server;
  private static ExecutorService executor;
  private static URI base;
  private static final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private static final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private static volatile CountDownLatch release = new CountDownLatch(0);

  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  private final RetryPolicy retry = RetryPolicy.defaults().withSleeper(sleeps::add);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startServer() throws IOException {
    // Without it every response waits ~40 ms for a delayed ACK (Nagle); read at first start.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    // Several threads: a held-back reply must not block the retry that follows it.
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", OpenBreweryDbClientTest::handle);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
    executor.shutdownNow();
  }

  @BeforeEach
  void reset() {
    script.clear();
    seen.clear();
    release = new CountDownLatch(1);
  }

  @AfterEach
  void releaseHeldReplies() {
    release.countDown();
  }

  private static void handle(HttpExchange ex) throws IOException {
    try (ex) {
      seen.add(
          new Seen(
              ex.getRequestMethod(),
              ex.getRequestURI().toString(),
              ex.getRequestHeaders().getFirst("Accept"),
              ex.getRequestHeaders().getFirst("User-Agent")));
      Reply reply = script.poll();
      if (reply == null) {
        reply = new Reply(500, Map.of(), "no scripted reply", 0);
      }
      if (reply.delayMillis() > 0) {
        try {
          release.await(reply.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private OpenBreweryDbClient client() {
    return new OpenBreweryDbClient(base, http, retry);
  }

  @Test
  void countsRecordsAndKeepsTheBodyByteForByte() throws IOException {
    String body =
        "[ {\"id\":\"a\",\"name\":\"’t Drankorgel\",\"nested\":[1,{\"x\":[]}]} ,\n"
            + "{\"id\":\"b\",\"city\":\"서울\",\"tricky\":\"]\\\"[,\"},\r\n"
            + "{\"id\":\"c\",\"emoji\":\"\uD83C\uDF7A\",\"longitude\":\"-97.46818222\"} ]";
    script.add(Reply.ok(body));

    Page page = client().fetchPage(2, 3);

    assertEquals(2, page.number());
    assertEquals(3, page.recordCount());
    assertFalse(page.isEmpty());
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), page.body());
    assertEquals(
        List.of(
            new Seen(
                "GET", "/v1/breweries?page=2&per_page=3", "application/json", "medallion/0.1")),
        seen);
    assertTrue(sleeps.isEmpty());
  }

  @Test
  void anEmptyArrayIsTheEnd() throws IOException {
    script.add(Reply.ok("[]"));
    Page page = client().fetchPage(99, 200);
    assertTrue(page.isEmpty());
    assertEquals("/v1/breweries?page=99&per_page=200", seen.get(0).pathAndQuery());
  }

  @Test
  void totalComesFromMeta_whoseNumbersAreStrings() throws IOException {
    script.add(Reply.ok("{\"total\":\"8355\",\"page\":\"1\",\"per_page\":\"50\"}"));
    assertEquals(8355, client().total());
    assertEquals("/v1/breweries/meta", seen.get(0).pathAndQuery());
  }

  @Test
  void totalIsRetriedLikeAPage() throws IOException {
    script.add(Reply.status(503));
    script.add(Reply.ok("{\"total\":12}"));
    assertEquals(12, client().total());
    assertEquals(1, sleeps.size());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"page\":\"1\"}",
        "{\"total\":\"many\"}",
        "{\"total\":-3}",
        "[]",
      })
  void metaWithoutAUsableTotalFailsClearlyAndIsNotRetried(String body) {
    script.add(Reply.ok(body));
    SourceException e = assertThrows(SourceException.class, () -> client().total());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("without a usable \"total\""), e.getMessage());
    assertEquals(1, seen.size());
  }

  @Test
  void baseUrlMayHaveAPathPrefixAndATrailingSlash() throws IOException {
    script.add(Reply.ok("[]"));
    new OpenBreweryDbClient(base.resolve("/proxy/"), http, retry).fetchPage(1, 50);
    assertEquals("/proxy/v1/breweries?page=1&per_page=50", seen.get(0).pathAndQuery());
  }

  @Test
  void tooManyRequestsWaitsWhatRetryAfterSays() throws IOException {
    script.add(new Reply(429, Map.of("Retry-After", "7"), "{\"message\":\"slow down\"}", 0));
    script.add(Reply.ok("[{\"id\":\"a\"}]"));

    Page page = client().fetchPage(1, 50);

    assertEquals(1, page.recordCount());
    assertEquals(List.of(Duration.ofSeconds(7)), sleeps);
    assertEquals(2, seen.size());
  }

  @Test
  void retryAfterIsCappedByTheMaximumBackoff() throws IOException {
    script.add(new Reply(429, Map.of("Retry-After", "3600"), "", 0));
    script.add(Reply.ok("[]"));
    client().fetchPage(1, 50);
    assertEquals(List.of(Duration.ofSeconds(30)), sleeps);
  }

  @Test
  void retryAfterMayBeAnHttpDate() throws IOException {
    String inFiveSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(5));
    script.add(new Reply(429, Map.of("Retry-After", inFiveSeconds), "", 0));
    script.add(Reply.ok("[]"));

    client().fetchPage(1, 50);

    // The date has whole seconds, so the wait is a little under five seconds.
    assertEquals(1, sleeps.size());
    Duration wait = sleeps.get(0);
    assertTrue(
        wait.compareTo(Duration.ofSeconds(3)) > 0 && wait.compareTo(Duration.ofSeconds(5)) <= 0,
        "" + wait);
  }

  @Test
  void serverErrorsAreRetriedWithJitteredExponentialBackoff() throws IOException {
    script.add(Reply.status(503));
    script.add(Reply.status(503));
    script.add(Reply.ok("[{},{}]"));

    Page page = client().fetchPage(1, 50);

    assertEquals(2, page.recordCount());
    assertEquals(3, seen.size());
    assertEquals(2, sleeps.size());
    assertTrue(sleeps.get(0).compareTo(Duration.ofMillis(500)) <= 0, "" + sleeps);
    assertTrue(sleeps.get(1).compareTo(Duration.ofMillis(1000)) <= 0, "" + sleeps);
  }

  @Test
  void notFoundFailsAtOnce() {
    script.add(new Reply(404, Map.of(), "{\"message\":\"Couldn't find Brewery\"}", 0));

    SourceException e = assertThrows(SourceException.class, () -> client().fetchPage(1, 50));

    assertFalse(e.retryable());
    assertEquals(404, e.status());
    assertEquals(1, e.attempts());
    assertEquals(1, seen.size());
    assertTrue(sleeps.isEmpty());
    assertTrue(e.getMessage().contains(base + "/v1/breweries?page=1&per_page=50"), e.getMessage());
    assertTrue(
        e.getMessage().contains("HTTP 404: {\"message\":\"Couldn't find Brewery\"}"),
        e.getMessage());
  }

  @Test
  void persistentServerErrorsFailAfterMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      script.add(new Reply(500, Map.of(), "<html>\n  Internal Server Error\n</html>", 0));
    }

    SourceException e = assertThrows(SourceException.class, () -> client().fetchPage(3, 200));

    assertTrue(e.retryable());
    assertEquals(500, e.status());
    assertEquals(5, e.attempts());
    assertEquals(5, seen.size());
    assertEquals(4, sleeps.size(), "no wait after the last attempt");
    assertEquals(
        "GET "
            + base
            + "/v1/breweries?page=3&per_page=200 failed after 5 attempts;"
            + " last failure: HTTP 500: <html> Internal Server Error </html>",
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"id\":\"a\"}                     | the body is a JSON object, not an array",
        "[{\"id\":\"a\"},{\"id\":              | the body is not valid JSON",
        "<html>Service Unavailable</html> | the body is not valid JSON",
        "''                               | the body is empty",
        "\"[]\"                           | the body is a JSON string, not an array",
        "[{}] [{}]                        | trailing data after the array at byte 5",
      })
  void aBodyThatIsNotOneJsonArrayFailsClearly(String body, String problem) {
    script.add(Reply.ok(body));

    SourceException e = assertThrows(SourceException.class, () -> client().fetchPage(4, 10));

    assertFalse(e.retryable());
    assertEquals(1, seen.size(), "a bad body is not retried");
    assertTrue(e.getMessage().contains(base + "/v1/breweries?page=4&per_page=10"), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void aSlowServerTimesOutAndIsRetried() throws IOException {
    script.add(new Reply(200, Map.of(), "[{\"id\":\"late\"}]", 10_000));
    script.add(Reply.ok("[{\"id\":\"a\"},{\"id\":\"b\"}]"));
    OpenBreweryDbClient client =
        new OpenBreweryDbClient(base, http, retry, Duration.ofSeconds(1)); // ample for the retry

    Page page = client.fetchPage(1, 2);

    assertEquals(2, page.recordCount());
    assertEquals(2, seen.size());
    assertEquals(1, sleeps.size());
  }

  @Test
  void timeoutsThatPersistFailRetryablyWithNoStatus() {
    script.add(new Reply(200, Map.of(), "[]", 10_000));
    script.add(new Reply(200, Map.of(), "[]", 10_000));
    OpenBreweryDbClient client =
        new OpenBreweryDbClient(base, http, retry.withMaxAttempts(2), Duration.ofMillis(200));

    SourceException e = assertThrows(SourceException.class, () -> client.fetchPage(1, 2));

    assertTrue(e.retryable());
    assertEquals(0, e.status());
    assertEquals(2, e.attempts());
    assertTrue(e.getCause() instanceof HttpTimeoutException, "" + e.getCause());
    assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
  }

  @Test
  void connectionRefusedIsRetried() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    OpenBreweryDbClient client =
        new OpenBreweryDbClient(
            URI.create("http://127.0.0.1:" + closedPort), http, retry.withMaxAttempts(3));

    SourceException e = assertThrows(SourceException.class, () -> client.fetchPage(1, 50));

    assertTrue(e.retryable());
    assertEquals(3, e.attempts());
    assertEquals(2, sleeps.size());
  }

  @Test
  void pageArgumentsAreValidated() {
    OpenBreweryDbClient client = client();
    assertThrows(IllegalArgumentException.class, () -> client.fetchPage(0, 50));
    assertThrows(IllegalArgumentException.class, () -> client.fetchPage(1, 0));
    assertThrows(IllegalArgumentException.class, () -> client.fetchPage(1, 201));
    assertTrue(seen.isEmpty());
  }

  @Test
  void retryAfterParsing() {
    var now = ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    assertEquals(
        Duration.ofSeconds(120), OpenBreweryDbClient.parseRetryAfter(" 120 ", now).orElseThrow());
    assertEquals(
        Duration.ofSeconds(90),
        OpenBreweryDbClient.parseRetryAfter("Wed, 01 May 2024 12:01:30 GMT", now).orElseThrow());
    assertEquals(
        Duration.ZERO,
        OpenBreweryDbClient.parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now).orElseThrow());
    assertTrue(OpenBreweryDbClient.parseRetryAfter("soon", now).isEmpty());
    assertTrue(OpenBreweryDbClient.parseRetryAfter("-5", now).isEmpty());
  }

  @Test
  void aWaitThatWouldCrossTheDeadline_endsTheCallAtOnce_withoutSleeping() {
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    Deadline tenSecondsLeft = new Deadline(now.plusSeconds(10), Clock.fixed(now, ZoneOffset.UTC));
    script.add(new Reply(429, Map.of("Retry-After", "20"), "{}", 0));
    OpenBreweryDbClient client = new OpenBreweryDbClient(base, http, retry.withDeadline(tenSecondsLeft));
    OutOfTimeException e = assertThrows(OutOfTimeException.class, () -> client.fetchPage(1, 50));
    assertTrue(e.getMessage().contains("a wait of 20000 ms"), e.getMessage());
    assertTrue(sleeps.isEmpty(), "no wait that could not end in time");
    assertEquals(1, seen.size());
  }

  @Test
  void tooLittleTimeLeft_sendsNoRequest() {
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    Deadline almostOver = new Deadline(now.plusSeconds(2), Clock.fixed(now, ZoneOffset.UTC));
    OpenBreweryDbClient client = new OpenBreweryDbClient(base, http, retry.withDeadline(almostOver));
    assertThrows(OutOfTimeException.class, () -> client.fetchPage(1, 50));
    assertTrue(seen.isEmpty());
  }

  @Test
  void aBodyThatTrickles_isCutOffAtTheDeadline_notAfterTheRequestTimeout() throws Exception {
    // Headers at once, then one byte and nothing more: the request timeout (30 s) alone bounds only
    // the wait for the headers.
    server.createContext("/trickle", ex -> {
      try (ex) {
        ex.sendResponseHeaders(200, 0);
        ex.getResponseBody().write('[');
        ex.getResponseBody().flush();
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      Deadline sevenSeconds = Deadline.in(Duration.ofSeconds(7), Clock.systemUTC());
      OpenBreweryDbClient client =
          new OpenBreweryDbClient(URI.create(base + "/trickle"), http, retry.withDeadline(sevenSeconds));
      long started = System.nanoTime();
      assertThrows(OutOfTimeException.class, () -> client.fetchPage(1, 50));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertTrue(seconds < 10, "ended by the deadline, after " + seconds + " s");
    } finally {
      server.removeContext("/trickle");
    }
  }
}
