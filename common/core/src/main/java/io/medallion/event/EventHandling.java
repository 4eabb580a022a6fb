package io.medallion.event;

import io.cloudevents.CloudEvent;
import io.medallion.logging.LogContext;
import io.medallion.metrics.Metrics;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * What every function does around its step: the event's log context, the invocation timed with
 * its outcome and the meters flushed before it returns, and an event that is not of the
 * function's kind logged once and acknowledged (it cannot become one, so retrying is useless).
 * Any other exception propagates: throwing is the retry signal.
 */
public final class EventHandling {

  /** Decodes the event and hands it to the step; returns the outcome's name. */
  @FunctionalInterface
  public interface Handler {
    String handle(CloudEvent event) throws Exception;
  }

  private EventHandling() {}

  /**
   * Handles {@code event} as {@code stage}.
   *
   * @param metrics the step's meters, asked for inside the log context (the step may be built on
   *     this first event)
   */
  public static void handle(String stage, CloudEvent event, Supplier<Metrics> metrics, Handler handler, Logger log)
      throws Exception {
    Object traceparent = event.getExtension("traceparent");
    try (LogContext context = LogContext.open(stage, traceparent == null ? null : traceparent.toString());
        Metrics.Invocation invocation = metrics.get().invocation(stage)) {
      try {
        invocation.outcome(handler.handle(event));
      } catch (InvalidEventException e) {
        invocation.outcome("invalid");
        log.severe(() -> stage + ": rejected event " + event.getId() + ": " + e.getMessage());
      }
    }
  }
}
