package io.medallion.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.medallion.Fixtures;
import io.medallion.port.ObjectId;
import io.medallion.port.StoredObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageEventsTest {

  @Test
  void structuredFixture_decodesInt64FieldsGivenAsStrings() throws Exception {
    FinalizedObject o = StorageEvents.decode(Fixtures.structuredEvent("01_gcs_object_finalized_cloudevent_structured.json"));
    assertEquals(new ObjectId("some-bucket", "folder/Test.cs"), o.id());
    assertEquals(1587627537231057L, o.generation());
    assertEquals(352L, o.size());
    assertEquals("text/plain", o.contentType());
    assertEquals(Instant.parse("2020-04-23T07:38:57.230Z"), o.created());
    assertEquals("kF8MuJ5+CTJxvyhHS1xzRg==", o.md5(), "what recognises a file dropped twice");
  }

  @Test
  void binaryModeFixture_decodesTheSameObject() throws Exception {
    FinalizedObject o = StorageEvents.decode(Fixtures.binaryEvent("01b_gcs_object_finalized_http_binary_mode.json"));
    assertEquals("folder/Test.cs", o.id().name());
    assertEquals(1587627537231057L, o.generation());
  }

  @Test
  void encodedEvent_decodesBackWithMetadata() throws Exception {
    StoredObject stored = new StoredObject(
        new ObjectId("medallion-bronze", "breweries/ingest_date=2026-11-23/run_id=r1/_SUCCESS"),
        1763890000123456L, 1234, "application/json", Map.of("medallion-role", "manifest"),
        Instant.parse("2026-11-23T09:00:00.123456Z"), "kF8MuJ5+CTJxvyhHS1xzRg==");
    CloudEvent event = StorageEvents.encode(stored);
    assertEquals(CloudEventTypes.STORAGE_OBJECT_FINALIZED, event.getType());
    assertEquals("objects/" + stored.id().name(), event.getSubject());
    String data = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    assertTrue(data.contains("\"generation\": \"1763890000123456\""), "int64 as a JSON string like GCS: " + data);
    FinalizedObject back = StorageEvents.decode(event);
    assertEquals(stored.id(), back.id());
    assertEquals(stored.generation(), back.generation());
    assertEquals(stored.metadata(), back.metadata());
    assertEquals(stored.created(), back.created());
    assertEquals(stored.md5(), back.md5());
  }

  @Test
  void notification_becomesTheSameFinalizeEvent() throws Exception {
    StoredObject stored = new StoredObject(new ObjectId("medallion-bronze", "breweries/drop.json"), 7, 3,
        "application/json", Map.of(), Instant.parse("2026-01-01T00:00:00Z"), null);
    var message = StorageEvents.notification(stored);
    CloudEvent event = StorageEvents.fromNotification(
        new PubSubMessage("42", message.data(), message.attributes(), Instant.parse("2026-01-01T00:00:01Z")));
    assertEquals(stored.id(), StorageEvents.decode(event).id());
    assertEquals(null, StorageEvents.decode(event).md5(), "an object without an MD5 (a composite) has none");
    assertEquals("objects/breweries/drop.json", event.getSubject());
  }

  @Test
  void objectNameWithPathTricks_isAnInvalidEvent() {
    for (String name : new String[] {"../etc/passwd", "/abs/path.json", "a/../../b.json", "bad\u0000name", "a//b"}) {
      String data = "{\"bucket\":\"medallion-bronze\",\"name\":\"" + name.replace("\u0000", "\\u0000") + "\",\"generation\":\"1\"}";
      CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("//storage.googleapis.com/x"))
          .withType(CloudEventTypes.STORAGE_OBJECT_FINALIZED).withData(data.getBytes(StandardCharsets.UTF_8)).build();
      InvalidEventException e = assertThrows(InvalidEventException.class, () -> StorageEvents.decode(event), name);
      assertTrue(e.getMessage().contains("Invalid object name"), e.getMessage());
    }
  }

  @Test
  void wrongEventType_isAnInvalidEvent() {
    CloudEvent pubsub = Fixtures.structuredEvent("02_pubsub_message_published_cloudevent_structured.json");
    assertThrows(InvalidEventException.class, () -> StorageEvents.decode(pubsub));
  }
}
