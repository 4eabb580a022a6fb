package io.medallion.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FreshnessDaysTest {

  private static final LocalTime BY = LocalTime.of(7, 0);

  private static Instant at(String dayAndTime) {
    return Instant.parse("2026-12-" + dayAndTime + ":00Z");
  }

  private static LocalDate day(int d) {
    return LocalDate.of(2026, 12, d);
  }

  /** Two sources: a built every day at 06:00 from the 1st; b on time but late on the 3rd and absent on the 4th. */
  private static Map<String, List<Instant>> twoSources() {
    Map<String, List<Instant>> s = new LinkedHashMap<>();
    s.put("a", new ArrayList<>(List.of(at("01T06:00"), at("02T06:00"), at("03T06:00"), at("04T06:00"), at("05T06:00"))));
    s.put("b", new ArrayList<>(List.of(at("01T06:30"), at("02T06:59"), at("03T07:01"), at("05T06:10"))));
    return s;
  }

  @Test
  void aDayIsFreshOnlyWhenEverySourceBuiltByGoldBy() {
    SortedMap<LocalDate, Boolean> days = FreshnessDays.days(BY, twoSources(), day(1), day(5));

    Map<LocalDate, Boolean> expected = new TreeMap<>(Map.of(
        day(1), true, day(2), true, day(3), false, day(4), false, day(5), true));
    assertEquals(expected, days);
  }

  @Test
  void daysBeforeTheFirstBuildAreNotCounted() {
    SortedMap<LocalDate, Boolean> days = FreshnessDays.days(BY, twoSources(), LocalDate.of(2026, 11, 20), day(2));

    assertEquals(List.of(day(1), day(2)), List.copyOf(days.keySet()));
  }

  @Test
  void aDayCountsOnceItsGoldByHasPassed() {
    assertEquals(day(4), FreshnessDays.lastSettledDay(BY, at("05T06:59")));
    assertEquals(day(5), FreshnessDays.lastSettledDay(BY, at("05T07:00")));
  }

  @Test
  void theBuildThatCompletesTheDomain_settlesItsDay_andTheMissedDaysBefore() {
    Map<String, List<Instant>> s = twoSources();

    assertEquals(Map.of(day(5), true, day(4), false), FreshnessDays.settledBy(BY, 28, "b", at("05T06:10"), s),
        "b completes the 5th on time; the 4th never completed");
    assertTrue(FreshnessDays.settledBy(BY, 28, "a", at("05T06:00"), s).isEmpty(), "b had not built yet: not complete");
    assertEquals(Map.of(day(3), false), FreshnessDays.settledBy(BY, 28, "b", at("03T07:01"), s), "completed late");
  }

  @Test
  void aSecondBuildTheSameDay_settlesNothingAgain() {
    Map<String, List<Instant>> s = twoSources();
    s.get("b").add(at("05T09:00"));

    assertTrue(FreshnessDays.settledBy(BY, 28, "b", at("05T09:00"), s).isEmpty());
  }

  @Test
  void theBuildsInstant_isComparedAtTheLedgersMicroseconds() {
    Map<String, List<Instant>> s = new LinkedHashMap<>();
    s.put("a", List.of(Instant.parse("2026-12-05T06:00:00.123456Z")));

    assertEquals(Map.of(day(5), true),
        FreshnessDays.settledBy(BY, 28, "a", Instant.parse("2026-12-05T06:00:00.123456789Z"), s));
  }

  @Test
  void missedDaysGoBackAtMostTheWindow() {
    Map<String, List<Instant>> s = new LinkedHashMap<>();
    s.put("a", List.of(Instant.parse("2026-11-01T06:00:00Z"), at("10T06:00")));

    SortedMap<LocalDate, Boolean> settled = FreshnessDays.settledBy(BY, 5, "a", at("10T06:00"), s);

    assertEquals(List.of(day(6), day(7), day(8), day(9), day(10)), List.copyOf(settled.keySet()));
    assertEquals(1, settled.values().stream().filter(b -> b).count());
  }
}
