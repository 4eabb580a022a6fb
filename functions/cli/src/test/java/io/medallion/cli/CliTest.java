package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a user types them: exit codes and what they print. */
class CliTest {

  @TempDir Path home;

  private record Result(int code, String out, String err) {}

  private Result cli(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(Map.of("MEDALLION_HOME", home.toString()), args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  @Test
  void run_thenQueryAndStatus_showTheResult() throws Exception {
    Result run = cli("run", "--records", "450", "--page-size", "100", "--run-id", "cli-run");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("Run cli-run succeeded"), run.out());
    assertTrue(run.out().contains("ingest   done: 5 pages, 450 records"), run.out());
    assertTrue(run.out().contains("bronze records = silver rows + rejects: yes"), run.out());
    assertTrue(run.out().contains("| country "), "prints the main gold table");
    assertTrue(Files.exists(home.resolve("warehouse/medallion.duckdb")));

    Result query = cli("query", "select count(*) as n from gold.dim_breweries");
    assertEquals(0, query.code(), query.err());
    assertTrue(query.out().contains("| n "), query.out());

    Result status = cli("status");
    assertTrue(status.out().contains("cli-run") && status.out().contains("ok"), status.out());
    Result one = cli("status", "cli-run");
    assertEquals(0, one.code());
    assertTrue(one.out().contains("checkpoint") && one.out().contains("= silver rows"), one.out());
  }

  @Test
  void badArguments_getAClearMessageAndExitCode2() {
    Result badId = cli("run", "--run-id", "BAD ID");
    assertEquals(2, badId.code());
    assertTrue(badId.err().contains("--run-id 'BAD ID' is not valid"), badId.err());
    Result badPage = cli("run", "--page-size", "500");
    assertEquals(2, badPage.code());
    assertTrue(badPage.err().contains("--page-size must be 1..200"), badPage.err());
    Result badSource = cli("run", "--source", "nope");
    assertEquals(2, badSource.code());
    assertTrue(badSource.err().contains("unknown source 'nope'"), badSource.err());
  }

  @Test
  void queryOrStatusBeforeAnyRun_explainsWhatToDo() {
    Result r = cli("query", "select 1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("run ./medallion run first"), r.err());
    assertEquals(2, cli("status").code());
  }

  @Test
  void badSql_failsWithTheWarehouseMessage() {
    assertEquals(0, cli("run", "--records", "50").code());
    Result r = cli("query", "select * from no_such_table");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no_such_table"), r.err());
  }

  @Test
  void unreachableSource_failsTheRunAndKeepsTheRequestInDeadLetters() throws Exception {
    Result r = cli("run", "--source-url", "http://127.0.0.1:9", "--run-id", "no-api", "--timeout", "PT3M");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("Run no-api FAILED"), r.out());
    assertTrue(r.out().contains("error    ingest: GET http://127.0.0.1:9/v1/breweries"), r.out());
    try (var files = Files.list(home.resolve("dead-letters"))) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".json")).count());
    }
  }
}
