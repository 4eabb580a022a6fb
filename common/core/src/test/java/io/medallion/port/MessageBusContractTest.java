package io.medallion.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.PubSubMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageBus} adapter must do. An adapter's test extends this class, supplies
 * the bus, creates topics and reads back what was published to them.
 */
public abstract class MessageBusContractTest {

  protected static final Duration WAIT = Duration.ofSeconds(20);

  /** The bus under test. */
  protected abstract MessageBus bus();

  /**
   * Creates a topic whose name starts with {@code base} and is unique to this call, ready so that
   * {@link #receive} sees every message published to it from now on.
   *
   * @return the short topic name to pass to {@link MessageBus#publish}
   */
  protected abstract String topic(String base) throws Exception;

  /**
   * Waits until {@code count} messages published to {@code topic} have arrived, or the timeout.
   *
   * @return the messages received so far, possibly fewer than {@code count} on timeout
   */
  protected abstract List<PubSubMessage> receive(String topic, int count, Duration timeout)
      throws Exception;

  /**
   * Whether publishing to a topic that was never created fails. Pub/Sub's does (NOT_FOUND); an
   * adapter whose topics exist implicitly overrides this to say so, which skips that case.
   */
  protected boolean topicsMustExist() {
    return true;
  }

  @Test
  void dataAndAttributesArriveIntact() throws Exception {
    String topic = topic("intact");
    byte[] data = {0, (byte) 0xff, (byte) 0xfe, (byte) 0x80, 'a', '\n', (byte) 0xc3}; // not UTF-8
    Map<String, String> attributes =
        Map.of("run_id", "r-1", "ünïcödé", "日本語 ✓ 😀", "empty", "");

    String id = bus().publish(topic, new OutboundMessage(data, attributes));

    List<PubSubMessage> received = receive(topic, 1, WAIT);
    assertEquals(1, received.size(), "received " + received);
    PubSubMessage m = received.get(0);
    assertEquals(id, m.messageId());
    assertArrayEquals(data, m.data());
    assertEquals(attributes, m.attributes());
    assertNotNull(m.publishTime());
  }

  @Test
  void emptyDataWithAttributesArrives() throws Exception {
    String topic = topic("empty");

    bus().publish(topic, new OutboundMessage(new byte[0], Map.of("kind", "marker")));

    List<PubSubMessage> received = receive(topic, 1, WAIT);
    assertEquals(1, received.size(), "received " + received);
    assertArrayEquals(new byte[0], received.get(0).data());
    assertEquals(Map.of("kind", "marker"), received.get(0).attributes());
  }

  @Test
  void messageIdsAreDistinctNonEmptyAndMatchWhatArrives() throws Exception {
    String topic = topic("ids");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(bus().publish(topic, OutboundMessage.json("{\"n\":" + i + "}", Map.of())));
    }

    ids.forEach(id -> assertFalse(id == null || id.isEmpty(), "message id " + id));
    assertEquals(3, new HashSet<>(ids).size(), "ids " + ids);
    Set<String> arrived =
        receive(topic, 3, WAIT).stream().map(PubSubMessage::messageId).collect(Collectors.toSet());
    assertEquals(Set.copyOf(ids), arrived);
  }

  @Test
  void publishToMissingTopicFailsNamingTheTopic() {
    Assumptions.assumeTrue(
        topicsMustExist(), "This bus creates topics implicitly; publishing to any name succeeds");
    String missing = "missing-" + UUID.randomUUID();

    IOException e =
        assertThrows(
            IOException.class,
            () -> bus().publish(missing, OutboundMessage.json("{}", Map.of())));

    assertTrue(
        e.getMessage() != null && e.getMessage().contains(missing),
        "message should name the topic: " + e.getMessage());
  }

  @Test
  void manyConcurrentPublishesAllArrive() throws Exception {
    String topic = topic("many");
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<String, String> published = new TreeMap<>(); // message id -> payload
    try {
      List<Future<Map<String, String>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  Map<String, String> mine = new TreeMap<>();
                  for (int i = 0; i < perThread; i++) {
                    String payload = "{\"t\":" + thread + ",\"i\":" + i + "}";
                    String id = bus().publish(topic, OutboundMessage.json(payload, Map.of()));
                    mine.put(id, payload);
                  }
                  return mine;
                }));
      }
      for (Future<Map<String, String>> f : futures) {
        published.putAll(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * perThread, published.size(), "distinct message ids");

    List<PubSubMessage> received = receive(topic, threads * perThread, WAIT);

    Map<String, String> arrived = new TreeMap<>();
    for (PubSubMessage m : received) {
      arrived.put(m.messageId(), new String(m.data(), StandardCharsets.UTF_8));
    }
    assertEquals(
        new TreeSet<>(published.keySet()), new TreeSet<>(arrived.keySet()), "message ids");
    assertEquals(published, arrived);
  }
}
