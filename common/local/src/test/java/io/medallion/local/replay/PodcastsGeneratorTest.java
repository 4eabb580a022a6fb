package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The podcasts generator spec (schemas/sources/podcasts.generator.json) makes Spotify's shows and
 * episodes as the Web API documents them, inside its paging object, with the defects the spec
 * promises, and never an episode whose show silver rejects (gold's check
 * podcast_episodes_have_a_show would fail on it).
 */
class PodcastsGeneratorTest {

  /** Simplified show object, in the documented order (reference/search, shows.items). */
  static final List<String> SHOW_FIELDS = List.of("available_markets", "copyrights", "description", "html_description",
      "explicit", "external_urls", "href", "id", "images", "is_externally_hosted", "languages", "media_type", "name",
      "publisher", "type", "uri", "total_episodes");
  /** Simplified episode object, in the documented order (reference/get-a-shows-episodes, items). */
  static final List<String> EPISODE_FIELDS = List.of("audio_preview_url", "description", "html_description",
      "duration_ms", "explicit", "external_urls", "href", "id", "images", "is_externally_hosted", "is_playable",
      "language", "languages", "name", "release_date", "release_date_precision", "type", "uri");
  static final List<String> PAGING = List.of("href", "items", "limit", "next", "offset", "previous", "total");
  static final Pattern SPOTIFY_ID = Pattern.compile("[0-9A-Za-z]{22}");
  static final List<String> BRANDS = List.of("dbt", "duckdb", "bigquery", "snowflake");

  private static Source source;
  private static GeneratedData data;

  @BeforeAll
  static void generate() throws Exception {
    source = SourceRegistry.standard().find("podcasts").orElseThrow();
    data = RecordGenerator.forSource(source).generate(300, 7);
  }

  private static JsonObject json(GeneratedRecord r) {
    return JsonParser.parseString(r.json()).getAsJsonObject();
  }

  @Test
  void showsAndEpisodes_haveTheDocumentedFieldsInOrder_andSpotifyIds() {
    for (GeneratedRecord r : data.records("shows")) {
      JsonObject o = json(r);
      if (r.expected().isClean()) {
        assertEquals(SHOW_FIELDS, new ArrayList<>(o.keySet()), r.json());
        String id = o.get("id").getAsString();
        assertTrue(SPOTIFY_ID.matcher(id).matches(), id);
        assertEquals("spotify:show:" + id, o.get("uri").getAsString());
        assertEquals("https://open.spotify.com/show/" + id, o.getAsJsonObject("external_urls").get("spotify").getAsString());
        assertEquals("show", o.get("type").getAsString());
      }
    }
    for (GeneratedRecord r : data.records("episodes")) {
      JsonObject o = json(r);
      if (r.expected() instanceof Expected.Clean c) {
        assertEquals(EPISODE_FIELDS, new ArrayList<>(o.keySet()), r.json());
        assertTrue(SPOTIFY_ID.matcher(c.string("episode_id")).matches(), r.json());
        String date = c.string("release_date");
        String precision = c.string("release_date_precision");
        assertTrue(switch (precision) {
          case "day" -> date.matches("\\d{4}-\\d{2}-\\d{2}");
          case "month" -> date.matches("\\d{4}-\\d{2}");
          case "year" -> date.matches("\\d{4}");
          default -> false;
        }, date + " with precision " + precision);
      }
    }
  }

  @Test
  void everyShowsEpisodes_comeOnce_andNoEpisodeHasARejectedShow() {
    List<GeneratedRecord> shows = data.records("shows");
    Set<String> cleanShows = new HashSet<>();
    for (GeneratedRecord s : shows) {
      if (s.expected() instanceof Expected.Clean c) {
        cleanShows.add(c.string("show_id"));
      }
    }
    Map<Integer, Integer> perParent = new TreeMap<>();
    for (GeneratedRecord e : data.records("episodes")) {
      assertTrue(shows.get(e.parent()).expected().isClean(), "an episode of a rejected show: " + shows.get(e.parent()).json());
      if (e.expected() instanceof Expected.Clean c) {
        assertTrue(cleanShows.contains(c.string("_parent_id")), e.json());
      }
      perParent.merge(e.parent(), 1, Integer::sum);
    }
    assertTrue(perParent.values().stream().allMatch(n -> n <= 12), perParent.toString());
    assertTrue(perParent.size() < cleanShows.size(), "some shows have no episodes");
  }

