package io.medallion.local.pubsub;

import io.medallion.event.PubSubMessage;
import io.medallion.port.MessageBus;
import io.medallion.port.MessageBusContractTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** The {@link MessageBus} contract on {@link InProcessPubSub}, read back through subscribe(). */
class InProcessPubSubContractTest extends MessageBusContractTest {

  private final InProcessPubSub bus = new InProcessPubSub("contract", 4);
  private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();
  private final AtomicInteger topics = new AtomicInteger();

  @AfterEach
  void close() {
    bus.close();
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }

  @Override
  protected String topic(String base) {
    String topic = base + "-" + topics.incrementAndGet();
    Inbox inbox = new Inbox();
    inboxes.put(topic, inbox);
    bus.subscribe(topic, topic + "-sub", SubscriptionPolicy.DEFAULT, (m, attempt) -> inbox.add(m));
    return topic;
  }

  @Override
  protected List<PubSubMessage> receive(String topic, int count, Duration timeout)
      throws InterruptedException {
    return inboxes.get(topic).await(count, timeout);
  }

  /** Topics exist as soon as they are named: a message to one without subscribers is dropped. */
  @Override
  protected boolean topicsMustExist() {
    return false;
  }

  /** Messages one subscription has handled, in arrival order. */
  private static final class Inbox {
    private final List<PubSubMessage> messages = new ArrayList<>(); // guarded by this

    synchronized void add(PubSubMessage m) {
      messages.add(m);
      notifyAll();
    }

    synchronized List<PubSubMessage> await(int count, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (messages.size() < count) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(this, remaining);
      }
      return List.copyOf(messages);
    }
  }
}
