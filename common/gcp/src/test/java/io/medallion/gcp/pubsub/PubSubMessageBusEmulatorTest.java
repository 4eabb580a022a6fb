package io.medallion.gcp.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.medallion.event.PubSubMessage;
import io.medallion.port.MessageBus;
import io.medallion.port.MessageBusContractTest;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The {@link MessageBus} contract on {@link PubSubMessageBus} against a real Pub/Sub emulator
 * (see {@link PubSubEmulator}); messages are read back by synchronous pull.
 */
class PubSubMessageBusEmulatorTest extends MessageBusContractTest {

  private static final String PROJECT = "medallion-test";
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private static PubSubEmulator emulator;
  /** Why there is no emulator, when the tests are skipped rather than failed. */
  private static String skipReason;
  private static EmulatorChannel channel;
  private static TopicAdminClient topicAdmin;
  private static SubscriptionAdminClient subscriptionAdmin;

  private PubSubMessageBus bus;
  private final Map<String, SubscriptionName> subscriptions = new ConcurrentHashMap<>();

  @BeforeAll
  static void startEmulator() throws IOException {
    try {
      emulator = PubSubEmulator.start();
    } catch (TestAbortedException e) {
      // Skip each test with the reason rather than the class: surefire reports a class aborted
      // in @BeforeAll as "Tests run: 0", which hides that anything was skipped.
      skipReason = e.getMessage();
      return;
    }
    channel = EmulatorChannel.open(emulator.hostPort());
    topicAdmin = channel.topicAdmin();
    subscriptionAdmin = channel.subscriptionAdmin();
  }

  @AfterAll
  static void stopEmulator() throws InterruptedException {
    if (topicAdmin != null) {
      topicAdmin.close();
    }
    if (subscriptionAdmin != null) {
      subscriptionAdmin.close();
    }
    if (channel != null) {
      channel.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @BeforeEach
  void createBus() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
    bus = PubSubMessageBus.forEmulator(PROJECT, emulator.hostPort());
  }

  @AfterEach
  void closeBus() {
    if (bus != null) {
      bus.close();
    }
  }

  @Override
  protected MessageBus bus() {
    return bus;
  }

  /** A topic with one pull subscription, so that nothing published from now on is lost. */
  @Override
  protected String topic(String base) {
    String topic = base + "-" + TOPICS.incrementAndGet();
    TopicName topicName = TopicName.of(PROJECT, topic);
    topicAdmin.createTopic(topicName);
    SubscriptionName subscription = SubscriptionName.of(PROJECT, topic + "-sub");
    subscriptionAdmin.createSubscription(
        subscription, topicName, PushConfig.getDefaultInstance(), 60);
    subscriptions.put(topic, subscription);
    return topic;
  }

  @Override
  @SuppressWarnings("deprecation") // returnImmediately: the emulator would otherwise hold the pull
  protected List<PubSubMessage> receive(String topic, int count, Duration timeout)
      throws InterruptedException {
    SubscriptionName subscription = subscriptions.get(topic);
    List<PubSubMessage> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count && System.nanoTime() < deadline) {
      PullResponse response =
          subscriptionAdmin.pull(
              PullRequest.newBuilder()
                  .setSubscription(subscription.toString())
                  .setMaxMessages(count - received.size())
                  .setReturnImmediately(true)
                  .build());
      List<String> ackIds = new ArrayList<>();
      for (ReceivedMessage r : response.getReceivedMessagesList()) {
        ackIds.add(r.getAckId());
        received.add(
            new PubSubMessage(
                r.getMessage().getMessageId(),
                r.getMessage().getData().toByteArray(),
                r.getMessage().getAttributesMap(),
                Instant.ofEpochSecond(
                    r.getMessage().getPublishTime().getSeconds(),
                    r.getMessage().getPublishTime().getNanos())));
      }
      if (ackIds.isEmpty()) {
        Thread.sleep(50);
      } else {
        subscriptionAdmin.acknowledge(subscription, ackIds);
      }
    }
    return received;
  }

  @Test
  void publisherIsCreatedOncePerTopicAndShutDownOnClose() throws Exception {
    String a = topic("lazy-a");
    String b = topic("lazy-b");
    Map<String, AtomicInteger> created = new ConcurrentHashMap<>();
    List<Publisher> publishers = new ArrayList<>();
    PubSubMessageBus counting =
        new PubSubMessageBus(
            PROJECT,
            topic -> {
              created.computeIfAbsent(topic.getTopic(), t -> new AtomicInteger()).incrementAndGet();
              Publisher p =
                  Publisher.newBuilder(topic)
                      .setChannelProvider(channel.provider())
                      .setCredentialsProvider(channel.credentials())
                      .build();
              synchronized (publishers) {
                publishers.add(p);
              }
              return p;
            });
    try (counting) {
      assertTrue(created.isEmpty(), "no publisher before the first publish");
      for (int i = 0; i < 3; i++) {
        counting.publish(a, OutboundMessage.json("{}", Map.of()));
        counting.publish(b, OutboundMessage.json("{}", Map.of()));
      }
      assertEquals(1, created.get(a).get());
      assertEquals(1, created.get(b).get());
      assertEquals(3, receive(a, 3, WAIT).size());
    }
    // The shared test channel stays open: only the bus's publishers were shut down.
    for (Publisher p : publishers) {
      assertTrue(p.awaitTermination(0, TimeUnit.SECONDS), "publisher terminated");
    }
  }

  @Test
  void publishAfterCloseFailsNamingTheTopic() throws Exception {
    String topic = topic("closed");
    bus.publish(topic, OutboundMessage.json("{}", Map.of()));
    bus.close();
    bus.close(); // idempotent

    IOException e =
        assertThrows(
            IOException.class, () -> bus.publish(topic, OutboundMessage.json("{}", Map.of())));
    assertTrue(e.getMessage().contains("projects/" + PROJECT + "/topics/" + topic), e.getMessage());
  }

  @Test
  void missingTopicErrorCarriesTheFullTopicNameAndCause() {
    IOException e =
        assertThrows(
            IOException.class,
            () -> bus.publish("never-created", OutboundMessage.json("{}", Map.of())));
    assertTrue(
        e.getMessage()
            .startsWith("Failed to publish to projects/" + PROJECT + "/topics/never-created: "),
        e.getMessage());
    // The emulator, like Pub/Sub, does not create topics on publish.
    ApiException cause = assertInstanceOf(ApiException.class, e.getCause());
    assertEquals(StatusCode.Code.NOT_FOUND, cause.getStatusCode().getCode());
  }
}
