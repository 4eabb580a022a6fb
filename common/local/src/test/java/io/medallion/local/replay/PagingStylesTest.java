package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each paging style as a client sees it over plain HTTP: walking the pages the way the style says
 * (page numbers, offsets, next links in the body, Link headers, cursors, one page) yields every
 * record once, in order, exactly as generated; the signals a paginator stops on (total, a null
 * next, no rel="next", a null cursor, an empty page) are there and right.
 */
class PagingStylesTest {

  /** The records' own JSON, joined as the server joins them. */
  static String array(List<GeneratedRecord> records, int from, int to) {
    return records.subList(Math.min(from, records.size()), Math.min(to, records.size())).stream()
        .map(GeneratedRecord::json).collect(Collectors.joining(",", "[", "]"));
  }

  static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static String credential(ReplayServer server, String secret) {
    return server.credentials().get(new SecretRef(secret));
  }

  @Test
  void pageNumber_totalInTheBody_pageSizeCapped_emptyPagePastTheEnd() throws Exception {
    Source pager = TestSources.source("pager");
    RecordGenerator generator = RecordGenerator.forSource(pager);
    GeneratedData data = generator.generate(57, 3);
    List<GeneratedRecord> items = data.records("items");
    try (ReplayServer server = ReplayServer.generated(generator, data, 3)) {
      String key = credential(server, "PAGER_KEY");
      int seen = 0;
      for (int page = 1; ; page++) {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/items?page=" + page + "&size=10", "X-API-Key", key);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = json(r);
        assertEquals(57, body.getAsJsonObject("meta").get("total").getAsInt(), "the declared total path");
        assertEquals(page, body.getAsJsonObject("meta").get("page").getAsInt(), "the envelope template");
        assertTrue(r.body().startsWith("{\"data\":" + array(items, seen, seen + 10) + ","), r.body());
        int n = body.getAsJsonArray("data").size();
        if (n == 0) {
          break;
        }
        seen += n;
      }
      assertEquals(57, seen);
      JsonObject first = json(Http.get(server.baseUrl() + "/items", "X-API-Key", key));
      assertEquals(10, first.getAsJsonArray("data").size(), "the declared page_size when none is asked for");
      JsonObject capped = json(Http.get(server.baseUrl() + "/items?page=1&size=1000", "X-API-Key", key));
      assertEquals(25, capped.getAsJsonArray("data").size(), "capped at max_page_size");
      assertEquals(25, capped.getAsJsonObject("meta").get("size").getAsInt());
      JsonObject below = json(Http.get(server.baseUrl() + "/items?page=0&size=0", "X-API-Key", key));
      assertTrue(Http.get(server.baseUrl() + "/items?page=0&size=0", "X-API-Key", key).body()
          .startsWith("{\"data\":" + array(items, 0, 1)), "page 0 is the first, size 0 is 1: " + below);
      assertEquals(400, Http.get(server.baseUrl() + "/items?page=two", "X-API-Key", key).statusCode());
    }
  }

