package io.medallion.ingest;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.medallion.config.MedallionConfig;
import io.medallion.event.EventHandling;
import io.medallion.event.PubSubEvents;
import io.medallion.logging.FunctionLogging;
import io.medallion.port.Lazy;
import io.medallion.port.Ports;
import io.medallion.source.SourceRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Ingest: triggered by a run request on the run-requests topic (Cloud Scheduler, the CLI, gcloud,
 * or its own continuation), writes the source's pages and a manifest to bronze.
 */
public final class IngestFunction implements CloudEventsFunction {

  private static final Logger LOG = Logger.getLogger(IngestFunction.class.getName());

  private final Supplier<IngestStep> step;

  /** Used by the Functions Framework: configuration from the environment, clients on first use. */
  public IngestFunction() {
    MedallionConfig config = MedallionConfig.fromEnvironment();
    FunctionLogging.configureFromEnvironment(config.project());
    this.step =
        Lazy.of(() -> new IngestStep(
            config, Ports.fromEnvironment(config), SourceRegistry.standardOnFirstUse(), Clock.systemUTC(),
            IngestStep.DEFAULT_BUDGET));
  }

  IngestFunction(IngestStep step) {
    this.step = () -> step;
  }

  /** For the local runtime and tests, which build the ports themselves. */
  public static IngestFunction with(IngestStep step) {
    return new IngestFunction(step);
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    EventHandling.handle("ingest", event, () -> step.get().metrics(), e -> step.get().handle(PubSubEvents.decode(e)).name(), LOG);
  }
}
