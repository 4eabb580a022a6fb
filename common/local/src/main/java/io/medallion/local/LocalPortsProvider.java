package io.medallion.local;

import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.local.pubsub.InProcessPubSub;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.ObjectId;
import io.medallion.port.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code local} adapter set for a function running on its own, e.g. one function inside the
 * Functions Framework invoker with {@code MEDALLION_ADAPTERS=local}. It keeps its state where the
 * CLI does ({@code MEDALLION_HOME}, default {@code ./.medallion}), so the CLI can inspect what a
 * lone function did.
 *
 * <p>What a lone function does NOT get, unlike the CLI's {@code LocalPipeline}:
 *
 * <ul>
 *   <li>Publishes (ingest's continuation, dead letters) go to a fresh {@link InProcessPubSub} with
 *       no subscriber, so they are dropped: nothing else runs in this process to receive them.
 *   <li>Warehouse job completions are not routed anywhere (there is no log sink and no bq-jobs
 *       subscriber here): the caller must deliver the completion event to gold itself.
 *   <li>Bucket notifications are not emitted: silver must be sent its finalize event.
 * </ul>
 *
 * <p>DuckDB admits one process per database file, so only one function (or CLI) may use a home at
 * a time.
 */
public final class LocalPortsProvider implements Ports.Provider {

  /** The environment variable naming the directory that holds local state. */
  public static final String HOME = "MEDALLION_HOME";

  private final Map<String, String> env;

  /** Used by {@link java.util.ServiceLoader}: reads {@value #HOME} from the process environment. */
  public LocalPortsProvider() {
    this(System.getenv());
  }

  /** For tests: reads {@value #HOME} from {@code env} instead of the process environment. */
  public LocalPortsProvider(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  @Override
  public String name() {
    return "local";
  }

  /** The directory the adapters keep their state in. */
  public Path home() {
    String home = env.get(HOME);
    return Path.of(home == null || home.isBlank() ? ".medallion" : home.trim());
  }

  @Override
  public Ports create(MedallionConfig config) {
    Path home = home();
    try {
      DirectoryObjectStore objects = new DirectoryObjectStore(home.resolve("buckets"));
      // Nothing subscribes in a lone function process: publishes are accepted and dropped.
      InProcessPubSub bus = new InProcessPubSub(config.project(), 1);
      DuckDbWarehouse warehouse =
          new DuckDbWarehouse(
              home.resolve("warehouse").resolve("medallion.duckdb"),
              id -> localFile(objects, id),
              // No log sink here: completions are not delivered to gold (see the class comment).
              (job, sources) -> {});
      io.medallion.source.SourceRegistry sources = sources(config);
      warehouse.ensureDataset(config.datasets(sources.all()).toArray(String[]::new));
      return new Ports(objects, bus, warehouse, new DuckDbRunLedger(warehouse, config.opsDataset()),
          io.medallion.metrics.Metrics.inMemory(),
          io.medallion.local.secrets.LocalMaskingSalts.of(io.medallion.source.Secrets.fromEnvironment(MedallionConfig.environment()),
              MedallionConfig.environment(), home, io.medallion.local.secrets.LocalMaskingSalts.declared(sources.domains())))
          .withLineage(new io.medallion.local.lineage.JsonLinesLineageSink(io.medallion.local.lineage.JsonLinesLineageSink.file(home)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open the local adapters under " + home.toAbsolutePath(), e);
    }
  }

  /** The declared sources: their domains' datasets and masking salts are what a local function process needs. */
  private static io.medallion.source.SourceRegistry sources(MedallionConfig config) {
    try {
      return io.medallion.source.SourceRegistry.forConfig(config);
    } catch (io.medallion.source.DeclarationException e) {
      throw new io.medallion.config.ConfigException("source declarations: " + e.getMessage());
    }
  }

  private static Path localFile(DirectoryObjectStore objects, ObjectId id) {
    try {
      return objects.path(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
