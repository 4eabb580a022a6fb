package io.medallion.gold;

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
 * Gold: triggered by a Pub/Sub messagePublished event whose data is a BigQuery audit LogEntry (a
 * Cloud Logging sink routes job completions to the bq-jobs topic). Runs the gold SQL models.
 */
public final class GoldFunction implements CloudEventsFunction {

  private static final Logger LOG = Logger.getLogger(GoldFunction.class.getName());

  private final Supplier<GoldStep> step;

  /** Used by the Functions Framework: configuration from the environment, clients on first use. */
  public GoldFunction() {
    MedallionConfig config = MedallionConfig.fromEnvironment();
    FunctionLogging.configureFromEnvironment(config.project());
    this.step = Lazy.of(() -> new GoldStep(config, Ports.fromEnvironment(config), SourceRegistry.standard(), Clock.systemUTC()));
  }

  GoldFunction(GoldStep step) {
    this.step = () -> step;
  }

  /** For the local runtime and tests, which build the ports themselves. */
  public static GoldFunction with(GoldStep step) {
    return new GoldFunction(step);
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    Object traceparent = event.getExtension("traceparent");
    try (LogContext context = LogContext.open("gold", traceparent == null ? null : traceparent.toString())) {
      GoldStep s = step.get();
      // Closing the invocation times it and flushes the meters before the function returns.
      try (Metrics.Invocation inv = s.metrics().invocation("gold")) {
        try {
          inv.outcome(s.handle(PubSubEvents.decode(event)).name());
        } catch (InvalidEventException e) {
          inv.outcome("invalid");
          LOG.severe(() -> "gold: rejected event " + event.getId() + ": " + e.getMessage());
        }
      }
    }
  }
}
