package io.medallion.event;

import com.google.events.cloud.storage.v1.StorageObjectData;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Codec for {@code google.cloud.storage.object.v1.finalized} CloudEvents. */
public final class StorageEvents {

  private StorageEvents() {}

  /**
   * The object the event announces. A name with path tricks ({@code ..}, absolute, control
   * characters) is an {@link InvalidEventException}: it is never turned into a path.
   */
  public static FinalizedObject decode(CloudEvent event) throws InvalidEventException {
    PubSubEvents.requireType(event, CloudEventTypes.STORAGE_OBJECT_FINALIZED);
    StorageObjectData.Builder data = StorageObjectData.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(PubSubEvents.body(event), data);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException(
          "Event " + event.getId() + " is not a StorageObjectData: " + e.getMessage(), e);
    }
    ObjectId id;
    try {
      id = new ObjectId(data.getBucket(), data.getName());
    } catch (IllegalArgumentException e) {
      throw new InvalidEventException(e.getMessage(), e);
    }
    Timestamp t = data.getTimeCreated();
    Instant created =
        data.hasTimeCreated()
            ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos())
            : event.getTime() != null ? event.getTime().toInstant() : Instant.EPOCH;
    // https://cloud.google.com/storage/docs/hashes-etags#json-api: composite objects have no MD5.
    String md5 = data.getMd5Hash().isEmpty() ? null : data.getMd5Hash();
    return new FinalizedObject(
        id, data.getGeneration(), data.getSize(), data.getContentType(), data.getMetadataMap(), created, md5);
  }

  /**
   * The Pub/Sub notification GCS publishes for a finalized object (payload format JSON_API_V1):
   * the object resource as JSON, and attributes naming the event.
   */
  public static OutboundMessage notification(StoredObject object) {
    return new OutboundMessage(
        encode(object).getData().toBytes(),
        Map.of(
            "eventType", "OBJECT_FINALIZE",
            "payloadFormat", "JSON_API_V1",
            "bucketId", object.id().bucket(),
            "objectId", object.id().name(),
            "objectGeneration", Long.toString(object.generation()),
            "notificationConfig", "projects/_/buckets/" + object.id().bucket() + "/notificationConfigs/medallion"));
  }

  /**
   * The finalize CloudEvent Eventarc makes of a GCS Pub/Sub notification: the same object JSON as
   * data, with CloudEvent attributes taken from the notification's attributes.
   */
  public static CloudEvent fromNotification(PubSubMessage message) throws InvalidEventException {
    String bucket = message.attributes().get("bucketId");
    String name = message.attributes().get("objectId");
    if (!"OBJECT_FINALIZE".equals(message.attributes().get("eventType")) || bucket == null || name == null) {
      throw new InvalidEventException(
          "Message " + message.messageId() + " is not a GCS OBJECT_FINALIZE notification: " + message.attributes());
    }
    return CloudEventBuilder.v1()
        .withId(message.messageId())
        .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/" + bucket))
        .withType(CloudEventTypes.STORAGE_OBJECT_FINALIZED)
        .withSubject("objects/" + name)
        .withTime(message.publishTime().atOffset(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withExtension("bucket", bucket)
        .withData(message.data())
        .build();
  }

  /** The event GCS (through Eventarc) delivers when {@code object} is finalized. */
  public static CloudEvent encode(StoredObject object) {
    ObjectId id = object.id();
    Timestamp created =
        Timestamp.newBuilder()
            .setSeconds(object.created().getEpochSecond())
            .setNanos(object.created().getNano())
            .build();
    String encodedName = URLEncoder.encode(id.name(), StandardCharsets.UTF_8).replace("+", "%20");
    StorageObjectData.Builder data =
        StorageObjectData.newBuilder()
            .setKind("storage#object")
            .setId(id.bucket() + "/" + id.name() + "/" + object.generation())
            .setBucket(id.bucket())
            .setName(id.name())
            .setGeneration(object.generation())
            .setMetageneration(1)
            .setSize(object.size())
            .setContentType(object.contentType())
            .setStorageClass("STANDARD")
            .setTimeCreated(created)
            .setUpdated(created)
            .setTimeStorageClassUpdated(created)
            .setSelfLink("https://www.googleapis.com/storage/v1/b/" + id.bucket() + "/o/" + encodedName)
            .setMediaLink(
                "https://www.googleapis.com/download/storage/v1/b/" + id.bucket() + "/o/"
                    + encodedName + "?generation=" + object.generation() + "&alt=media")
            .putAllMetadata(object.metadata());
    if (object.md5() != null) {
      data.setMd5Hash(object.md5());
    }
    try {
      return CloudEventBuilder.v1()
          .withId(Long.toString(object.generation()))
          .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/" + id.bucket()))
          .withType(CloudEventTypes.STORAGE_OBJECT_FINALIZED)
          .withSubject("objects/" + id.name())
          .withTime(object.created().atOffset(ZoneOffset.UTC))
          .withDataContentType("application/json")
          .withExtension("bucket", id.bucket())
          .withData(JsonFormat.printer().print(data).getBytes(StandardCharsets.UTF_8))
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }
}
