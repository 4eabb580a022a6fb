package io.medallion.port;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Port to a metrics backend (Cloud Monitoring on GCP, an in-memory registry locally).
 *
 * <p>An idle Cloud Run instance gets no CPU, so a background publisher alone would lose what an
 * invocation recorded: every function calls {@link #flush()} before it returns.
 */
public interface MeterExport {

  /** Where meters are recorded now; may change after a {@link #flush()}. */
  MeterRegistry registry();

  /**
   * Sends what was recorded since the last flush. Never throws: losing a data point must not make
   * an event look failed (and be retried, doing its work again).
   */
  void flush();
}
