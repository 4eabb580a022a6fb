package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.Expected;
import io.medallion.local.replay.GeneratedData;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.run.RunRequest;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podcasts source run locally end to end on {@code replay:podcasts?records=N&seed=S}: the
 * replay server speaks Spotify's Web API as the declaration describes it (a search for shows paged
 * by the {@code shows.next} URL, each show's episodes under {@code /v1/shows/{id}/episodes}, an
 * OAuth 2.0 client-credentials token), serving generated shows and episodes whose silver rows,
 * rejects and gold tables are computed here independently of the pipeline's code and SQL, from the
 * generator's expectations.
 */
class PodcastsEndToEndTest {

  static final Source SOURCE = SourceRegistry.standard().find("podcasts").orElseThrow();
  static final String RUN = "pod-e2e";
  /** Shows: two full search pages and a partial one, and a defect of each kind (one per 25 shows). */
  static final int RECORDS = 120;
  static final long SEED = 11;
  static final URI ORIGIN = new SourceOrigin.Replay("podcasts", RECORDS, SEED).toUri();
  /** The declared limit of both listings, the most Spotify allows. */
  static final int LIMIT = 50;
  /** The terms of sql/podcasts/episode_brand_mentions.sql: the model's own definition. */
  static final List<String> BRAND_TERMS = List.of("dbt", "duckdb", "bigquery", "snowflake");
  static final Pattern SHOW_PAGE = Pattern.compile(".*/resource=shows/page-0*([0-9]+)\\.json$");
  static final Pattern EPISODE_PAGE = Pattern.compile(".*/resource=episodes/parent=0*([0-9]+)/page-0*([0-9]+)\\.json$");

  static GeneratedData data;
  static List<GeneratedRecord> shows;
  static List<GeneratedRecord> episodes;
  static ReplayServer replay;
  static final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  static LocalPipeline pipeline;
  @TempDir static Path home;

  /** A request the replay server answered, the answer it sent, and when (System.nanoTime). */
  record Seen(ReplayServer.Request request, ReplayServer.Reply reply, long at) {}

