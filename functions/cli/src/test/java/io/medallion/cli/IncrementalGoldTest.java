package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breweries' incremental dimension and its snapshot, built run after run from the loads each has
 * not consumed, are at every step exactly what a full rebuild from all of silver gives; each build
 * reads only the new loads; and a delta that names a key twice is refused before any write.
 */
class IncrementalGoldTest {

  static final List<GeneratedRecord> DAY_1 = Breweries.generate(300, 18);

  @TempDir Path root;

  /** The records with every {@code every}-th one renamed (a day's changes). */
  static List<GeneratedRecord> renamed(List<GeneratedRecord> records, int every, String prefix) {
    List<GeneratedRecord> out = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      GeneratedRecord r = records.get(i);
      out.add(i % every == 0 ? new GeneratedRecord(r.json().replace("\"name\":\"", "\"name\":\"" + prefix), r.expected(), r.parent()) : r);
    }
    return out;
  }

  @Test
  void runAfterRun_theIncrementalModelsEqualAFullRebuild_andEachBuildReadsOnlyItsLoad() throws Exception {
    try (ReplayServer api = Breweries.serve(DAY_1); LocalPipeline p = pipeline(api, root)) {
      runToEnd(p, "day-1");
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      assertTrue(window(p, "day-1").contains("\"full\":true"), "a first build reads all of silver");

      List<GeneratedRecord> day2 = renamed(DAY_1, 20, "Renamed ");
      api.replaceRecords(day2);
      runToEnd(p, "day-2");
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      assertTrue(window(p, "day-2").contains("\"full\":false"), window(p, "day-2"));
      // Day 2 renamed some: each has two versions, the others one.
      assertEquals(count(p, "select count(*) from gold_brewing.dim_breweries") + count(p, "select count(*) from gold_brewing.dim_breweries where name like 'Renamed %'"),
          count(p, "select count(*) from gold_brewing.dim_breweries_history"));
      assertTrue(count(p, "select count(*) from gold_brewing.dim_breweries where name like 'Renamed %'") >= 10);

      // An unchanged day adds no version; a day that renames others again does.
      runToEnd(p, "day-3");
      api.replaceRecords(renamed(day2, 7, "Again "));
      runToEnd(p, "day-4");
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      long renamedBoth = count(p, "select count(*) from gold_brewing.dim_breweries where name like 'Again Renamed %'");
      assertTrue(renamedBoth > 0, "some breweries were renamed twice");
      // What a brewery renamed on day 2 looked like before: its first name, valid until day 2's load.
      String id = (String) p.warehouse().read("select brewery_id from gold_brewing.dim_breweries where name like 'Again Renamed %' limit 1")
          .scalar();
      List<List<Object>> history = p.warehouse().read(
          "select name, is_current from gold_brewing.dim_breweries_history where brewery_id = @id order by valid_from", Map.of("id", id)).rows();
      assertEquals(3, history.size(), history.toString());
      assertTrue(!((String) history.get(0).get(0)).startsWith("Renamed ") && history.get(2).get(1).equals(true), history.toString());
    }
  }

  @Test
  void aBackfillOfTodayAndAFullRefresh_leaveGoldAsAFullRebuild_andRunTwiceChangeNothing() throws Exception {
    try (ReplayServer api = Breweries.serve(DAY_1); LocalPipeline p = pipeline(api, root)) {
      runToEnd(p, "day-1");
      api.replaceRecords(renamed(DAY_1, 9, "Renamed "));
      runToEnd(p, "day-2");
      // The dimension lost rows (a bad manual fix): the next run alone would not bring them back.
      JobStatus damage = p.warehouse().query(new QueryJob("damage", "delete from gold_brewing.dim_breweries where name like 'Renamed %'", Map.of()));
      assertTrue(damage.succeeded(), damage.error());
      java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
      backfill(p, new io.medallion.gold.BackfillRequest("breweries", today.minusDays(1), today, List.of(), "backfill-breweries-1"));
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      List<List<Object>> once = p.warehouse().read("select * exclude (_as_of, _run_id) from gold_brewing.country_summary order by all").rows();
      backfill(p, new io.medallion.gold.BackfillRequest("breweries", today.minusDays(1), today, List.of(), "backfill-breweries-2"));
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      assertEquals(once, p.warehouse().read("select * exclude (_as_of, _run_id) from gold_brewing.country_summary order by all").rows());

      p.warehouse().query(new QueryJob("damage_again", "delete from gold_brewing.dim_breweries where brewery_id like '%1'", Map.of()));
      backfill(p, new io.medallion.gold.BackfillRequest("breweries", null, null, List.of("dim_breweries"), "backfill-breweries-3"));
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      // A run after the refresh reads only what came since.
      api.replaceRecords(renamed(DAY_1, 11, "Later "));
      runToEnd(p, "day-3");
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
      assertTrue(window(p, "day-3").contains("\"full\":false"), window(p, "day-3"));
    }
  }

  private static void backfill(LocalPipeline p, io.medallion.gold.BackfillRequest request) throws Exception {
    p.requestBackfill(request);
    assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
    RunSummary s = RunSummary.of(request.runId(), p.ledger().events(request.runId()));
    assertTrue(s.succeeded(), request.runId() + ": " + s);
  }

  @Test
  void aDeltaNamingAKeyTwice_isRefusedBeforeAnyWrite_namingTheKey() throws Exception {
    try (ReplayServer api = Breweries.serve(DAY_1); LocalPipeline p = pipeline(api, root)) {
      runToEnd(p, "day-1");
      List<List<Object>> before = p.warehouse().read("select * from gold_brewing.dim_breweries_history order by all").rows();
      // Two versions of one brewery at one instant (a hand-made insert, a bug upstream): the
      // snapshot cannot order them.
      JobStatus inject = p.warehouse().query(new QueryJob("inject_twice",
          "insert into silver_brewing.breweries (brewery_id, name, _run_id, _source_uri, _source_generation, _source_record, _ingested_at)"
              + " values ('twice-1', 'One', 'manual', 'gs://b/x', 1, 0, timestamp '2099-01-01 00:00:00'),"
              + " ('twice-1', 'Two', 'manual', 'gs://b/x', 1, 1, timestamp '2099-01-01 00:00:00')", Map.of()));
      assertTrue(inject.succeeded(), inject.error());
      api.replaceRecords(renamed(DAY_1, 10, "Renamed "));
      PipelineRuns.request(p, "day-2");
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      RunSummary s = RunSummary.of("day-2", p.ledger().events("day-2"));
      assertEquals(Status.FAILED, s.gold(), s.toString());
      assertTrue(s.errors().stream().anyMatch(e -> e.contains("gold model dim_breweries_history refused") && e.contains("twice-1")),
          s.errors().toString());
      assertEquals(before, p.warehouse().read("select * from gold_brewing.dim_breweries_history order by all").rows(),
          "the snapshot is unchanged");
    }
  }

  /** The window the run's build of dim_breweries planned (its STARTED event's watermark). */
  private static String window(LocalPipeline p, String runId) throws Exception {
    for (RunEvent e : p.ledger().events(runId)) {
      if (e.stage() == Stage.GOLD && e.status() == Status.STARTED && "gold_brewing.dim_breweries".equals(e.objectUri())) {
        return e.watermark();
      }
    }
    throw new AssertionError("no planned window for dim_breweries in " + runId);
  }

  private static long count(LocalPipeline p, String sql) throws Exception {
    return ((Number) p.warehouse().read(sql).scalar()).longValue();
  }

  private static LocalPipeline pipeline(ReplayServer api, Path home) throws Exception {
    return new LocalPipeline(MedallionConfig.defaults().withSourceUrl(api.baseUrl()).withPageSize(100), home,
        PipelineRuns.fast(), Clock.systemUTC(), UnaryOperator.identity());
  }

  private static void runToEnd(LocalPipeline p, String runId) throws Exception {
    PipelineRuns.request(p, runId);
    assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
    RunSummary s = RunSummary.of(runId, p.ledger().events(runId));
    assertTrue(s.succeeded(), runId + ": " + s);
  }
}
