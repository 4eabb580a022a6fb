package io.medallion.cli;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.pubsub.v1.MessageReceiver;
import com.google.cloud.pubsub.v1.Subscriber;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.util.Durations;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import com.google.pubsub.v1.UpdateSubscriptionRequest;
import com.google.protobuf.FieldMask;
import io.medallion.event.PubSubMessage;
import io.medallion.gcp.pubsub.EmulatorChannel;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.local.pubsub.MessageHandler;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.MessageBus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The pipeline's topics and subscriptions on the real Pub/Sub emulator: topics and subscriptions
 * are created when missing (with the retry and dead-letter policy asked for), and each
 * subscription is served by a streaming-pull {@link Subscriber} that acks on success and nacks on
 * a throw, so redelivery is Pub/Sub's own.
 */
final class EmulatorTransport implements Transport {

  private static final Logger LOG = Logger.getLogger(EmulatorTransport.class.getName());

  /**
   * The subscriptions' ack deadline. A message a process received and never acked (it was killed)
   * is delivered again only when its deadline passes, so a long deadline (600 s, as before) kept a
   * restarted serve waiting ten minutes for the work the last one held. The client library extends
   * the lease of a message while its handler runs (up to an hour), so a short deadline costs a
   * long-running ingest nothing.
   */
  static final Duration ACK_DEADLINE = Duration.ofSeconds(20);

  private final String project;
  private final Duration ackDeadline;
  private final EmulatorChannel emulator;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;
  private final PubSubMessageBus bus;
  private final List<Subscriber> subscribers = new ArrayList<>();
  private final Set<String> knownTopics = new HashSet<>();

  EmulatorTransport(String project, String hostPort) throws IOException {
    this(project, hostPort, ACK_DEADLINE);
  }

  /** With another ack deadline (tests make it short to see a lease run out). */
  EmulatorTransport(String project, String hostPort, Duration ackDeadline) throws IOException {
    this.project = project;
    this.ackDeadline = ackDeadline;
    this.emulator = EmulatorChannel.open(hostPort);
    this.topics = emulator.topicAdmin();
    this.subscriptions = emulator.subscriptionAdmin();
    this.bus = PubSubMessageBus.forEmulator(project, hostPort);
  }

  @Override
  public MessageBus bus() {
    return bus;
  }

  /** Creates the topic unless it exists. */
  synchronized void ensureTopic(String topic) {
    if (knownTopics.add(topic)) {
      try {
        topics.createTopic(TopicName.of(project, topic));
      } catch (AlreadyExistsException e) {
        // created by an earlier serve or by gcloud: fine
      }
    }
  }

  @Override
  public synchronized void subscribe(String topic, String subscription, SubscriptionPolicy policy, MessageHandler handler) {
    ensureTopic(topic);
    ProjectSubscriptionName name = ProjectSubscriptionName.of(project, subscription);
    Subscription.Builder spec = Subscription.newBuilder()
        .setName(name.toString())
        .setTopic(TopicName.of(project, topic).toString())
        .setAckDeadlineSeconds((int) ackDeadline.toSeconds())
        .setRetryPolicy(RetryPolicy.newBuilder()
            .setMinimumBackoff(Durations.fromMillis(policy.minBackoff().toMillis()))
            .setMaximumBackoff(Durations.fromMillis(policy.maxBackoff().toMillis())));
    if (policy.deadLetterTopic() != null) {
      ensureTopic(policy.deadLetterTopic());
      spec.setDeadLetterPolicy(DeadLetterPolicy.newBuilder()
          .setDeadLetterTopic(TopicName.of(project, policy.deadLetterTopic()).toString())
          .setMaxDeliveryAttempts(Math.max(5, policy.maxDeliveryAttempts())));
    }
    try {
      subscriptions.createSubscription(spec.build());
    } catch (AlreadyExistsException e) {
      // Kept from an earlier serve, whose backlog is delivered now: with today's deadline and
      // policies, not those it was created with (an older serve made the deadline 600 s).
      subscriptions.updateSubscription(UpdateSubscriptionRequest.newBuilder()
          .setSubscription(spec.build())
          .setUpdateMask(FieldMask.newBuilder()
              .addPaths("ack_deadline_seconds").addPaths("retry_policy").addPaths("dead_letter_policy"))
          .build());
    }
    MessageReceiver receiver = (message, consumer) -> {
      PubSubMessage m = new PubSubMessage(
          message.getMessageId(), message.getData().toByteArray(), message.getAttributesMap(),
          Instant.ofEpochSecond(message.getPublishTime().getSeconds(), message.getPublishTime().getNanos()));
      try {
        handler.handle(m, 1);
        consumer.ack();
      } catch (Exception e) {
        LOG.warning(() -> subscription + ": message " + m.messageId() + " nacked: " + e.getMessage());
        consumer.nack();
      }
    };
    // Leases are extended while a handler runs, in steps no longer than the deadline, so a process
    // that dies stops extending them and its messages come back within one deadline.
    Subscriber subscriber = Subscriber.newBuilder(name, receiver).setChannelProvider(emulator.provider())
        .setCredentialsProvider(emulator.credentials())
        .setMaxDurationPerAckExtensionDuration(ackDeadline)
        .setMaxAckExtensionPeriodDuration(Duration.ofHours(1))
        .build();
    subscriber.startAsync().awaitRunning();
    subscribers.add(subscriber);
  }

  /**
   * Cuts the connection to the emulator without stopping anything cleanly: no ack, no nack, no
   * lease extension reaches it any more, as when the process is killed (tests).
   */
  void abandonForTest() {
    emulator.close();
  }

  /** The emulator cannot say when all subscriptions are drained: callers poll their own state. */
  @Override
  public boolean awaitIdle(Duration timeout) {
    return false;
  }

  @Override
  public boolean tellsIdle() {
    return false;
  }

  @Override
  public boolean keepsMessages() {
    return true;
  }

  @Override
  public void close() throws IOException {
    for (Subscriber s : subscribers) {
      s.stopAsync();
    }
    for (Subscriber s : subscribers) {
      try {
        s.awaitTerminated(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        LOG.warning("A subscriber did not stop within 10 s");
      }
    }
    bus.close();
    topics.close();
    subscriptions.close();
    emulator.close();
  }
}
