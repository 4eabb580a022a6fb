package io.medallion.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonObject;
import io.cloudevents.CloudEvent;
import io.medallion.Fixtures;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The push entry point hands each function the event Eventarc would have delivered. */
class PushFunctionTest {

  private final List<CloudEvent> received = new ArrayList<>();
  private final CloudEventsFunction recorder = received::add;

  @Test
  void runRequestPush_becomesTheMessagePublishedEventOfItsTopic() throws Exception {
    OutboundMessage request = OutboundMessage.json("{\"source\":\"breweries\"}", Map.of("trigger", "scheduler"));
    PushFunction push = new PushFunction(recorder, body -> PushEnvelopes.messagePublished(body, "run-requests")) {};

    assertEquals(204, call(push, "POST", envelope(request, "42", "projects/my-project/subscriptions/run-requests-ingest")));

    CloudEvent event = received.get(0);
    assertEquals(CloudEventTypes.PUBSUB_MESSAGE_PUBLISHED, event.getType());
    assertEquals("//pubsub.googleapis.com/projects/my-project/topics/run-requests", event.getSource().toString());
    PubSubMessage message = PubSubEvents.decode(event);
    assertEquals("42", message.messageId());
    assertArrayEquals(request.data(), message.data());
    assertEquals(Map.of("trigger", "scheduler"), message.attributes());
  }

  @Test
  void logSinkFixture_reachesGoldAsTheAuditEntry() throws Exception {
    PushFunction push = new PushFunction(recorder, body -> PushEnvelopes.messagePublished(body, "bq-jobs")) {};

    assertEquals(204, call(push, "POST", Fixtures.text("04c_logsink_to_pubsub_push_envelope_bq_load_done.json")));

    PubSubMessage message = PubSubEvents.decode(received.get(0));
    assertEquals("11223344556677", message.messageId());
    assertEquals(true, AuditLogEntries.decode(message.data()).orElseThrow().isLoad());
  }

  @Test
  void gcsNotificationPush_becomesTheFinalizeEventOfTheObject() throws Exception {
    StoredObject object = new StoredObject(new ObjectId("my-project-bronze", "breweries/manual/fixes.ndjson"), 1700000000000001L,
        123, "application/x-ndjson", Map.of("medallion-run-id", "r1"), Instant.parse("2026-11-23T06:00:00Z"), "abc=");
    PushFunction push = new PushFunction(recorder, PushEnvelopes::storageFinalized) {};

    assertEquals(204, call(push, "POST",
        envelope(StorageEvents.notification(object), "7", "projects/my-project/subscriptions/bronze-notifications-silver")));

    FinalizedObject finalized = StorageEvents.decode(received.get(0));
    assertEquals(object.id(), finalized.id());
    assertEquals(object.generation(), finalized.generation());
    assertEquals(object.metadata(), finalized.metadata());
  }

  @Test
  void aBodyThatIsNoEnvelope_is400ForTheDeadLetters_andNothingRuns() throws Exception {
    PushFunction ingest = new PushFunction(recorder, body -> PushEnvelopes.messagePublished(body, "run-requests")) {};
    PushFunction silver = new PushFunction(recorder, PushEnvelopes::storageFinalized) {};
    OutboundMessage notAnObject = OutboundMessage.json("{}", Map.of("eventType", "OBJECT_DELETE"));

    assertEquals(400, call(ingest, "POST", "not json"));
    assertEquals(400, call(ingest, "POST", "{\"message\":{\"data\":\"e30=\",\"messageId\":\"1\"}}"));
    assertEquals(400, call(silver, "POST", envelope(notAnObject, "8", "projects/p/subscriptions/s")));
    assertEquals(405, call(ingest, "GET", ""));
    assertEquals(List.of(), received);
  }

  @Test
  void aFailingFunction_throwsSoThatPubSubRedelivers() {
    IOException transientFault = new IOException("BigQuery unavailable");
    PushFunction push = new PushFunction(e -> { throw transientFault; },
        body -> PushEnvelopes.messagePublished(body, "bq-jobs")) {};

    Exception thrown = assertThrows(Exception.class, () -> call(push, "POST",
        envelope(OutboundMessage.json("{}", Map.of()), "9", "projects/p/subscriptions/s")));
    assertSame(transientFault, thrown);
  }

  private static String envelope(OutboundMessage m, String id, String subscription) {
    JsonObject message = new JsonObject();
    message.addProperty("data", Base64.getEncoder().encodeToString(m.data()));
    JsonObject attributes = new JsonObject();
    m.attributes().forEach(attributes::addProperty);
    message.add("attributes", attributes);
    message.addProperty("messageId", id);
    message.addProperty("message_id", id);
    message.addProperty("publishTime", "2026-11-23T06:00:01.5Z");
    JsonObject root = new JsonObject();
    root.add("message", message);
    root.addProperty("subscription", subscription);
    return root.toString();
  }

  /** Calls the function as the framework does; returns the status code it set (null: none). */
  private static Integer call(PushFunction function, String method, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request = (HttpRequest) Proxy.newProxyInstance(HttpRequest.class.getClassLoader(),
        new Class<?>[] {HttpRequest.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getInputStream" -> new ByteArrayInputStream(bytes);
          default -> throw new UnsupportedOperationException(m.getName());
        });
    Integer[] status = {null};
    HttpResponse response = (HttpResponse) Proxy.newProxyInstance(HttpResponse.class.getClassLoader(),
        new Class<?>[] {HttpResponse.class}, (proxy, m, args) -> {
          if (m.getName().equals("setStatusCode")) {
            status[0] = (Integer) args[0];
          }
          return null;
        });
    function.service(request, response);
    return status[0];
  }
}
