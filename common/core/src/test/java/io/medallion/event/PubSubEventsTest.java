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

  /** A raw push body wrapped as the event data, as Eventarc or the invoker hands it over. */
  private static CloudEvent pushEnvelope(String fixture) {
    return io.cloudevents.core.builder.CloudEventBuilder.v1().withId("x")
        .withSource(java.net.URI.create("//pubsub.googleapis.com/projects/p/topics/t"))
        .withType(CloudEventTypes.PUBSUB_MESSAGE_PUBLISHED).withDataContentType("application/json")
        .withData(Fixtures.text(fixture).getBytes(StandardCharsets.UTF_8)).build();
  }

  @Test
  void pushEnvelopes_withBothSpellingsOfIdAndTime_decode() throws Exception {
    PubSubMessage min = PubSubEvents.decode(pushEnvelope("04a_pubsub_push_envelope_min.json"));
    assertEquals("2070443601311540", min.messageId());
    assertEquals("Hello Cloud Pub/Sub! Here is my message!", new String(min.data(), StandardCharsets.UTF_8));
    PubSubMessage sink = PubSubEvents.decode(pushEnvelope("04c_logsink_to_pubsub_push_envelope_bq_load_done.json"));
    assertEquals("11223344556677", sink.messageId());
    assertEquals(Instant.parse("2024-05-01T06:00:14.100Z"), sink.publishTime());
    assertTrue(AuditLogEntries.decode(sink.data()).orElseThrow().isLoad());
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
