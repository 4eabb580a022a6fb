package io.medallion.port;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A Pub/Sub message to publish: opaque bytes and string attributes. */
public record OutboundMessage(byte[] data, Map<String, String> attributes) {

  public OutboundMessage {
    data = data.clone();
    attributes = Map.copyOf(attributes);
  }

  public static OutboundMessage json(String json, Map<String, String> attributes) {
    return new OutboundMessage(json.getBytes(StandardCharsets.UTF_8), attributes);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
