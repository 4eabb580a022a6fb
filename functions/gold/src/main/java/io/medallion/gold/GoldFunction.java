package io.medallion.gold;

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
    this.step = Lazy.of(() -> new GoldStep(config, Ports.fromEnvironment(config), SourceRegistry.standardOnFirstUse(), Clock.systemUTC()));
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
    EventHandling.handle("gold", event, () -> step.get().metrics(), e -> step.get().handle(PubSubEvents.decode(e)).name(), LOG);
  }
}
