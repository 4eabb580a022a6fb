package io.medallion.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When the work of one function invocation must be done: a source's requests, retries and waits
 * all fit in the time left, so a slow page makes ingest continue itself instead of crossing the
 * function's time limit.
 */
public record Deadline(Instant at, Clock clock) {

  public Deadline {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(clock, "clock");
  }

  /** No limit. */
  public static Deadline none() {
    return new Deadline(Instant.MAX, Clock.systemUTC());
  }

  /** {@code budget} from now on {@code clock}. */
  public static Deadline in(Duration budget, Clock clock) {
    return new Deadline(clock.instant().plus(budget), clock);
  }

  /** The time left, never negative; very long for {@link #none()}. */
  public Duration remaining() {
    if (at.equals(Instant.MAX)) {
      return Duration.ofDays(365);
    }
    Duration d = Duration.between(clock.instant(), at);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
