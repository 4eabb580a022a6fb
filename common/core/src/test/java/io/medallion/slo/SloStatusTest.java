package io.medallion.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SloStatusTest {

  @Test
  void errorBudgetLeft_isOneMinusTheBadShareOverTheAllowedShare() {
    // 27 of 28 days fresh against 95%: 1/28 bad of 5% allowed, 1 - 0.0357/0.05 = 0.2857 left.
    SloStatus s = new SloStatus("d", SloStatus.Kind.FRESHNESS, 0.95, 28, 27, 28, 6, 7, 7);

    assertEquals(27 / 28.0, s.sli().getAsDouble(), 1e-12);
    assertEquals(1 - (1 / 28.0) / 0.05, s.errorBudgetLeft().getAsDouble(), 1e-12);
    assertEquals((1 / 7.0) / 0.05, s.burnRate().getAsDouble(), 1e-12);
  }

  @Test
  void nothingCounted_hasNoSliNoBudgetAndIsNotMet() {
    SloStatus s = new SloStatus("d", SloStatus.Kind.QUALITY, 0.99, 28, 0, 0, 0, 0, 7);

    assertFalse(s.sli().isPresent());
    assertFalse(s.errorBudgetLeft().isPresent());
    assertFalse(s.burnRate().isPresent());
    assertFalse(s.met());
  }

  @Test
  void anObjectiveOfOne_isRefused_itWouldHaveNoBudget() {
    assertThrows(IllegalArgumentException.class, () -> new SloStatus("d", SloStatus.Kind.QUALITY, 1.0, 28, 0, 0, 0, 0, 7));
  }
}
