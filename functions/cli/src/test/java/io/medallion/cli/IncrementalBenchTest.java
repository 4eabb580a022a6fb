package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental bench, small: twelve daily runs of 400 breweries with 3% changed a day. On each
 * measured day the incrementally built tables equal a full rebuild of every model from silver, and
 * silver holds every day's list (a full rebuild reads them all).
 */
class IncrementalBenchTest {

  @TempDir Path home;

  @Test
  void dailyRuns_leaveIncrementalGoldEqualToAFullRebuild_onEveryMeasuredDay() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<IncrementalBench.Day> days = new IncrementalBench(12, 400, 0.03, 7, new TreeSet<>(List.of(1, 2, 5, 12)))
        .run(home, new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(List.of(1, 2, 5, 12), days.stream().map(IncrementalBench.Day::day).toList());
    for (IncrementalBench.Day d : days) {
      assertEquals(List.of(), d.differences(), "day " + d.day() + ": " + log.toString(StandardCharsets.UTF_8));
    }
    long perDay = days.get(0).silverRows();
    assertTrue(perDay > 350, "a day's list is loaded: " + perDay);
    assertEquals(12 * perDay, days.get(3).silverRows(), "silver keeps every day's list");
    // What the builds read, as the local warehouse measured it: an incremental build reads its day
    // and the tables it merges into, the same on day 12 as on day 2; a full rebuild reads every day.
    IncrementalBench.Day second = days.get(1);
    IncrementalBench.Day last = days.get(3);
    String report = log.toString(StandardCharsets.UTF_8);
    assertTrue(last.incremental().rowsRead() != null && last.full().rowsRead() != null, report);
    assertTrue(last.full().rowsRead() > 12 * perDay, "a full rebuild reads every day: " + report);
    assertTrue(last.incremental().rowsRead() <= 1.2 * second.incremental().rowsRead(), "incremental reads do not grow: " + report);
    assertTrue(last.incremental().rowsRead() < last.full().rowsRead(), report);
  }
}
