package io.medallion.gcp.pubsub;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * One plaintext connection to the Pub/Sub emulator and the clients on it. The client library only
 * skips credentials when it is handed an explicit channel ({@code PUBSUB_EMULATOR_HOST} alone still
 * asks for them), so every emulator client is built from this.
 */
public final class EmulatorChannel implements AutoCloseable {

  private final ManagedChannel channel;
  private final TransportChannelProvider provider;

  private EmulatorChannel(ManagedChannel channel) {
    this.channel = channel;
    this.provider = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  /** Connects lazily: nothing is dialled until a client makes a call. */
  public static EmulatorChannel open(String hostPort) {
    return new EmulatorChannel(ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build());
  }

  public TransportChannelProvider provider() {
    return provider;
  }

  public CredentialsProvider credentials() {
    return NoCredentialsProvider.create();
  }

  public TopicAdminClient topicAdmin() throws IOException {
    return TopicAdminClient.create(TopicAdminSettings.newBuilder()
        .setTransportChannelProvider(provider).setCredentialsProvider(credentials()).build());
  }

  public SubscriptionAdminClient subscriptionAdmin() throws IOException {
    return SubscriptionAdminClient.create(SubscriptionAdminSettings.newBuilder()
        .setTransportChannelProvider(provider).setCredentialsProvider(credentials()).build());
  }

  ManagedChannel channel() {
    return channel;
  }

  /** Lets calls in flight finish for a few seconds, then cuts the connection. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
