package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.Expected;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.port.StoredObject;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The github_issues source run locally end to end on {@code replay:github_issues?records=N&seed=S}:
 * the replay server speaks GitHub's issues listing (Link header paging, a bearer token it checks,
 * {@code since} on updated_at) with generated issues whose silver rows and gold tables are computed
 * here independently of the pipeline's code and SQL, from the generator's expectations. Then the
 * incremental contract: the next run asks from the last run's high-water mark and reads only what
 * changed since, and {@code --full-refresh} reads everything again.
 */
class GithubIssuesEndToEndTest {

  static final Source SOURCE = SourceRegistry.standard().find("github_issues").orElseThrow();
  static final String RUN = "gh-e2e";
  static final int RECORDS = 1_500;
  static final long SEED = 5;
  static final URI ORIGIN = new SourceOrigin.Replay("github_issues", RECORDS, SEED).toUri();
  /** The declared per_page, the most GitHub allows. */
  static final int PER_PAGE = 100;
  static final String INITIAL = "2024-01-01T00:00:00Z";

  static List<GeneratedRecord> data;
  static ReplayServer replay;
  static final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  static LocalPipeline pipeline;
  @TempDir static Path home;

  /** A request the replay server answered, with the status it answered. */
  record Seen(ReplayServer.Request request, int status) {}

  @BeforeAll
  static void runOnce() throws Exception {
    data = issues(RECORDS, SEED);
    pipeline = pipeline(home);
    replay = serverOf(pipeline, ORIGIN, seen);
    run(pipeline, RUN, ORIGIN, false);
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
  }

  static List<GeneratedRecord> issues(int records, long seed) throws Exception {
    return RecordGenerator.forSource(SOURCE).generate(records, seed).records("issues");
  }

  static LocalPipeline pipeline(Path home) throws Exception {
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    return new LocalPipeline(MedallionConfig.defaults(), home, fast, ledger -> ledger, Clock.systemUTC());
  }

  /** The pipeline's replay server of {@code origin}, started now, recording every request it answers. */
  static ReplayServer serverOf(LocalPipeline pipeline, URI origin, List<Seen> into) throws Exception {
    ReplayServer server = pipeline.endpoints().serverFor(SourceOrigin.replay(origin).orElseThrow());
    server.misbehave((request, normal) -> {
      into.add(new Seen(request, normal.status()));
      return normal;
    });
    return server;
  }

