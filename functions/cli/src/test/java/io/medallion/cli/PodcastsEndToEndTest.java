package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The podcasts source run locally end to end on {@code replay:podcasts?records=N&seed=S}: the
 * replay server speaks Spotify's Web API as documented (an OAuth 2.0 client-credentials token,
 * shows found by a search under {@code shows.items} with the next page's URL in {@code shows.next},
 * then each show's episodes under {@code items} with {@code next}). Silver rows and rejects, and
 * every gold table, are computed here from the generator's expectations, independently of the
 * pipeline's code and SQL.
 */
class PodcastsEndToEndTest {

  static final Source SOURCE = SourceRegistry.standard().find("podcasts").orElseThrow();
  static final String RUN = "podcasts-e2e";
  static final int SHOWS = 300;
  static final long SEED = 7;
  static final URI ORIGIN = new SourceOrigin.Replay("podcasts", SHOWS, SEED).toUri();
  /** The declared limit of both listings, the most Spotify allows. */
  static final int LIMIT = 50;
  /** gold.episode_brand_mentions' own terms (sql/podcasts/episode_brand_mentions.sql). */
  static final List<String> TERMS = List.of("dbt", "duckdb", "bigquery", "snowflake");

  static List<GeneratedRecord> shows;
  static List<GeneratedRecord> episodes;
  static ReplayServer replay;
  static final List<Exchange> seen = Collections.synchronizedList(new ArrayList<>());
  static LocalPipeline pipeline;
  @TempDir static Path home;

  /** A request the replay server answered, and its answer. */
  record Exchange(ReplayServer.Request request, ReplayServer.Reply reply) {}