  @Test
  void defectsGiveEveryRejectReason_oncePerBlock() {
    Map<String, Long> shows = reasons(data.records("shows"));
    assertEquals(Map.of("DUPLICATE_KEY", 6L, "MISSING_REQUIRED", 6L), shows, "one in each block of 25 of 300 shows");
    List<GeneratedRecord> episodes = data.records("episodes");
    Map<String, Long> reasons = reasons(episodes);
    assertEquals(new TreeSet<>(List.of("DUPLICATE_KEY", "MISSING_REQUIRED", "NOT_A_NUMBER", "OUT_OF_RANGE", "WRONG_TYPE")),
        reasons.keySet());
    assertEquals((episodes.size() + 39) / 40, reasons.values().stream().mapToLong(Long::longValue).sum(), reasons.toString());
  }

  @Test
  void someEpisodesMentionEachBrand_inTheirNameOrDescription() {
    Map<String, Integer> mentions = new HashMap<>();
    for (GeneratedRecord e : data.records("episodes")) {
      if (e.expected() instanceof Expected.Clean c) {
        String text = (c.string("name") + " " + c.string("description")).toLowerCase(Locale.ROOT);
        BRANDS.stream().filter(text::contains).forEach(b -> mentions.merge(b, 1, Integer::sum));
      }
    }
    assertEquals(Set.copyOf(BRANDS), mentions.keySet(), mentions.toString());
  }

  @Test
  void theServerAnswers_inSpotifysPagingObject_withAToken() throws Exception {
    try (ReplayServer server = ReplayServer.generated(source, 60, 7)) {
      Map<SecretRef, String> credentials = server.credentials();
      String basic = Http.basic(credentials.get(new SecretRef("SPOTIFY_CLIENT_ID")), credentials.get(new SecretRef("SPOTIFY_CLIENT_SECRET")));
      HttpResponse<String> issued = Http.postForm(server.tokenUrl().toString(), "grant_type=client_credentials",
          "Authorization", basic);
      assertEquals(200, issued.statusCode(), issued.body());
      String bearer = "Bearer " + JsonParser.parseString(issued.body()).getAsJsonObject().get("access_token").getAsString();

      String search = server.baseUrl() + "/v1/search?q=" + URLEncoder.encode("data engineering", StandardCharsets.UTF_8)
          + "&type=show&market=US";
      HttpResponse<String> first = Http.get(search, "Authorization", bearer);
      assertEquals(200, first.statusCode(), first.body());
      JsonObject body = JsonParser.parseString(first.body()).getAsJsonObject();
      assertEquals(List.of("shows"), new ArrayList<>(body.keySet()));
      JsonObject page = body.getAsJsonObject("shows");
      assertEquals(PAGING, new ArrayList<>(page.keySet()));
      assertEquals(20, page.get("limit").getAsInt(), "Spotify's default limit");
      assertEquals(20, page.getAsJsonArray("items").size());
      assertEquals(60, page.get("total").getAsInt());
      assertTrue(page.get("previous").isJsonNull());
      String next = page.get("next").getAsString();
      assertTrue(next.contains("offset=20") && next.contains("limit=20") && next.contains("type=show"), next);

      JsonObject capped = JsonParser.parseString(Http.get(search + "&limit=80", "Authorization", bearer).body())
          .getAsJsonObject().getAsJsonObject("shows");
      assertEquals(50, capped.get("limit").getAsInt(), "at most 50");

      String showId = page.getAsJsonArray("items").get(0).getAsJsonObject().get("id").getAsString();
      HttpResponse<String> episodes = Http.get(server.baseUrl() + "/v1/shows/" + showId + "/episodes?market=US&limit=2",
          "Authorization", bearer);
      assertEquals(200, episodes.statusCode(), episodes.body());
      JsonObject episodePage = JsonParser.parseString(episodes.body()).getAsJsonObject();
      assertEquals(PAGING, new ArrayList<>(episodePage.keySet()));
      assertNotNull(episodePage.get("total"));
      assertEquals(401, Http.get(search).statusCode(), "no token, no page");
    }
  }

  private static Map<String, Long> reasons(List<GeneratedRecord> records) {
    Map<String, Long> reasons = new TreeMap<>();
    for (GeneratedRecord r : records) {
      if (r.expected() instanceof Expected.Reject j) {
        reasons.merge(j.reason(), 1L, Long::sum);
      }
    }
    return reasons;
  }
}
