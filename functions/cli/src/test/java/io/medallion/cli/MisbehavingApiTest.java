package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.Manifest;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.ReplayServer;
import io.medallion.local.replay.ReplayServer.Reply;
import io.medallion.port.ObjectId;
import io.medallion.port.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API on a bad day, at pipeline level: rate limits and outages are retried within bounds; a
 * repeated page, a page short of records and a total that moves mid-run are noticed; what cannot
 * be mended at once fails the run with a clear error, and {@code resume} finishes it. Every
 * finished run ends in the tables a clean run over the same data gives.
 */
class MisbehavingApiTest {

  static final String RUN = "bad-day";
  static final int PAGE = 100;
  static final List<GeneratedRecord> DATA = Breweries.generate(1_000, 21);
  static final List<GeneratedRecord> GROWN = Breweries.generate(1_050, 21);

  /** Silver and gold without what says when and from which object (a re-read pass has other objects). */
  static final List<String> TABLES = List.of(
      "select * exclude (_source_uri, _source_generation, _ingested_at) from silver_brewing.breweries order by all",
      "select * exclude (_source_uri, _ingested_at) from gold_brewing.dim_breweries order by all",
      "select * exclude (_run_id, _as_of) from gold_brewing.breweries_by_location order by all",
      "select * exclude (_run_id, _as_of) from gold_brewing.country_summary order by all");

  @TempDir static Path root;
  static Map<String, List<List<Object>>> clean;
  static Map<String, List<List<Object>>> cleanGrown;

  ReplayServer api;
  LocalPipeline pipeline;
  Path home;

  @BeforeAll
  static void cleanRuns() throws Exception {
    clean = cleanRun(DATA, root.resolve("clean"));
    cleanGrown = cleanRun(GROWN, root.resolve("clean-grown"));
  }

  private static Map<String, List<List<Object>>> cleanRun(List<GeneratedRecord> data, Path home) throws Exception {
    try (ReplayServer server = Breweries.serve(data);
        LocalPipeline p = new LocalPipeline(config(server), home, PipelineRuns.fast(), Clock.systemUTC(), UnaryOperator.identity())) {
      start(p);
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      assertTrue(RunSummary.of(RUN, p.ledger().events(RUN)).succeeded());
      return snapshot(p);
    }
  }

  void open(TestInfo test) throws Exception {
    api = Breweries.serve(DATA);
    home = root.resolve(test.getTestMethod().orElseThrow().getName());
    pipeline = new LocalPipeline(config(api), home, PipelineRuns.fast(), Clock.systemUTC(), UnaryOperator.identity());
  }

  @AfterEach
  void close() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void rateLimitedWithRetryAfter_isWaitedOut_andTheRunSucceedsWithoutAFailure(TestInfo test) throws Exception {
    open(test);
    AtomicInteger limited = new AtomicInteger();
    api.misbehave((req, normal) -> req.isPage() && req.page() == 2 && limited.incrementAndGet() <= 2
        ? new Reply(429, utf8("{\"message\":\"slow down\"}"), Map.of("Retry-After", "0"))
        : normal);
    runToIdle();
    assertEquals(3, limited.get(), "two 429s, then the page");
    assertEquals(2, pipeline.meters().get(io.medallion.metrics.Metrics.RETRIES)
        .tags("stage", "ingest", "source", "breweries").counter().count(), "each retry counted once");
    assertTrue(summary().succeeded(), summary().toString());
    assertTrue(events().stream().noneMatch(e -> e.status() == Status.FAILED), "retried within the client's bounds");
    assertEquals(clean, snapshot(pipeline));
  }

  @Test
  void apiDownBeyondItsRetries_failsClearly_keepsThePages_andResumeContinues(TestInfo test) throws Exception {
    open(test);
    api.misbehave((req, normal) -> req.isPage() && req.page() >= 4
        ? new Reply(503, utf8("{\"message\":\"maintenance\"}"), Map.of("Retry-After", "0"))
        : normal);
    runToIdle();
    RunSummary failed = summary();
    assertFalse(failed.succeeded());
    assertTrue(failed.errors().stream().anyMatch(e -> e.contains("failed after") && e.contains("HTTP 503")),
        failed.errors().toString());
    assertEquals(List.of(1, 2, 3), pageNumbers(1));
    assertEquals(1, pipeline.deadLetters().list().size(), "the request is kept once, after the subscription's attempts");

    api.misbehave(null);
    resumeAndExpect(clean);
  }

  @Test
  void repeatedPage_isNotStored_failsClearly_andResumeContinuesAtThatPage(TestInfo test) throws Exception {
    open(test);
    api.misbehave((req, normal) -> req.isPage() && req.page() == 3 ? api.answer(req.withPage(2)) : normal);
    runToIdle();
    RunSummary failed = summary();
    assertFalse(failed.succeeded());
    assertTrue(failed.errors().stream().anyMatch(e -> e.contains("Page 3") && e.contains("byte for byte equal to page 2")),
        failed.errors().toString());
    assertEquals(List.of(1, 2), pageNumbers(1), "the repeated page never reaches bronze");
    assertEquals(1, pipeline.deadLetters().list().size());

    api.misbehave(null);
    resumeAndExpect(clean);
    assertEquals(10, pageNumbers(1).size());
  }

