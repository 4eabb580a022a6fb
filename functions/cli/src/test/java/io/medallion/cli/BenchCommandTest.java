package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion bench} on a tiny input: every section printed, from real passes (no timings judged). */
class BenchCommandTest {

  @TempDir Path home;

  @Test
  void tinyBench_printsEverySectionFromRealPasses() throws Exception {
    CliRun bench = CliRun.of(Map.of("MEDALLION_HOME", home.toString()),
        "bench", "--records", "3000", "--threads", "2", "--repeat", "1", "--e2e", "400,800", "--cold-start", "1");
    assertEquals(0, bench.code(), bench.all());
    String out = bench.out();
    for (String section : List.of("silver transform vs DuckDB", "end to end", "goals", "peak heap")) {
      assertTrue(out.contains(section), section + " in:\n" + out);
    }
    // The generator makes 1 record in 100 invalid: silver's counts come from the transform.
    Matcher silver = Pattern.compile("silver transform +([12]) .* 2,970 +30 ").matcher(out);
    assertTrue(silver.find() && silver.find(), "a silver line per thread count:\n" + out);
    // DuckDB reads the same records as the JSON array, as NDJSON and as bronze page files, at each
    // thread count, each pass with every record (the generator's invalid ones among them: DuckDB
    // types them or skips them, it rejects none).
    for (String input : List.of("DuckDB one JSON array", "DuckDB NDJSON", "DuckDB bronze page glob")) {
      Matcher duck = Pattern.compile(Pattern.quote(input) + " +([12]) .* ([0-9,]+) +0 +- *$", Pattern.MULTILINE).matcher(out);
      assertTrue(duck.find() && duck.group(1).equals("1") && duck.find() && duck.group(1).equals("2"), input + ":\n" + out);
    }
    // Each ratio names DuckDB's best input at that thread count, and so does its goal.
    Matcher ratio = Pattern.compile("ratio silver / best DuckDB +([12]) +[0-9.]+x +[0-9.]+x +\\(best: (DuckDB [a-zA-Z ]+)\\)")
        .matcher(out);
    for (String threads : List.of("1", "2")) {
      assertTrue(ratio.find() && ratio.group(1).equals(threads), out);
      assertTrue(Pattern.compile("silver >= 1\\.0x DuckDB's best at " + threads + " thread\\(s\\), breweries: (met|NOT met) \\([0-9.]+x, against "
          + Pattern.quote(ratio.group(2)) + "\\)").matcher(out).find(), out);
    }
    Path pages = home.resolve("bench/breweries-3000-seed42.pages/breweries/ingest_date=2026-01-01/run_id=bench");
    try (var files = Files.list(pages)) {
      assertEquals(15, files.count(), "3,000 records in pages of breweries' 200");
    }
    assertEquals(3000, Files.readAllLines(home.resolve("bench/breweries-3000-seed42.ndjson")).size());
    // Each size end to end with one page in flight and with the declared number, side by side.
    assertTrue(Pattern.compile("(?m)^ +400 +[0-9.]+ +[0-9.]+ +[0-9,]+ +[0-9.]+x +[0-9.]+$").matcher(out).find()
        && Pattern.compile("(?m)^ +800 +[0-9.]+ +[0-9.]+ +[0-9,]+ +[0-9.]+x +[0-9.]+$").matcher(out).find(), out);
    assertTrue(out.contains("pages in flight than with 1, 800 records:"), out);
    assertTrue(Files.exists(home.resolve("bench").resolve("breweries-3000-seed42.json")));
    // Cold starts: each deploy jar answered its first event in the invoker, plain and with the
    // options Terraform sets, and ingest's two dead letters reached the Pub/Sub stand-in.
    assertTrue(out.contains("dead letters received by the Pub/Sub stand-in: 2 (expected 2)"), out);
    for (String fn : List.of("ingest", "silver", "gold")) {
      assertTrue(Pattern.compile("(?m)^  " + fn + " +\\(none\\) +\\d+ ms +\\d+ ms").matcher(out).find(), fn + ":\n" + out);
      assertTrue(Pattern.compile("(?m)^  " + fn + " +" + Pattern.quote(ColdStart.DEPLOY_JVM_OPTIONS) + " +\\d+ ms +\\d+ ms")
          .matcher(out).find(), fn + ":\n" + out);
    }
    assertTrue(out.contains("first event <= 1.5 s after JVM start, as deployed"), out);

    CliRun again = CliRun.of(Map.of("MEDALLION_HOME", home.toString()),
        "bench", "--records", "3000", "--threads", "1", "--repeat", "1", "--e2e", "0", "--cold-start", "0");
    assertEquals(0, again.code(), again.all());
    assertTrue(again.out().contains("(reused)") && !again.out().contains("end to end") && !again.out().contains("cold start"),
        again.out());
  }

  @Test
  void badArguments_exit2() {
    CliRun r = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "bench", "--records", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--records must be at least 1"), r.err());
    CliRun unknown = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "bench", "--race", "breweries,nope", "--e2e", "0",
        "--cold-start", "0");
    assertEquals(2, unknown.code(), unknown.all());
    assertTrue(unknown.err().contains("--race: no source nope"), unknown.err());
    assertTrue(Files.notExists(home.resolve("bench/breweries-1000000-seed42.json")), "refused before any race");
  }

  /** Another source's records race too, each in its own table and goals: github_issues reads nested paths. */
  @Test
  void raceOnAnotherSource_hasItsOwnTableAndGoals() throws Exception {
    CliRun bench = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "bench", "--records", "500", "--threads", "1",
        "--repeat", "1", "--e2e", "0", "--cold-start", "0", "--race", "breweries,github_issues");
    assertEquals(0, bench.code(), bench.all());
    String out = bench.out();
    assertTrue(out.contains("silver transform vs DuckDB, breweries, same records")
        && out.contains("silver transform vs DuckDB, github_issues, same records"), out);
    assertTrue(Pattern.compile("silver >= 1\\.0x DuckDB's best at 1 thread\\(s\\), github_issues: (met|NOT met)").matcher(out).find(), out);
    assertTrue(Files.exists(home.resolve("bench/github_issues-500-seed42.ndjson")), out);
  }
}
