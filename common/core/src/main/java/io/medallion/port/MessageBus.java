package io.medallion.port;

import java.io.IOException;

/**
 * Port to a publish/subscribe system (Pub/Sub, or in-process topics locally).
 *
 * <p>Functions only publish; how messages reach a function (Eventarc, a push subscription, a
 * local subscriber) is wiring outside the function.
 */
public interface MessageBus {

  /**
   * Publishes and waits until the message is accepted, so that a function never acknowledges its
   * own event before what it published is safe.
   *
   * @param topic the short topic name, e.g. {@code run-requests}
   * @return the message id the bus assigned
   * @throws IOException when the message was not accepted; on Pub/Sub this includes a topic that
   *     was never created (the in-process bus creates topics on first use, and keeps nothing for a
   *     topic without subscriptions, like Pub/Sub)
   */
  String publish(String topic, OutboundMessage message) throws IOException;
}
