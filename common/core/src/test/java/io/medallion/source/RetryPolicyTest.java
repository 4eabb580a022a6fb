package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy defaults = RetryPolicy.defaults();

  @Test
  void defaultsAreFiveAttemptsFromHalfASecondUpToThirtySeconds() {
    assertEquals(5, defaults.maxAttempts());
    assertEquals(Duration.ofMillis(500), defaults.initialBackoff());
    assertEquals(Duration.ofSeconds(30), defaults.maxBackoff());
    assertEquals(2.0, defaults.multiplier());
  }

  @Test
  void theCeilingDoublesUntilTheMaximum() {
    assertEquals(Duration.ofMillis(500), defaults.backoffCeiling(1));
    assertEquals(Duration.ofMillis(1000), defaults.backoffCeiling(2));
    assertEquals(Duration.ofMillis(8000), defaults.backoffCeiling(5));
    assertEquals(Duration.ofSeconds(30), defaults.backoffCeiling(7));
    assertEquals(Duration.ofSeconds(30), defaults.backoffCeiling(10_000));
  }

  @Test
  void fullJitterStaysBetweenZeroAndTheCeiling() {
    long max = 0;
    for (int i = 0; i < 2000; i++) {
      Duration d = defaults.backoff(3);
      assertTrue(!d.isNegative() && d.toMillis() <= 2000, "" + d);
      max = Math.max(max, d.toMillis());
    }
    assertTrue(max > 1000, "jitter spreads over the whole range, max " + max);
  }

  @Test
  void serverRequestedWaitsAreCapped() {
    assertEquals(Duration.ofSeconds(30), defaults.capped(Duration.ofHours(1)));
    assertEquals(Duration.ofSeconds(3), defaults.capped(Duration.ofSeconds(3)));
    assertEquals(Duration.ZERO, defaults.capped(Duration.ofSeconds(-3)));
  }

  @Test
  void nonsenseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> defaults.withMaxAttempts(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1), 2, d -> {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5), 0.5, d -> {}));
  }
}
