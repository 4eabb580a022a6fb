package io.medallion.local.pubsub;

import io.medallion.event.PubSubMessage;

/**
 * Receives the messages of one subscription. Returning normally acknowledges the message;
 * throwing anything (an exception or an error) negatively acknowledges it, so it is redelivered
 * after the subscription's backoff or dead-lettered.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * @param deliveryAttempt 1 for the first delivery, incremented on each redelivery
   */
  void handle(PubSubMessage message, int deliveryAttempt) throws Exception;
}
