package io.medallion.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.medallion.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PubSubEventsTest {

  @Test
  void structuredFixture_decodesBase64DataAndAttributes() throws Exception {
    PubSubMessage m = PubSubEvents.decode(Fixtures.structuredEvent("02_pubsub_message_published_cloudevent_structured.json"));
    assertEquals("2070443601311540", m.messageId());
    assertEquals(Map.of("trigger", "scheduler"), m.attributes());
    assertEquals(Instant.parse("2021-02-26T19:13:55.749Z"), m.publishTime());
    assertTrue(new String(m.data(), StandardCharsets.UTF_8).contains("\"source\":\"example-api\""));
  }

  @Test
  void logSinkFixture_carriesTheAuditEntry() throws Exception {
    PubSubMessage m = PubSubEvents.decode(Fixtures.structuredEvent("04d_logsink_to_pubsub_cloudevent_for_gold_function.json"));
    assertTrue(AuditLogEntries.decode(m.data()).orElseThrow().isLoad());
  }

  @Test
  void encodedEvent_hasEventarcShapeAndDecodesBack() throws Exception {
    PubSubMessage original = new PubSubMessage("17", "{\"source\":\"breweries\"}".getBytes(StandardCharsets.UTF_8),
        Map.of("trigger", "cli"), Instant.parse("2026-11-23T09:00:00.5Z"));
    CloudEvent event = PubSubEvents.encode("medallion-local", "run-requests", "ingest", original);
    assertEquals("//pubsub.googleapis.com/projects/medallion-local/topics/run-requests", event.getSource().toString());
    String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    assertTrue(data.contains(Base64.getEncoder().encodeToString(original.data())), data);
    assertTrue(data.contains("projects/medallion-local/subscriptions/ingest"), data);
    PubSubMessage back = PubSubEvents.decode(event);
    assertArrayEquals(original.data(), back.data());
    assertEquals(original.attributes(), back.attributes());
    assertEquals(original.publishTime(), back.publishTime());
  }
}
