package io.medallion.cli;

import io.medallion.local.pubsub.InProcessPubSub;
import io.medallion.local.pubsub.MessageHandler;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.MessageBus;
import java.io.IOException;
import java.time.Duration;

/**
 * Where the local pipeline's messages travel: the in-process bus (default), or the Pub/Sub
 * emulator when {@code PUBSUB_EMULATOR_HOST} is set, so that {@code gcloud pubsub topics publish}
 * reaches the functions.
 */
interface Transport extends AutoCloseable {

  /** What functions publish through. */
  MessageBus bus();

  /** Delivers {@code topic}'s messages to {@code handler}; a throw is a nack. */
  void subscribe(String topic, String subscription, SubscriptionPolicy policy, MessageHandler handler)
      throws IOException;

  /** Waits until nothing is outstanding; false on timeout or when the transport cannot tell. */
  boolean awaitIdle(Duration timeout) throws InterruptedException;

  /** Whether {@link #awaitIdle} can tell at all (the emulator cannot say when it is drained). */
  default boolean tellsIdle() {
    return true;
  }

  /**
   * Whether a message this transport accepted survives this process being killed (the emulator,
   * another process, keeps it; the in-process bus does not).
   */
  default boolean keepsMessages() {
    return false;
  }

  @Override
  void close() throws IOException;

  /** The in-process bus: exact idleness, retries and dead letters as {@link InProcessPubSub} does. */
  static Transport inProcess(String project) {
    InProcessPubSub bus = new InProcessPubSub(project, 4);
    return new Transport() {
      @Override
      public MessageBus bus() {
        return bus;
      }

      @Override
      public void subscribe(String topic, String subscription, SubscriptionPolicy policy, MessageHandler handler) {
        bus.subscribe(topic, subscription, policy, handler);
      }

      @Override
      public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return bus.awaitIdle(timeout);
      }

      @Override
      public void close() {
        bus.close();
      }
    };
  }
}
