package io.medallion.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medallion.logging.LogContext;
import io.medallion.port.MeterExport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {

  /** An export that counts its flushes. */
  static final class CountingExport implements MeterExport {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    int flushes;

    @Override
    public MeterRegistry registry() {
      return registry;
    }

    @Override
    public void flush() {
      flushes++;
    }
  }

  @Test
  void meters_carryTheContractNamesAndTags() {
    CountingExport export = new CountingExport();
    Metrics m = new Metrics(export);
    m.records("bronze", "breweries", 200);
    m.records("bronze", "breweries", 50);
    m.bytes("silver", null, 10);
    m.rejects("breweries", "WRONG_TYPE", 3);
    m.retry("ingest", "breweries");
    m.deadLetter("gold", "breweries");
    m.dqFailures("dim_breweries_brewery_id_unique", "breweries", 4);
    m.job("query", "breweries", Duration.ofMillis(1500));
    m.runLatency("breweries", Duration.ofSeconds(3));

    MeterRegistry r = export.registry;
    assertEquals(250, r.get("medallion.records").tags("layer", "bronze", "source", "breweries").counter().count());
    assertEquals(10, r.get("medallion.bytes").tags("layer", "silver", "source", "unknown").counter().count());
    assertEquals(3, r.get("medallion.rejects").tags("source", "breweries", "reason", "WRONG_TYPE").counter().count());
    assertEquals(1, r.get("medallion.retries").tags("stage", "ingest", "source", "breweries").counter().count());
    assertEquals(1, r.get("medallion.dead_letters").tags("stage", "gold").counter().count());
    assertEquals(4, r.get("medallion.dq.failures").tags("check", "dim_breweries_brewery_id_unique").counter().count());
    assertEquals(1.5, r.get("medallion.job.duration").tags("kind", "query").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) / 1000);
    assertEquals(1, r.get("medallion.run.latency").tags("source", "breweries").timer().count());
    assertEquals(0, export.flushes, "recording never flushes on its own");
  }

  @Test
  void invocation_timesTheStageWithTheSourceAndOutcome_andFlushesOnce() {
    CountingExport export = new CountingExport();
    Metrics m = new Metrics(export);
    try (LogContext ctx = LogContext.open("silver", null);
        Metrics.Invocation inv = m.invocation("silver")) {
      LogContext.run("r1", "breweries");
      inv.outcome("LOADED");
    }
    Timer t = export.registry.find("medallion.stage.duration")
        .tags("stage", "silver", "source", "breweries", "outcome", "loaded").timer();
    assertNotNull(t);
    assertEquals(1, t.count());
    assertEquals(1, export.flushes);
  }

  @Test
  void invocationEndingInAnException_isAnErrorAndStillFlushes() {
    CountingExport export = new CountingExport();
    Metrics m = new Metrics(export);
    assertThrows(IllegalStateException.class, () -> {
      try (Metrics.Invocation inv = m.invocation("gold")) {
        throw new IllegalStateException("retry me");
      }
    });
    assertEquals(1, export.registry.get("medallion.stage.duration")
        .tags("stage", "gold", "source", "unknown", "outcome", "error").timer().count());
    assertEquals(1, export.flushes);
  }
}
