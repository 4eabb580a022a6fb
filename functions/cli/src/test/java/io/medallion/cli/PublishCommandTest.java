package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.medallion.gcp.pubsub.EmulatorChannel;
import io.medallion.gcp.pubsub.PubSubEmulator;
import io.medallion.run.RunRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code medallion publish} against the real Pub/Sub emulator. */
class PublishCommandTest {

  private static final String PROJECT = "medallion-cli-test";
  private static PubSubEmulator emulator;
  private static EmulatorChannel channel;
  private static SubscriptionAdminClient subscriptions;

  @BeforeAll
  static void start() throws Exception {
    emulator = PubSubEmulator.start(); // skips here, or fails under CI=true, without an emulator
    channel = EmulatorChannel.open(emulator.hostPort());
    try (TopicAdminClient topics = channel.topicAdmin()) {
      topics.createTopic(TopicName.of(PROJECT, "run-requests"));
    }
    subscriptions = channel.subscriptionAdmin();
    subscriptions.createSubscription(SubscriptionName.of(PROJECT, "ingest"), TopicName.of(PROJECT, "run-requests"),
        PushConfig.getDefaultInstance(), 60);
  }

  @AfterAll
  static void stop() throws Exception {
    if (subscriptions != null) {
      subscriptions.close();
    }
    if (channel != null) {
      channel.close();
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  private static CliRun publish(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "publish";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(Map.of("PUBSUB_EMULATOR_HOST", emulator.hostPort(), "MEDALLION_PROJECT", PROJECT), all);
  }


  @Test
  @SuppressWarnings("deprecation") // returnImmediately: the emulator would otherwise hold the pull
  void publishedRunRequest_arrivesAsIngestWouldReadIt() throws Exception {
    CliRun out = publish("--run-id", "pub-1", "--start-page", "3");
    assertEquals(0, out.code(), out.all());
    assertTrue(out.all().contains("projects/" + PROJECT + "/topics/run-requests"), out.all());
    PullResponse pulled = PullResponse.getDefaultInstance();
    for (int i = 0; i < 100 && pulled.getReceivedMessagesCount() == 0; i++) {
      pulled = subscriptions.pull(PullRequest.newBuilder().setSubscription(SubscriptionName.of(PROJECT, "ingest").toString())
          .setMaxMessages(10).setReturnImmediately(true).build());
      Thread.sleep(50);
    }
    assertEquals(1, pulled.getReceivedMessagesCount());
    RunRequest request = RunRequest.parse(pulled.getReceivedMessages(0).getMessage().getData().toByteArray());
    assertEquals(new RunRequest("breweries", "pub-1", 3, null), request);
    assertEquals("cli", pulled.getReceivedMessages(0).getMessage().getAttributesMap().get("trigger"));
  }

  @Test
  void missingTopic_failsNamingIt() {
    CliRun out = publish("--topic", "no-such-topic");
    assertEquals(1, out.code());
    assertTrue(out.all().contains("projects/" + PROJECT + "/topics/no-such-topic"), out.all());
  }

  @Test
  void invalidRequest_isRefusedBeforePublishing() {
    CliRun out = publish("--run-id", "Not Valid");
    assertEquals(2, out.code());
    assertTrue(out.all().contains("run_id"), out.all());
    assertEquals(2, publish("--source", "nope").code());
  }
}
