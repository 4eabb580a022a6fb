package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query-API bench, small: 600 rows (4 signals x 30 days x 5 programs), two clients, a second
 * per case. Every request it counts was answered 200 with what it asked for (the warm-up checks
 * each page holds 100 rows and a next page, each key a row), and its figures agree with each
 * other. Nothing here is timed against a goal: the machine's speed is not the code's.
 */
class ApiBenchTest {

  @TempDir Path home;

  @Test
  void aSmallBench_countsOnlyGoodAnswers_andReportsSelfConsistentFigures() throws Exception {
    ApiBench.Shape shape = ApiBench.Shape.of(600, 4, 30);
    assertEquals(5, shape.programs());
    assertEquals(30, shape.windowDays(), "a page's window holds 150 rows: a full page and a next one");
    ApiBench.Result r = ApiBench.run(MedallionConfig.forLocal(Map.of()), home.resolve("api"), shape, 2,
        Duration.ofMillis(500), Duration.ofSeconds(1), 7);
    for (ApiBench.Case c : List.of(r.page(), r.byKey())) {
      assertTrue(c.requests() > 0, c.toString());
      assertEquals(c.requests(), c.ok(), "every request answered 200: " + c);
      assertNull(c.firstFailure(), c.toString());
      assertTrue(0 < c.p50() && c.p50() <= c.p95() && c.p95() <= c.p99() && c.p99() <= c.max(), c.toString());
      assertTrue(c.elapsed().compareTo(Duration.ofSeconds(1)) >= 0, "the round lasts its second: " + c);
      assertEquals(c.requests() / (c.elapsed().toNanos() / 1e9), c.requestsPerSecond(), 1e-6, c.toString());
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    BenchCommand.printApi(new PrintStream(printed, true, StandardCharsets.UTF_8), r);
    String table = printed.toString(StandardCharsets.UTF_8);
    assertTrue(table.contains("page of 100") && table.contains("one row by key"), table);
    assertTrue(table.matches("(?s).*page of 100 +" + String.format("%,d", r.page().requests()) + " .*"), table);
  }

  @Test
  void keysAndPages_stayInsideTheGeneratedTable() {
    ApiBench.Shape cut = ApiBench.Shape.of(1_000_000, 50, 365);
    assertEquals(55, cut.programs());
    assertEquals(49, cut.wholeSignals(), "the cut leaves signal 50 partial: pages ask whole signals only");
    java.util.Random random = new java.util.Random(1);
    for (int i = 0; i < 10_000; i++) {
      String[] key = ApiBench.keyPath(cut, random).substring(1).split("/");
      int signal = Integer.parseInt(key[0].substring(1));
      long day = java.time.temporal.ChronoUnit.DAYS.between(ApiBench.FIRST_DAY, java.time.LocalDate.parse(key[1]));
      int program = Integer.parseInt(key[2].substring(1));
      long index = ((signal - 1L) * 365 + day) * 55 + program - 1;
      assertTrue(index >= 0 && index < 1_000_000 && program <= 55 && day < 365, String.join("/", key));
    }
  }
}
