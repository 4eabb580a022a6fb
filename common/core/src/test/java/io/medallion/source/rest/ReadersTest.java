package io.medallion.source.rest;

import static io.medallion.source.rest.Declared.client;
import static io.medallion.source.rest.Declared.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.Deadline;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.rest.ScriptedServer.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The engine against a scripted loopback server: requests, bodies, retries and deadlines; nothing sleeps for real. */
class ReadersTest {

  private static ScriptedServer server;
  private final Harness h = new Harness();

  @BeforeAll
  static void start() throws IOException {
    server = new ScriptedServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void reset() {
    server.reset();
  }

  /** Open Brewery DB's shape: page_number with per_page, a total at /meta whose numbers are strings. */
  private Source breweries(URI base) {
    return Declared.source("brews", client(base, "\"headers\":{\"X-Client\":\"medallion-test\"}"),
        resource("breweries", "{\"path\":\"/v1/breweries\",\"paginator\":{\"type\":\"page_number\","
            + "\"page_size_param\":\"per_page\",\"page_size\":50,\"max_page_size\":200,"
            + "\"total\":{\"endpoint\":\"/v1/breweries/meta\",\"path\":\"total\",\"consistency\":true}}}"));
  }

  private ResourceReader reader(Source source) throws SourceException {
    return Readers.open(source, source.resources().get(0), h.settings(server.base()));
  }

  @Test
  void requestCarriesDeclaredHeadersParamsAndPaging_andKeepsTheBodyByteForByte() throws IOException {
    Source s = Declared.source("items", client(server.base(), "\"headers\":{\"X-Client\":\"c\",\"X-Both\":\"client\"}"),
        resource("items", "{\"path\":\"/api/items\",\"params\":{\"sort\":\"name asc\",\"kind\":\"a&b\"},"
            + "\"headers\":{\"X-Both\":\"endpoint\"},\"paginator\":{\"type\":\"offset\",\"limit\":3}}"));
    String body = "[ {\"id\":\"a\",\"name\":\"’t Drankorgel\"} ,\n{\"id\":\"b\",\"tricky\":\"]\\\"[,\"},"
        + "{\"id\":\"c\",\"emoji\":\"\uD83C\uDF7A\"} ]";
    server.script(Reply.ok(body));

    FetchedPage page = reader(s).fetch(1, reader(s).first());

    assertEquals(3, page.recordCount());
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), page.body());
    ScriptedServer.Seen seen = server.seen().get(0);
    assertEquals("/api/items?sort=name%20asc&kind=a%26b&offset=0&limit=3", seen.pathAndQuery());
    assertEquals("c", seen.header("X-Client"));
    assertEquals("endpoint", seen.header("X-Both"), "an endpoint header overrides the client's");
    assertEquals("application/json", seen.header("Accept"));
    assertEquals("medallion/0.1", seen.header("User-Agent"));
    assertEquals(server.base() + "/api/items?sort=name%20asc&kind=a%26b&offset=3&limit=3",
        page.next().orElseThrow().toString());
    assertTrue(h.sleeps.isEmpty());
  }

  @Test
  void theShippedBreweriesDeclaration_readsAsTheOldClientDid() throws IOException {
    Source b = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
    ResourceReader r = Readers.open(b, b.resources().get(0), h.settings(server.base()));
    server.script(Reply.ok("{\"total\":\"3\",\"page\":\"1\",\"per_page\":\"50\"}"),
        Reply.ok("[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]"), Reply.ok("[]"));
    assertEquals(OptionalLong.of(3), r.total());
    List<FetchedPage> pages = Harness.readAll(r);
    assertEquals(List.of("/v1/breweries/meta", "/v1/breweries?page=1&per_page=200", "/v1/breweries?page=2&per_page=200"),
        server.seen().stream().map(ScriptedServer.Seen::pathAndQuery).toList());
    assertEquals(List.of(3, 0), pages.stream().map(FetchedPage::recordCount).toList());
    assertTrue(r.checksConsistency());
    assertEquals(server.base() + "/v1/breweries?page=25&per_page=200", r.nth(25).orElseThrow().toString());
  }

  @Test
  void aHeaderTheHttpClientSetsItself_failsClearlyBeforeAnyRequest() {
    Source s = Declared.source("hosted", client(server.base(), "\"headers\":{\"Host\":\"api.example.com\"}"),
        resource("items", "{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}}"));
    SourceException e = h.failure(s, h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("the header 'Host' cannot be sent"), e.getMessage());
    assertTrue(server.seen().isEmpty());
  }

  @Test
  void baseUrlMayHaveAPathPrefixAndATrailingSlash() throws IOException {
    server.script(Reply.ok("[]"));
    Source s = breweries(URI.create("https://api.example.com"));
    ResourceReader r = Readers.open(s, s.resources().get(0), h.settings(server.base().resolve("/proxy/")));
    r.fetch(1, r.first());
    assertEquals("/proxy/v1/breweries?page=1&per_page=50", server.seen().get(0).pathAndQuery());
  }

  @Test
  void runPageSize_replacesTheDeclaredOne_andOneAboveTheMaximumIsRefusedBeforeAnyRequest() throws IOException {
    Source s = breweries(server.base());
    ReadSettings settings = h.settings(server.base());
    ReadSettings two = new ReadSettings(server.base(), 2, settings.retry(), Map.of(), null, settings.secrets(),
        settings.redactor(), settings.http());
    assertEquals(server.base() + "/v1/breweries?page=3&per_page=2",
        Readers.open(s, s.resources().get(0), two).nth(3).orElseThrow().toString());

    ReadSettings tooMany = new ReadSettings(server.base(), 500, settings.retry(), Map.of(), null, settings.secrets(),
        settings.redactor(), settings.http());
    SourceException e = assertThrows(SourceException.class, () -> Readers.open(s, s.resources().get(0), tooMany));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().startsWith("source brews, resource breweries: page size 500 is more than the API allows"
        + " (max_page_size 200)"), e.getMessage());
    assertTrue(e.getMessage().contains("for GET " + server.base() + "/v1/breweries"), e.getMessage());
    assertTrue(server.seen().isEmpty());
  }

  @Test
  void totalComesFromItsEndpoint_whoseNumbersAreStrings() throws IOException {
    server.script(Reply.ok("{\"total\":\"8355\",\"page\":\"1\",\"per_page\":\"50\"}"));
    ResourceReader r = reader(breweries(server.base()));
    assertEquals(OptionalLong.of(8355), r.total());
    assertTrue(r.checksConsistency());
    assertEquals(4, r.maxConcurrency(), "the declared default: page_number pages can be read at once");
    assertEquals("/v1/breweries/meta", server.seen().get(0).pathAndQuery());
    assertEquals("medallion-test", server.seen().get(0).header("X-Client"));
  }

  @Test
  void totalIsRetriedLikeAPage() throws IOException {
    server.script(Reply.status(503), Reply.ok("{\"total\":12}"));
    assertEquals(OptionalLong.of(12), reader(breweries(server.base())).total());
    assertEquals(1, h.sleeps.size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{\"page\":\"1\"}", "{\"total\":\"many\"}", "{\"total\":-3}", "[]"})
  void anEndpointTotalThatIsNotACount_failsClearlyAndIsNotRetried(String body) {
    server.script(Reply.ok(body));
    SourceException e = assertThrows(SourceException.class, () -> reader(breweries(server.base())).total());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("without a usable total at 'total'"), e.getMessage());
    assertEquals(1, server.seen().size());
  }

  @Test
  void withoutADeclaredTotalEndpoint_thereIsNoTotalAndNoRequest() throws IOException {
    Source s = Declared.source("plain", client(server.base(), ""),
        resource("items", "{\"path\":\"/items\",\"paginator\":{\"type\":\"json_link\",\"next_url_path\":\"next\"}}"));
    ResourceReader r = reader(s);
    assertEquals(OptionalLong.empty(), r.total());
    assertFalse(r.checksConsistency());
    assertEquals(1, r.maxConcurrency(), "a link is known only after the page before");
    assertTrue(server.seen().isEmpty());
  }

  @Test
  void tooManyRequestsWaitsWhatRetryAfterSays() throws IOException {
    server.script(Reply.of(429, "{\"message\":\"slow down\"}", "Retry-After", "7"), Reply.ok("[{\"id\":\"a\"}]"));
    ResourceReader r = reader(breweries(server.base()));
    assertEquals(1, r.fetch(1, r.first()).recordCount());
    assertEquals(List.of(Duration.ofSeconds(7)), h.sleeps);
    assertEquals(2, server.seen().size());
  }

  @Test
  void retryAfterIsCappedByTheMaximumBackoff() throws IOException {
    server.script(Reply.of(429, "", "Retry-After", "3600"), Reply.ok("[]"));
    ResourceReader r = reader(breweries(server.base()));
    r.fetch(1, r.first());
    assertEquals(List.of(Duration.ofSeconds(30)), h.sleeps);
  }

  @Test
  void retryAfterMayBeAnHttpDate() throws IOException {
    String inFiveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        ZonedDateTime.ofInstant(h.clock.instant(), ZoneOffset.UTC).plusSeconds(5));
    server.script(Reply.of(429, "", "Retry-After", inFiveSeconds), Reply.ok("[]"));
    ResourceReader r = reader(breweries(server.base()));
    r.fetch(1, r.first());
    assertEquals(List.of(Duration.ofSeconds(5)), h.sleeps, "measured on the run's clock");
  }

  @Test
  void retryAfterParsing() {
    Instant now = ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    assertEquals(Duration.ofSeconds(120), Transport.parseRetryAfter(" 120 ", now).orElseThrow());
    assertEquals(Duration.ofSeconds(90), Transport.parseRetryAfter("Wed, 01 May 2024 12:01:30 GMT", now).orElseThrow());
    assertEquals(Duration.ZERO, Transport.parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now).orElseThrow());
    assertTrue(Transport.parseRetryAfter("soon", now).isEmpty());
    assertTrue(Transport.parseRetryAfter("-5", now).isEmpty());
  }

  @Test
  void serverErrorsAreRetriedWithJitteredExponentialBackoff() throws IOException {
    server.script(Reply.status(503), Reply.status(502), Reply.ok("[{},{}]"));
    ResourceReader r = reader(breweries(server.base()));
    assertEquals(2, r.fetch(1, r.first()).recordCount());
    assertEquals(3, server.seen().size());
    assertEquals(2, h.sleeps.size());
    assertTrue(h.sleeps.get(0).compareTo(Duration.ofMillis(500)) <= 0, "" + h.sleeps);
    assertTrue(h.sleeps.get(1).compareTo(Duration.ofMillis(1000)) <= 0, "" + h.sleeps);
  }

  @Test
  void persistentServerErrorsFailRetryablyAfterMaxAttempts() {
    for (int i = 0; i < 5; i++) {
      server.script(new Reply(500, Map.of(), "<html>\n  Internal Server Error\n</html>", 0));
    }
    SourceException e = assertThrows(SourceException.class, () -> {
      ResourceReader r = reader(breweries(server.base()));
      r.fetch(3, r.nth(3).orElseThrow());
    });
    assertTrue(e.retryable());
    assertEquals(500, e.status());
    assertEquals(5, e.attempts());
    assertEquals(4, h.sleeps.size(), "no wait after the last attempt");
    assertEquals("source brews, resource breweries: GET " + server.base()
        + "/v1/breweries?page=3&per_page=50 failed after 5 attempts; last failure: HTTP 500: <html> Internal Server"
        + " Error </html>", e.getMessage());
  }

  @Test
  void notFoundFailsAtOnce_namingSourceResourceRequestAndAnswer() {
    server.script(Reply.of(404, "{\"message\":\"Couldn't find Brewery\"}"));
    SourceException e = assertThrows(SourceException.class, () -> {
      ResourceReader r = reader(breweries(server.base()));
      r.fetch(1, r.first());
    });
    assertFalse(e.retryable());
    assertEquals(404, e.status());
    assertEquals(1, e.attempts());
    assertTrue(h.sleeps.isEmpty());
    assertEquals("source brews, resource breweries: GET " + server.base() + "/v1/breweries?page=1&per_page=50 failed"
        + " with HTTP 404: {\"message\":\"Couldn't find Brewery\"} on attempt 1; not retried: the status is permanent",
        e.getMessage());
  }

  @Test
  void unauthorizedWithoutAuth_saysTheApiWantsCredentials() {
    server.script(Reply.status(401));
    SourceException e = h.failure(breweries(server.base()), h.settings(server.base()));
    assertFalse(e.retryable());
    assertEquals(1, server.seen().size());
    assertTrue(e.getMessage().contains("the API wants credentials, and the declared auth is none"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "text/html; charset=utf-8 | <html><body>We are down</body></html> | its Content-Type is text/html, not JSON",
    "application/json | <html>Service Unavailable</html> | the body is not valid JSON",
    "application/json | [{\"id\":\"a\"},{\"id\": | the body is not valid JSON",
    "application/json | '' | the body is empty",
    "application/json | [{}] [{}] | the body is not valid JSON",
    "text/plain | {\"id\":\"a\"} | data_selector '$' found a JSON object with id, not an array of records",
    "application/json | \"[]\" | data_selector '$' found a JSON string '[]', not an array of records",
  })
  void aBodyThatIsNotJsonRecords_failsClearlyAndIsNotRetried(String type, String body, String problem) {
    server.script(Reply.of(200, body, "Content-Type", type));
    SourceException e = h.failure(breweries(server.base()), h.settings(server.base()));
    assertFalse(e.retryable());
    assertEquals(1, server.seen().size(), "a bad body is not retried");
    assertTrue(e.getMessage().startsWith("source brews, resource breweries: GET " + server.base()
        + "/v1/breweries?page=1&per_page=50 answered HTTP 200 but "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private Source selecting(String selector) {
    return Declared.source("shows", client(server.base(), ""),
        resource("shows", "{\"path\":\"/search\",\"data_selector\":\"" + selector + "\","
            + "\"paginator\":{\"type\":\"single_page\"}}"));
  }

  @Test
  void dataSelector_findsRecordsAtADotPath() throws IOException {
    server.script(Reply.ok("{\"shows\":{\"items\":[{\"id\":1},{\"id\":2}],\"total\":2}}"));
    List<FetchedPage> pages = h.readAll(selecting("shows.items"), h.settings(server.base()));
    assertEquals(1, pages.size());
    assertEquals(2, pages.get(0).recordCount());
    assertTrue(pages.get(0).next().isEmpty());
  }

  @Test
  void dataSelector_nullWhereTheArrayShouldBe_isAnEmptyPage() throws IOException {
    server.script(Reply.ok("{\"shows\":{\"items\":null}}"));
    assertTrue(h.readAll(selecting("shows.items"), h.settings(server.base())).get(0).isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"shows\":{\"total\":0}} | data_selector 'shows.items' found nothing: there is no 'shows.items' in a JSON object with total",
    "{\"error\":\"quota\"} | data_selector 'shows.items' found nothing: there is no 'shows' in a JSON object with error",
    "{\"shows\":[1]} | data_selector 'shows.items' found nothing: 'shows' is a JSON array, not an object",
    "{\"shows\":{\"items\":{\"id\":1}}} | data_selector 'shows.items' found a JSON object with id, not an array of records",
  })
  void dataSelector_thatFindsNoArray_saysWhatItFound(String body, String problem) {
    server.script(Reply.ok(body));
    SourceException e = h.failure(selecting("shows.items"), h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains("source shows, resource shows: GET " + server.base() + "/search"), e.getMessage());
  }

  @Test
  void aSlowServerTimesOutAndIsRetried() throws IOException {
    server.script(new Reply(200, Map.of(), "[{\"id\":\"late\"}]", 10_000), Reply.ok("[{\"id\":\"a\"},{\"id\":\"b\"}]"));
    Source s = breweries(server.base());
    ResourceReader r = Readers.open(s, s.resources().get(0),
        h.settings(server.base()).withRequestTimeout(Duration.ofSeconds(1)));
    assertEquals(2, r.fetch(1, r.first()).recordCount());
    assertEquals(2, server.seen().size());
    assertEquals(1, h.sleeps.size());
  }

  @Test
  void timeoutsThatPersistFailRetryablyWithNoStatus() {
    server.script(new Reply(200, Map.of(), "[]", 10_000), new Reply(200, Map.of(), "[]", 10_000));
    Source s = breweries(server.base());
    ReadSettings settings = h.settings(server.base()).withRequestTimeout(Duration.ofMillis(200))
        .withRetry(h.retry.withMaxAttempts(2));
    SourceException e = h.failure(s, settings);
    assertTrue(e.retryable());
    assertEquals(0, e.status());
    assertEquals(2, e.attempts());
    assertTrue(e.getCause() instanceof HttpTimeoutException, "" + e.getCause());
    assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
  }

  @Test
  void connectionRefusedIsRetried() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }
    URI closed = URI.create("http://127.0.0.1:" + closedPort);
    SourceException e = h.failure(breweries(closed), h.settings(closed).withRetry(h.retry.withMaxAttempts(3)));
    assertTrue(e.retryable());
    assertEquals(3, e.attempts());
    assertEquals(2, h.sleeps.size());
  }

  @Test
  void aWaitThatWouldCrossTheDeadline_endsTheCallAtOnce_withoutSleeping() {
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    Deadline tenSecondsLeft = new Deadline(now.plusSeconds(10), Clock.fixed(now, ZoneOffset.UTC));
    server.script(Reply.of(429, "{}", "Retry-After", "20"));
    Source s = breweries(server.base());
    OutOfTimeException e = assertThrows(OutOfTimeException.class, () -> h.readAll(s,
        h.settings(server.base()).withRetry(h.retry.withDeadline(tenSecondsLeft))));
    assertTrue(e.getMessage().contains("a wait of 20000 ms"), e.getMessage());
    assertTrue(e.getMessage().contains("source brews, resource breweries"), e.getMessage());
    assertTrue(h.sleeps.isEmpty(), "no wait that could not end in time");
    assertEquals(1, server.seen().size());
  }

  @Test
  void tooLittleTimeLeft_sendsNoRequest() {
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    Deadline almostOver = new Deadline(now.plusSeconds(2), Clock.fixed(now, ZoneOffset.UTC));
    Source s = breweries(server.base());
    assertThrows(OutOfTimeException.class,
        () -> h.readAll(s, h.settings(server.base()).withRetry(h.retry.withDeadline(almostOver))));
    assertTrue(server.seen().isEmpty());
  }

  @Test
  void aBodyThatTrickles_isCutOffAtTheDeadline_notAfterTheRequestTimeout() {
    // Headers at once, then one byte and nothing more: the request timeout (30 s) alone bounds only
    // the wait for the headers.
    server.raw().createContext("/trickle", ex -> {
      try (ex) {
        ex.sendResponseHeaders(200, 0);
        ex.getResponseBody().write('[');
        ex.getResponseBody().flush();
        server.releaseLatch().await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      Deadline sevenSeconds = Deadline.in(Duration.ofSeconds(7), Clock.systemUTC());
      URI base = URI.create(server.base() + "/trickle");
      long started = System.nanoTime();
      assertThrows(OutOfTimeException.class,
          () -> h.readAll(breweries(base), h.settings(base).withRetry(h.retry.withDeadline(sevenSeconds))));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      assertTrue(seconds < 10, "ended by the deadline, after " + seconds + " s");
    } finally {
      server.raw().removeContext("/trickle");
    }
  }

  @Test
  void declaredRequestsPerSecond_spacesRequestsOnTheRunsClock_throughTheSleeper() throws IOException {
    Source s = Declared.source("slow", client(server.base(), "\"requests_per_second\":2"),
        resource("items", "{\"path\":\"/items\",\"paginator\":{\"type\":\"page_number\"}}"));
    server.script(Reply.ok("[1]"), Reply.ok("[2]"), Reply.ok("[]"));
    assertEquals(3, h.readAll(s, h.settings(server.base())).size());
    // The clock stands still, so each request waits one more interval: 0, 500 ms, 1000 ms.
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), h.sleeps);
  }

  @Test
  void declaredRequestsPerSecond_holdsAcrossTheParentsOfAChildResource_inOneRun() throws IOException {
    Source s = Declared.source("podcasts", client(server.base(), "\"requests_per_second\":2"),
        resource("shows", "{\"path\":\"/v1/search\",\"paginator\":{\"type\":\"single_page\"}}"),
        Declared.child("episodes", "{\"path\":\"/v1/shows/{id}/episodes\",\"data_selector\":\"items\","
            + "\"paginator\":{\"type\":\"json_link\",\"next_url_path\":\"next\"}}", "shows", "{\"id\":\"id\"}"));
    server.script(Reply.ok("[]"), Reply.ok("{\"items\":[],\"next\":null}"), Reply.ok("{\"items\":[],\"next\":null}"));
    ReadSettings run = h.settings(server.base());
    ResourceReader shows = Readers.open(s, s.resources().get(0), run);
    shows.fetch(1, shows.first());
    for (String show : List.of("a", "b")) {
      ResourceReader episodes = Readers.open(s, s.resources().get(1), run.withParentValues(Map.of("id", show)));
      episodes.fetch(1, episodes.first());
    }
    // One reader per listing, one limit per run: 0, 500 ms, 1000 ms on a clock that stands still.
    assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000)), h.sleeps);
  }

  @Test
  void childResource_fillsItsPathWithTheParentsValues_encodedAsOneSegment() throws IOException {
    Source s = Declared.source("podcasts", client(server.base(), ""),
        resource("shows", "{\"path\":\"/v1/search\",\"paginator\":{\"type\":\"single_page\"}}"),
        Declared.child("episodes", "{\"path\":\"/v1/shows/{id}/episodes\",\"params\":{\"market\":\"{market}\"},"
            + "\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\",\"next_url_path\":\"next\"}}",
            "shows", "{\"id\":\"id\",\"market\":\"country\"}"));
    server.script(Reply.ok("{\"items\":[{\"id\":\"e1\"}],\"next\":null}"));
    ReadSettings settings = h.settings(server.base()).withParentValues(Map.of("id", "a b/c?d", "market", "D&E"));
    ResourceReader r = Readers.open(s, s.resources().get(1), settings);

    assertEquals(server.base() + "/v1/shows/a%20b%2Fc%3Fd/episodes?market=D%26E", r.first().toString());
    assertEquals(1, r.fetch(1, r.first()).recordCount());
    assertEquals("/v1/shows/a%20b%2Fc%3Fd/episodes?market=D%26E", server.seen().get(0).pathAndQuery());

    SourceException e = assertThrows(SourceException.class,
        () -> Readers.open(s, s.resources().get(1), h.settings(server.base()).withParentValues(Map.of("market", "DE"))));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("source podcasts, resource episodes (parent market=DE): '/v1/shows/{id}/episodes'"
        + " needs {id} but the parent record gave no value for it"), e.getMessage());
  }

  @Test
  void incremental_sendsTheStartParam_andReportsTheHighestCursorOfEachPage() throws IOException {
    Source s = Declared.source("issues", client(server.base(), ""),
        resource("issues", "{\"path\":\"/repos/o/r/issues\",\"params\":{\"state\":\"all\"},"
            + "\"paginator\":{\"type\":\"page_number\",\"page_size_param\":\"per_page\",\"page_size\":2},"
            + "\"incremental\":{\"cursor_path\":\"updated_at\",\"start_param\":\"since\","
            + "\"initial_value\":\"2020-01-01T00:00:00Z\"}}"));
    server.script(
        Reply.ok("[{\"updated_at\":\"2026-01-02T10:00:01Z\"},{\"updated_at\":\"2026-01-02T11:00:00.5+01:00\"}]"),
        Reply.ok("[{\"updated_at\":\"2026-01-02T10:30:00.123Z\"},{\"updated_at\":null}]"),
        Reply.ok("[]"));
    ReadSettings settings = h.settings(server.base()).withIncrementalStart("2026-01-01T00:00:00Z");

    List<FetchedPage> pages = h.readAll(s, settings);

    assertEquals("/repos/o/r/issues?state=all&page=1&per_page=2&since=2026-01-01T00%3A00%3A00Z",
        server.seen().get(0).pathAndQuery());
    assertEquals("2026-01-01T00:00:00Z", server.seen().get(1).param("since"), "every page keeps it");
    // 11:00:00.5+01:00 is 10:00:00.5Z, before 10:00:01Z: the instant counts, not the text.
    assertEquals("2026-01-02T10:00:01Z", pages.get(0).maxCursor().orElseThrow());
    assertEquals("2026-01-02T10:30:00.123Z", pages.get(1).maxCursor().orElseThrow());
    assertTrue(pages.get(2).maxCursor().isEmpty());

    server.reset();
    server.script(Reply.ok("[]"));
    h.readAll(s, h.settings(server.base()));
    assertNull(server.seen().get(0).param("since"), "no start value: no start parameter");
  }

  @Test
  void incremental_aCursorThatIsNotATimestamp_failsNamingTheRecord() {
    Source s = Declared.source("issues", client(server.base(), ""),
        resource("issues", "{\"path\":\"/issues\",\"paginator\":{\"type\":\"single_page\"},"
            + "\"incremental\":{\"cursor_path\":\"meta.updated\",\"start_param\":\"since\",\"initial_value\":\"0\"}}"));
    server.script(Reply.ok("[{\"meta\":{\"updated\":\"2026-01-02T10:00:00Z\"}},{\"meta\":{\"updated\":\"yesterday\"}}]"));
    SourceException e = h.failure(s, h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("record 2: meta.updated is 'yesterday', not an ISO-8601 timestamp"), e.getMessage());
  }
}
