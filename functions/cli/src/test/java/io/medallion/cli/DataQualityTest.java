package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.gold.GoldModels;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.metrics.Metrics;
import io.medallion.port.JobStatus;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryJob;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gold's data-quality checks: each returns exactly the rows that break its rule, a clean build
 * passes them all, bad data fails the run, counted once.
 */
class DataQualityTest {

  private static final String BAD_TYPE = "dim_breweries_brewery_type_accepted";
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path home;
  LocalPipeline pipeline;

  @BeforeEach
  void start() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, PipelineRuns.fast(), l -> l, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private String drop(String name, String content) throws Exception {
    return PipelineRuns.drop(pipeline, name, content);
  }

  private List<List<Object>> results(String runId) throws Exception {
    return pipeline.warehouse().read(
        "select check_name, failing_rows from ops.dq_results where run_id = @run_id order by check_name",
        Map.of("run_id", runId)).rows();
  }

  private double dqFailures(String check) {
    Counter c = pipeline.meters().find(Metrics.DQ_FAILURES).tags("check", check, "source", "breweries").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void cleanBuild_passesEveryCheck() throws Exception {
    String run = drop("breweries/manual/a.ndjson",
        "{\"id\":\"a-1\",\"name\":\"A\",\"brewery_type\":\"Micro \",\"country\":\"Ireland\"}\n"
            + "{\"id\":\"a-2\",\"name\":\"B\",\"brewery_type\":\"cidery\",\"country\":\"Ireland\"}\n");
    RunSummary s = RunSummary.of(run, pipeline.ledger().events(run));
    assertTrue(s.succeeded(), s.toString());
    assertEquals(Status.SUCCEEDED, s.dq());
    List<List<Object>> results = results(run);
    assertEquals(5, results.size(), results.toString());
    assertTrue(results.stream().allMatch(r -> ((Number) r.get(1)).longValue() == 0), results.toString());
    assertEquals(0, dqFailures(BAD_TYPE));
  }

  @Test
  void badGoldData_failsTheRunWithItsFailingRowsCounted_andARedeliveryCountsNothingTwice() throws Exception {
    drop("breweries/manual/a.ndjson", "{\"id\":\"a-1\",\"name\":\"A\",\"country\":\"Ireland\"}\n");
    // A row that bypassed silver's rules (a hand-made fix, a bug): its type is neither lowercased
    // nor trimmed. Dated after the next load's bronze object, so that the incremental dimension's
    // next build reads it (a row dated before its window is read by a full refresh only).
    JobStatus inject = pipeline.warehouse().query(new QueryJob("inject_bad_row",
        "insert into silver_brewing.breweries (brewery_id, name, brewery_type, _run_id, _source_uri, _source_generation,"
            + " _source_record, _ingested_at) values ('x-1', 'X', 'MICRO ', 'manual', 'gs://b/x', 1, 0,"
            + " timestamp '2099-01-01 00:00:00')",
        Map.of()));
    assertTrue(inject.succeeded(), inject.error());

    String run = drop("breweries/manual/b.ndjson", "{\"id\":\"b-1\",\"name\":\"B\",\"country\":\"Ireland\"}\n");
    RunSummary s = RunSummary.of(run, pipeline.ledger().events(run));
    assertEquals(Status.SUCCEEDED, s.gold(), "the tables are built; their data failed the checks");
    assertEquals(Status.FAILED, s.dq());
    assertFalse(s.succeeded());
    assertEquals(1, s.dqFailingRows());
    assertTrue(s.errors().stream().anyMatch(e -> e.contains(BAD_TYPE + ": 1 failing row")), s.errors().toString());
    assertTrue(results(run).contains(List.of(BAD_TYPE, 1L)), results(run).toString());
    assertEquals(1, dqFailures(BAD_TYPE));

    // The load's completion again: no check runs twice, nothing is added or counted again.
    List<RunEvent> before = pipeline.ledger().events(run);
    RunEvent silver = before.stream().filter(e -> e.stage() == Stage.SILVER).findFirst().orElseThrow();
    JobStatus load = pipeline.warehouse().job(silver.jobId()).orElseThrow();
    pipeline.publish(pipeline.config().bqJobsTopic(), OutboundMessage.json(
        AuditLogEntries.jobDone(pipeline.config().project(), load, List.of(), "t"), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
    assertEquals(before, pipeline.ledger().events(run));
    assertEquals(5, results(run).size());
    assertEquals(1, dqFailures(BAD_TYPE));
    assertNull(pipeline.meters().find(Metrics.DQ_FAILURES).tags("check", "dim_breweries_keys_not_null").counter());
  }

  private void sql(String id, String statement) throws Exception {
    JobStatus job = pipeline.warehouse().query(new QueryJob(id, statement, Map.of()));
    assertTrue(job.succeeded(), statement + ": " + job.error());
  }

  @Test
  void eachCheck_returnsTheRowsThatBreakItsRule() throws Exception {
    // Silver holds 2 rows of run r1, while the ledger says silver kept 3: one comparison fails.
    sql("silver_rows", "create table silver_brewing.breweries as select * from (values"
        + " ('a', 'r1', 'gs://b/p1'), ('b', 'r1', 'gs://b/p1')) as t(brewery_id, _run_id, _source_uri)");
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.INGEST, Status.SUCCEEDED).records(3).at(NOW));
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.SILVER, Status.SUCCEEDED).key("1")
        .records(3).rejects(0).jobId("load_1").at(NOW));
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.SILVER_LOAD, Status.SUCCEEDED).key("load_1")
        .jobId("load_1").at(NOW));
    // A first load that failed: its silver event must not count.
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.SILVER, Status.SUCCEEDED).key("0")
        .records(3).rejects(0).jobId("load_0").at(NOW));
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.SILVER_LOAD, Status.FAILED).key("load_0")
        .jobId("load_0").error("refused").at(NOW));
    // Gold: 'a' twice, a nameless 'c', an untrimmed type on 'd', all ingested long ago; 4 rows
    // against 2 distinct silver breweries is the second failing comparison.
    sql("gold_rows", "create table gold_brewing.dim_breweries as select brewery_id, name, brewery_type, is_known_type,"
        + " _run_id, _source_uri, cast(_ingested_at as timestamp) as _ingested_at from (values"
        + " ('a', 'A', 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('a', 'A', 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('c', null, 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('d', 'D', 'Micro ', false, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'))"
        + " as t(brewery_id, name, brewery_type, is_known_type, _run_id, _source_uri, _ingested_at)");
    sql("gold_countries", "create table gold_brewing.country_summary as select 4 as brewery_count");

    io.medallion.source.Source breweries = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
    Map<String, Long> failing = new TreeMap<>();
    for (GoldModels.Check check : GoldModels.checksFor(breweries, pipeline.config().silverDataset(breweries),
        pipeline.config().goldDataset(breweries), "ops")) {
      String sql = "select count(*) from (\n" + check.sql() + "\n) as failing";
      failing.put(check.name(), ((Number) pipeline.warehouse().read(
          sql, GoldModels.parametersOf(sql, Map.of("run_id", "r1", "checked_at", NOW))).scalar()).longValue());
    }
    assertEquals(Map.of(
        "dim_breweries_brewery_id_unique", 1L,
        "dim_breweries_keys_not_null", 1L,
        "dim_breweries_brewery_type_accepted", 1L,
        "row_counts_reconcile", 2L,
        "dim_breweries_fresh", 1L), failing);
  }
}