  @Test
  void offset_totalAtItsEndpoint_underTheBaseUrlsPath() throws Exception {
    Source catalog = TestSources.source("catalog");
    RecordGenerator generator = RecordGenerator.forSource(catalog);
    GeneratedData data = generator.generate(70, 8);
    List<GeneratedRecord> products = data.records("products");
    try (ReplayServer server = ReplayServer.generated(generator, data, 8)) {
      assertTrue(server.baseUrl().toString().endsWith("/api/v2"), server.baseUrl().toString());
      String key = "api_key=" + credential(server, "CATALOG_KEY");
      assertEquals("{\"count\":70}", Http.get(server.baseUrl() + "/products/count?" + key).body());
      List<String> walked = new ArrayList<>();
      for (int offset = 0; ; offset += 20) {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/products?offset=" + offset + "&limit=20&" + key);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"products\":" + array(products, offset, offset + 20) + ",\"offset\":" + offset
            + ",\"limit\":20}"), r.body());
        int n = json(r).getAsJsonArray("products").size();
        if (n == 0) {
          break;
        }
        json(r).getAsJsonArray("products").forEach(e -> walked.add(e.getAsJsonObject().get("sku").getAsString()));
      }
      assertEquals(70, walked.size());
      assertTrue(Http.get(server.baseUrl() + "/products?offset=5&limit=3&" + key).body()
          .startsWith("{\"products\":" + array(products, 5, 8)), "an offset inside a page");
      assertEquals(50, json(Http.get(server.baseUrl() + "/products?limit=500&" + key)).getAsJsonArray("products").size(),
          "capped at max_limit");
      assertEquals(404, Http.get(server.baseUrl().toString().replace("/api/v2", "") + "/products?" + key).statusCode(),
          "only under the declared base path");
    }
  }

  @Test
  void jsonLink_nextIsAnAbsoluteUrlOfTheServer_untilNull_inSpotifysEnvelope() throws Exception {
    Source shows = TestSources.source("shows");
    RecordGenerator generator = RecordGenerator.forSource(shows);
    GeneratedData data = generator.generate(23, 4);
    try (ReplayServer server = ReplayServer.generated(generator, data, 4)) {
      String bearer = "Bearer " + token(server);
      String url = server.baseUrl() + "/v1/search?q=data+engineering&type=show&limit=10";
      List<String> pages = new ArrayList<>();
      int offset = 0;
      while (url != null) {
        HttpResponse<String> r = Http.get(url, "Authorization", bearer);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject envelope = json(r).getAsJsonObject("shows");
        assertEquals(List.of("href", "items", "limit", "next", "offset", "previous", "total"),
            new ArrayList<>(envelope.keySet()), "Spotify's fields, in its order");
        assertEquals(url, envelope.get("href").getAsString());
        assertEquals(23, envelope.get("total").getAsInt());
        assertEquals(offset, envelope.get("offset").getAsInt());
        assertEquals(offset == 0, envelope.get("previous").isJsonNull());
        assertTrue(r.body().contains("\"items\":" + array(data.records("shows"), offset, offset + 10)));
        pages.add(url);
        JsonElement next = envelope.get("next");
        url = next.isJsonNull() ? null : next.getAsString();
        if (url != null) {
          assertTrue(url.startsWith(server.baseUrl() + "/v1/search?q=data+engineering&type=show&limit=10&offset="), url);
        }
        offset += 10;
      }
      assertEquals(3, pages.size(), "23 shows in pages of 10");
    }
  }

  @Test
  void childResource_servesThePathsParentsChildren_andNotFoundForAnUnknownParent() throws Exception {
    Source shows = TestSources.source("shows");
    RecordGenerator generator = RecordGenerator.forSource(shows);
    GeneratedData data = generator.generate(12, 6);
    try (ReplayServer server = ReplayServer.generated(generator, data, 6)) {
      String bearer = "Bearer " + token(server);
      List<GeneratedRecord> parents = data.records("shows");
      List<GeneratedRecord> episodes = data.records("episodes");
      int served = 0;
      for (int p = 0; p < parents.size(); p++) {
        String id = JsonParser.parseString(parents.get(p).json()).getAsJsonObject().get("id").getAsString();
        int parent = p;
        List<GeneratedRecord> mine = episodes.stream().filter(e -> e.parent() == parent).toList();
        List<String> got = new ArrayList<>();
        String url = server.baseUrl() + "/v1/shows/" + id + "/episodes?limit=5";
        while (url != null) {
          HttpResponse<String> r = Http.get(url, "Authorization", bearer);
          assertEquals(200, r.statusCode(), r.body());
          json(r).getAsJsonArray("items").forEach(e -> got.add(e.toString()));
          assertEquals(mine.size(), json(r).get("total").getAsInt());
          JsonElement next = json(r).get("next");
          url = next.isJsonNull() ? null : next.getAsString();
        }
        assertEquals(mine.size(), got.size(), "show " + id);
        served += got.size();
      }
      assertEquals(episodes.size(), served);
      assertTrue(episodes.size() > 12, "some shows have several episodes: " + episodes.size());
      HttpResponse<String> unknown = Http.get(server.baseUrl() + "/v1/shows/nosuchshow/episodes", "Authorization", bearer);
      assertEquals(404, unknown.statusCode());
    }
  }

  @Test
  void headerLink_rfc8288LinksLikeGithubs_andIncrementalSinceServesTheSuffix() throws Exception {
    Source tickets = TestSources.source("tickets");
    RecordGenerator generator = RecordGenerator.forSource(tickets);
    GeneratedData data = generator.generate(75, 2);
    List<GeneratedRecord> issues = data.records("issues");
    try (ReplayServer server = ReplayServer.generated(generator, data, 2)) {
      String auth = "Bearer " + credential(server, "TICKETS_TOKEN");
      String url = server.baseUrl() + "/repos/acme/widgets/issues?state=all&per_page=30";
      StringBuilder all = new StringBuilder();
      List<String> links = new ArrayList<>();
      while (url != null) {
        HttpResponse<String> r = Http.get(url, "Authorization", auth);
        assertEquals(200, r.statusCode(), r.body());
        all.append(r.body());
        String link = r.headers().firstValue("Link").orElse(null);
        links.add(link);
        url = rel(link, "next");
      }
      assertEquals(3, links.size());
      assertEquals(array(issues, 0, 30) + array(issues, 30, 60) + array(issues, 60, 75), all.toString());
      assertEquals(server.baseUrl() + "/repos/acme/widgets/issues?state=all&per_page=30&page=3", rel(links.get(0), "last"));
      assertEquals(server.baseUrl() + "/repos/acme/widgets/issues?state=all&per_page=30&page=1", rel(links.get(2), "first"));
      assertEquals(server.baseUrl() + "/repos/acme/widgets/issues?state=all&per_page=30&page=2", rel(links.get(2), "prev"));
      assertNull(rel(links.get(2), "next"));

      String since = JsonParser.parseString(issues.get(40).json()).getAsJsonObject().get("updated_at").getAsString();
      HttpResponse<String> changed = Http.get(server.baseUrl() + "/repos/acme/widgets/issues?per_page=100&since=" + since,
          "Authorization", auth);
      assertEquals(array(issues, 40, 75), changed.body(), "the issues updated at or after since");
      String later = Instant.parse(since).plusSeconds(1).toString();
      assertEquals(array(issues, 41, 75), Http.get(server.baseUrl() + "/repos/acme/widgets/issues?per_page=100&since="
          + later, "Authorization", auth).body());
      assertEquals(400, Http.get(server.baseUrl() + "/repos/acme/widgets/issues?since=yesterday", "Authorization", auth)
          .statusCode());
    }
  }

  @Test
  void cursor_opaqueAndSentBack_untilItIsNull() throws Exception {
    Source feed = TestSources.source("feed");
    RecordGenerator generator = RecordGenerator.forSource(feed);
    GeneratedData data = generator.generate(60, 1);
    try (ReplayServer server = ReplayServer.generated(generator, data, 1)) {
      String auth = Http.basic("replay-user", credential(server, "FEED_PASSWORD"));
      StringBuilder all = new StringBuilder();
      List<String> cursors = new ArrayList<>();
      String cursor = null;
      do {
        HttpResponse<String> r = Http.get(server.baseUrl() + "/events" + (cursor == null ? "" : "?cursor=" + cursor),
            "Authorization", auth);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = json(r);
        String records = r.body().substring("{\"events\":".length(), r.body().indexOf(",\"next_cursor\""));
        all.append(records);
        cursor = body.get("next_cursor").isJsonNull() ? null : body.get("next_cursor").getAsString();
        cursors.add(cursor);
      } while (cursor != null);
      List<GeneratedRecord> events = data.records("events");
      assertEquals(array(events, 0, 25) + array(events, 25, 50) + array(events, 50, 60), all.toString());
      assertFalse(cursors.get(0).matches("\\d+"), "opaque, not an offset: " + cursors.get(0));
      assertEquals(400, Http.get(server.baseUrl() + "/events?cursor=not-a-cursor", "Authorization", auth).statusCode());
    }
  }

  @Test
  void singlePage_servesEveryRecordAtOnce() throws Exception {
    Source notes = TestSources.source("notes");
    RecordGenerator generator = RecordGenerator.forSource(notes);
    GeneratedData data = generator.generate(130, 9);
    try (ReplayServer server = ReplayServer.generated(generator, data, 9)) {
      String token = JsonParser.parseString(Http.postForm(server.tokenUrl().toString(),
          "grant_type=client_credentials&client_id=notes-client&client_secret=" + credential(server, "NOTES_CLIENT_SECRET"))
          .body()).getAsJsonObject().get("access_token").getAsString();
      HttpResponse<String> r = Http.get(server.baseUrl() + "/notes", "Authorization", "Bearer " + token);
      assertEquals("{\"notes\":" + array(data.records("notes"), 0, 130) + ",\"count\":130}", r.body());
    }
  }

  @Test
  void recordedRecords_areServedExactlyAsRecorded_inPages() throws Exception {
    Source snapshot = TestSources.source("snapshot");
    List<String> recorded = new ArrayList<>();
    String file = new String(java.nio.file.Files.readAllBytes(TestSources.root().resolve(
        "schemas/sources/snapshot.records.json")), StandardCharsets.UTF_8);
    for (String line : file.split("\n")) {
      if (line.startsWith("{")) {
        recorded.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
      }
    }
    try (ReplayServer server = ReplayServer.recorded(snapshot, 0)) {
      assertEquals(296, server.size());
      StringBuilder walked = new StringBuilder();
      for (int page = 1; page <= 2; page++) {
        walked.append(Http.get(server.baseUrl() + "/v1/breweries?page=" + page + "&per_page=200").body());
      }
      assertEquals("[" + String.join(",", recorded.subList(0, 200)) + "][" + String.join(",", recorded.subList(200, 296)) + "]",
          walked.toString());
      assertEquals("[]", Http.get(server.baseUrl() + "/v1/breweries?page=3&per_page=200").body());
      assertEquals(50, JsonParser.parseString(Http.get(server.baseUrl() + "/v1/breweries").body()).getAsJsonArray().size(),
          "the declared page_size when none is asked for");
      assertTrue(file.contains("’t Drankorgel") || file.contains("Friesener Straße"), "real names of the snapshot");
    }
  }

  /** An OAuth token of the shows server, fetched with the client id and secret in a Basic header. */
  static String token(ReplayServer server) throws Exception {
    String basic = Http.basic(credential(server, "SHOWS_CLIENT_ID"), credential(server, "SHOWS_CLIENT_SECRET"));
    HttpResponse<String> r = Http.postForm(server.tokenUrl().toString(), "grant_type=client_credentials", "Authorization", basic);
    assertEquals(200, r.statusCode(), r.body());
    return json(r).get("access_token").getAsString();
  }

  /** The URL of relation {@code rel} in a Link header, or null. */
  static String rel(String header, String rel) {
    if (header == null) {
      return null;
    }
    Matcher m = Pattern.compile("<([^>]*)>;\\s*rel=\"([^\"]*)\"").matcher(header);
    while (m.find()) {
      if (m.group(2).equals(rel)) {
        return m.group(1);
      }
    }
    return null;
  }

}
