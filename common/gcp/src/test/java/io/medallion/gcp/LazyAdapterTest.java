package io.medallion.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyAdapterTest {

  private static final OutboundMessage MESSAGE = new OutboundMessage(new byte[] {1}, Map.of());

  @Test
  void buildsTheAdapterOnTheFirstCall_once_andDelegatesEveryCall() throws Exception {
    AtomicInteger built = new AtomicInteger();
    AtomicInteger published = new AtomicInteger();
    MessageBus bus = LazyAdapter.of(MessageBus.class, () -> {
      built.incrementAndGet();
      return (topic, message) -> topic + "-" + published.incrementAndGet();
    });
    assertEquals(0, built.get(), "built before first use");
    assertFalse(LazyAdapter.isBuilt(bus));
    assertTrue(bus.toString().contains("not built"), bus.toString());
    assertEquals("t-1", bus.publish("t", MESSAGE));
    assertEquals("u-2", bus.publish("u", MESSAGE));
    assertEquals(1, built.get(), "built once");
    assertTrue(LazyAdapter.isBuilt(bus));
    assertSame(LazyAdapter.adapter(bus), LazyAdapter.adapter(bus));
    assertEquals(bus, bus);
  }

  @Test
  void theAdaptersOwnExceptionReachesTheCaller_unwrapped() {
    MessageBus bus = LazyAdapter.of(MessageBus.class, () -> (topic, message) -> {
      throw new IOException("no such topic " + topic);
    });
    IOException e = assertThrows(IOException.class, () -> bus.publish("t", MESSAGE));
    assertEquals("no such topic t", e.getMessage());
  }

  @Test
  void aFailedBuild_reachesTheCaller_andIsTriedAgainOnTheNextCall() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    MessageBus bus = LazyAdapter.of(MessageBus.class, () -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IllegalStateException("no credentials");
      }
      return (topic, message) -> "ok";
    });
    assertThrows(IllegalStateException.class, () -> bus.publish("t", MESSAGE));
    assertEquals("ok", bus.publish("t", MESSAGE));
  }
}
