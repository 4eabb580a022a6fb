package io.medallion.event;

import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a message that can never be processed: published to the dead-letter topic with the reason,
 * so it is acknowledged (no retry storm) and still never lost.
 */
public final class DeadLetters {

  public static final String ERROR = "medallion_error";
  public static final String FUNCTION = "medallion_function";
  public static final String ORIGINAL_MESSAGE_ID = "medallion_original_message_id";

  private DeadLetters() {}

  public static void keep(MessageBus bus, String topic, String function, PubSubMessage message, String reason)
      throws IOException {
    Map<String, String> attributes = new HashMap<>(message.attributes());
    attributes.put(ERROR, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    attributes.put(FUNCTION, function);
    attributes.put(ORIGINAL_MESSAGE_ID, message.messageId());
    bus.publish(topic, new OutboundMessage(message.data(), attributes));
  }
}
