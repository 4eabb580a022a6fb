package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.ReplayServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order delivery across runs: the silver load of an older run that arrives after a newer
 * run's (its load was held up by a crash) must not roll gold back to the older versions. Gold
 * picks the latest version of each brewery by when its bronze object was written, not by when a
 * load happened to finish.
 */
class LateOlderRunTest {

  static final List<GeneratedRecord> OLD = Breweries.generate(400, 31);
  /** The same breweries, renamed: the newer run's versions. */
  static final List<GeneratedRecord> NEW = OLD.stream()
      .map(b -> new GeneratedRecord(b.json().replace("\"name\":\"", "\"name\":\"Renamed "), b.expected()))
      .toList();

  @TempDir Path root;

  @Test
  void olderRunsLoadAfterANewerRuns_goldKeepsTheNewerVersions() throws Exception {
    Map<String, List<List<Object>>> inOrder;
    try (ReplayServer api = Breweries.serve(OLD);
        LocalPipeline p = pipeline(api, root.resolve("in-order"))) {
      runToEnd(p, "older");
      api.replaceRecords(NEW);
      runToEnd(p, "newer");
      inOrder = snapshot(p);
    }

    Path home = root.resolve("late");
    try (ReplayServer api = Breweries.serve(OLD)) {
      CrashingPorts faults = new CrashingPorts(CrashingPorts.Point.BEFORE_LOAD_SUBMIT);
      try (LocalPipeline dying = dyingPipeline(api, home, faults)) {
        publish(dying, "older");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!faults.crashed() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertTrue(faults.crashed(), "the older run stopped before its load");
      }
      api.replaceRecords(NEW);
      try (LocalPipeline p = pipeline(api, home)) {
        runToEnd(p, "newer");
        assertEquals(List.of(Resumer.Action.ANNOUNCE_MANIFEST), new Resumer(p).resume("older").actions());
        assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
        assertTrue(RunSummary.of("older", p.ledger().events("older")).succeeded());
        Map<String, List<List<Object>>> late = snapshot(p);
        assertEquals(inOrder, late, "the late older load changed what gold holds");
        // The incremental dimension merged the late load (its versions lose to the newer ones) and
        // the snapshot, given versions older than its current ones, rebuilt its history whole.
        PipelineRuns.assertGoldEqualsAFullRebuild(p, "breweries");
        long renamed = ((Number) p.warehouse().read(
            "select count(*) from gold_brewing.dim_breweries where starts_with(name, 'Renamed ')").scalar()).longValue();
        long all = ((Number) p.warehouse().read("select count(*) from gold_brewing.dim_breweries where name is not null")
            .scalar()).longValue();
        assertTrue(all > 0 && renamed == all, renamed + " of " + all + " breweries carry the newer run's name");
      }
    }
  }

  private static LocalPipeline pipeline(ReplayServer api, Path home) throws Exception {
    return new LocalPipeline(config(api), home,
        PipelineRuns.fast(), Clock.systemUTC(),
        UnaryOperator.identity());
  }

  private static LocalPipeline dyingPipeline(ReplayServer api, Path home, CrashingPorts faults) throws Exception {
    return new LocalPipeline(config(api), home,
        PipelineRuns.slow(), Clock.systemUTC(),
        faults::wrap);
  }

  private static MedallionConfig config(ReplayServer api) {
    return MedallionConfig.defaults().withSourceUrl(api.baseUrl()).withPageSize(100);
  }

  private static void runToEnd(LocalPipeline p, String runId) throws Exception {
    publish(p, runId);
    assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
    assertTrue(RunSummary.of(runId, p.ledger().events(runId)).succeeded(), runId);
  }

  private static void publish(LocalPipeline p, String runId) throws Exception {
    PipelineRuns.request(p, runId);
  }

  private static Map<String, List<List<Object>>> snapshot(LocalPipeline p) throws Exception {
    return PipelineRuns.snapshot(p, PipelineRuns.TABLES);
  }
}
