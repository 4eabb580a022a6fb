package io.medallion.slo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which days a domain was fresh, from when each of its sources built gold successfully: the one
 * definition both {@code ./medallion status} (over the ledger) and the gold function's SLO metrics
 * use.
 *
 * <p>A day D (UTC) is <em>fresh</em> when every source of the domain has a successful gold build
 * in [D 00:00, D gold_by]. A day counts once it is <em>settled</em> (D gold_by has passed) and only
 * from the first day any source of the domain built gold (before that the product did not exist).
 * A day on which the domain completed late, or not at all, is a bad day.
 */
public final class FreshnessDays {

  private FreshnessDays() {}

  /** The newest day whose gold_by has passed at {@code now}. */
  public static LocalDate lastSettledDay(LocalTime goldBy, Instant now) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return now.isBefore(deadline(today, goldBy)) ? today.minusDays(1) : today;
  }

  /** D gold_by as an instant. */
  public static Instant deadline(LocalDate day, LocalTime goldBy) {
    return day.atTime(goldBy).toInstant(ZoneOffset.UTC);
  }

  /**
   * When the domain became complete on {@code day}: the latest of its sources' first successes that
   * day; null when a source had none.
   */
  public static Instant completedAt(LocalDate day, Map<String, List<Instant>> successesBySource) {
    if (successesBySource.isEmpty()) {
      return null;
    }
    Instant latest = null;
    for (Collection<Instant> successes : successesBySource.values()) {
      Instant first = successes.stream().filter(t -> dayOf(t).equals(day)).min(Instant::compareTo).orElse(null);
      if (first == null) {
        return null;
      }
      latest = latest == null || first.isAfter(latest) ? first : latest;
    }
    return latest;
  }

  /** The day (UTC) of {@code t}. */
  public static LocalDate dayOf(Instant t) {
    return t.atOffset(ZoneOffset.UTC).toLocalDate();
  }

  /** The first day any source built gold, at or after {@code from}; null if none did. */
  public static LocalDate firstDay(Map<String, List<Instant>> successesBySource, LocalDate from) {
    return successesBySource.values().stream().flatMap(List::stream).map(FreshnessDays::dayOf)
        .filter(d -> !d.isBefore(from)).min(LocalDate::compareTo).orElse(null);
  }

  /**
   * Each counted day in [{@code from}, {@code through}] and whether it was fresh. Days before the
   * domain's first build are left out: pass successes from before {@code from} too, so that a
   * domain that already existed counts every day of the window.
   */
  public static SortedMap<LocalDate, Boolean> days(LocalTime goldBy, Map<String, List<Instant>> successesBySource,
      LocalDate from, LocalDate through) {
    SortedMap<LocalDate, Boolean> days = new TreeMap<>();
    LocalDate first = firstDay(successesBySource, LocalDate.MIN);
    if (first == null) {
      return days;
    }
    for (LocalDate d = first.isAfter(from) ? first : from; !d.isAfter(through); d = d.plusDays(1)) {
      Instant done = completedAt(d, successesBySource);
      days.put(d, done != null && !done.isAfter(deadline(d, goldBy)));
    }
    return days;
  }

  /**
   * The day verdicts a successful build of {@code source} at {@code at} settles, for the gold
   * function to count as metrics: none unless this build completed the domain for its day (it is
   * the source's first success that day and every other source already had one); then that day
   * (fresh iff completed by gold_by) and, as bad, every day since the domain last completed on
   * which it did not (within the {@code windowDays} ending that day, and not before its first
   * build; pass successes from a window earlier too). Each day is
   * thus counted once, by the build that completes the next day; days still missing wait for it.
   */
  public static SortedMap<LocalDate, Boolean> settledBy(LocalTime goldBy, int windowDays, String source, Instant at,
      Map<String, List<Instant>> successesBySource) {
    SortedMap<LocalDate, Boolean> verdicts = new TreeMap<>();
    // The ledger keeps microseconds (BigQuery's TIMESTAMP): compare at its precision.
    Instant built = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    Map<String, List<Instant>> successes = new java.util.LinkedHashMap<>();
    successesBySource.forEach((s, ts) -> successes.put(s,
        ts.stream().map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.MICROS)).toList()));
    return settled(goldBy, windowDays, source, built, successes, verdicts);
  }

  private static SortedMap<LocalDate, Boolean> settled(LocalTime goldBy, int windowDays, String source, Instant at,
      Map<String, List<Instant>> successesBySource, SortedMap<LocalDate, Boolean> verdicts) {
    LocalDate day = dayOf(at);
    boolean earlierToday = successesBySource.getOrDefault(source, List.of()).stream()
        .anyMatch(t -> dayOf(t).equals(day) && t.isBefore(at));
    if (earlierToday || !at.equals(completedAt(day, successesBySource))) {
      return verdicts;
    }
    verdicts.put(day, !at.isAfter(deadline(day, goldBy)));
    // No further back than the window (older days are in no window any more), nor before the
    // domain's first build.
    LocalDate from = day.minusDays(windowDays - 1L);
    LocalDate first = firstDay(successesBySource, LocalDate.MIN);
    LocalDate start = first.isAfter(from) ? first : from;
    for (LocalDate d = day.minusDays(1); !d.isBefore(start); d = d.minusDays(1)) {
      if (completedAt(d, successesBySource) != null) {
        break;
      }
      verdicts.put(d, false);
    }
    return verdicts;
  }
}
