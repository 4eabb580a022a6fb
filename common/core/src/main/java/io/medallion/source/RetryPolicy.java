package io.medallion.source;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a source retries transient failures: exponential backoff with full
 * jitter (a uniformly random wait between zero and the exponential ceiling), so that many clients
 * failing together do not retry in lockstep.
 *
 * @param maxAttempts requests in total, the first included (1 means no retry)
 * @param initialBackoff the ceiling of the first wait
 * @param maxBackoff no wait is longer, including one a server asks for with Retry-After
 * @param multiplier growth of the ceiling per failed attempt
 * @param sleeper how to wait; tests pass one that records instead of sleeping
 * @param deadline no request, retry or wait may end after it (the invocation's time limit)
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    Sleeper sleeper,
    Deadline deadline) {

  /** Waits between attempts. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /**
     * A wait between requests that precedes no retry (a declared rate limit): the same wait,
     * unless a sleeper that counts retries says otherwise.
     */
    default void pace(Duration duration) throws InterruptedException {
      sleep(duration);
    }

    /** Really sleeps. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
  }

  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(deadline, "deadline");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "Need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + ", " + maxBackoff);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be at least 1, got " + multiplier);
    }
  }

  /** Without a deadline. */
  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, Sleeper sleeper) {
    this(maxAttempts, initialBackoff, maxBackoff, multiplier, sleeper, Deadline.none());
  }

  /** 5 attempts, 500 ms initial backoff doubling up to 30 s, real sleeps, no deadline. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, Sleeper.SYSTEM);
  }

  public RetryPolicy withMaxAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, sleeper, deadline);
  }

  public RetryPolicy withSleeper(Sleeper sleeper) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, sleeper, deadline);
  }

  public RetryPolicy withDeadline(Deadline deadline) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, sleeper, deadline);
  }

  /** The longest wait after {@code failedAttempts} failures (1 for the first failure). */
  public Duration backoffCeiling(int failedAttempts) {
    double millis =
        initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
    // The comparison in double keeps a large exponent from overflowing a long.
    return millis >= maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis((long) millis);
  }

  /** A random wait in [0, {@link #backoffCeiling}] (full jitter). */
  public Duration backoff(int failedAttempts) {
    long ceiling = backoffCeiling(failedAttempts).toMillis();
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }

  /** A wait the server asked for, capped by {@link #maxBackoff} and never negative. */
  public Duration capped(Duration requested) {
    if (requested.isNegative()) {
      return Duration.ZERO;
    }
    return requested.compareTo(maxBackoff) > 0 ? maxBackoff : requested;
  }
}
