package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.ReplayServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The process dies at every step boundary; {@code resume} then finishes the run, and silver and gold
 * equal those of a clean run: nothing lost, nothing duplicated.
 */
class CrashAndResumeTest {

  static final String RUN = "crash-run";
  static ReplayServer replay;
  static MedallionConfig config;
  static Map<String, List<List<Object>>> clean;
  @TempDir static Path root;

  @BeforeAll
  static void cleanRun() throws Exception {
    replay = Breweries.serve(1_000, 13);
    config = MedallionConfig.defaults().withSourceUrl(replay.baseUrl()).withPageSize(100);
    try (LocalPipeline p = new LocalPipeline(config, root.resolve("clean"), PipelineRuns.fast(), Clock.systemUTC(), UnaryOperator.identity())) {
      start(p);
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      assertTrue(RunSummary.of(RUN, p.ledger().events(RUN)).succeeded());
      clean = snapshot(p);
    }
  }

  @AfterAll
  static void stop() {
    replay.close();
  }

  @ParameterizedTest
  @EnumSource(CrashingPorts.Point.class)
  void crashAtAnyStep_thenResume_endsInTheCleanRunsTables(CrashingPorts.Point point) throws Exception {
    Path home = root.resolve(point.name());
    CrashingPorts faults = new CrashingPorts(point);
    SubscriptionPolicy slow = PipelineRuns.slow();
    try (LocalPipeline dying = new LocalPipeline(config, home, slow, Clock.systemUTC(), faults::wrap)) {
      start(dying);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!faults.crashed() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(faults.crashed(), "the crash point was reached");
      assertTrue(!RunSummary.of(RUN, dying.ledger().events(RUN)).succeeded(), "the run did not finish before the crash");
    }
    try (LocalPipeline restarted = new LocalPipeline(config, home, PipelineRuns.fast(), Clock.systemUTC(), UnaryOperator.identity())) {
      List<Resumer.Action> actions = new Resumer(restarted).resume(RUN).actions();
      assertTrue(!actions.isEmpty() && !actions.contains(Resumer.Action.NOTHING_TO_DO), actions.toString());
      assertTrue(restarted.awaitIdle(Duration.ofMinutes(2)));
      RunSummary s = RunSummary.of(RUN, restarted.ledger().events(RUN));
      assertTrue(s.succeeded(), point + ": " + s);
      assertEquals(1_000, s.bronzeRecords());
      assertTrue(s.reconciled(), point + ": " + s);
      assertEquals(clean, snapshot(restarted), point + ": tables differ from the clean run's");
      assertTrue(restarted.deadLetters().list().isEmpty());
      assertEquals(List.of(Resumer.Action.NOTHING_TO_DO), new Resumer(restarted).resume(RUN).actions(), "a finished run needs nothing");
    }
  }

  private static void start(LocalPipeline p) throws Exception {
    PipelineRuns.request(p, RUN);
  }

  private static Map<String, List<List<Object>>> snapshot(LocalPipeline p) throws Exception {
    return PipelineRuns.snapshot(p, PipelineRuns.TABLES);
  }
}
