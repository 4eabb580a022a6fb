package io.medallion.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The door of a stream source: each record its own message (a BigQuery subscription writes one
 * row per message), every one acknowledged before the answer; the checks are the files door's.
 */
class PushReceiverStreamTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private final List<OutboundMessage> published = new ArrayList<>();
  private int failAt = -1;

  private final MessageBus bus = (topic, message) -> {
    if (published.size() == failAt) {
      throw new IOException("the bus is down");
    }
    published.add(message);
    return "m" + published.size();
  };

  private PushReceiver.Answer post(String body) throws IOException {
    PushReceiver receiver = new PushReceiver(
        Map.of("transactions", new PushReceiver.Door("push-transactions", null, 10_000, null, true)), bus,
        new PushReceiver.IdempotencyKeys() {
          @Override
          public boolean seen(String source, String key) {
            return false;
          }

          @Override
          public void remember(String source, String key) {}
        }, Clock.fixed(NOW, ZoneOffset.UTC));
    return receiver.receive(new PushReceiver.Push("transactions", Map.of(),
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void streamDoor_publishesEachRecordAsItsOwnMessage_beforeAnswering() throws Exception {
    PushReceiver.Answer a = post("[{\"transaction_id\":\"t1\"}, {\"transaction_id\":\"t2\"}, {\"transaction_id\":\"t3\"}]");

    assertEquals(202, a.status(), a.toString());
    assertEquals(3L, a.body().get("records"));
    assertEquals(List.of("{\"transaction_id\":\"t1\"}", "{\"transaction_id\":\"t2\"}", "{\"transaction_id\":\"t3\"}"),
        published.stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList());
    published.forEach(m -> assertEquals("1", m.attributes().get("records")));
    assertEquals("transactions", published.get(0).attributes().get("source"));
  }

  @Test
  void streamDoor_refusesWhatTheFilesDoorRefuses_publishingNothing() throws Exception {
    assertEquals(400, post("[{\"transaction_id\":\"t1\"}, 42]").status());
    assertEquals(400, post("[{\"transaction_id\":").status());
    assertEquals(List.of(), published);
  }

  @Test
  void aBusFailurePartWay_isNoAnswer_soTheSenderRetries() {
    failAt = 1;
    assertThrows(IOException.class, () -> post("{\"transaction_id\":\"t1\"}\n{\"transaction_id\":\"t2\"}\n"));
    assertEquals(1, published.size());
  }
}