  @Test
  void totalGrowsMidRun_theSourceIsReadAgain_andTheNewSnapshotIsLoaded(TestInfo test) throws Exception {
    open(test);
    AtomicBoolean grown = new AtomicBoolean();
    api.misbehave((req, normal) -> {
      if (req.isPage() && req.page() == 4 && grown.compareAndSet(false, true)) {
        api.replaceRecords(GROWN); // records arrive while the run is at page 4
      }
      return normal;
    });
    runToIdle();
    RunSummary s = summary();
    assertTrue(s.succeeded(), s.toString());
    assertEquals(1_050, s.bronzeRecords());
    assertTrue(s.reconciled(), s.toString());
    assertEquals(cleanGrown, snapshot(pipeline));
    assertTrue(events().stream().anyMatch(e -> e.status() == Status.CHECKPOINT && e.eventId().endsWith("/pass-2")
        && e.error().contains("moved from 1000 to 1050")), "the ledger says why the source was read again");
    assertFalse(pageNumbers(1).isEmpty(), "pass 1 stays in bronze as it came");
    assertTrue(manifest().pages().stream().allMatch(p -> p.name().contains("/pass=2/page-")),
        "the manifest lists the consistent pass only");
  }

  @Test
  void pageShortOfARecord_isNoticedByTheTotal_andTheSourceReadAgain(TestInfo test) throws Exception {
    open(test);
    AtomicBoolean once = new AtomicBoolean();
    String shortPage = DATA.subList(PAGE, 2 * PAGE - 1).stream().map(GeneratedRecord::json)
        .collect(Collectors.joining(",", "[", "]"));
    api.misbehave((req, normal) -> req.isPage() && req.page() == 2 && once.compareAndSet(false, true)
        ? new Reply(200, utf8(shortPage), Map.of())
        : normal);
    runToIdle();
    RunSummary s = summary();
    assertTrue(s.succeeded(), s.toString());
    assertEquals(1_000, s.bronzeRecords());
    assertEquals(clean, snapshot(pipeline));
    assertTrue(events().stream().anyMatch(e -> e.eventId().endsWith("/pass-2")
        && e.error().contains("read 999 records but the source lists 1000")));
  }

  @Test
  void sourceThatNeverHoldsStill_stopsAfterThreePasses_deadLetteredOnce_thenResumeReadsItAgain(TestInfo test)
      throws Exception {
    open(test);
    AtomicLong metaCalls = new AtomicLong();
    api.misbehave((req, normal) -> req.isTotal()
        ? Reply.json(200, "{\"total\":\"" + (1_000 + metaCalls.incrementAndGet()) + "\",\"page\":\"1\",\"per_page\":\"50\"}")
        : normal);
    runToIdle();
    RunSummary failed = summary();
    assertFalse(failed.succeeded());
    assertTrue(failed.errors().stream().anyMatch(e -> e.contains("It was read 3 times, the limit")),
        failed.errors().toString());
    assertEquals(4, metaCalls.get(), "one delivery, not a retry storm: a permanent failure is not retried");
    assertEquals(1, pipeline.deadLetters().list().size());
    assertTrue(pipeline.objects().stat(manifestId()).isEmpty(), "nothing is loaded from a moving source");
    assertEquals(10, pageNumbers(3).size());

    api.misbehave(null);
    resumeAndExpect(clean);
    assertEquals(10, pageNumbers(4).size(), "resume read it once more, past the limit");
  }

  private void resumeAndExpect(Map<String, List<List<Object>>> expected) throws Exception {
    assertEquals(List.of(Resumer.Action.INGEST_AGAIN), new Resumer(pipeline).resume(RUN).actions());
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
    RunSummary s = summary();
    assertTrue(s.succeeded(), s.toString());
    assertTrue(s.reconciled(), s.toString());
    assertEquals(expected, snapshot(pipeline), "tables differ from the clean run's");
  }

  private void runToIdle() throws Exception {
    start(pipeline);
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
  }

  private List<RunEvent> events() throws Exception {
    return pipeline.ledger().events(RUN).stream().filter(e -> e.stage() == Stage.INGEST).toList();
  }

  private RunSummary summary() throws Exception {
    return RunSummary.of(RUN, pipeline.ledger().events(RUN));
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  private ObjectId manifestId() {
    return BronzeLayout.manifest(pipeline.config().bronzeBucket(), "breweries", today(), RUN);
  }

  private Manifest manifest() throws Exception {
    ObjectId id = manifestId();
    return Manifest.parse(pipeline.objects().readAllBytes(id), id.uri());
  }

  /** The page numbers of one pass in bronze. */
  private List<Integer> pageNumbers(int pass) throws Exception {
    String prefix = BronzeLayout.runPrefix("breweries", today(), RUN);
    return pipeline.objects().list(pipeline.config().bronzeBucket(), prefix).stream()
        .map(StoredObject::metadata)
        .filter(m -> BronzeLayout.ROLE_PAGE.equals(m.get(BronzeLayout.ROLE)))
        .filter(m -> m.getOrDefault(BronzeLayout.PASS, "1").equals(Integer.toString(pass)))
        .map(m -> Integer.parseInt(m.get(BronzeLayout.PAGE)))
        .sorted()
        .toList();
  }

  private static MedallionConfig config(ReplayServer server) {
    return MedallionConfig.defaults().withSourceUrl(server.baseUrl()).withPageSize(PAGE);
  }

  private static void start(LocalPipeline p) throws Exception {
    PipelineRuns.request(p, RUN);
  }

  private static Map<String, List<List<Object>>> snapshot(LocalPipeline p) throws Exception {
    return PipelineRuns.snapshot(p, TABLES);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
