package io.medallion.ingest;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import io.medallion.config.MedallionConfig;
import io.medallion.event.InvalidEventException;
import io.medallion.logging.FunctionLogging;
import io.medallion.metrics.Metrics;
import io.medallion.logging.LogContext;
import io.medallion.event.PubSubEvents;
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
            config, Ports.fromEnvironment(config), SourceRegistry.standard(), Clock.systemUTC(),
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
    Object traceparent = event.getExtension("traceparent");
    try (LogContext context = LogContext.open("ingest", traceparent == null ? null : traceparent.toString())) {
      IngestStep s = step.get();
      // Closing the invocation times it and flushes the meters before the function returns.
      try (Metrics.Invocation inv = s.metrics().invocation("ingest")) {
        try {
          inv.outcome(s.handle(PubSubEvents.decode(event)).name());
        } catch (InvalidEventException e) {
          inv.outcome("invalid");
          // Not a Pub/Sub event at all: nothing to dead-letter, so log it once and acknowledge.
          LOG.severe(() -> "ingest: rejected event " + event.getId() + ": " + e.getMessage());
        }
      }
    }
  }
}