  static RunSummary run(LocalPipeline pipeline, String runId, URI origin, boolean fullRefresh) throws Exception {
    pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
        new RunRequest("github_issues", runId, null, null, origin, null, fullRefresh).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)), "pipeline went idle");
    RunSummary s = RunSummary.of(runId, pipeline.ledger().events(runId));
    assertTrue(s.succeeded(), s.toString());
    assertTrue(s.reconciled(), s.toString());
    assertEquals(Status.SUCCEEDED, s.dq(), "every data-quality check passed: " + s);
    assertTrue(pipeline.deadLetters().list().isEmpty());
    return s;
  }

  // --- One run: bronze, silver, gold ------------------------------------------------------------------

  @Test
  void theRunReadsEveryPageByLinkHeader_withTheBearerToken_fromTheInitialValue() throws Exception {
    RunSummary s = RunSummary.of(RUN, pipeline.ledger().events(RUN));
    assertEquals(RECORDS, s.bronzeRecords());
    assertEquals(RECORDS / PER_PAGE, s.pages());
    List<ReplayServer.Request> pages = pageRequests(seen);
    assertEquals(RECORDS / PER_PAGE, pages.size());
    String token = "Bearer " + replay.credentials().values().iterator().next();
    for (int i = 0; i < pages.size(); i++) {
      ReplayServer.Request r = pages.get(i);
      assertEquals(token, r.header("Authorization"));
      assertEquals(INITIAL, r.params().get("since"));
      assertEquals(Map.of("state", "all", "per_page", "100", "sort", "updated", "direction", "asc"),
          withoutPaging(r.params()), "the declared parameters, on every page");
      assertEquals(i == 0 ? null : Integer.toString(i + 1), r.params().get("page"), "the next link of page " + i);
    }
    assertTrue(seen.stream().allMatch(x -> x.status() == 200), "no request was refused");
    assertEquals(expectedPages(data), bronzePages(pipeline, RUN), "bronze holds the API's bytes, page by page");
  }

  @Test
  void theServerRefusesAMissingOrWrongToken() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI listing = URI.create(replay.baseUrl() + "/repos/dlt-hub/dlt/issues?state=all");
    for (String authorization : new String[] {null, "Bearer not-the-token", "token " + replay.credentials().values().iterator().next()}) {
      HttpRequest.Builder b = HttpRequest.newBuilder(listing);
      if (authorization != null) {
        b.header("Authorization", authorization);
      }
      HttpResponse<String> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, answer.statusCode(), String.valueOf(authorization));
    }
  }

  @Test
  void silverRowsAndRejectsAreWhatTheGeneratorExpects() throws Exception {
    Map<Long, Map<String, Object>> expected = new TreeMap<>();
    Map<Integer, String> expectedRejects = new TreeMap<>();
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i).expected() instanceof Expected.Clean c) {
        expected.put((Long) c.value("issue_id"), c.row());
      } else {
        expectedRejects.put(i, ((Expected.Reject) data.get(i).expected()).reason());
      }
    }
    QueryResult silver = pipeline.warehouse().read("select * from silver_engineering.github_issues");
    Map<Long, Map<String, Object>> actual = new TreeMap<>();
    List<String> columns = List.copyOf(expected.values().iterator().next().keySet());
    for (List<Object> row : silver.rows()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String column : columns) {
        values.put(column, row.get(silver.columns().indexOf(column)));
      }
      actual.put((Long) values.get("issue_id"), values);
    }
    assertEquals(expected, actual);

    // Each reject at the position of the record the generator made invalid, with its reason.
    Map<Integer, String> actualRejects = new TreeMap<>();
    for (JsonObject reject : rejects(pipeline, RUN)) {
      String page = reject.get("source_uri").getAsString().replaceAll(".*/page-0*([0-9]+)\\.json$", "$1");
      actualRejects.put((Integer.parseInt(page) - 1) * PER_PAGE + reject.get("source_record").getAsInt(),
          reject.get("reason").getAsString());
    }
    assertEquals(expectedRejects, actualRejects);
    assertEquals(5, new java.util.HashSet<>(actualRejects.values()).size(), "the data exercises every reject reason of the spec");
  }

  @Test
  void everyGoldTableEqualsAnIndependentComputation() throws Exception {
    // dim_github_issues: the issues (pull requests left out), with is_closed and days_to_close.
    List<Issue> issues = new ArrayList<>();
    for (GeneratedRecord r : data) {
      if (r.expected() instanceof Expected.Clean c && c.value("pull_request_url") == null) {
        issues.add(Issue.of(c));
      }
    }
    Map<Long, List<Object>> dimExpected = new TreeMap<>();
    for (Issue i : issues) {
      dimExpected.put(i.id, Arrays.asList(i.clean.value("number"), i.clean.value("title"), i.clean.value("state"),
          i.clean.value("state_reason"), i.clean.value("user_login"), i.labels, i.clean.value("comments"), i.created,
          i.clean.value("updated_at"), i.closed, i.isClosed, i.daysToClose, i.clean.value("html_url"), RUN));
    }
    Map<Long, List<Object>> dimActual = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read("select issue_id, number, title, state, state_reason, user_login,"
        + " label_names, comments, created_at, updated_at, closed_at, is_closed, days_to_close, html_url, _run_id"
        + " from gold_engineering.dim_github_issues").rows()) {
      dimActual.put((Long) r.get(0), new ArrayList<>(r.subList(1, r.size())));
    }
    assertEquals(dimExpected, dimActual);

    // github_issues_by_label: per label ('(no label)' for none) counts and the median days to close.
    Map<String, List<Issue>> byLabel = new TreeMap<>();
    for (Issue i : issues) {
      for (String label : i.labels.isEmpty() ? List.of("(no label)") : i.labels) {
        byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(i);
      }
    }
    assertEquals(summaries(byLabel), table("select label, issue_count, open_count, closed_count, median_days_to_close"
        + " from gold_engineering.github_issues_by_label"));
    assertTrue(byLabel.size() > 10 && byLabel.containsKey("(no label)") && byLabel.containsKey("\uD83D\uDC1B regression"),
        byLabel.keySet().toString());

    // github_issues_by_month: opened, closed and still open per month, the median over those opened.
    Map<String, List<Issue>> opened = new TreeMap<>();
    Map<String, Long> closedIn = new TreeMap<>();
    for (Issue i : issues) {
      opened.computeIfAbsent(month(i.created), k -> new ArrayList<>()).add(i);
      if (i.closed != null) {
        closedIn.merge(month(i.closed), 1L, Long::sum);
      }
    }
    Map<String, List<Object>> byMonth = new TreeMap<>();
    for (String m : union(opened.keySet(), closedIn.keySet())) {
      List<Issue> in = opened.getOrDefault(m, List.of());
      byMonth.put(m, Arrays.asList((long) in.size(), closedIn.getOrDefault(m, 0L),
          in.stream().filter(i -> !i.isClosed).count(), median(in)));
    }
    assertEquals(byMonth, table("select month, opened_count, closed_count, still_open_count, median_days_to_close"
        + " from gold_engineering.github_issues_by_month"));
    assertTrue(byMonth.size() > 12, "issues opened over more than a year: " + byMonth.keySet());
  }

  @Test
  void everyDataQualityCheckRan_andFoundNothing() throws Exception {
    QueryResult dq = pipeline.warehouse().read(
        "select check_name, failing_rows from ops.dq_results where run_id = @run order by check_name", Map.of("run", RUN));
    assertEquals(SOURCE.checks().stream().sorted().toList(), dq.rows().stream().map(r -> (String) r.get(0)).toList());
    assertTrue(dq.rows().stream().allMatch(r -> ((Number) r.get(1)).longValue() == 0), dq.rows().toString());
  }

  // --- Incremental runs --------------------------------------------------------------------------------

  @Test
  void theNextRunAsksSinceTheHighWaterMark_readsOnlyWhatChanged_andFullRefreshReadsAll(@TempDir Path own) throws Exception {
    int before = 700;
    int after = 1_000;
    long seed = 9;
    URI origin = new SourceOrigin.Replay("github_issues", before, seed).toUri();
    List<Seen> requests = Collections.synchronizedList(new ArrayList<>());
    try (LocalPipeline p = pipeline(own)) {
      ReplayServer server = serverOf(p, origin, requests);
      List<GeneratedRecord> first = issues(before, seed);
      run(p, "gh-inc-1", origin, false);
      String mark = maxUpdatedAt(first);
      assertEquals(mark, p.ledger().watermark("github_issues", "issues").orElseThrow(), "the highest updated_at it read");
      assertTrue(pageRequests(requests).stream().allMatch(r -> INITIAL.equals(r.params().get("since"))));

      // The API's data moves on: 300 more issues updated since (generate(n) is a prefix of generate(m)).
      List<GeneratedRecord> later = issues(after, seed);
      assertEquals(first, later.subList(0, before));
      server.replaceRecords(later);
      requests.clear();
      RunSummary second = run(p, "gh-inc-2", origin, false);
      List<GeneratedRecord> changed = later.stream()
          .filter(r -> !updatedAt(r).isBefore(Instant.parse(mark))).toList();
      assertTrue(changed.size() > after - before && changed.size() < after - before + 10,
          "what changed since the mark (the issue at the mark again, GitHub's since is inclusive): " + changed.size());
      List<ReplayServer.Request> asked = pageRequests(requests);
      assertEquals((changed.size() + PER_PAGE - 1) / PER_PAGE, asked.size());
      assertTrue(asked.stream().allMatch(r -> mark.equals(r.params().get("since"))), "since = the last run's mark");
      assertEquals(changed.size(), second.bronzeRecords());
      assertEquals(expectedPages(changed), bronzePages(p, "gh-inc-2"), "bronze holds only what changed");
      assertEquals(maxUpdatedAt(later), p.ledger().watermark("github_issues", "issues").orElseThrow());

      // --full-refresh: from the declared initial value, everything.
      requests.clear();
      RunSummary third = run(p, "gh-inc-3", origin, true);
      assertTrue(pageRequests(requests).stream().allMatch(r -> INITIAL.equals(r.params().get("since"))));
      assertEquals(after, third.bronzeRecords());
      assertEquals(expectedPages(later), bronzePages(p, "gh-inc-3"));

      // Silver holds every version; gold keeps one row per issue, the latest: the full refresh's.
      long issuesLater = later.stream().filter(r -> r.expected() instanceof Expected.Clean c && c.value("pull_request_url") == null).count();
      assertEquals(issuesLater, ((Number) p.warehouse().read("select count(*) from gold_engineering.dim_github_issues").scalar()).longValue());
      assertEquals(0L, ((Number) p.warehouse().read("select count(*) from gold_engineering.dim_github_issues where _run_id <> 'gh-inc-3'"
          + " and issue_id not in (select issue_id from silver_engineering.github_issues where _run_id = 'gh-inc-3')").scalar()).longValue());
    }
  }

  // --- Helpers ----------------------------------------------------------------------------------------------

  /** An issue of dim_github_issues as this test computes it from the generator's expectation. */
  record Issue(Expected.Clean clean, long id, List<String> labels, Instant created, Instant closed, boolean isClosed,
      Double daysToClose) {
    @SuppressWarnings("unchecked")
    static Issue of(Expected.Clean c) {
      Instant created = (Instant) c.value("created_at");
      Instant closed = (Instant) c.value("closed_at");
      // UNIX_SECONDS of each, the difference over 86400: a FLOAT64 on BigQuery, a DOUBLE on DuckDB.
      Double days = closed == null ? null : (closed.getEpochSecond() - created.getEpochSecond()) / 86400.0;
      return new Issue(c, (Long) c.value("issue_id"), (List<String>) c.value("label_names"), created, closed,
          "closed".equals(c.value("state")), days);
    }
  }

  /** Per key: issue count, open, closed, median days to close. */
  private static Map<String, List<Object>> summaries(Map<String, List<Issue>> groups) {
    Map<String, List<Object>> out = new TreeMap<>();
    groups.forEach((key, in) -> out.put(key, Arrays.asList((long) in.size(), in.stream().filter(i -> !i.isClosed).count(),
        in.stream().filter(i -> i.isClosed).count(), median(in))));
    return out;
  }

  /** The median days to close of the closed ones: the middle one, or the mean of the two middle ones; null for none. */
  private static Double median(List<Issue> in) {
    List<Double> days = in.stream().map(Issue::daysToClose).filter(Objects::nonNull).sorted().toList();
    int n = days.size();
    if (n == 0) {
      return null;
    }
    return n % 2 == 1 ? days.get(n / 2) : (days.get(n / 2 - 1) + days.get(n / 2)) / 2;
  }

  private static String month(Instant t) {
    return t.atOffset(ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
  }

  private static List<String> union(Set<String> a, Set<String> b) {
    TreeSet<String> all = new TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** A two-level table read as first column -> the others. */
  private static Map<String, List<Object>> table(String sql) throws Exception {
    Map<String, List<Object>> out = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read(sql).rows()) {
      out.put((String) r.get(0), new ArrayList<>(r.subList(1, r.size())));
    }
    return out;
  }

  private static List<ReplayServer.Request> pageRequests(List<Seen> seen) {
    synchronized (seen) {
      return seen.stream().map(Seen::request).filter(r -> r.isPage() && "issues".equals(r.resource())).toList();
    }
  }

  private static Map<String, String> withoutPaging(Map<String, String> params) {
    Map<String, String> out = new HashMap<>(params);
    out.remove("since");
    out.remove("page");
    return out;
  }

  private static Instant updatedAt(GeneratedRecord r) {
    return Instant.parse(JsonParser.parseString(r.json()).getAsJsonObject().get("updated_at").getAsString());
  }

  /** The highest updated_at of the records, as they write it. */
  private static String maxUpdatedAt(List<GeneratedRecord> records) {
    return records.stream().max(Comparator.comparing(GithubIssuesEndToEndTest::updatedAt)).map(
        r -> JsonParser.parseString(r.json()).getAsJsonObject().get("updated_at").getAsString()).orElseThrow();
  }

  /** The pages the API serves of {@code records}: JSON arrays of {@value #PER_PAGE} records, as the server joins them. */
  private static List<String> expectedPages(List<GeneratedRecord> records) {
    List<String> pages = new ArrayList<>();
    for (int from = 0; from < records.size(); from += PER_PAGE) {
      pages.add(records.subList(from, Math.min(records.size(), from + PER_PAGE)).stream().map(GeneratedRecord::json)
          .collect(Collectors.joining(",", "[", "]")));
    }
    return pages;
  }

  /** A run's bronze pages, in order. */
  private static List<String> bronzePages(LocalPipeline p, String runId) throws Exception {
    List<StoredObject> pages = new ArrayList<>();
    for (StoredObject o : p.objects().list(p.config().bronzeBucket(), "github_issues/")) {
      if (runId.equals(o.metadata().get(BronzeLayout.RUN_ID)) && BronzeLayout.ROLE_PAGE.equals(o.metadata().get(BronzeLayout.ROLE))) {
        pages.add(o);
      }
    }
    pages.sort(Comparator.comparingInt(o -> Integer.parseInt(o.metadata().get(BronzeLayout.PAGE))));
    List<String> out = new ArrayList<>();
    for (StoredObject o : pages) {
      out.add(new String(p.objects().readAllBytes(o.id()), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<JsonObject> rejects(LocalPipeline p, String runId) throws Exception {
    return Rejects.of(p, "github_issues", runId);
  }
}
