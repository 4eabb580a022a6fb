package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.TableId;
import io.medallion.port.TablePartitioning;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medallion repartition}: prints the BigQuery script, moves the local tables keeping every
 * row, and refuses, writing nothing, what it cannot do safely.
 */
class RepartitionCommandTest {

  private static final TableId BREWERIES = new TableId("silver_brewing", "breweries");

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  private Path warehouseFile() {
    return new LocalPipeline.Layout(home).warehouseFile();
  }

  /**
   * A breweries table as a warehouse from before partitioning has it: three loads that declared
   * none, on three days, one brewery loaded twice.
   */
  private void unpartitionedBreweries() throws IOException {
    Source breweries = SourceRegistry.standard().find("breweries").orElseThrow();
    Path objects = home.resolve("objects");
    Files.createDirectories(objects);
    try (DuckDbWarehouse w = new DuckDbWarehouse(warehouseFile(), id -> objects.resolve(id.name()), (j, s) -> {})) {
      Instant day = Instant.parse("2025-06-01T06:00:00Z");
      String[][] loads = {{"b-1", "b-2", "b-3"}, {"b-4", "b-2"}, {"b-5"}};
      for (int i = 0; i < loads.length; i++) {
        List<String> rows = new ArrayList<>();
        for (String id : loads[i]) {
          rows.add("{\"brewery_id\":\"" + id + "\",\"name\":\"Brewery " + id + "\",\"city\":\"Ström \\\"quoted\\\"\","
              + "\"longitude\":" + (i + 0.25) + ",\"_run_id\":\"run-" + i + "\",\"_source_uri\":\"gs://b/page-" + i + ".json\","
              + "\"_source_generation\":" + (100 + i) + ",\"_source_record\":" + rows.size() + ","
              + "\"_ingested_at\":\"" + day.plus(i, ChronoUnit.DAYS) + "\",\"_extra\":{\"k\":" + i + "}}");
        }
        Files.writeString(objects.resolve("load-" + i + ".ndjson"), String.join("\n", rows) + "\n");
        JobStatus job = w.load(new LoadJob("load_" + i, List.of(new ObjectId("staging", "load-" + i + ".ndjson")), BREWERIES,
            breweries.silverSchema("breweries"), Map.of()));
        assertEquals(null, job.error(), job.error());
      }
      assertEquals(Optional.empty(), w.partitioning(BREWERIES));
    }
  }

  private List<List<Object>> rows(TableId table) throws IOException {
    try (DuckDbWarehouse w = DuckDbWarehouse.openReadOnly(warehouseFile())) {
      return w.read("select * exclude (_extra), cast(_extra as varchar) from " + table.sql()
          + " order by brewery_id, _run_id").rows();
    }
  }

  @Test
  void repartition_printsTheBigQueryScript_andMovesTheLocalTable_keepingEveryRowOfEveryLoad() throws Exception {
    unpartitionedBreweries();
    List<List<Object>> before = rows(BREWERIES);
    assertEquals(6, before.size());

    CliRun run = cli("repartition", "--source", "breweries");

    assertEquals(0, run.code(), run.all());
    assertTrue(run.out().contains("CREATE TABLE `medallion_silver_brewing.breweries__repartitioned` (\n  `brewery_id` STRING NOT NULL"
        + " OPTIONS (description = \"Open Brewery DB id (API field id).\")"), run.out());
    assertTrue(run.out().contains("PARTITION BY TIMESTAMP_TRUNC(`_ingested_at`, DAY)\nCLUSTER BY `brewery_id`"), run.out());
    assertTrue(run.out().contains("ALTER TABLE `medallion_silver_brewing.breweries` RENAME TO `breweries__before_repartition`;\n"
        + "ALTER TABLE `medallion_silver_brewing.breweries__repartitioned` RENAME TO `breweries`;"), run.out());
    assertTrue(run.out().contains("`terraform plan` shows no change to google_bigquery_table.silver[\"breweries\"]"), run.out());
    assertTrue(run.out().contains("DROP TABLE `medallion_silver_brewing.breweries__before_repartition`;"), run.out());
    assertTrue(run.out().contains("silver_brewing.breweries: not partitioned -> DAY(_ingested_at), clustered by brewery_id"), run.out());
    assertTrue(run.out().contains("6 rows copied, count and checksum"), run.out());

    assertEquals(before, rows(BREWERIES), "every row of every load, the brewery loaded twice twice, each value as it was");
    TableId old = TablePartitioning.beforeRepartition(BREWERIES);
    assertEquals(before, rows(old), "the old table is kept");
    try (DuckDbWarehouse w = DuckDbWarehouse.openReadOnly(warehouseFile())) {
      assertEquals(Optional.of(SourceRegistry.standard().find("breweries").orElseThrow().partitioning("breweries")),
          w.partitioning(BREWERIES));
    }

    CliRun again = cli("repartition", "--source", "breweries", "--script-only");
    assertEquals(0, again.code(), again.all());
    assertFalse(again.out().contains("Local warehouse"), "the script only: " + again.out());
    CliRun done = cli("repartition", "--source", "breweries");
    assertEquals(0, done.code(), done.all());
    assertTrue(done.out().contains("silver_brewing.breweries is already DAY(_ingested_at), clustered by brewery_id; its old rows are in "
        + old + " until --drop-old"), done.out());

    CliRun drop = cli("repartition", "--source", "breweries", "--drop-old");
    assertEquals(0, drop.code(), drop.all());
    assertTrue(drop.out().contains("Dropped " + old), drop.out());
    try (DuckDbWarehouse w = DuckDbWarehouse.openReadOnly(warehouseFile())) {
      assertFalse(w.tableExists(old));
    }
    assertEquals(before, rows(BREWERIES));
  }

