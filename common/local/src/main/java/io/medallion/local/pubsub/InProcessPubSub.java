package io.medallion.local.pubsub;

import io.medallion.event.PubSubMessage;
import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * In-process topics and subscriptions with Pub/Sub's delivery semantics: fan-out to every
 * subscription of a topic (none: the message is dropped), at-least-once delivery, redelivery
 * with exponential backoff on nack, and dead-lettering after a number of attempts with the
 * attributes Pub/Sub adds.
 *
 * <p>Handlers run on a small shared pool. {@link #awaitIdle} tells when every message published
 * so far, and everything published while handling them, has been acknowledged or dead-lettered.
 * Messages live in memory only: whatever is outstanding at {@link #close} is lost.
 */
public final class InProcessPubSub implements MessageBus, AutoCloseable {

  /** Attributes Pub/Sub adds to a message it forwards to a dead-letter topic. */
  public static final String DELIVERY_COUNT_ATTRIBUTE = "CloudPubSubDeadLetterSourceDeliveryCount";

  public static final String SOURCE_SUBSCRIPTION_ATTRIBUTE =
      "CloudPubSubDeadLetterSourceSubscription";
  public static final String SOURCE_PROJECT_ATTRIBUTE =
      "CloudPubSubDeadLetterSourceSubscriptionProject";
  public static final String SOURCE_PUBLISH_TIME_ATTRIBUTE =
      "CloudPubSubDeadLetterSourceTopicPublishTime";

  /** Ours, not Pub/Sub's: why the last attempt failed, so a dead letter explains itself. */
  public static final String LAST_ERROR_ATTRIBUTE = "medallion_last_error";

  static final int MAX_ERROR_LENGTH = 1000;

  /** The form Pub/Sub uses for the source publish time, e.g. 2022-08-12T15:56:29.732+00:00. */
  private static final DateTimeFormatter PUBLISH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

  private static final Logger LOG = Logger.getLogger(InProcessPubSub.class.getName());

  private final String projectId;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicLong lastMessageId = new AtomicLong();
  private final Map<String, List<Subscription>> topics = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  /**
   * Deliveries from publish until ack or dead-letter, summed over subscriptions. A handler's own
   * publications are counted before its message is settled, so the count never passes through
   * zero while work remains.
   */
  private final Object idleLock = new Object();

  private long outstanding; // guarded by idleLock
  private volatile boolean closed;

  /** A bus for project {@code local} with 4 delivery threads. */
  public InProcessPubSub() {
    this("local", 4);
  }

  /**
   * @param projectId reported in the dead-letter attribute {@value #SOURCE_PROJECT_ATTRIBUTE}
   * @param threads delivery threads shared by all subscriptions
   */
  public InProcessPubSub(String projectId, int threads) {
    this.projectId = Objects.requireNonNull(projectId, "projectId");
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ScheduledThreadPoolExecutor(
            threads,
            r -> {
              Thread t = new Thread(r, "pubsub-delivery-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /**
   * Publishes to every subscription of {@code topic}. The message is accepted once this returns.
   *
   * @throws IOException when the bus is closed
   */
  @Override
  public String publish(String topic, OutboundMessage message) throws IOException {
    if (closed) {
      throw new IOException("Message bus is closed; not publishing to " + topic);
    }
    return publish(topic, message.data(), message.attributes());
  }

  private String publish(String topic, byte[] data, Map<String, String> attributes) {
    Objects.requireNonNull(topic, "topic");
    String id = Long.toString(lastMessageId.incrementAndGet());
    PubSubMessage message = new PubSubMessage(id, data, attributes, Instant.now());
    List<Subscription> targets = topics.getOrDefault(topic, List.of());
    if (targets.isEmpty()) {
      LOG.fine(() -> "Topic " + topic + " has no subscription; dropped message " + id);
      return id;
    }
    synchronized (idleLock) {
      outstanding += targets.size();
    }
    for (Subscription s : targets) {
      s.enqueue(new Delivery(message));
    }
    return id;
  }

  /**
   * Subscribes {@code handler} to {@code topic}; it receives messages published from now on.
   *
   * @param subscription unique on this bus
   */
  public void subscribe(
      String topic, String subscription, SubscriptionPolicy policy, MessageHandler handler) {
    Objects.requireNonNull(topic, "topic");
    Subscription s =
        new Subscription(
            subscription, Objects.requireNonNull(policy), Objects.requireNonNull(handler));
    if (closed) {
      throw new IllegalStateException("Message bus is closed");
    }
    if (subscriptions.putIfAbsent(subscription, s) != null) {
      throw new IllegalStateException("Subscription " + subscription + " already exists");
    }
    topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(s);
  }

  /** Messages not yet acknowledged or dead-lettered, counted once per subscription. */
  public long outstanding() {
    synchronized (idleLock) {
      return outstanding;
    }
  }

  /**
   * Waits until no subscription has a message queued, in flight or waiting for redelivery.
   *
   * @return true when idle, false on timeout or when the bus was closed with work outstanding
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idleLock) {
      while (outstanding > 0) {
        long remaining = deadline - System.nanoTime();
        if (closed || remaining <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(idleLock, remaining);
      }
      return true;
    }
  }

  /** Stops delivery: running handlers are interrupted, queued and scheduled deliveries dropped. */
  @Override
  public void close() {
    closed = true;
    executor.shutdownNow();
    synchronized (idleLock) {
      idleLock.notifyAll();
    }
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warning("A message handler ignored interruption and is still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void settle() {
    synchronized (idleLock) {
      if (--outstanding == 0) {
        idleLock.notifyAll();
      }
    }
  }

  private void deliver(Subscription s, Delivery d) {
    int attempt = ++d.attempts; // one delivery of a message at a time, so no race here
    Throwable failure = null;
    try {
      s.handler.handle(d.message, attempt);
    } catch (Throwable t) { // an Error from a handler is a nack too, not the end of the bus
      failure = t;
    }
    try {
      if (failure == null) {
        settle();
      } else {
        nack(s, d, attempt, failure);
      }
    } finally {
      s.finished(); // frees the subscription's slot whatever happened
    }
  }

  private void nack(Subscription s, Delivery d, int attempt, Throwable failure) {
    String messageId = d.message.messageId();
    String error = truncate(errorMessage(failure));
    LOG.info(
        () ->
            "Nack: subscription " + s.name + ", message " + messageId + ", attempt " + attempt
                + ": " + error);
    LOG.log(Level.FINE, "Handler failure of message " + messageId, failure);
    SubscriptionPolicy policy = s.policy;
    if (policy.deadLetterTopic() != null && attempt >= policy.maxDeliveryAttempts()) {
      // Published before settling, so that awaitIdle also waits for the dead-letter handlers.
      String id =
          publish(
              policy.deadLetterTopic(),
              d.message.data(),
              deadLetterAttributes(s, d, attempt, error));
      LOG.warning(
          () ->
              "Dead-lettered message " + messageId + " of subscription " + s.name + " to "
                  + policy.deadLetterTopic() + " as message " + id + " after " + attempt
                  + " attempts: " + error);
      settle();
      return;
    }
    Duration delay = policy.backoff(attempt);
    try {
      executor.schedule(() -> s.enqueue(d), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      LOG.fine(() -> "Bus closed; message " + messageId + " will not be redelivered");
    }
  }

  private Map<String, String> deadLetterAttributes(
      Subscription s, Delivery d, int attempt, String error) {
    Map<String, String> attributes = new HashMap<>(d.message.attributes());
    attributes.put(DELIVERY_COUNT_ATTRIBUTE, Integer.toString(attempt));
    attributes.put(SOURCE_SUBSCRIPTION_ATTRIBUTE, s.name);
    attributes.put(SOURCE_PROJECT_ATTRIBUTE, projectId);
    attributes.put(SOURCE_PUBLISH_TIME_ATTRIBUTE, PUBLISH_TIME.format(d.message.publishTime()));
    attributes.put(LAST_ERROR_ATTRIBUTE, error);
    return attributes;
  }

  private static String truncate(String s) {
    return s.length() > MAX_ERROR_LENGTH ? s.substring(0, MAX_ERROR_LENGTH) : s;
  }

  /** The exception's message, or its class name when it has none. */
  private static String errorMessage(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
  }

  /** One message on one subscription, across its delivery attempts. */
  private static final class Delivery {
    final PubSubMessage message;
    int attempts;

    Delivery(PubSubMessage message) {
      this.message = message;
    }
  }

  /** A subscription's queue of deliveries ready to run, started up to its concurrency. */
  private final class Subscription {
    final String name;
    final SubscriptionPolicy policy;
    final MessageHandler handler;
    private final Queue<Delivery> ready = new ArrayDeque<>(); // guarded by this
    private int inFlight; // guarded by this

    Subscription(String name, SubscriptionPolicy policy, MessageHandler handler) {
      this.name = Objects.requireNonNull(name, "subscription");
      this.policy = policy;
      this.handler = handler;
    }

    void enqueue(Delivery d) {
      synchronized (this) {
        ready.add(d);
      }
      startReady();
    }

    void finished() {
      synchronized (this) {
        inFlight--;
      }
      startReady();
    }

    private void startReady() {
      while (true) {
        Delivery next;
        synchronized (this) {
          if (inFlight >= policy.maxConcurrency() || ready.isEmpty()) {
            return;
          }
          next = ready.poll();
          inFlight++;
        }
        try {
          executor.execute(() -> deliver(this, next));
        } catch (RejectedExecutionException e) {
          synchronized (this) {
            inFlight--; // closed: the message stays outstanding and is lost with the bus
          }
          return;
        }
      }
    }
  }
}
