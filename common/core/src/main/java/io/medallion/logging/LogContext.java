package io.medallion.logging;

import java.util.HashMap;
import java.util.Map;

/**
 * What the event being handled is about (stage, run, source, trace), attached to every log line
 * written on the handling thread. A function opens it per event; steps add the run once known.
 */
public final class LogContext implements AutoCloseable {

  private static final ThreadLocal<Map<String, String>> CURRENT = ThreadLocal.withInitial(HashMap::new);

  private final Map<String, String> previous;

  private LogContext(Map<String, String> previous) {
    this.previous = previous;
  }

  /**
   * Starts the context of one event.
   *
   * @param traceparent the W3C {@code traceparent} the event carried, or null
   */
  public static LogContext open(String stage, String traceparent) {
    Map<String, String> previous = CURRENT.get();
    Map<String, String> next = new HashMap<>();
    next.put("stage", stage);
    String traceId = traceId(traceparent);
    if (traceId != null) {
      next.put("trace", traceId);
    }
    CURRENT.set(next);
    return new LogContext(previous);
  }

  /** Adds the run (and its source) to the current event's lines. */
  public static void run(String runId, String source) {
    if (runId != null) {
      CURRENT.get().put("run_id", runId);
    }
    if (source != null) {
      CURRENT.get().put("source", source);
    }
  }

  /** The source of the event being handled, or null while unknown. */
  public static String source() {
    return CURRENT.get().get("source");
  }

  static Map<String, String> current() {
    return Map.copyOf(CURRENT.get());
  }

  /** The trace id of a {@code 00-<trace>-<span>-<flags>} header, or null. */
  static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String[] parts = traceparent.trim().split("-");
    return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") ? parts[1] : null;
  }

  @Override
  public void close() {
    CURRENT.set(previous);
  }
}
