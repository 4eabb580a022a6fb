package io.medallion.event;

import java.time.Instant;
import java.util.Map;

/**
 * A Pub/Sub message as a subscriber receives it: what a messagePublished CloudEvent carries in
 * {@code data.message}.
 */
public record PubSubMessage(
    String messageId, byte[] data, Map<String, String> attributes, Instant publishTime) {

  public PubSubMessage {
    data = data.clone();
    attributes = Map.copyOf(attributes);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
