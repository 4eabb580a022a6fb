package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.local.replay.ReplayServer;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them: exit codes and what they print. */
class CliTest {

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }


  @Test
  void run_thenQueryAndStatus_showTheResult() throws Exception {
    CliRun run = cli("run", "--records", "450", "--page-size", "100", "--run-id", "cli-run");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("Run cli-run succeeded"), run.out());
    assertTrue(run.out().contains("ingest   done: 5 pages, 450 records"), run.out());
    assertTrue(run.out().contains("bronze records = silver rows + rejects: yes"), run.out());
    assertTrue(run.out().contains("| country "), "prints the main gold table");
    assertTrue(run.out().contains("quality  every data-quality check passed"), run.out());
    assertTrue(run.out().matches("(?s).*medallion\\.records +layer=bronze,source=breweries +450\\n.*"),
        "prints the run's meters: " + run.out());
    assertTrue(Files.exists(home.resolve("warehouse/medallion.duckdb")));

    CliRun query = cli("query", "select count(*) as n from gold_brewing.dim_breweries");
    assertEquals(0, query.code(), query.err());
    assertTrue(query.out().contains("| n "), query.out());

    CliRun status = cli("status");
    assertTrue(status.out().contains("cli-run") && status.out().contains("ok"), status.out());
    CliRun one = cli("status", "cli-run");
    assertEquals(0, one.code());
    assertTrue(one.out().contains("checkpoint") && one.out().contains("= silver rows"), one.out());
    assertTrue(one.out().contains("row_counts_reconcile                     passed"), one.out());
    assertTrue(one.out().matches("(?s).*medallion\\.records +layer=bronze,source=breweries +450\\n.*"),
        "the run's meters, read back: " + one.out());
  }

  @Test
  void runAll_runsEverySourceSideBySide_eachProgressLineNamingItsSource() {
    CliRun run = cli("run", "--all", "--records", "60");
    assertEquals(0, run.code(), run.out() + run.err());
    // Every source ingest can pull: a file source's files load when dropped (FileSourceLifecycleTest).
    Set<String> sources = new java.util.TreeSet<>(SourceRegistry.standard().names());
    sources.removeIf(name -> SourceRegistry.standard().find(name).orElseThrow().isFileSource());
    // A stream source has nothing to pull: its run is a gold build of what was pushed.
    Set<String> streamed = new java.util.TreeSet<>(sources);
    streamed.removeIf(name -> !SourceRegistry.standard().find(name).orElseThrow().streams());
    sources.removeAll(streamed);
    for (String source : streamed) {
      assertTrue(run.out().contains("medallion run stream-") && run.out().contains(source + ": gold of the rows streamed"),
          source + ": " + run.out());
    }
    assertFalse(run.out().contains("ingest   sales"), "no run of a file source: " + run.out());
    for (String source : sources) {
      assertTrue(run.out().matches("(?s).*\\n  ingest   " + source + " +done: .*"), source + ": " + run.out());
      assertTrue(run.out().matches("(?s).*\\n  ingest   " + source + " +1 page, .*"), source + ": " + run.out());
    }
    assertEquals(sources.size() + streamed.size(), run.out().split("succeeded in ", -1).length - 1, "a summary per run: " + run.out());
  }

  @Test
  void badArguments_getAClearMessageAndExitCode2() {
    CliRun badId = cli("run", "--run-id", "BAD ID");
    assertEquals(2, badId.code());
    assertTrue(badId.err().contains("--run-id 'BAD ID' is not valid"), badId.err());
    CliRun badPage = cli("run", "--page-size", "500");
    assertEquals(2, badPage.code());
    assertTrue(badPage.err().contains("--page-size must be 1..200"), badPage.err());
    CliRun badSource = cli("run", "--source", "nope");
    assertEquals(2, badSource.code());
    assertTrue(badSource.err().contains("unknown source 'nope'"), badSource.err());
  }

  @Test
  void aBackfillThatCannotRun_isRefusedBeforeAnyWrite_sayingWhy() throws Exception {
    String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
    Map<String, String[]> cases = new java.util.LinkedHashMap<>();
    cases.put("the range is reversed: --from 2026-03-05 is after --to 2026-03-01",
        new String[] {"--source", "breweries", "--from", "2026-03-05", "--to", "2026-03-01"});
    cases.put("the range ends in the future: --to " + tomorrow, new String[] {"--source", "breweries", "--from", "2026-03-01", "--to", tomorrow});
    cases.put("--from '2026-13-01' is not a date YYYY-MM-DD", new String[] {"--source", "breweries", "--from", "2026-13-01", "--to", "2026-03-01"});
    cases.put("a backfill range needs both --from and --to", new String[] {"--source", "breweries", "--from", "2026-03-01"});
    cases.put("nothing to do", new String[] {"--source", "breweries"});
    cases.put("--full-refresh nope: not a model of breweries", new String[] {"--source", "breweries", "--full-refresh", "nope"});
    cases.put("no source 'nope'", new String[] {"--source", "nope", "--full-refresh", "x"});
    cases.put("source podcasts has no incremental or snapshot model", new String[] {"--source", "podcasts", "--from", "2026-03-01", "--to", "2026-03-01"});
    cases.forEach((why, args) -> {
      String[] all = new String[args.length + 1];
      all[0] = "backfill";
      System.arraycopy(args, 0, all, 1, args.length);
      CliRun r = cli(all);
      assertEquals(2, r.code(), String.join(" ", all) + ": " + r.err());
      assertTrue(r.err().contains(why), why + " / " + r.err());
    });
    assertFalse(java.nio.file.Files.exists(home.resolve("warehouse").resolve("medallion.duckdb")), "nothing was written");
  }

  @Test
  void queryOrStatusBeforeAnyRun_explainsWhatToDo() {
    CliRun r = cli("query", "select 1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("run ./medallion run first"), r.err());
    assertEquals(2, cli("status").code());
  }

  @Test
  void helpCommand_printsACommandsOptions_asItsHelpOptionDoes() {
    CliRun help = cli("help", "run");
    assertEquals(0, help.code(), help.all());
    assertEquals(cli("run", "--help").out(), help.out());
    assertTrue(help.out().contains("--full-refresh") && help.out().contains("--records"), help.out());
  }

  @Test
  void badSql_failsWithTheWarehouseMessage() {
    assertEquals(0, cli("run", "--records", "50").code());
    CliRun r = cli("query", "select * from no_such_table");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no_such_table"), r.err());
  }

  @Test
  void runWhoseEveryRecordIsRejected_exitsOneAndSaysSo() throws Exception {
    try (ReplayServer api = Breweries.serveJson(List.of("{\"id\":\"a\"}", "{\"id\":\"b\",\"name\":\" \"}", "{\"name\":\"c\"}"))) {
      CliRun r = cli("run", "--source-url", api.baseUrl().toString(), "--run-id", "all-rejected", "--page-size", "2");
      assertEquals(1, r.code(), r.out() + r.err());
      assertTrue(r.out().contains("Run all-rejected FAILED in"), r.out());
      assertTrue(r.out().contains("stages   ingest succeeded, silver succeeded, load succeeded, gold succeeded"), r.out());
      assertTrue(r.out().contains("error    silver: every record was rejected (3 rejects)"), r.out());
      assertTrue(r.out().contains("Run all-rejected FAILED"), r.out());
    }
  }

  @Test
  void unreachableSource_failsTheRunAndKeepsTheRequestInDeadLetters() throws Exception {
    CliRun r = cli("run", "--source-url", "http://127.0.0.1:9", "--run-id", "no-api", "--timeout", "PT3M");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("Run no-api FAILED"), r.out());
    // The REST engine names the source and resource before the request that failed.
    assertTrue(r.out().contains("error    ingest: source breweries, resource breweries: GET http://127.0.0.1:9/v1/breweries"),
        r.out());
    try (var files = Files.list(home.resolve("dead-letters"))) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".json")).count());
    }
  }
}
