package io.medallion.local.replay;

import static io.medallion.local.replay.PagingStylesTest.array;
import static io.medallion.local.replay.PagingStylesTest.credential;
import static io.medallion.local.replay.PagingStylesTest.json;
import static io.medallion.local.replay.PagingStylesTest.rel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.local.replay.ReplayServer.Reply;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The misbehaviour hook rewrites any reply, so every bad day a test needs can be played: the
 * scenarios of the pipeline's MisbehavingApiTest on the breweries source, and for the other paging
 * styles a foreign next link, a repeating cursor, an HTML page and a 401.
 */
class FaultsTest {

  private static Source breweries() {
    return SourceRegistry.standard().find("breweries").orElseThrow();
  }

  private static String page(ReplayServer api, int page) throws Exception {
    return Http.get(api.baseUrl() + "/v1/breweries?page=" + page + "&per_page=100").body();
  }

  @Test
  void rateLimitedWithRetryAfter_thenThePage() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 1_000, 21)) {
      AtomicInteger limited = new AtomicInteger();
      api.misbehave((req, normal) -> req.isPage() && req.page() == 2 && limited.incrementAndGet() <= 2
          ? Reply.message(429, "slow down").withHeader("Retry-After", "0")
          : normal);
      HttpResponse<String> first = Http.get(api.baseUrl() + "/v1/breweries?page=2&per_page=100");
      assertEquals(429, first.statusCode());
      assertEquals("0", first.headers().firstValue("Retry-After").orElseThrow());
      assertEquals(429, Http.get(api.baseUrl() + "/v1/breweries?page=2&per_page=100").statusCode());
      assertEquals(200, Http.get(api.baseUrl() + "/v1/breweries?page=2&per_page=100").statusCode());
      assertEquals(200, Http.get(api.baseUrl() + "/v1/breweries/meta").statusCode(), "the total endpoint is not a page");
    }
  }

  @Test
  void downFromPageFour_thenBackWhenTheHookIsCleared() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 1_000, 21)) {
      api.misbehave((req, normal) -> req.isPage() && req.page() >= 4 ? Reply.message(503, "maintenance") : normal);
      assertEquals(200, Http.get(api.baseUrl() + "/v1/breweries?page=3&per_page=100").statusCode());
      assertEquals(503, Http.get(api.baseUrl() + "/v1/breweries?page=4&per_page=100").statusCode());
      api.misbehave(null);
      assertEquals(200, Http.get(api.baseUrl() + "/v1/breweries?page=4&per_page=100").statusCode());
    }
  }

  @Test
  void aRepeatedPage_anotherPagesNormalAnswer() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 1_000, 21)) {
      String second = page(api, 2);
      api.misbehave((req, normal) -> req.isPage() && req.page() == 3 ? api.answer(req.withPage(2)) : normal);
      assertEquals(second, page(api, 3));
    }
  }

  @Test
  void recordsArriveMidRun_andAPageShortOfARecord() throws Exception {
    RecordGenerator generator = RecordGenerator.forSource(breweries());
    List<GeneratedRecord> data = generator.generate(1_000, 21).first();
    List<GeneratedRecord> grown = generator.generate(1_050, 21).first();
    try (ReplayServer api = ReplayServer.serving(breweries(), data)) {
      AtomicBoolean once = new AtomicBoolean();
      api.misbehave((req, normal) -> {
        if (req.isPage() && req.page() == 4 && once.compareAndSet(false, true)) {
          api.replaceRecords(grown);
        }
        return normal;
      });
      assertEquals("{\"total\":\"1000\",\"page\":\"1\",\"per_page\":\"50\"}", Http.get(api.baseUrl() + "/v1/breweries/meta").body());
      page(api, 4);
      assertEquals("{\"total\":\"1050\",\"page\":\"1\",\"per_page\":\"50\"}", Http.get(api.baseUrl() + "/v1/breweries/meta").body());
      assertEquals(array(grown, 1_000, 1_050), page(api, 11));

      String shortPage = array(data, 100, 199);
      api.misbehave((req, normal) -> req.isPage() && req.page() == 2 ? Reply.json(200, shortPage) : normal);
      assertEquals(shortPage, page(api, 2));
    }
  }

  @Test
  void aTotalThatKeepsMoving() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 1_000, 21)) {
      AtomicLong metaCalls = new AtomicLong();
      api.misbehave((req, normal) -> req.isTotal()
          ? normal.withJson("total", Long.toString(1_000 + metaCalls.incrementAndGet()))
          : normal);
      assertEquals("{\"total\":\"1001\",\"page\":\"1\",\"per_page\":\"50\"}", Http.get(api.baseUrl() + "/v1/breweries/meta").body());
      assertEquals("1002", json(Http.get(api.baseUrl() + "/v1/breweries/meta")).get("total").getAsString());
    }
  }

  @Test
  void anHtmlPageAndA401_whereJsonWasExpected() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 100, 21)) {
      api.misbehave((req, normal) -> req.page() == 1 ? Reply.html(200, "<html><body>Please log in</body></html>")
          : Reply.message(401, "token revoked").withHeader("WWW-Authenticate", "Bearer"));
      HttpResponse<String> html = Http.get(api.baseUrl() + "/v1/breweries?page=1");
      assertEquals("text/html; charset=utf-8", html.headers().firstValue("Content-Type").orElseThrow());
      assertTrue(html.body().startsWith("<html>"));
      assertEquals(401, Http.get(api.baseUrl() + "/v1/breweries?page=2").statusCode());
    }
  }

  @Test
  void aNextLinkToAForeignHost_inTheBodyOrTheLinkHeader() throws Exception {
    try (ReplayServer shows = ReplayServer.generated(TestSources.source("shows"), 30, 1)) {
      shows.misbehave((req, normal) -> req.isPage() ? normal.withJson("shows.next", "https://evil.example.com/v1/search?offset=10")
          : normal);
      HttpResponse<String> r = Http.get(shows.baseUrl() + "/v1/search?q=x&type=show", "Authorization",
          "Bearer " + PagingStylesTest.token(shows));
      assertEquals("https://evil.example.com/v1/search?offset=10", json(r).getAsJsonObject("shows").get("next").getAsString());
      assertEquals(30, json(r).getAsJsonObject("shows").get("total").getAsInt(), "the rest of the body as it was");
    }
    try (ReplayServer tickets = ReplayServer.generated(TestSources.source("tickets"), 90, 1)) {
      tickets.misbehave((req, normal) -> normal.withHeader("Link", "<https://evil.example.com/issues?page=2>; rel=\"next\""));
      HttpResponse<String> r = Http.get(tickets.baseUrl() + "/repos/acme/widgets/issues", "Authorization",
          "Bearer " + credential(tickets, "TICKETS_TOKEN"));
      assertEquals("https://evil.example.com/issues?page=2", rel(r.headers().firstValue("Link").orElseThrow(), "next"));
    }
  }

  @Test
  void aCursorThatRepeats() throws Exception {
    try (ReplayServer feed = ReplayServer.generated(TestSources.source("feed"), 100, 1)) {
      feed.misbehave((req, normal) -> req.params().containsKey("cursor")
          ? normal.withJson("next_cursor", req.params().get("cursor"))
          : normal);
      String auth = Http.basic("replay-user", credential(feed, "FEED_PASSWORD"));
      String first = json(Http.get(feed.baseUrl() + "/events", "Authorization", auth)).get("next_cursor").getAsString();
      String second = json(Http.get(feed.baseUrl() + "/events?cursor=" + first, "Authorization", auth))
          .get("next_cursor").getAsString();
      assertEquals(first, second);
    }
  }

  @Test
  void everyRequestIsCounted_andTheHookSeesWhatWasAsked() throws Exception {
    try (ReplayServer api = ReplayServer.generated(breweries(), 100, 21)) {
      Map<String, String> seen = new java.util.concurrent.ConcurrentHashMap<>();
      api.misbehave((req, normal) -> {
        seen.put(req.kind() + " " + req.page() + " " + req.pageSize(), req.path());
        return normal;
      });
      Http.get(api.baseUrl() + "/v1/breweries?page=3&per_page=7");
      Http.get(api.baseUrl() + "/v1/breweries/meta?per_page=500");
      Http.get(api.baseUrl() + "/nowhere");
      assertEquals(Map.of("PAGE 3 7", "/v1/breweries", "TOTAL 1 200", "/v1/breweries/meta", "OTHER 1 0", "/nowhere"), seen);
      assertEquals(3, api.requestCount());
    }
  }
}