  @Test
  void anUnknownSource_isRefused_namingTheSources_andWritesNothing() {
    CliRun run = cli("repartition", "--source", "brewerys");
    assertEquals(2, run.code(), run.all());
    assertTrue(run.err().contains("--source: no source 'brewerys' (one of [") && run.err().contains("breweries"), run.err());
    assertFalse(Files.exists(warehouseFile()), "no warehouse made");
    assertEquals("", run.out());
  }

  @Test
  void aTableThatDoesNotExistYet_isRefused_andNothingIsWritten() throws Exception {
    CliRun noWarehouse = cli("repartition", "--source", "breweries");
    assertEquals(1, noWarehouse.code(), noWarehouse.all());
    assertTrue(noWarehouse.err().contains("no local warehouse at " + warehouseFile() + ": no table of breweries to move"),
        noWarehouse.err());
    assertFalse(Files.exists(warehouseFile()), "no warehouse made");

    unpartitionedBreweries();
    CliRun podcasts = cli("repartition", "--source", "podcasts");
    assertEquals(1, podcasts.code(), podcasts.all());
    assertTrue(podcasts.err().contains("silver_media.podcast_shows, silver_media.podcast_episodes do not exist yet in the local warehouse:"
        + " nothing to move"), podcasts.err());
    try (DuckDbWarehouse w = DuckDbWarehouse.openReadOnly(warehouseFile())) {
      assertFalse(w.tableExists(new TableId("silver_media", "podcast_shows")));
      assertFalse(w.tableExists(TablePartitioning.repartitioned(new TableId("silver_media", "podcast_shows"))));
    }
  }

  @Test
  void whileServeHoldsTheWarehouse_theLocalMoveIsRefused_andTheTableStaysAsItWas() throws Exception {
    unpartitionedBreweries();
    List<List<Object>> before = rows(BREWERIES);
    // A serve on this home: its control file, naming a live process (this one).
    Files.writeString(home.resolve(ServeControl.FILE), "{\"pid\": " + ProcessHandle.current().pid()
        + ", \"port\": 1, \"token\": \"t\", \"startedAt\": \"2026-01-01T00:00:00Z\"}");

    CliRun run = cli("repartition", "--source", "breweries");

    assertEquals(1, run.code(), run.all());
    assertTrue(run.err().contains("serve (pid " + ProcessHandle.current().pid() + ") holds the local warehouse")
        && run.err().contains("Nothing changed locally"), run.err());
    Files.delete(home.resolve(ServeControl.FILE));
    assertEquals(before, rows(BREWERIES));
    try (DuckDbWarehouse w = DuckDbWarehouse.openReadOnly(warehouseFile())) {
      assertEquals(Optional.empty(), w.partitioning(BREWERIES));
      assertFalse(w.tableExists(TablePartitioning.beforeRepartition(BREWERIES)));
    }
  }
}
