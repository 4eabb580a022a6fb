package io.medallion.source.rest;

import java.time.Clock;
import java.time.Duration;

/**
 * A declared {@code requests_per_second}, shared by every thread of a reader: each request
 * reserves the next free slot, one interval after the one before, and waits until it comes. A
 * reservation is kept even when the caller then gives up, which only ever slows the source down.
 */
public final class RateLimiter {

  private final long intervalNanos;
  private long nextFreeNanos = Long.MIN_VALUE;

  public RateLimiter(double requestsPerSecond) {
    if (!(requestsPerSecond > 0)) {
      throw new IllegalArgumentException("requests per second must be more than 0, got " + requestsPerSecond);
    }
    this.intervalNanos = (long) Math.ceil(1_000_000_000d / requestsPerSecond);
  }

  /** Reserves the next slot; returns how long to wait for it (zero when it is free now). */
  public synchronized Duration reserve(Clock clock) {
    long now = nanos(clock);
    long slot = Math.max(now, nextFreeNanos);
    nextFreeNanos = slot + intervalNanos;
    return Duration.ofNanos(slot - now);
  }

  private static long nanos(Clock clock) {
    var i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