  @BeforeAll
  static void runOnce() throws Exception {
    GeneratedData data = RecordGenerator.forSource(SOURCE).generate(SHOWS, SEED);
    shows = data.records("shows");
    episodes = data.records("episodes");
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, fast, ledger -> ledger, Clock.systemUTC());
    replay = pipeline.endpoints().serverFor(SourceOrigin.replay(ORIGIN).orElseThrow());
    replay.misbehave((request, normal) -> {
      seen.add(new Exchange(request, normal));
      return normal;
    });
    pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
        new RunRequest("podcasts", RUN, null, null, ORIGIN, null, false).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)), "pipeline went idle");
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
  }

  @Test
  void theRunSucceeds_reconciled_withEveryCheckPassed() throws Exception {
    RunSummary s = RunSummary.of(RUN, pipeline.ledger().events(RUN));
    assertTrue(s.succeeded(), s.toString());
    assertTrue(s.reconciled(), s.toString());
    assertEquals(Status.SUCCEEDED, s.dq(), s.toString());
    assertEquals(shows.size() + episodes.size(), s.bronzeRecords(), "every show and every episode in bronze");
    assertTrue(pipeline.deadLetters().list().isEmpty());
    QueryResult dq = pipeline.warehouse().read(
        "select check_name, failing_rows from ops.dq_results where run_id = @run order by check_name", Map.of("run", RUN));
    assertEquals(SOURCE.checks().stream().sorted().toList(), dq.rows().stream().map(r -> (String) r.get(0)).toList());
    assertTrue(dq.rows().stream().allMatch(r -> ((Number) r.get(1)).longValue() == 0), dq.rows().toString());
  }

  @Test
  void oneTokenByClientCredentials_thenEveryPageWithIt() {
    List<Exchange> tokens = of(ReplayServer.Request.Kind.TOKEN);
    assertEquals(1, tokens.size(), "the token is fetched once and kept until it expires");
    ReplayServer.Request asked = tokens.get(0).request();
    assertEquals("POST", asked.method());
    Map<SecretRef, String> credentials = replay.credentials();
    String basic = "Basic " + Base64.getEncoder().encodeToString((credentials.get(new SecretRef("SPOTIFY_CLIENT_ID")) + ":"
        + credentials.get(new SecretRef("SPOTIFY_CLIENT_SECRET"))).getBytes(StandardCharsets.UTF_8));
    assertEquals(basic, asked.header("Authorization"), "client id and secret in a Basic header, as declared");
    String token = JsonParser.parseString(new String(tokens.get(0).reply().body(), StandardCharsets.UTF_8))
        .getAsJsonObject().get("access_token").getAsString();
    List<Exchange> pages = of(ReplayServer.Request.Kind.PAGE);
    assertTrue(pages.stream().allMatch(p -> ("Bearer " + token).equals(p.request().header("Authorization"))),
        "every page with the issued token");
    assertTrue(seen.stream().allMatch(x -> x.reply().status() == 200), "no request was refused");
  }

  @Test
  void showsAreReadByTheirNextLinks_andEpisodesOncePerDistinctShow() {
    List<ReplayServer.Request> search = pages("shows");
    assertEquals((SHOWS + LIMIT - 1) / LIMIT, search.size(), "the search's pages, followed to the last");
    for (int i = 0; i < search.size(); i++) {
      ReplayServer.Request r = search.get(i);
      assertEquals("data engineering", r.params().get("q"));
      assertEquals(Integer.toString(LIMIT), r.params().get("limit"));
      assertEquals(i == 0 ? null : Integer.toString(i * LIMIT), r.params().get("offset"), "page " + (i + 1) + " by its next link");
    }
    // Every show a record names, once: a show listed twice is not read twice, one without an id is not read.
    Set<String> named = new LinkedHashSet<>();
    for (GeneratedRecord s : shows) {
      JsonElement id = JsonParser.parseString(s.json()).getAsJsonObject().get("id");
      if (id != null && id.isJsonPrimitive()) {
        named.add(id.getAsString());
      }
    }
    Map<String, Integer> firstPages = new HashMap<>();
    for (ReplayServer.Request r : pages("episodes")) {
      if (r.params().get("offset") == null) {
        firstPages.merge(r.placeholders().get("id"), 1, Integer::sum);
      }
    }
    assertEquals(named, firstPages.keySet());
    assertTrue(firstPages.values().stream().allMatch(n -> n == 1), "one listing per show");
    assertTrue(named.size() < shows.size(), "the data has a show listed twice or without an id");
  }

  @Test
  void silverRowsAndRejects_areWhatTheGeneratorExpects() throws Exception {
    assertEquals(cleanRows(shows, "show_id"), silverRows("podcast_shows", "show_id"));
    assertEquals(cleanRows(episodes, "episode_id"), silverRows("podcast_episodes", "episode_id"));
    assertEquals(expectedRejects(shows), rejects("podcast_shows"));
    assertEquals(expectedRejects(episodes), rejects("podcast_episodes"));
  }

  @Test
  void everyGoldTableEqualsAnIndependentComputation() throws Exception {
    Map<String, Map<String, Object>> showRows = cleanRows(shows, "show_id");
    Map<String, Map<String, Object>> episodeRows = cleanRows(episodes, "episode_id");

    // dim_podcast_shows: each show, with how many of its episodes silver holds and the newest's date.
    Map<String, List<Object>> dim = new TreeMap<>();
    for (Map<String, Object> s : showRows.values()) {
      String id = (String) s.get("show_id");
      List<Map<String, Object>> its = episodeRows.values().stream().filter(e -> id.equals(e.get("_parent_id"))).toList();
      String latest = its.stream().map(e -> (String) e.get("release_date")).filter(d -> d != null)
          .max(String::compareTo).orElse(null);
      dim.put(id, Arrays.asList(s.get("name"), s.get("publisher"), s.get("media_type"), s.get("explicit"),
          s.get("total_episodes"), (long) its.size(), latest, s.get("spotify_url"), RUN));
    }
    assertEquals(dim, table("select show_id, show_name, publisher, media_type, is_explicit, total_episodes,"
        + " episode_count, latest_release_date, spotify_url, _run_id from gold.dim_podcast_shows"));
    assertTrue(dim.values().stream().anyMatch(r -> (Long) r.get(5) == 0L), "a show without episodes is kept, with 0");

    // podcast_episodes: each episode with its show's name.
    Map<String, List<Object>> eps = new TreeMap<>();
    for (Map<String, Object> e : episodeRows.values()) {
      eps.put((String) e.get("episode_id"), Arrays.asList(e.get("name"), e.get("_parent_id"),
          showRows.get((String) e.get("_parent_id")).get("name"), e.get("description"), e.get("duration_ms"),
          e.get("explicit"), e.get("language"), e.get("release_date"), e.get("release_date_precision"),
          e.get("spotify_url"), RUN));
    }
    assertEquals(eps, table("select episode_id, episode_name, show_id, show_name, description, duration_ms, is_explicit,"
        + " language, release_date, release_date_precision, spotify_url, _run_id from gold.podcast_episodes"));

    // episode_brand_mentions: an episode and a term its name or description holds, in any case.
    Map<String, List<Object>> mentions = new TreeMap<>();
    for (Map<String, Object> e : episodeRows.values()) {
      for (String term : TERMS) {
        boolean inName = lower(e.get("name")).contains(term);
        boolean inDescription = lower(e.get("description")).contains(term);
        if (inName || inDescription) {
          mentions.put(e.get("episode_id") + " " + term, List.of(inName, inDescription));
        }
      }
    }
    assertEquals(mentions, table("select episode_id || ' ' || term, is_in_name, is_in_description"
        + " from gold.episode_brand_mentions"));
    for (String term : TERMS) {
      assertTrue(mentions.keySet().stream().anyMatch(k -> k.endsWith(" " + term)), "the data mentions " + term);
    }
  }

  // --- Helpers ----------------------------------------------------------------------------------------------

  private static List<Exchange> of(ReplayServer.Request.Kind kind) {
    synchronized (seen) {
      return seen.stream().filter(x -> x.request().kind() == kind).toList();
    }
  }

  private static List<ReplayServer.Request> pages(String resource) {
    return of(ReplayServer.Request.Kind.PAGE).stream().map(Exchange::request)
        .filter(r -> resource.equals(r.resource())).toList();
  }

  /** The silver rows the generator expects of {@code records}, by key. */
  private static Map<String, Map<String, Object>> cleanRows(List<GeneratedRecord> records, String key) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (GeneratedRecord r : records) {
      if (r.expected() instanceof Expected.Clean c) {
        assertTrue(out.put(c.string(key), c.row()) == null, "one clean record per key");
      }
    }
    return out;
  }

  /** A silver table's rows by key, read as the columns the generator's expectations name. */
  private static Map<String, Map<String, Object>> silverRows(String table, String key) throws Exception {
    QueryResult silver = pipeline.warehouse().read("select * from silver." + table);
    List<String> columns = List.copyOf(cleanRows(table.equals("podcast_shows") ? shows : episodes, key)
        .values().iterator().next().keySet());
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (List<Object> row : silver.rows()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String column : columns) {
        values.put(column, row.get(silver.columns().indexOf(column)));
      }
      out.put((String) values.get(key), values);
    }
    return out;
  }

  /** Each rejected record (as the API sent it) with the reason the generator promised for it, counted. */
  private static Map<String, Integer> expectedRejects(List<GeneratedRecord> records) {
    Map<String, Integer> out = new TreeMap<>();
    for (GeneratedRecord r : records) {
      if (r.expected() instanceof Expected.Reject j) {
        out.merge(j.reason() + " " + JsonParser.parseString(r.json()), 1, Integer::sum);
      }
    }
    return out;
  }

  /** The rejects silver wrote for {@code table}: reason and record, counted. */
  private static Map<String, Integer> rejects(String table) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    Path staging = pipeline.layout().buckets().resolve(pipeline.config().stagingBucket()).resolve("podcasts")
        .resolve("run_id=" + RUN);
    try (Stream<Path> files = Files.walk(staging)) {
      for (Path f : files.filter(x -> x.getFileName().toString().equals("rejects.ndjson")
          && x.getParent().getFileName().toString().equals("table=" + table)).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            JsonObject reject = JsonParser.parseString(line).getAsJsonObject();
            out.merge(reject.get("reason").getAsString() + " " + reject.get("record"), 1, Integer::sum);
          }
        }
      }
    }
    return out;
  }

  /** A table read as first column -> the others. */
  private static Map<String, List<Object>> table(String sql) throws Exception {
    Map<String, List<Object>> out = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read(sql).rows()) {
      assertTrue(out.put((String) r.get(0), new ArrayList<>(r.subList(1, r.size()))) == null, "one row per key: " + r);
    }
    return out;
  }

  private static String lower(Object text) {
    return text == null ? "" : ((String) text).toLowerCase(Locale.ROOT);
  }
}
