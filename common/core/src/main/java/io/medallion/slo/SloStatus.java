package io.medallion.slo;

import java.util.OptionalDouble;

/**
 * One objective of one domain and how the domain is doing against it, computed from the run ledger
 * and {@code ops.dq_results} ({@link DomainSlos}).
 *
 * <p>The numbers, once: {@code SLI = good / total} over the window; {@code error budget left = 1 -
 * (1 - SLI) / (1 - objective)} (1: untouched, 0: spent, below 0: overspent); {@code burn rate = (1 -
 * SLI over the last burnWindowDays) / (1 - objective)} (1 spends the budget exactly by the end of
 * the window; Cloud Monitoring's {@code select_slo_burn_rate} is the same ratio over its own
 * lookback). Each is empty while nothing was counted.
 *
 * @param good for freshness, fresh days; for quality, passing check results
 * @param total for freshness, days counted; for quality, check results
 * @param recentGood {@code good} over the last {@code burnWindowDays} only
 * @param recentTotal {@code total} over the last {@code burnWindowDays} only
 */
public record SloStatus(String domain, Kind kind, double objective, int windowDays, long good, long total,
    long recentGood, long recentTotal, int burnWindowDays) {

  /** What the objective is about. */
  public enum Kind {
    /** Share of days on which every source of the domain had a successful gold build by gold_by. */
    FRESHNESS,
    /** Share of data-quality check results that passed (no failing row). */
    QUALITY;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public SloStatus {
    if (!(objective > 0 && objective < 1)) {
      throw new IllegalArgumentException(domain + " " + kind.label() + ": objective " + objective + " is not in (0, 1)");
    }
  }

  /** {@code good / total}; empty when nothing was counted. */
  public OptionalDouble sli() {
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(good / (double) total);
  }

  /** {@code 1 - (1 - SLI) / (1 - objective)}; empty when nothing was counted. */
  public OptionalDouble errorBudgetLeft() {
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of(1 - (1 - sli().getAsDouble()) / (1 - objective));
  }

  /** {@code (1 - recent SLI) / (1 - objective)}; empty when nothing was counted recently. */
  public OptionalDouble burnRate() {
    return recentTotal == 0 ? OptionalDouble.empty()
        : OptionalDouble.of((1 - recentGood / (double) recentTotal) / (1 - objective));
  }

  /** Whether the SLI meets the objective; false while nothing was counted. */
  public boolean met() {
    return sli().isPresent() && sli().getAsDouble() >= objective;
  }
}
