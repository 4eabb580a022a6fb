package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.BreweryGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

  /** Silver and gold without the columns that say when and in which object version (they differ per home). */
  static final List<String> TABLES = List.of(
      "select * exclude (_source_generation, _ingested_at) from silver.breweries order by all",
      "select * exclude (_ingested_at) from gold.dim_breweries order by all",
      "select * from gold.breweries_by_location order by all",
      "select * from gold.country_summary order by all");

  @BeforeAll
  static void cleanRun() throws Exception {
    replay = new ReplayServer(new BreweryGenerator(13).generate(1_000));
    config = MedallionConfig.defaults().withSourceUrl(replay.baseUrl()).withPageSize(100);
    try (LocalPipeline p = new LocalPipeline(config, root.resolve("clean"), fast(), Clock.systemUTC(), UnaryOperator.identity())) {
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
    // Long backoff: the dead process must not retry before it is "killed" (closed).
    SubscriptionPolicy slow = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(60));
    try (LocalPipeline dying = new LocalPipeline(config, home, slow, Clock.systemUTC(), faults::wrap)) {
      start(dying);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!faults.crashed() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(faults.crashed(), "the crash point was reached");
      assertTrue(!RunSummary.of(RUN, dying.ledger().events(RUN)).succeeded(), "the run did not finish before the crash");
    }
    try (LocalPipeline restarted = new LocalPipeline(config, home, fast(), Clock.systemUTC(), UnaryOperator.identity())) {
      List<Resumer.Action> actions = new Resumer(restarted).resume(RUN);
      assertTrue(!actions.isEmpty() && !actions.contains(Resumer.Action.NOTHING_TO_DO), actions.toString());
      assertTrue(restarted.awaitIdle(Duration.ofMinutes(2)));
      RunSummary s = RunSummary.of(RUN, restarted.ledger().events(RUN));
      assertTrue(s.succeeded(), point + ": " + s);
      assertEquals(1_000, s.bronzeRecords());
      assertTrue(s.reconciled(), point + ": " + s);
      assertEquals(clean, snapshot(restarted), point + ": tables differ from the clean run's");
      assertTrue(restarted.deadLetters().list().isEmpty());
      assertEquals(List.of(Resumer.Action.NOTHING_TO_DO), new Resumer(restarted).resume(RUN), "a finished run needs nothing");
    }
  }

  private static void start(LocalPipeline p) throws Exception {
    p.publish(config.runRequestsTopic(), OutboundMessage.json(new RunRequest("breweries", RUN, null, null).toJson(), Map.of()));
  }

  private static SubscriptionPolicy fast() {
    return SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  private static Map<String, List<List<Object>>> snapshot(LocalPipeline p) throws Exception {
    Map<String, List<List<Object>>> tables = new TreeMap<>();
    for (String sql : TABLES) {
      tables.put(sql, p.warehouse().read(sql).rows());
    }
    return tables;
  }
}
