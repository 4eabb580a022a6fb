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
        "bench", "--records", "3000", "--threads", "2", "--repeat", "1", "--e2e", "400,800", "--cold-start", "1",
        "--files", "none", "--webhook-seconds", "0");
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
        "bench", "--records", "3000", "--threads", "1", "--repeat", "1", "--e2e", "0", "--cold-start", "0", "--files", "none",
        "--webhook-seconds", "0");
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
    for (String[] bad : List.of(new String[] {"--files", "csv,parquet"}, new String[] {"--csv-bytes", "12q"},
        new String[] {"--csv-dialect", "tab"}, new String[] {"--files-only", "--files", "none"})) {
      List<String> args = new java.util.ArrayList<>(List.of("bench", "--e2e", "0", "--cold-start", "0"));
      args.addAll(List.of(bad));
      CliRun refused = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args.toArray(String[]::new));
      assertEquals(2, refused.code(), String.join(" ", bad) + ":\n" + refused.all());
    }
    assertTrue(Files.notExists(home.resolve("bench/breweries-1000000-seed42.json")), "refused before any race");
  }

  /**
   * The file races alone: silver's CSV reader and typer against DuckDB's read_csv on one generated
   * CSV at each thread count, and silver on a generated spreadsheet, each line from real passes.
   */
  @Test
  void filesOnly_racesCsvAgainstDuckDbAndReadsTheSpreadsheet() throws Exception {
    CliRun bench = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "bench", "--files-only", "--threads", "2",
        "--repeat", "1", "--csv-bytes", "300k", "--xlsx-bytes", "100k");
    assertEquals(0, bench.code(), bench.all());
    String out = bench.out();
    assertTrue(!out.contains("silver transform vs DuckDB") && !out.contains("end to end") && !out.contains("cold start"),
        "only the file races:\n" + out);
    Matcher input = Pattern.compile("sales-307200b-semicolon-seed42\\.csv \\(300\\.[0-9] KiB, ([0-9,]+) records").matcher(out);
    assertTrue(input.find(), out);
    long records = Long.parseLong(input.group(1).replace(",", ""));
    Path csv = home.resolve("bench/sales-307200b-semicolon-seed42.csv");
    assertTrue(Files.size(csv) >= 300 * 1024 && Files.size(csv) < 301 * 1024, "about the size asked: " + Files.size(csv));
    assertEquals(records + 1, Files.readAllLines(csv).size(), "a header and one line per record");

    // Silver and DuckDB read every record at each thread count and keep the same rows: DuckDB
    // skips what silver rejects. The ratios are of the times printed beside them.
    for (String threads : List.of("1", "2")) {
      Matcher silver = Pattern.compile("(?m)^  silver CSV +" + threads + " +([0-9.]+) .* ([0-9,]+) +([0-9,]+) +\\d+ MiB$")
          .matcher(out);
      Matcher duck = Pattern.compile("(?m)^  DuckDB read_csv +" + threads + " +([0-9.]+) .* ([0-9,]+) +0 +-$").matcher(out);
      Matcher ratio = Pattern.compile("(?m)^  ratio silver / DuckDB +" + threads + " +([0-9.]+)x +([0-9.]+)x").matcher(out);
      assertTrue(silver.find() && duck.find() && ratio.find(), threads + ":\n" + out);
      long rows = Long.parseLong(silver.group(2).replace(",", ""));
      long rejects = Long.parseLong(silver.group(3).replace(",", ""));
      assertEquals(records, rows + rejects, out);
      assertTrue(rejects > 0 && rejects < records / 50, "the generator's 1 in 100 bad quantities: " + rejects);
      assertEquals(rows, Long.parseLong(duck.group(2).replace(",", "")), "DuckDB keeps silver's rows:\n" + out);
      double silverSeconds = Double.parseDouble(silver.group(1));
      double duckSeconds = Double.parseDouble(duck.group(1));
      double expected = duckSeconds / silverSeconds;
      // the printed seconds are rounded to 0.01, the ratio to 0.01x
      double rounding = expected * (0.005 / Math.max(duckSeconds - 0.005, 1e-3) + 0.005 / Math.max(silverSeconds - 0.005, 1e-3))
          + 0.005;
      assertEquals(expected, Double.parseDouble(ratio.group(1)), rounding, "ratio of the printed times:\n" + out);
      assertTrue(Pattern.compile("silver >= 1\\.0x DuckDB read_csv at " + threads + " thread\\(s\\), CSV: (met|NOT met) \\("
          + Pattern.quote(ratio.group(1)) + "x\\)").matcher(out).find(), out);
    }

    Matcher sheet = Pattern.compile("sales-102400b-seed42\\.xlsx \\([0-9.]+ KiB, ([0-9,]+) records").matcher(out);
    assertTrue(sheet.find(), out);
    long sheetRecords = Long.parseLong(sheet.group(1).replace(",", ""));
    for (String threads : List.of("1", "2")) {
      Matcher silver = Pattern.compile("(?m)^  silver xlsx +" + threads + " +[0-9.]+ +[0-9.]+ +([0-9,]+) .* ([0-9,]+) +([0-9,]+)"
          + " +(\\d+) MiB$").matcher(out);
      assertTrue(silver.find(), out);
      assertEquals(sheetRecords, Long.parseLong(silver.group(2).replace(",", "")) + Long.parseLong(silver.group(3).replace(",", "")),
          out);
      assertTrue(Long.parseLong(silver.group(4)) > 0, "a measured peak heap:\n" + out);
    }
    assertTrue(out.contains("DuckDB: not raced") || out.contains("excel extension loads"), out);
    assertTrue(Pattern.compile("silver peak heap <= 256 MiB on CSV: (met|NOT met) \\(\\d+ MiB").matcher(out).find()
        && Pattern.compile("silver peak heap <= 256 MiB on xlsx: (met|NOT met) \\(\\d+ MiB").matcher(out).find(), out);
  }

  /** Another source's records race too, each in its own table and goals: github_issues reads nested paths. */
  @Test
  void raceOnAnotherSource_hasItsOwnTableAndGoals() throws Exception {
    CliRun bench = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "bench", "--records", "500", "--threads", "1",
        "--repeat", "1", "--e2e", "0", "--cold-start", "0", "--race", "breweries,github_issues", "--files", "none");
    assertEquals(0, bench.code(), bench.all());
    String out = bench.out();
    assertTrue(out.contains("silver transform vs DuckDB, breweries, same records")
        && out.contains("silver transform vs DuckDB, github_issues, same records"), out);
    assertTrue(Pattern.compile("silver >= 1\\.0x DuckDB's best at 1 thread\\(s\\), github_issues: (met|NOT met)").matcher(out).find(), out);
    assertTrue(Files.exists(home.resolve("bench/github_issues-500-seed42.ndjson")), out);
  }
}