  @BeforeAll
  static void runOnce() throws Exception {
    data = RecordGenerator.forSource(SOURCE).generate(RECORDS, SEED);
    shows = data.records("shows");
    episodes = data.records("episodes");
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, fast, ledger -> ledger, Clock.systemUTC());
    replay = pipeline.endpoints().serverFor(SourceOrigin.replay(ORIGIN).orElseThrow());
    replay.misbehave((request, normal) -> {
      seen.add(new Seen(request, normal, System.nanoTime()));
      return normal;
    });
    pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
        new RunRequest("podcasts", RUN, null, null, ORIGIN).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)), "pipeline went idle");
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
  }

  @Test
  void theRunSucceeds_reconciles_andLoadsEveryRecordOnce() throws Exception {
    RunSummary s = summary();
    assertTrue(s.succeeded(), s.toString());
    assertTrue(s.reconciled(), s.toString());
    assertTrue(pipeline.deadLetters().list().isEmpty());
    assertEquals(shows.size() + episodes.size(), s.bronzeRecords(), "every show and every episode, once");
    long rejects = Stream.concat(shows.stream(), episodes.stream()).filter(r -> !r.expected().isClean()).count();
    assertEquals(rejects, s.rejects());
    assertEquals(shows.size() + episodes.size() - rejects, s.silverRows());
  }

  // --- Paging and auth, as the replay server saw them ------------------------------------------------

  @Test
  void oneTokenIsRequested_byClientCredentialsInABasicHeader_andSentAsBearerOnEveryPage() {
    List<Seen> tokens = of(ReplayServer.Request.Kind.TOKEN);
    assertEquals(1, tokens.size(), "one token for the run: it lasts an hour");
    assertEquals(1, replay.tokenRequestCount());
    Seen token = tokens.get(0);
    assertEquals("POST", token.request().method());
    assertEquals(200, token.reply().status(), token.reply().text());
    String basic = token.request().header("Authorization");
    assertNotNull(basic);
    assertTrue(basic.startsWith("Basic "), basic);
    Map<SecretRef, String> credentials = replay.credentials();
    assertEquals(credentials.get(new SecretRef("SPOTIFY_CLIENT_ID")) + ":" + credentials.get(new SecretRef("SPOTIFY_CLIENT_SECRET")),
        new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8));

    String bearer = "Bearer " + JsonParser.parseString(token.reply().text()).getAsJsonObject().get("access_token").getAsString();
    List<Seen> pages = of(ReplayServer.Request.Kind.PAGE);
    assertTrue(pages.stream().allMatch(p -> bearer.equals(p.request().header("Authorization"))), "the issued token on every page");
    assertTrue(pages.stream().allMatch(p -> p.at() > token.at()), "the token before the first page");
    assertTrue(seen.stream().allMatch(x -> x.reply().status() == 200), "no request was refused");
    assertEquals(tokens.size() + pages.size(), seen.size(), "nothing but the token and pages was asked");
  }

  @Test
  void theSearchIsPagedByItsNextUrl_toTheEnd_withTheDeclaredParameters() throws Exception {
    List<Seen> search = pages("shows");
    assertEquals((RECORDS + LIMIT - 1) / LIMIT, search.size());
    // Bronze keeps a page per search page and per show with episodes: an empty listing has no page.
    long showsWithEpisodes = episodes.stream().map(GeneratedRecord::parent).distinct().count();
    assertTrue(showsWithEpisodes < pages("episodes").size(), "some shows have no episodes");
    assertEquals(search.size() + showsWithEpisodes, summary().pages(), "the ledger's pages");
    Map<String, String> declared = Map.of("q", "data engineering", "type", "show", "market", "US", "limit", "50");
    for (int i = 0; i < search.size(); i++) {
      Seen page = search.get(i);
      assertEquals("/v1/search", page.request().path());
      Map<String, String> params = new HashMap<>(page.request().params());
      String offset = params.remove("offset");
      assertEquals(declared, params, "the declared parameters, on every page");
      assertEquals(i == 0 ? null : Integer.toString(i * LIMIT), offset, "page " + i + " asked where the last page's next pointed");
      if (i > 0) {
        URI next = URI.create(search.get(i - 1).reply().json("shows.next"));
        assertEquals(replay.baseUrl().getAuthority(), next.getAuthority());
        assertEquals(next.getRawPath(), page.request().path());
        assertEquals(decoded(next.getRawQuery()), page.request().params(), "the next URL followed as given: " + next);
      }
    }
    assertNull(search.get(search.size() - 1).reply().json("shows.next"), "read until there was no next page");
  }

  @Test
  void episodesAreReadOncePerDistinctShow_andNoneForAShowWithoutAnId() {
    Map<String, Integer> asked = new TreeMap<>();
    for (Seen page : pages("episodes")) {
      asked.merge(page.request().placeholders().get("id"), 1, Integer::sum);
      assertEquals(Map.of("market", "US", "limit", "50"), page.request().params(), "the declared parameters");
      assertNull(page.reply().json("next"), "at most 12 episodes a show: one page each");
    }
    Map<String, Integer> expected = new TreeMap<>();
    for (GeneratedRecord show : shows) {
      if (show.expected() instanceof Expected.Clean c) {
        expected.put(c.string("show_id"), 1);
      }
    }
    assertEquals(expected, asked, "each clean show once; a repeated show not again, one without an id not at all");
    assertTrue(shows.size() - expected.size() >= 4, "the data has repeated shows and shows without an id");
  }

  // --- Silver --------------------------------------------------------------------------------------

  @Test
  void silverRowsAreWhatTheGeneratorExpects() throws Exception {
    assertEquals(cleanRows(shows, "show_id"), silverRows("podcast_shows", "show_id", shows));
    assertEquals(cleanRows(episodes, "episode_id"), silverRows("podcast_episodes", "episode_id", episodes));
  }

  @Test
  void eachRejectIsTheRecordTheGeneratorMadeInvalid_withItsReason() throws Exception {
    Map<String, String> expected = new TreeMap<>();
    for (String resource : List.of("shows", "episodes")) {
      List<GeneratedRecord> records = data.records(resource);
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i).expected() instanceof Expected.Reject j) {
          // A duplicate's message names the silver key column the generator's field is renamed to.
          String field = !j.reason().equals("DUPLICATE_KEY") ? j.field() : resource.equals("shows") ? "show_id" : "episode_id";
          expected.put(resource + "#" + i, j.reason() + " " + field);
        }
      }
    }
    // Where each show's episodes start in the generator's list of episodes.
    Map<Integer, Integer> firstEpisodeOf = new HashMap<>();
    for (int i = episodes.size() - 1; i >= 0; i--) {
      firstEpisodeOf.put(episodes.get(i).parent(), i);
    }
    Map<String, String> actual = new TreeMap<>();
    for (JsonObject reject : rejects()) {
      String uri = reject.get("source_uri").getAsString();
      int record = reject.get("source_record").getAsInt();
      String at;
      Matcher m = SHOW_PAGE.matcher(uri);
      Matcher e = EPISODE_PAGE.matcher(uri);
      if (m.matches()) {
        at = "shows#" + ((Integer.parseInt(m.group(1)) - 1) * LIMIT + record);
      } else if (e.matches()) {
        assertEquals("1", e.group(2), uri);
        at = "episodes#" + (firstEpisodeOf.get(Integer.parseInt(e.group(1)) - 1) + record);
      } else {
        throw new AssertionError("a reject of an unexpected page: " + uri);
      }
      actual.put(at, reject.get("reason").getAsString() + " " + field(reject));
      String[] where = at.split("#");
      assertEquals(JsonParser.parseString(data.records(where[0]).get(Integer.parseInt(where[1])).json()), reject.get("record"),
          "the reject keeps the record as the API sent it: " + at);
    }
    assertEquals(expected, actual);
    Set<String> reasons = new TreeSet<>();
    actual.values().forEach(v -> reasons.add(v.split(" ")[0]));
    assertEquals(Set.of("DUPLICATE_KEY", "MISSING_REQUIRED", "NOT_A_NUMBER", "OUT_OF_RANGE", "WRONG_TYPE"), reasons,
        "the data exercises every reject reason the spec's defects make");
  }

  // --- Gold ----------------------------------------------------------------------------------------

  @Test
  void everyGoldTableEqualsAnIndependentComputation() throws Exception {
    // The clean shows and episodes, as silver holds them: one version each (one run).
    Map<String, Expected.Clean> cleanShows = new TreeMap<>();
    for (GeneratedRecord r : shows) {
      if (r.expected() instanceof Expected.Clean c) {
        cleanShows.put(c.string("show_id"), c);
      }
    }
    Map<String, Expected.Clean> cleanEpisodes = new TreeMap<>();
    Map<String, List<Expected.Clean>> episodesOf = new TreeMap<>();
    for (GeneratedRecord r : episodes) {
      if (r.expected() instanceof Expected.Clean c) {
        cleanEpisodes.put(c.string("episode_id"), c);
        episodesOf.computeIfAbsent(c.string("_parent_id"), k -> new ArrayList<>()).add(c);
      }
    }

    // dim_podcast_shows: every show, its episode count and newest release date (as text: Spotify's
    // dates of year or month precision are not dates).
    Map<String, List<Object>> dim = new TreeMap<>();
    cleanShows.forEach((id, c) -> {
      List<Expected.Clean> own = episodesOf.getOrDefault(id, List.of());
      String latest = own.stream().map(e -> e.string("release_date")).filter(d -> d != null).max(String::compareTo).orElse(null);
      dim.put(id, Arrays.asList(c.value("name"), c.value("publisher"), c.value("media_type"), c.value("explicit"),
          c.value("total_episodes"), (long) own.size(), latest, c.value("spotify_url"), RUN));
    });
    assertEquals(dim, table("select show_id, show_name, publisher, media_type, is_explicit, total_episodes, episode_count,"
        + " latest_release_date, spotify_url, _run_id from gold_media.dim_podcast_shows"));
    assertTrue(dim.values().stream().anyMatch(r -> (long) r.get(5) == 0L), "some shows have no episodes");

    // podcast_episodes: every episode with its show's name.
    Map<String, List<Object>> byEpisode = new TreeMap<>();
    cleanEpisodes.forEach((id, c) -> byEpisode.put(id, Arrays.asList(c.value("name"), c.value("_parent_id"),
        cleanShows.get(c.string("_parent_id")).value("name"), c.value("description"), c.value("duration_ms"),
        c.value("explicit"), c.value("language"), c.value("release_date"), c.value("release_date_precision"),
        c.value("spotify_url"), RUN)));
    assertEquals(byEpisode, table("select episode_id, episode_name, show_id, show_name, description, duration_ms, is_explicit,"
        + " language, release_date, release_date_precision, spotify_url, _run_id from gold_media.podcast_episodes"));
    assertTrue(byEpisode.values().stream().anyMatch(r -> !"day".equals(r.get(8))), "dates of month or year precision kept");

    // episode_brand_mentions: each episode and term its name or description contains, ignoring case.
    Map<String, List<Object>> mentions = new TreeMap<>();
    cleanEpisodes.forEach((id, c) -> {
      String name = lower(c.string("name"));
      String description = lower(c.string("description"));
      for (String term : BRAND_TERMS) {
        if (name.contains(term) || description.contains(term)) {
          mentions.put(term + " " + id, Arrays.asList(c.value("name"), c.value("_parent_id"),
              cleanShows.get(c.string("_parent_id")).value("name"), c.value("release_date"),
              name.contains(term), description.contains(term)));
        }
      }
    });
    assertEquals(mentions, table("select term || ' ' || episode_id, episode_name, show_id, show_name, release_date,"
        + " is_in_name, is_in_description from gold_media.episode_brand_mentions"));
    Set<String> terms = new TreeSet<>();
    mentions.keySet().forEach(k -> terms.add(k.split(" ")[0]));
    assertEquals(new TreeSet<>(BRAND_TERMS), terms, "the data mentions every term");
    assertTrue(mentions.values().stream().anyMatch(r -> (Boolean) r.get(4))
        && mentions.values().stream().anyMatch(r -> (Boolean) r.get(5)), "mentions in names and in descriptions");
  }

  @Test
  void everyDataQualityCheckRan_andFoundNothing() throws Exception {
    assertEquals(Status.SUCCEEDED, summary().dq(), summary().toString());
    QueryResult dq = pipeline.warehouse().read(
        "select check_name, failing_rows from ops.dq_results where run_id = @run order by check_name", Map.of("run", RUN));
    assertEquals(SOURCE.checks().stream().sorted().toList(), dq.rows().stream().map(r -> (String) r.get(0)).toList());
    assertTrue(dq.rows().stream().allMatch(r -> ((Number) r.get(1)).longValue() == 0), dq.rows().toString());
  }

  // --- Helpers -------------------------------------------------------------------------------------

  private static RunSummary summary() throws Exception {
    return RunSummary.of(RUN, pipeline.ledger().events(RUN));
  }

  private static List<Seen> of(ReplayServer.Request.Kind kind) {
    synchronized (seen) {
      return seen.stream().filter(s -> s.request().kind() == kind).toList();
    }
  }

  private static List<Seen> pages(String resource) {
    return of(ReplayServer.Request.Kind.PAGE).stream().filter(s -> resource.equals(s.request().resource())).toList();
  }

  /** A raw query string's parameters, decoded, in order. */
  private static Map<String, String> decoded(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  /** The generator's clean rows of a resource, by key. */
  private static Map<String, Map<String, Object>> cleanRows(List<GeneratedRecord> records, String key) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (GeneratedRecord r : records) {
      if (r.expected() instanceof Expected.Clean c) {
        out.put(c.string(key), c.row());
      }
    }
    return out;
  }

  /** A silver table's rows by key, in the generator's columns (lineage columns left out). */
  private static Map<String, Map<String, Object>> silverRows(String table, String key, List<GeneratedRecord> records)
      throws Exception {
    List<String> columns = records.stream().filter(r -> r.expected().isClean()).findFirst()
        .map(r -> List.copyOf(((Expected.Clean) r.expected()).row().keySet())).orElseThrow();
    QueryResult silver = pipeline.warehouse().read("select * from silver_media." + table);
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (List<Object> row : silver.rows()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String column : columns) {
        values.put(column, row.get(silver.columns().indexOf(column)));
      }
      assertEquals(RUN, row.get(silver.columns().indexOf("_run_id")));
      out.put((String) values.get(key), values);
    }
    assertEquals(silver.rows().size(), out.size(), "one row per key");
    return out;
  }

  /** A gold table read as first column -> the others. */
  private static Map<String, List<Object>> table(String sql) throws Exception {
    Map<String, List<Object>> out = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read(sql).rows()) {
      out.put((String) r.get(0), new ArrayList<>(r.subList(1, r.size())));
    }
    return out;
  }

  /** The field a reject's message names first ("duration_ms: ...", "id is required", "show_id ... already seen"). */
  private static String field(JsonObject reject) {
    return reject.get("message").getAsString().split("[: ]", 2)[0];
  }

  private static List<JsonObject> rejects() throws Exception {
    return Rejects.of(pipeline, "podcasts", RUN);
  }
}
