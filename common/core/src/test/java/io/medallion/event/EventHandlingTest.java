package io.medallion.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.medallion.logging.LogContext;
import io.medallion.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class EventHandlingTest {

  private static final Logger LOG = Logger.getLogger(EventHandlingTest.class.getName());
  private static final CloudEvent EVENT =
      CloudEventBuilder.v1().withId("e1").withSource(URI.create("//test")).withType("t").build();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Metrics metrics = Metrics.of(registry);

  private long timed(String stage, String source, String outcome) {
    var t = registry.find(Metrics.STAGE_DURATION).tags("stage", stage, "source", source, "outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void handledEvent_isTimedWithItsOutcomeAndTheSourceTheStepFound() throws Exception {
    EventHandling.handle("gold", EVENT, () -> metrics, e -> {
      LogContext.run("r1", "breweries");
      return "BUILT";
    }, LOG);
    assertEquals(1, timed("gold", "breweries", "built"));
  }

  @Test
  void eventOfAnotherKind_isAcknowledgedAndTimedAsInvalid() throws Exception {
    EventHandling.handle("silver", EVENT, () -> metrics, e -> {
      throw new InvalidEventException("not a storage event");
    }, LOG);
    assertEquals(1, timed("silver", "unknown", "invalid"));
  }

  @Test
  void anyOtherFailure_propagatesForARetry_andIsTimedAsAnError() {
    IOException e = assertThrows(IOException.class, () -> EventHandling.handle("ingest", EVENT, () -> metrics, ev -> {
      throw new IOException("API down");
    }, LOG));
    assertEquals("API down", e.getMessage());
    assertEquals(1, timed("ingest", "unknown", "error"));
  }
}
