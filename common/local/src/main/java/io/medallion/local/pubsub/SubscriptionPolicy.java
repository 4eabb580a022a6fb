package io.medallion.local.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * How a subscription retries: Pub/Sub's retry policy (exponential backoff between {@code
 * minBackoff} and {@code maxBackoff}) and dead-letter policy, plus how many messages it handles
 * at once.
 *
 * @param deadLetterTopic where a message goes after {@code maxDeliveryAttempts} failed attempts;
 *     null to retry forever, as a subscription without a dead-letter policy does
 * @param maxDeliveryAttempts at least 1 (Pub/Sub itself requires 5 to 100)
 * @param maxConcurrency messages of this subscription handled at the same time; 1 delivers in
 *     order, which keeps local runs deterministic
 */
public record SubscriptionPolicy(
    Duration minBackoff,
    Duration maxBackoff,
    int maxDeliveryAttempts,
    String deadLetterTopic,
    int maxConcurrency) {

  /** Pub/Sub's defaults: backoff from 10 s to 600 s, 5 attempts, no dead-letter topic. */
  public static final SubscriptionPolicy DEFAULT =
      new SubscriptionPolicy(Duration.ofSeconds(10), Duration.ofSeconds(600), 5, null, 1);

  public SubscriptionPolicy {
    Objects.requireNonNull(minBackoff, "minBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "Need 0 <= minBackoff <= maxBackoff, got " + minBackoff + " and " + maxBackoff);
    }
    if (maxDeliveryAttempts < 1) {
      throw new IllegalArgumentException("maxDeliveryAttempts must be >= 1");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1");
    }
  }

  public SubscriptionPolicy withBackoff(Duration min, Duration max) {
    return new SubscriptionPolicy(min, max, maxDeliveryAttempts, deadLetterTopic, maxConcurrency);
  }

  public SubscriptionPolicy withDeadLetter(String topic, int maxAttempts) {
    return new SubscriptionPolicy(minBackoff, maxBackoff, maxAttempts, topic, maxConcurrency);
  }

  public SubscriptionPolicy withConcurrency(int concurrency) {
    return new SubscriptionPolicy(
        minBackoff, maxBackoff, maxDeliveryAttempts, deadLetterTopic, concurrency);
  }

  /**
   * The wait before redelivering a message that failed {@code failedAttempts} times: {@code
   * minBackoff * 2^(failedAttempts-1)}, capped at {@code maxBackoff}.
   */
  public Duration backoff(int failedAttempts) {
    int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
    long nanos = minBackoff.toNanos();
    long max = maxBackoff.toNanos();
    for (int i = 0; i < doublings && nanos < max; i++) {
      nanos *= 2;
    }
    return Duration.ofNanos(Math.min(nanos, max));
  }
}
