package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A silver schema file changed between two runs of a source (the tickets example of {@code
 * src/test/resources/another-source}, copied so that it can be edited): a nullable and a repeated
 * column are added to the table by the next load, older rows reading NULL and an empty array; a
 * breaking change fails the next run before any load, naming the column and what to do, and loads
 * nothing. {@code schema diff} says so beforehand.
 */
class SchemaEvolutionTest {

  @TempDir Path home;
  @TempDir Path copies;

  /** The sources directory of the next command. */
  private Path dir;
  private Path schemaFile;

  @BeforeEach
  void copyTheExampleSource() throws Exception {
    copyTo(Path.of(SchemaEvolutionTest.class.getResource("/another-source").toURI()), "v1");
  }

  /**
   * Copies {@code from} to a new sources directory for the next commands: a JVM keeps the
   * declarations of a directory it has read (SourceRegistry), as a running function does, so an
   * edited declaration is a new directory here, as it is a new process (or deployment) there.
   */
  private void copyTo(Path from, String name) throws Exception {
    Path to = copies.resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    dir = to;
    schemaFile = dir.resolve("schemas/bigquery/silver/tickets.json");
  }

  private CliRun cli(String... args) {
    String[] all = Stream.concat(Stream.of("--sources-dir", dir.toString()), Stream.of(args)).toArray(String[]::new);
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), all);
  }

  private void editSchema(String from, String to) throws Exception {
    String schema = Files.readString(schemaFile);
    assertTrue(schema.contains(from), from);
    Files.writeString(schemaFile, schema.replace(from, to));
  }

  /** Per run in run order: rows, rows with a requester_name, rows whose tags are empty. */
  private List<String> perRun() {
    CliRun q = cli("query", "select count(*) as n, count(requester_name) as named, count(*) filter (where len(tags) = 0)"
        + " as untagged from silver_sales.tickets group by _run_id order by min(_ingested_at)", "--format", "csv");
    assertEquals(0, q.code(), q.all());
    return q.out().lines().skip(1).toList();
  }

  @Test
  void nullableAndRepeatedColumnsAdded_evolveTheTableOnTheNextRun_olderRowsReadNullAndEmpty() throws Exception {
    CliRun before = cli("schema", "diff", "--source", "tickets");
    assertEquals(0, before.code(), before.all());
    assertTrue(before.out().contains("silver_sales.tickets") && before.out().contains("table does not exist yet"), before.out());
    CliRun first = cli("run", "--source", "tickets");
    assertEquals(0, first.code(), first.all());
    CliRun same = cli("schema", "diff", "--source", "tickets");
    assertEquals(0, same.code(), same.all());
    assertTrue(same.out().matches("(?s).*silver_sales\\.tickets +unchanged.*"), same.out());

    copyTo(dir, "v2");
    editSchema("  {\"name\": \"_run_id\"", "  {\"name\": \"requester_name\", \"type\": \"STRING\", \"mode\": \"NULLABLE\"},\n"
        + "  {\"name\": \"tags\", \"type\": \"STRING\", \"mode\": \"REPEATED\"},\n  {\"name\": \"_run_id\"");
    Path declaration = dir.resolve("schemas/sources/tickets.json");
    Files.writeString(declaration, Files.readString(declaration)
        .replace("\"requester.email\": \"requester_email\"", "\"requester.email\": \"requester_email\", \"requester.name\": \"requester_name\""));
    CliRun diff = cli("schema", "diff", "--source", "tickets");
    assertEquals(0, diff.code(), diff.all());
    assertTrue(diff.out().contains("2 added: the next load makes them"), diff.out());
    assertTrue(diff.out().contains("added     requester_name: new column STRING NULLABLE (added by the next load;"
        + " rows already loaded read NULL)"), diff.out());
    assertTrue(diff.out().contains("added     tags: new column STRING REPEATED"), diff.out());

    CliRun second = cli("run", "--source", "tickets");

    assertEquals(0, second.code(), second.all());
    List<String> runs = perRun();
    assertEquals(2, runs.size(), runs.toString());
    assertEquals("19,0,19", runs.get(0), "the first run's rows read NULL and an empty array");
    String[] next = runs.get(1).split(",");
    assertEquals("19", next[0]);
    assertTrue(Integer.parseInt(next[1]) > 0, "the new column is filled: " + runs);
    assertTrue(Integer.parseInt(next[2]) < 19, "some records have tags: " + runs);
    assertTrue(cli("schema", "diff", "--source", "tickets").out().matches("(?s).*silver_sales\\.tickets +unchanged.*"));
  }

  /**
   * The API sends a field the schema does not name: silver keeps it in {@code _extra} and the run
   * says so; the field is then promoted to a column by a schema change, and nothing is lost: the
   * new run fills the column, the first run's rows still hold the value in {@code _extra}, from
   * which one UPDATE backfills them.
   */
  @Test
  void anUnknownField_isKeptAndCounted_thenPromotedToAColumn_withNoDataLost() throws Exception {
    CliRun first = cli("run", "--source", "tickets", "--run-id", "before-promotion");
    assertEquals(0, first.code(), first.all());
    assertTrue(first.out().contains("unknown  new field `requester.name` in 18 records"), first.out());
    assertTrue(first.out().contains("unknown  new field `tags` in 19 records"), "every row has tags: " + first.out());
    CliRun kept = cli("query", "select count(*) from silver_sales.tickets where json_extract_string(_extra, '$.\"requester.name\"') is not null",
        "--format", "csv");
    assertEquals("18", kept.out().lines().skip(1).findFirst().orElseThrow(), kept.all());
    CliRun ledger = cli("query", "select unknown_fields from ops.run_ledger where run_id = 'before-promotion' and stage = 'silver'"
        + " and status = 'succeeded'", "--format", "csv");
    assertTrue(ledger.out().contains("requester.name") && ledger.out().contains("18"), ledger.all());

    copyTo(dir, "promoted");
    editSchema("  {\"name\": \"_run_id\"", "  {\"name\": \"requester_name\", \"type\": \"STRING\", \"mode\": \"NULLABLE\"},\n  {\"name\": \"_run_id\"");
    Path declaration = dir.resolve("schemas/sources/tickets.json");
    Files.writeString(declaration, Files.readString(declaration)
        .replace("\"requester.email\": \"requester_email\"", "\"requester.email\": \"requester_email\", \"requester.name\": \"requester_name\""));
    CliRun second = cli("run", "--source", "tickets", "--run-id", "after-promotion");

    assertEquals(0, second.code(), second.all());
    assertFalse(second.out().contains("new field `requester.name`"), "a column now: no longer unknown\n" + second.out());
    CliRun byRun = cli("query", "select _run_id, count(requester_name) as in_column,"
        + " count(json_extract_string(_extra, '$.\"requester.name\"')) as in_extra from silver_sales.tickets group by _run_id order by _run_id",
        "--format", "csv");
    assertEquals(List.of("after-promotion,18,0", "before-promotion,0,18"), byRun.out().lines().skip(1).toList(), byRun.all());
    CliRun names = cli("query", "select count(distinct requester_name) from silver_sales.tickets", "--format", "csv");
    assertEquals(0, names.code(), names.all());
  }

  @Test
  void breakingChange_failsTheNextRunBeforeAnyLoad_namingTheColumnAndWhatToDo() throws Exception {
    assertEquals(0, cli("run", "--source", "tickets").code());
    copyTo(dir, "v2");
    editSchema("{\"name\": \"subject\", \"type\": \"STRING\"", "{\"name\": \"subject\", \"type\": \"BYTES\"");

    CliRun diff = cli("schema", "diff", "--source", "tickets");
    assertEquals(1, diff.code(), diff.all());
    assertTrue(diff.out().contains("breaking  subject: type changed from STRING to BYTES (a load cannot change a"
        + " column in place: add a new column and backfill it, or create a new table version"), diff.out());
    assertTrue(diff.out().contains("1 breaking change: the next load of its table is refused"), diff.out());

    CliRun run = cli("run", "--source", "tickets", "--run-id", "after-the-change");

    assertEquals(1, run.code(), run.all());
    assertTrue(run.all().contains("the schema file of silver_sales.tickets changes the table in a way no load can, so nothing"
        + " was loaded: subject: type changed from STRING to BYTES"), run.all());
    assertEquals(List.of("19,0,19"), perRunBeforeTheChange());
    try (Stream<Path> staging = Files.walk(home.resolve("buckets/medallion-silver-staging"))) {
      assertTrue(staging.noneMatch(p -> p.toString().contains("run_id=after-the-change")),
          "refused before silver staged anything, so no load was submitted");
    }
    try (Stream<Path> bronze = Files.walk(home.resolve("buckets/medallion-bronze/tickets"))) {
      assertTrue(bronze.anyMatch(p -> p.toString().contains("run_id=after-the-change")), "bronze keeps the run's pages");
    }
  }

  /** {@link #perRun} for the table as the first run made it (no requester_name, no tags yet). */
  private List<String> perRunBeforeTheChange() {
    CliRun q = cli("query", "select count(*) as n, 0 as named, count(*) as untagged from silver_sales.tickets group by _run_id",
        "--format", "csv");
    assertEquals(0, q.code(), q.all());
    return q.out().lines().skip(1).toList();
  }
}
