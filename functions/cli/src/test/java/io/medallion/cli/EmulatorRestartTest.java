package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.pubsub.v1.ProjectSubscriptionName;
import io.medallion.gcp.pubsub.EmulatorChannel;
import io.medallion.gcp.pubsub.PubSubEmulator;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code serve} on the Pub/Sub emulator, restarted: work the last process held comes back within
 * one ack deadline (not the ten minutes of a 600 s deadline), subscriptions an older serve made are
 * brought to today's settings, and a handler that runs longer than the deadline is not given its
 * message twice.
 */
class EmulatorRestartTest {

  private static final SubscriptionPolicy POLICY = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

  @Test
  void aMessageHeldByAKilledProcess_isHandledWithinADeadlineOfTheRestart() throws Exception {
    try (PubSubEmulator emulator = PubSubEmulator.start()) {
      Duration deadline = EmulatorTransport.ACK_DEADLINE;
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      // The first process takes the message and dies before it acks: its channel goes away with
      // its handler still running, so nothing acks, nacks or extends the lease any more.
      EmulatorTransport first = new EmulatorTransport("restart-test", emulator.hostPort());
      first.subscribe("work", "worker", POLICY, (m, attempt) -> {
        held.countDown();
        never.await();
      });
      first.bus().publish("work", OutboundMessage.json("{\"n\":1}", Map.of()));
      assertTrue(held.await(30, TimeUnit.SECONDS), "the first process received the message");
      killAbruptly(first);

      long restarted = System.nanoTime();
      CountDownLatch handled = new CountDownLatch(1);
      try (EmulatorTransport second = new EmulatorTransport("restart-test", emulator.hostPort())) {
        second.subscribe("work", "worker", POLICY, (m, attempt) -> handled.countDown());
        // With the 600 s deadline serve used to set, it came back after ten minutes. A few deadlines
        // of slack: the emulator is a JVM of its own, slow to redeliver on a loaded machine.
        assertTrue(handled.await(6 * deadline.toSeconds(), TimeUnit.SECONDS),
            "the restarted process got the held message within " + 6 * deadline.toSeconds() + " s");
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - restarted);
      assertTrue(seconds <= 6 * deadline.toSeconds(), "after " + seconds + " s");
      never.countDown();
    }
  }

  @Test
  void aSubscriptionAnOlderServeMade_isBroughtToTodaysDeadline() throws Exception {
    try (PubSubEmulator emulator = PubSubEmulator.start()) {
      try (EmulatorTransport older = new EmulatorTransport("restart-test", emulator.hostPort(), Duration.ofSeconds(600))) {
        older.subscribe("work", "worker", POLICY, (m, attempt) -> {});
      }
      try (EmulatorTransport now = new EmulatorTransport("restart-test", emulator.hostPort());
          EmulatorChannel channel = EmulatorChannel.open(emulator.hostPort());
          var admin = channel.subscriptionAdmin()) {
        now.subscribe("work", "worker", POLICY, (m, attempt) -> {});
        int seconds = admin.getSubscription(ProjectSubscriptionName.of("restart-test", "worker")).getAckDeadlineSeconds();
        assertEquals(EmulatorTransport.ACK_DEADLINE.toSeconds(), seconds);
        assertTrue(seconds <= 30, "a deadline short enough for a restart to pick up held work: " + seconds);
      }
    }
  }

  @Test
  void aHandlerRunningLongerThanTheDeadline_isNotGivenItsMessageAgain() throws Exception {
    try (PubSubEmulator emulator = PubSubEmulator.start();
        EmulatorTransport transport = new EmulatorTransport("restart-test", emulator.hostPort(), Duration.ofSeconds(10))) {
      AtomicInteger deliveries = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(1);
      transport.subscribe("slow", "slow-worker", POLICY, (m, attempt) -> {
        deliveries.incrementAndGet();
        Thread.sleep(25_000); // two and a half deadlines: the lease is extended meanwhile
        done.countDown();
      });
      transport.bus().publish("slow", OutboundMessage.json("{}", Map.of()));
      assertTrue(done.await(60, TimeUnit.SECONDS));
      Thread.sleep(5_000);
      assertEquals(1, deliveries.get(), "delivered once while its handler ran");
    }
  }

  /** Drops the process's connection without stopping its subscribers: what a killed process leaves. */
  private static void killAbruptly(EmulatorTransport transport) {
    transport.abandonForTest();
  }
}
