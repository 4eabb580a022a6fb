package io.medallion.gcp.pubsub;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * {@link MessageBus} on Google Cloud Pub/Sub.
 *
 * <p>One {@link Publisher} per topic, created on the first publish to that topic and reused, so
 * that its gRPC connection and batching threads are paid for once. {@link #publish} blocks until
 * Pub/Sub has assigned a message id: a function must not acknowledge its own event before what it
 * published is durable. Thread-safe.
 */
public final class PubSubMessageBus implements MessageBus, AutoCloseable {

  /** Makes the publisher of one topic; called at most once per topic and bus. */
  @FunctionalInterface
  public interface PublisherFactory {
    Publisher create(TopicName topic) throws IOException;
  }

  /** How long {@link #publish} waits for the message id before giving up. */
  static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = Logger.getLogger(PubSubMessageBus.class.getName());

  private final String projectId;
  private final PublisherFactory factory;
  private final ManagedChannel ownedChannel; // null unless this bus created the channel
  private final Map<String, Publisher> publishers = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * @param projectId the project the short topic names of {@link #publish} belong to
   * @param factory makes the publisher of a topic; the bus shuts publishers down on {@link #close}
   */
  public PubSubMessageBus(String projectId, PublisherFactory factory) {
    this(projectId, factory, null);
  }

  private PubSubMessageBus(String projectId, PublisherFactory factory, ManagedChannel channel) {
    this.projectId = Objects.requireNonNull(projectId, "projectId");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.ownedChannel = channel;
  }

  /** A bus on real Pub/Sub with Application Default Credentials. */
  public static PubSubMessageBus forGcp(String projectId) {
    return new PubSubMessageBus(projectId, topic -> Publisher.newBuilder(topic).build());
  }

  /**
   * A bus on the Pub/Sub emulator at {@code hostPort} (e.g. {@code 127.0.0.1:8085}): plaintext,
   * no credentials. The client library only skips credentials when it gets an explicit channel,
   * so this builds one, shares it among the topics' publishers and shuts it down on close.
   */
  public static PubSubMessageBus forEmulator(String projectId, String hostPort) {
    EmulatorChannel emulator = EmulatorChannel.open(hostPort);
    PublisherFactory factory =
        topic ->
            Publisher.newBuilder(topic)
                .setChannelProvider(emulator.provider())
                .setCredentialsProvider(emulator.credentials())
                .build();
    return new PubSubMessageBus(projectId, factory, emulator.channel());
  }

  /**
   * Publishes and waits up to 60 s for the message id.
   *
   * @throws IOException naming the full topic when publishing fails or times out (a timed-out
   *     message may still be delivered later), the bus is closed, or the wait is interrupted
   *     ({@link InterruptedIOException}, with the thread's interrupt flag set again)
   */
  @Override
  public String publish(String topic, OutboundMessage message) throws IOException {
    TopicName name = TopicName.of(projectId, Objects.requireNonNull(topic, "topic"));
    PubsubMessage pubsubMessage =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(message.data()))
            .putAllAttributes(message.attributes())
            .build();
    try {
      return publisher(name)
          .publish(pubsubMessage)
          .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("Failed to publish to " + name + ": " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException(
          "Failed to publish to " + name + ": no message id after " + PUBLISH_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("Interrupted while publishing to " + name);
      interrupted.initCause(e);
      throw interrupted;
    } catch (RuntimeException e) {
      // e.g. the publisher was shut down by a concurrent close()
      throw new IOException("Failed to publish to " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * The topic's publisher, created under the lock so that concurrent first publishes share one
   * and close() cannot miss a publisher created while it runs. Creation is cheap (no RPC).
   */
  private synchronized Publisher publisher(TopicName topic) throws IOException {
    if (closed) {
      throw new IOException("Message bus is closed; not publishing to " + topic);
    }
    Publisher publisher = publishers.get(topic.getTopic());
    if (publisher == null) {
      try {
        publisher = factory.create(topic);
      } catch (IOException | RuntimeException e) {
        throw new IOException("Failed to publish to " + topic + ": " + e.getMessage(), e);
      }
      publishers.put(topic.getTopic(), publisher);
    }
    return publisher;
  }

  /**
   * Shuts down every publisher, waiting for the messages they still hold to be sent, then the
   * emulator channel if this bus made one. Later publishes fail. Idempotent.
   */
  @Override
  public void close() {
    List<Publisher> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(publishers.values());
      publishers.clear();
    }
    // Start every shutdown first so they drain in parallel, then wait for each.
    for (Publisher p : toClose) {
      p.shutdown();
    }
    boolean interrupted = false;
    for (Publisher p : toClose) {
      try {
        if (!p.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warning("Publisher of " + p.getTopicNameString() + " did not terminate in time");
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedChannel.shutdownNow();
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
