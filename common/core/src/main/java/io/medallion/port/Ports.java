package io.medallion.port;

import io.medallion.config.MedallionConfig;
import java.util.ServiceLoader;

/**
 * One adapter set: what a function needs to reach the outside world. Tests and the local runtime
 * build it directly; a deployed function finds its provider on the classpath.
 */
public record Ports(ObjectStore objects, MessageBus bus, Warehouse warehouse, RunLedger ledger) {

  /** Builds an adapter set from configuration; registered through {@link ServiceLoader}. */
  public interface Provider {
    Ports create(MedallionConfig config);
  }

  /**
   * The adapter set of this deployment. Called lazily by a function's no-arg constructor path, so
   * that cold start does no client work before the first event.
   */
  public static Ports fromEnvironment(MedallionConfig config) {
    for (Provider provider : ServiceLoader.load(Provider.class)) {
      return provider.create(config);
    }
    throw new IllegalStateException(
        "No adapter set on the classpath: a deployed function needs a "
            + Provider.class.getName() + " registered in META-INF/services");
  }
}
