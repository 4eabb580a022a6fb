package io.medallion.port;

import io.medallion.config.MedallionConfig;
import io.medallion.metrics.Metrics;
import io.medallion.source.Secrets;
import java.util.ServiceLoader;

/**
 * One adapter set: what a function needs to reach the outside world. Tests and the local runtime
 * build it directly; a deployed function finds its provider on the classpath.
 */
public record Ports(
    ObjectStore objects, MessageBus bus, Warehouse warehouse, RunLedger ledger, Metrics metrics, Secrets secrets,
    io.medallion.lineage.LineageSink lineage) {

  /** An adapter set that keeps no lineage ({@link io.medallion.lineage.LineageSink#NONE}). */
  public Ports(ObjectStore objects, MessageBus bus, Warehouse warehouse, RunLedger ledger, Metrics metrics, Secrets secrets) {
    this(objects, bus, warehouse, ledger, metrics, secrets, io.medallion.lineage.LineageSink.NONE);
  }

  /** This adapter set, sending OpenLineage events to {@code sink}. */
  public Ports withLineage(io.medallion.lineage.LineageSink sink) {
    return new Ports(objects, bus, warehouse, ledger, metrics, secrets, sink);
  }

  /** An adapter set whose meters stay in memory (tests, tools). */
  public Ports(ObjectStore objects, MessageBus bus, Warehouse warehouse, RunLedger ledger) {
    this(objects, bus, warehouse, ledger, Metrics.inMemory());
  }

  /** An adapter set without a secret store: a source that declares a secret fails, saying so. */
  public Ports(ObjectStore objects, MessageBus bus, Warehouse warehouse, RunLedger ledger, Metrics metrics) {
    this(objects, bus, warehouse, ledger, metrics, NO_SECRETS);
  }

  /** Refuses every secret: where no store is configured. */
  public static final Secrets NO_SECRETS = ref -> {
    throw new Secrets.SecretMissingException(ref, "no secret store is configured here");
  };

  /** Builds an adapter set from configuration; registered through {@link ServiceLoader}. */
  public interface Provider {

    /** The {@code MEDALLION_ADAPTERS} value that selects this set: {@code gcp} or {@code local}. */
    String name();

    Ports create(MedallionConfig config);
  }

  /**
   * The adapter set {@code MEDALLION_ADAPTERS} names. Called lazily by a function's no-arg
   * constructor path, so that cold start does no client work before the first event.
   */
  public static Ports fromEnvironment(MedallionConfig config) {
    java.util.List<String> found = new java.util.ArrayList<>();
    for (Provider provider : ServiceLoader.load(Provider.class)) {
      if (provider.name().equals(config.adapters())) {
        return provider.create(config);
      }
      found.add(provider.name());
    }
    throw new IllegalStateException(
        "No '" + config.adapters() + "' adapter set on the classpath (" + MedallionConfig.ADAPTERS
            + "; found: " + found + "): a deployed function needs a " + Provider.class.getName()
            + " registered in META-INF/services");
  }
}
