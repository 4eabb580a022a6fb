package io.medallion.event;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the body a Pub/Sub push subscription POSTs (the "wrapped" envelope: {@code message} and
 * {@code subscription}) into the CloudEvent Eventarc would have delivered for it, so that the
 * functions see one event shape whichever way the message reached them.
 */
public final class PushEnvelopes {

  private static final Pattern SUBSCRIPTION =
      Pattern.compile("projects/([^/]+)/subscriptions/([^/]+)");

  private PushEnvelopes() {}

  /** The Pub/Sub message of {@code body}, its data base64-decoded. */
  public static PubSubMessage message(byte[] body) throws InvalidEventException {
    return PubSubEvents.decode(wrap(body));
  }

  /** The messagePublished event for a push of a message published to {@code topic}. */
  public static CloudEvent messagePublished(byte[] body, String topic) throws InvalidEventException {
    Matcher subscription = subscription(body);
    return PubSubEvents.encode(subscription.group(1), topic, subscription.group(2), message(body));
  }

  /** The finalize event for a push of a GCS {@code OBJECT_FINALIZE} notification. */
  public static CloudEvent storageFinalized(byte[] body) throws InvalidEventException {
    return StorageEvents.fromNotification(message(body));
  }

  private static Matcher subscription(byte[] body) throws InvalidEventException {
    String path;
    try {
      JsonElement root = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
      JsonElement s = root.isJsonObject() ? root.getAsJsonObject().get("subscription") : null;
      path = s != null && s.isJsonPrimitive() ? s.getAsString() : "";
    } catch (JsonParseException e) {
      throw new InvalidEventException("A push body that is not JSON: " + e.getMessage(), e);
    }
    Matcher m = SUBSCRIPTION.matcher(path);
    if (!m.matches()) {
      throw new InvalidEventException(
          "A push body without a subscription path (projects/P/subscriptions/S): '" + path + "'");
    }
    return m;
  }

  private static CloudEvent wrap(byte[] body) {
    return CloudEventBuilder.v1()
        .withId("push")
        .withSource(URI.create("//pubsub.googleapis.com/"))
        .withType(CloudEventTypes.PUBSUB_MESSAGE_PUBLISHED)
        .withDataContentType("application/json")
        .withData(body)
        .build();
  }
}
