package io.medallion.cli;

import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the fault tests share: retry policies, starting a run, and the tables they compare. */
final class PipelineRuns {

  /** Silver and gold without the columns that say when and in which object version (they differ per home). */
  static final List<String> TABLES = List.of(
      "select * exclude (_source_generation, _ingested_at) from silver_brewing.breweries order by all",
      "select * exclude (_ingested_at) from gold_brewing.dim_breweries order by all",
      "select * exclude (_run_id, _as_of) from gold_brewing.breweries_by_location order by all",
      "select * exclude (_run_id, _as_of) from gold_brewing.country_summary order by all",
      "select * exclude (_ingested_at, valid_from, valid_to) from gold_brewing.dim_breweries_history order by all");

  private PipelineRuns() {}

  /**
   * Every gold model of {@code source} built whole from all of silver into a scratch dataset (each
   * model's full build, the statement a first build or a full refresh runs), compared with what the
   * pipeline's builds left in gold: incremental models and snapshots must be exactly what a full
   * rebuild gives. Only what says which build made a table (its run id and as-of time) may differ.
   */
  static void assertGoldEqualsAFullRebuild(LocalPipeline p, String sourceName) throws Exception {
    io.medallion.source.Source source = io.medallion.source.SourceRegistry.standard().find(sourceName).orElseThrow();
    FullRebuild.build(p.warehouse(), source, p.config().silverDataset(source), "gold_rebuild", Long.toString(System.nanoTime()));
    List<String> differences = FullRebuild.differences(p.warehouse(), source, p.config().goldDataset(source), "gold_rebuild");
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), differences, "gold differs from a full rebuild");
  }

  /** Redelivery within milliseconds, so failing runs reach the dead letters quickly. */
  static SubscriptionPolicy fast() {
    return SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100));
  }

  /** Redelivery after 30 s at the earliest: a "dying" process must not retry before it is closed. */
  static SubscriptionPolicy slow() {
    return SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  /** Publishes a run request for {@code runId} of the breweries source. */
  static void request(LocalPipeline p, String runId) throws Exception {
    p.publish(p.config().runRequestsTopic(),
        OutboundMessage.json(new RunRequest("breweries", runId, null, null).toJson(), Map.of()));
  }

  /**
   * Copies a file into the bronze bucket as a person would, lets the bucket watcher see it settle,
   * and returns the run it became.
   */
  static String drop(LocalPipeline p, String name, String content) throws Exception {
    Path file = p.layout().buckets().resolve(p.config().bronzeBucket()).resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    p.objects().scanOnce();
    p.objects().scanOnce();
    if (!p.awaitIdle(Duration.ofMinutes(1))) {
      throw new AssertionError("the pipeline did not go idle after dropping " + name);
    }
    String runId = p.ledger().recentRuns(1).get(0);
    if (!runId.startsWith("drop-")) {
      throw new AssertionError("the latest run is " + runId + ", not a drop");
    }
    return runId;
  }

  /** The rows each query returns, by query. */
  static Map<String, List<List<Object>>> snapshot(LocalPipeline p, List<String> queries) throws Exception {
    Map<String, List<List<Object>>> tables = new TreeMap<>();
    for (String sql : queries) {
      tables.put(sql, p.warehouse().read(sql).rows());
    }
    return tables;
  }
}
