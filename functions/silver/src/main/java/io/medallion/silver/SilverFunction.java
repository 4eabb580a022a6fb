package io.medallion.silver;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.medallion.config.MedallionConfig;
import io.medallion.event.EventHandling;
import io.medallion.event.StorageEvents;
import io.medallion.logging.FunctionLogging;
import io.medallion.port.Lazy;
import io.medallion.port.Ports;
import io.medallion.source.SourceRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Silver: triggered by {@code google.cloud.storage.object.v1.finalized} on the bronze bucket.
 * Types and validates records into staging NDJSON and submits one load job per run (or per
 * dropped file).
 */
public final class SilverFunction implements CloudEventsFunction {

  private static final Logger LOG = Logger.getLogger(SilverFunction.class.getName());

  private final Supplier<SilverStep> step;

  /** Used by the Functions Framework: configuration from the environment, clients on first use. */
  public SilverFunction() {
    MedallionConfig config = MedallionConfig.fromEnvironment();
    FunctionLogging.configureFromEnvironment(config.project());
    this.step =
        Lazy.of(() -> new SilverStep(config, Ports.fromEnvironment(config), SourceRegistry.standardOnFirstUse(), Clock.systemUTC()));
  }

  SilverFunction(SilverStep step) {
    this.step = () -> step;
  }

  /** For the local runtime and tests, which build the ports themselves. */
  public static SilverFunction with(SilverStep step) {
    return new SilverFunction(step);
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    EventHandling.handle("silver", event, () -> step.get().metrics(), e -> step.get().handle(StorageEvents.decode(e)).name(), LOG);
  }
}
