package io.medallion.gcp.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.metrics.Metrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.stackdriver.StackdriverMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackdriverMeterExportTest {

  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void flush_closesTheInvocationsRegistry_soItsStepIsPublished_andTheNextEventGetsAFreshOne() {
    List<SimpleMeterRegistry> built = new ArrayList<>();
    HandClock clock = new HandClock();
    StackdriverMeterExport export = new StackdriverMeterExport(() -> {
      SimpleMeterRegistry r = new SimpleMeterRegistry();
      built.add(r);
      return r;
    }, clock);
    Metrics metrics = new Metrics(export);
    assertTrue(built.isEmpty(), "nothing is built before the first meter");

    metrics.records("bronze", "breweries", 200);
    metrics.flush();
    assertEquals(1, built.size());
    assertTrue(built.get(0).isClosed(), "closing a step registry publishes its partial step");
    assertEquals(200, built.get(0).get(Metrics.RECORDS).counter().count());

    clock.now = clock.now.plusSeconds(60);
    metrics.records("bronze", "breweries", 5);
    assertEquals(2, built.size());
    assertEquals(5, built.get(1).get(Metrics.RECORDS).counter().count(), "only the new invocation's points");
  }

  @Test
  void flushSoonAfterTheLast_keepsTheRegistryOpen_untilMonitoringAcceptsAnotherPoint() {
    HandClock clock = new HandClock();
    List<SimpleMeterRegistry> built = new ArrayList<>();
    StackdriverMeterExport export = new StackdriverMeterExport(() -> {
      SimpleMeterRegistry r = new SimpleMeterRegistry();
      built.add(r);
      return r;
    }, clock);
    MeterRegistry first = export.registry();
    export.flush();
    assertTrue(first.isClosed());

    clock.now = clock.now.plusSeconds(2);
    MeterRegistry second = export.registry();
    export.flush();
    assertFalse(second.isClosed(), "2 s after the last flush: points wait for the next one");
    assertSame(second, export.registry());

    clock.now = clock.now.plus(StackdriverMeterExport.MIN_INTERVAL);
    export.flush();
    assertTrue(second.isClosed());
    assertNotSame(second, export.registry());
  }

  @Test
  void realRegistry_buildsOffline_andNamesMetricTypesAsTheReadmeSays() {
    StackdriverMeterRegistry registry = StackdriverMeterRegistry.builder(
        StackdriverMeterExport.config("medallion-project", false, Map.of("job", "medallion-gold"))).build();
    try {
      new Metrics(new StackdriverMeterExport(() -> registry, Clock.systemUTC())).records("gold", "breweries", 1);
      Meter.Id id = registry.get(Metrics.RECORDS).counter().getId();
      // The registry's metric type is "custom.googleapis.com/" + this name.
      assertEquals("medallion/records", id.getConventionName(registry.config().namingConvention()));
      assertEquals("medallion/stage/duration",
          registry.config().namingConvention().name(Metrics.STAGE_DURATION, Meter.Type.TIMER));
      assertEquals("medallion/dead_letters",
          registry.config().namingConvention().name(Metrics.DEAD_LETTERS, Meter.Type.COUNTER));
    } finally {
      registry.close();
    }
  }
}
