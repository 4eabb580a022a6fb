package io.medallion.event;

import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import com.google.events.cloud.pubsub.v1.PubsubMessage;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Codec for {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvents: what a
 * Pub/Sub-triggered function receives from Eventarc (and, locally, from the in-process bus).
 */
public final class PubSubEvents {

  private PubSubEvents() {}

  /** The Pub/Sub message inside the event; its {@code data} is already base64-decoded. */
  public static PubSubMessage decode(CloudEvent event) throws InvalidEventException {
    requireType(event, CloudEventTypes.PUBSUB_MESSAGE_PUBLISHED);
    MessagePublishedData.Builder data = MessagePublishedData.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(oneSpelling(body(event)), data);
    } catch (InvalidProtocolBufferException | com.google.gson.JsonParseException e) {
      throw new InvalidEventException(
          "Event " + event.getId() + " is not a MessagePublishedData: " + e.getMessage(), e);
    }
    PubsubMessage m = data.getMessage();
    Timestamp t = m.getPublishTime();
    Instant published =
        m.hasPublishTime()
            ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos())
            : event.getTime() != null ? event.getTime().toInstant() : Instant.EPOCH;
    String id = m.getMessageId().isEmpty() ? event.getId() : m.getMessageId();
    return new PubSubMessage(id, m.getData().toByteArray(), m.getAttributesMap(), published);
  }

  /** The event Eventarc delivers for {@code message} published to {@code topic}. */
  public static CloudEvent encode(
      String project, String topic, String subscription, PubSubMessage message) {
    PubsubMessage.Builder m =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(message.data()))
            .putAllAttributes(message.attributes())
            .setMessageId(message.messageId())
            .setPublishTime(
                Timestamp.newBuilder()
                    .setSeconds(message.publishTime().getEpochSecond())
                    .setNanos(message.publishTime().getNano()));
    MessagePublishedData data =
        MessagePublishedData.newBuilder()
            .setMessage(m)
            .setSubscription("projects/" + project + "/subscriptions/" + subscription)
            .build();
    try {
      return CloudEventBuilder.v1()
          .withId(message.messageId())
          .withSource(URI.create("//pubsub.googleapis.com/projects/" + project + "/topics/" + topic))
          .withType(CloudEventTypes.PUBSUB_MESSAGE_PUBLISHED)
          .withTime(message.publishTime().atOffset(ZoneOffset.UTC))
          .withDataContentType("application/json")
          .withData(JsonFormat.printer().print(data).getBytes(StandardCharsets.UTF_8))
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A Pub/Sub push envelope spells {@code messageId}/{@code message_id} and {@code
   * publishTime}/{@code publish_time} both ways; protobuf's JSON parser reads the two spellings as
   * one field set twice and refuses the message. Keep one spelling of each.
   */
  private static String oneSpelling(String json) {
    com.google.gson.JsonElement root = com.google.gson.JsonParser.parseString(json);
    if (root.isJsonObject() && root.getAsJsonObject().get("message") instanceof com.google.gson.JsonObject message) {
      for (String[] names : new String[][] {{"messageId", "message_id"}, {"publishTime", "publish_time"}}) {
        com.google.gson.JsonElement snake = message.remove(names[1]);
        if (snake != null && !message.has(names[0])) {
          message.add(names[0], snake);
        }
      }
      return root.toString();
    }
    return json;
  }

  static void requireType(CloudEvent event, String type) throws InvalidEventException {
    if (!type.equals(event.getType())) {
      throw new InvalidEventException(
          "Event " + event.getId() + " has type " + event.getType() + ", expected " + type);
    }
  }

  static String body(CloudEvent event) throws InvalidEventException {
    if (event.getData() == null) {
      throw new InvalidEventException("Event " + event.getId() + " has no data");
    }
    return new String(event.getData().toBytes(), StandardCharsets.UTF_8);
  }
}
