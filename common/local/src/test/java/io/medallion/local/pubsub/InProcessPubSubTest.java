package io.medallion.local.pubsub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.PubSubMessage;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InProcessPubSubTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  /** Fast retries so the suite stays quick; still long enough to measure. */
  private static final SubscriptionPolicy FAST =
      SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(30), Duration.ofMillis(200));

  private final InProcessPubSub bus = new InProcessPubSub("test-project", 3);

  @AfterEach
  void close() {
    bus.close();
  }

  private static OutboundMessage message(String text, Map<String, String> attributes) {
    return OutboundMessage.json(text, attributes);
  }

  private static String text(PubSubMessage m) {
    return new String(m.data(), StandardCharsets.UTF_8);
  }

  @Test
  void publishFansOutToEverySubscriptionOfTheTopic() throws Exception {
    List<String> a = Collections.synchronizedList(new ArrayList<>());
    List<String> b = Collections.synchronizedList(new ArrayList<>());
    List<String> other = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe("t", "sub-a", FAST, (m, n) -> a.add(m.messageId() + ":" + text(m)));
    bus.subscribe("t", "sub-b", FAST, (m, n) -> b.add(m.messageId() + ":" + text(m)));
    bus.subscribe("other", "sub-other", FAST, (m, n) -> other.add(text(m)));

    String id1 = bus.publish("t", message("one", Map.of()));
    String id2 = bus.publish("t", message("two", Map.of()));
    String dropped = bus.publish("nobody-listens", message("lost", Map.of()));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(List.of(id1 + ":one", id2 + ":two"), a);
    assertEquals(a, b);
    assertEquals(List.of(), other);
    assertTrue(Long.parseLong(id1) < Long.parseLong(id2));
    assertTrue(Long.parseLong(id2) < Long.parseLong(dropped));
  }

  @Test
  void deliveredMessageCarriesDataAttributesAndPublishTime() throws Exception {
    List<PubSubMessage> got = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe("t", "s", FAST, (m, n) -> got.add(m));
    Instant before = Instant.now();

    String id = bus.publish("t", message("{\"x\":1}", Map.of("k", "v")));

    assertTrue(bus.awaitIdle(WAIT));
    PubSubMessage m = got.get(0);
    assertEquals(id, m.messageId());
    assertEquals("{\"x\":1}", text(m));
    assertEquals(Map.of("k", "v"), m.attributes());
    assertFalse(m.publishTime().isBefore(before));
  }

  @Test
  void acknowledgedMessageIsNotDeliveredAgain() throws Exception {
    AtomicInteger deliveries = new AtomicInteger();
    bus.subscribe("t", "s", FAST, (m, n) -> deliveries.incrementAndGet());

    bus.publish("t", message("x", Map.of()));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(0, bus.outstanding());
    Thread.sleep(FAST.minBackoff().toMillis() * 3);
    assertEquals(1, deliveries.get());
  }

  @Test
  void failingHandlerIsRetriedWithGrowingBackoffUntilItSucceeds() throws Exception {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    List<Long> times = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe(
        "t",
        "s",
        FAST,
        (m, n) -> {
          attempts.add(n);
          times.add(System.nanoTime());
          if (n < 3) {
            throw new IllegalStateException("not yet");
          }
        });

    bus.publish("t", message("x", Map.of()));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(List.of(1, 2, 3), attempts);
    long firstGap = TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0));
    long secondGap = TimeUnit.NANOSECONDS.toMillis(times.get(2) - times.get(1));
    assertTrue(firstGap >= 30, "first backoff " + firstGap + " ms");
    assertTrue(secondGap >= 60, "second backoff " + secondGap + " ms");
  }

  @Test
  void backoffDoublesFromMinimumUpToMaximum() {
    SubscriptionPolicy p =
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(60));

    assertEquals(Duration.ofSeconds(10), p.backoff(1));
    assertEquals(Duration.ofSeconds(20), p.backoff(2));
    assertEquals(Duration.ofSeconds(40), p.backoff(3));
    assertEquals(Duration.ofSeconds(60), p.backoff(4));
    assertEquals(Duration.ofSeconds(60), p.backoff(100));
  }

  @Test
  void alwaysFailingMessageIsDeadLetteredWithPubSubAttributes() throws Exception {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    List<PubSubMessage> dead = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe(
        "t",
        "orders-sub",
        FAST.withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)).withDeadLetter("t-dead", 4),
        (m, n) -> {
          attempts.add(n);
          throw new IOException("x".repeat(1500));
        });
    bus.subscribe("t-dead", "dead-sub", FAST, (m, n) -> dead.add(m));

    String id = bus.publish("t", message("poison", Map.of("a", "b")));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(List.of(1, 2, 3, 4), attempts);
    assertEquals(1, dead.size());
    PubSubMessage d = dead.get(0);
    Map<String, String> attrs = d.attributes();
    assertEquals("poison", text(d));
    assertEquals("b", attrs.get("a"));
    assertEquals("4", attrs.get("CloudPubSubDeadLetterSourceDeliveryCount"));
    assertEquals("orders-sub", attrs.get("CloudPubSubDeadLetterSourceSubscription"));
    assertEquals("test-project", attrs.get("CloudPubSubDeadLetterSourceSubscriptionProject"));
    assertEquals("x".repeat(1000), attrs.get("medallion_last_error"));
    assertTrue(Long.parseLong(d.messageId()) > Long.parseLong(id));
    String published = attrs.get("CloudPubSubDeadLetterSourceTopicPublishTime");
    assertTrue(
        published.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00"), published);
    assertFalse(OffsetDateTime.parse(published).toInstant().isAfter(d.publishTime()));
  }

  @Test
  void errorThrownByHandlerIsANack() throws Exception {
    List<Integer> attempts = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe(
        "t",
        "s",
        FAST,
        (m, n) -> {
          attempts.add(n);
          if (n == 1) {
            throw new AssertionError("an Error, not an Exception");
          }
        });

    bus.publish("t", message("x", Map.of()));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(List.of(1, 2), attempts);
  }

  @Test
  void withoutDeadLetterTopicAFailingMessageStaysOutstanding() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    bus.subscribe(
        "t",
        "s",
        FAST.withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)).withDeadLetter(null, 2),
        (m, n) -> {
          attempts.incrementAndGet();
          throw new IllegalStateException("never");
        });

    bus.publish("t", message("x", Map.of()));

    assertFalse(bus.awaitIdle(Duration.ofMillis(100)));
    assertTrue(attempts.get() > 2, "attempts " + attempts.get());
    assertEquals(1, bus.outstanding());
  }

  @Test
  void awaitIdleWaitsForChainsOfHandlersThatPublish() throws Exception {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe(
        "a",
        "a-sub",
        FAST,
        (m, n) -> {
          bus.publish("b", message(text(m) + ">b", Map.of()));
          Thread.sleep(20); // the ack comes well after the publication is delivered
          seen.add("a");
        });
    bus.subscribe(
        "b",
        "b-sub",
        FAST,
        (m, n) -> {
          if (n == 1) {
            throw new IllegalStateException("b fails once");
          }
          bus.publish("c", message(text(m) + ">c", Map.of()));
        });
    bus.subscribe("c", "c-sub", FAST, (m, n) -> seen.add(text(m)));

    bus.publish("a", message("a", Map.of()));

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(2, seen.size(), "seen " + seen);
    assertEquals(java.util.Set.of("a", "a>b>c"), java.util.Set.copyOf(seen));
  }

  @Test
  void awaitIdleTimesOutWhileAHandlerIsBusy() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    bus.subscribe("t", "s", FAST, (m, n) -> release.await());
    bus.publish("t", message("x", Map.of()));

    long start = System.nanoTime();
    assertFalse(bus.awaitIdle(Duration.ofMillis(50)));
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));

    release.countDown();
    assertTrue(bus.awaitIdle(WAIT));
  }

  @Test
  void concurrencyOneHandlesMessagesOneAtATimeInOrder() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    bus.subscribe(
        "t",
        "s",
        FAST,
        (m, n) -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.sleep(2);
          order.add(text(m));
          running.decrementAndGet();
        });

    for (int i = 0; i < 10; i++) {
      bus.publish("t", message("m" + i, Map.of()));
    }

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(1, maxRunning.get());
    assertEquals(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"), order);
  }

  @Test
  void higherConcurrencyHandlesMessagesInParallel() throws Exception {
    CountDownLatch together = new CountDownLatch(3);
    bus.subscribe(
        "t",
        "s",
        FAST.withConcurrency(3),
        (m, n) -> {
          together.countDown();
          if (!together.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("ran one at a time");
          }
        });

    for (int i = 0; i < 3; i++) {
      bus.publish("t", message("m" + i, Map.of()));
    }

    assertTrue(bus.awaitIdle(WAIT));
    assertEquals(0, together.getCount());
  }

  @Test
  void duplicateSubscriptionNameIsRefused() {
    bus.subscribe("t", "s", FAST, (m, n) -> {});
    assertThrows(IllegalStateException.class, () -> bus.subscribe("u", "s", FAST, (m, n) -> {}));
  }

  @Test
  void closeStopsDeliveryPromptlyAndRefusesPublishing() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    bus.subscribe(
        "t",
        "s",
        FAST,
        (m, n) -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
          }
        });
    bus.publish("t", message("x", Map.of()));
    assertTrue(started.await(5, TimeUnit.SECONDS));

    long start = System.nanoTime();
    bus.close();

    assertTrue(interrupted.await(1, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1));
    assertThrows(IOException.class, () -> bus.publish("t", message("y", Map.of())));
    assertFalse(bus.awaitIdle(Duration.ofSeconds(1)));
  }

  @Test
  void deadLetterArchiveKeepsDeadLettersOnDisk(@TempDir Path dir) throws Exception {
    DeadLetterArchive archive = DeadLetterArchive.attach(bus::subscribe, "dead", dir);
    bus.subscribe(
        "t",
        "failing-sub",
        FAST.withBackoff(Duration.ZERO, Duration.ZERO).withDeadLetter("dead", 1),
        (m, n) -> {
          throw new IllegalArgumentException("bad row");
        });
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe};

    bus.publish("t", message("{\"text\":\"é <b>\"}", Map.of("k", "v")));
    bus.publish("t", new OutboundMessage(binary, Map.of()));
    assertTrue(bus.awaitIdle(WAIT));

    List<DeadLetterArchive.DeadLetter> letters = new DeadLetterArchive(dir).list();
    assertEquals(2, letters.size());
    DeadLetterArchive.DeadLetter first = letters.get(0);
    assertEquals("{\"text\":\"é <b>\"}", text(first.message()));
    assertEquals("v", first.message().attributes().get("k"));
    assertEquals("failing-sub", first.sourceSubscription());
    assertEquals("bad row", first.lastError());
    assertEquals(
        first.message().publishTime().toEpochMilli() + "-" + first.message().messageId()
            + ".json",
        first.file().getFileName().toString());
    assertTrue(Files.readString(first.file()).contains("é <b>"), "data stored as readable text");
    assertArrayEquals(binary, letters.get(1).message().data());
    assertNotNull(archive.directory());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "temporary files left behind");
    }
  }
}
