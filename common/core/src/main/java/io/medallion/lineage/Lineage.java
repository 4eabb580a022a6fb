package io.medallion.lineage;

import com.google.gson.JsonObject;
import io.medallion.metrics.Metrics;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the steps call to emit lineage. Lineage never fails the pipeline: building or sending an
 * event that throws is logged (one WARNING line starting {@value #NOT_SENT}) and counted in the
 * meter {@value #FAILURES}, and the step goes on. A run that fails still sends its FAIL event.
 * Events over the sink's size limit are split ({@link EventSplitter}), never dropped.
 */
public final class Lineage {

  private static final Logger LOG = Logger.getLogger(Lineage.class.getName());

  /** Starts the log line of an event that was not delivered. */
  public static final String NOT_SENT = "lineage event not sent";
  /** The counter of events (or parts) not delivered, tagged by job. */
  public static final String FAILURES = "medallion.lineage.failures";

  private final LineageSink sink;
  private final Metrics metrics;

  public Lineage(LineageSink sink, Metrics metrics) {
    this.sink = sink;
    this.metrics = metrics;
  }

  /** Builds and sends an event; whatever fails is logged and counted, never thrown. */
  public void emit(String job, Supplier<JsonObject> event) {
    List<JsonObject> parts;
    try {
      parts = EventSplitter.split(event.get(), sink.maxEventBytes());
    } catch (RuntimeException e) {
      failed(job, e);
      return;
    }
    for (JsonObject part : parts) {
      try {
        sink.send(part);
      } catch (Exception e) {
        failed(job, e);
      }
    }
  }

  private void failed(String job, Exception e) {
    LOG.log(Level.WARNING, NOT_SENT + " (job " + job + "): " + e, e);
    try {
      metrics.registry().counter(FAILURES, "job", job).increment();
    } catch (RuntimeException ignored) {
      // The counter is a courtesy: the log line above already says it.
    }
  }
}
