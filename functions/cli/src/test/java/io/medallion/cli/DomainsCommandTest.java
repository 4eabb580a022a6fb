package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.domain.Domain;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbTableMove;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medallion domains}: each domain's owner, datasets, tables, last run and freshness; and
 * {@code domains move}: tables of the layout before domains (shared silver and gold datasets) move
 * into their domain's datasets keeping every row, the pipeline runs on, and what cannot move safely
 * is refused with nothing changed.
 */
class DomainsCommandTest {

  private static final MedallionConfig CONFIG = MedallionConfig.defaults();
  private static final SourceRegistry REGISTRY = SourceRegistry.standard();
  private static final Source BREWERIES = REGISTRY.find("breweries").orElseThrow();

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  private DuckDbWarehouse open() throws IOException {
    return new DuckDbWarehouse(new LocalPipeline.Layout(home).warehouseFile(), id -> {
      throw new IllegalStateException();
    }, (j, s) -> {});
  }

  /** Every table of breweries' domain datasets: its silver tables and gold models. */
  private static List<TableId> breweriesTables() {
    List<TableId> tables = new ArrayList<>();
    BREWERIES.silverTables().forEach(t -> tables.add(new TableId(CONFIG.silverDataset(BREWERIES), t)));
    BREWERIES.goldModels().forEach(m -> tables.add(new TableId(CONFIG.goldDataset(BREWERIES), m)));
    return tables;
  }

  private static TableId old(TableId now) {
    return new TableId(now.dataset().startsWith(CONFIG.silverDataset() + "_") ? CONFIG.silverDataset() : CONFIG.goldDataset(),
        now.table());
  }

  /** Runs {@code statements} on the warehouse file directly (no warehouse open). */
  private void sql(String... statements) throws Exception {
    Path file = new LocalPipeline.Layout(home).warehouseFile();
    Files.createDirectories(file.getParent());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        java.sql.Statement st = c.createStatement()) {
      for (String statement : statements) {
        st.execute(statement);
      }
    }
  }

  private static long count(DuckDbWarehouse w, String sql) throws IOException {
    return ((Number) w.read(sql).scalar()).longValue();
  }

  @Test
  void movesTheOldSharedLayoutKeepingEveryRowAndThePipelineRunsOn() throws Exception {
    CliRun run = cli("run", "--records", "120", "--page-size", "50");
    assertEquals(0, run.code(), run.out() + run.err());
    // The layout before domains: the same tables in the shared silver and gold datasets; a copy of
    // each to compare with afterwards.
    for (TableId t : breweriesTables()) {
      sql("create schema if not exists snapshot", "create table snapshot." + t.table() + " as select * from " + t.sql());
    }
    try (DuckDbWarehouse w = open()) {
      for (TableId t : breweriesTables()) {
        assertTrue(count(w, "select count(*) from snapshot." + t.table()) > 0, t + " has rows to move");
        DuckDbTableMove.move(w, t, old(t));
        assertFalse(w.tableExists(t));
      }
    }

    CliRun dry = cli("domains", "move", "--dry-run");
    assertEquals(0, dry.code(), dry.out() + dry.err());
    try (DuckDbWarehouse w = open()) {
      for (TableId t : breweriesTables()) {
        assertTrue(dry.out().contains(old(t).sql()) && dry.out().contains(t.sql()), dry.out());
        assertTrue(w.tableExists(old(t)) && !w.tableExists(t), "--dry-run changes nothing: " + t);
      }
    }

    CliRun moved = cli("domains", "move");
    assertEquals(0, moved.code(), moved.out() + moved.err());
    try (DuckDbWarehouse w = open()) {
      for (TableId t : breweriesTables()) {
        assertFalse(w.tableExists(old(t)), old(t) + " is gone");
        assertEquals(0, count(w, "select count(*) from (select * from " + t.sql() + " except all select * from snapshot."
            + t.table() + ")"), t + " holds nothing the old table did not");
        assertEquals(0, count(w, "select count(*) from (select * from snapshot." + t.table() + " except all select * from "
            + t.sql() + ")"), t + " holds every row the old table did");
      }
      assertEquals(java.util.Optional.of(BREWERIES.partitioning("breweries")),
          w.partitioning(new TableId(CONFIG.silverDataset(BREWERIES), "breweries")), "the partitioning moved too");
      assertEquals(0, DuckDbTableMove.tables(w, CONFIG.silverDataset()).size());
    }

    CliRun again = cli("domains", "move");
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("Nothing to move"), again.out());

    long before;
    try (DuckDbWarehouse w = open()) {
      before = count(w, "select count(*) from " + new TableId(CONFIG.silverDataset(BREWERIES), "breweries").sql());
    }
    CliRun next = cli("run", "--records", "120", "--page-size", "50");
    assertEquals(0, next.code(), "the pipeline runs on over the moved tables: " + next.out() + next.err());
    try (DuckDbWarehouse w = open()) {
      // The replay is seeded: the same 120 records again, the same rows kept (and rejects refused).
      assertEquals(2 * before, count(w, "select count(*) from " + new TableId(CONFIG.silverDataset(BREWERIES), "breweries").sql()),
          "the second run appended to the moved silver table");
    }
  }

  @Test
  void refusesATableOfNoSourceAndATargetWithOtherRowsChangingNothing() throws Exception {
    sql("create schema if not exists silver", "create schema if not exists gold",
        "create table gold.dim_breweries as select 1 as brewery_id", "create table gold.scratch as select 1 as x");
    CliRun orphan = cli("domains", "move");
    assertEquals(1, orphan.code(), orphan.out() + orphan.err());
    assertTrue(orphan.err().contains("gold.scratch belongs to no declared source"), orphan.err());
    try (DuckDbWarehouse w = open()) {
      assertTrue(w.tableExists(new TableId("gold", "dim_breweries")), "nothing moved");
    }
    sql("drop table gold.scratch", "create schema if not exists gold_brewing",
        "create table gold_brewing.dim_breweries as select 2 as brewery_id");
    CliRun conflict = cli("domains", "move");
    assertEquals(1, conflict.code(), conflict.out() + conflict.err());
    assertTrue(conflict.err().contains("gold_brewing.dim_breweries already exists with rows other than gold.dim_breweries"),
        conflict.err());
    try (DuckDbWarehouse w = open()) {
      assertEquals(1L, count(w, "select brewery_id from gold.dim_breweries"));
      assertEquals(2L, count(w, "select brewery_id from gold_brewing.dim_breweries"));
    }
  }

  @Test
  void gcpScriptCopiesThenRemovesOnlyAfterTheCountsAgree() {
    CliRun printed = cli("domains", "move", "--gcp", "--project", "p1", "--name-prefix", "med-x");
    assertEquals(0, printed.code(), printed.err());
    String s = printed.out();
    for (Source source : REGISTRY.all()) {
      for (String t : source.silverTables()) {
        assertTrue(s.contains("move med_x_silver." + t + " med_x_" + CONFIG.silverDataset(source) + "." + t), s);
      }
      for (String m : source.goldModels()) {
        assertTrue(s.contains("move med_x_gold." + m + " med_x_" + CONFIG.goldDataset(source) + "." + m), s);
      }
    }
    assertTrue(s.contains("set -euo pipefail"));
    int cp = s.indexOf("  bq cp --project_id");
    int check = s.indexOf("if [ \"$after\" != \"$before\" ]");
    int rm = s.indexOf("  bq rm --project_id");
    assertTrue(cp > 0 && cp < check && check < rm, "copy, then compare the counts, then remove: " + s);
  }

  @Test
  void listsEachDomainWithItsOwnerDatasetsTablesAndLastRun() throws Exception {
    CliRun empty = cli("domains");
    assertEquals(0, empty.code(), empty.err());
    assertTrue(empty.out().contains("no local warehouse yet"), empty.out());

    CliRun run = cli("run", "--records", "20");
    assertEquals(0, run.code(), run.out() + run.err());
    CliRun shown = cli("domains");
    assertEquals(0, shown.code(), shown.err());
    for (Domain d : REGISTRY.domains()) {
      assertTrue(shown.out().contains(d.owner().team() + " (" + d.owner().contact() + ")"), shown.out());
      assertTrue(shown.out().contains(d.dataset(CONFIG.goldDataset())), shown.out());
    }
    BREWERIES.goldModels().forEach(m -> assertTrue(shown.out().contains(CONFIG.goldDataset(BREWERIES) + "." + m), shown.out()));
    // The run's checks all passed: brewing's quality objective is met with its whole budget left.
    int checks = BREWERIES.checks().size();
    assertTrue(shown.out().contains("  slo        quality   99.0% over 28d: SLI 100.0% (" + checks + "/" + checks
        + "), error budget left 100.0%"), shown.out());
    assertTrue(shown.out().contains("  slo        freshness 95.0% over 28d: "), shown.out());

    CliRun json = cli("domains", "--json");
    assertEquals(0, json.code(), json.err());
    JsonArray rows = JsonParser.parseString(json.out()).getAsJsonArray();
    assertEquals(REGISTRY.domains().size(), rows.size());
    JsonObject brewing = null;
    for (JsonElement e : rows) {
      if (e.getAsJsonObject().get("domain").getAsString().equals(BREWERIES.domain())) {
        brewing = e.getAsJsonObject();
      }
    }
    assertNotNull(brewing);
    assertEquals(2, brewing.getAsJsonArray("slos").size());
    assertEquals("QUALITY", brewing.getAsJsonArray("slos").get(1).getAsJsonObject().get("kind").getAsString());
    assertEquals("breweries", brewing.getAsJsonObject("lastRun").get("source").getAsString());
    assertEquals("succeeded", brewing.getAsJsonObject("lastRun").get("state").getAsString());
    JsonObject source = brewing.getAsJsonArray("sources").get(0).getAsJsonObject();
    assertFalse(source.get("lastGold").isJsonNull(), "the run built gold");
    JsonObject media = null;
    for (JsonElement e : rows) {
      if (e.getAsJsonObject().get("domain").getAsString().equals("media")) {
        media = e.getAsJsonObject();
      }
    }
    assertNotNull(media);
    assertTrue(media.get("lastRun").isJsonNull(), "no media source ran");
  }

  @Test
  void freshnessIsWhetherTodaysGoldWasBuiltByTheDomainsTime() throws Exception {
    Domain brewing = REGISTRY.domain(BREWERIES.domain()).orElseThrow();
    java.time.LocalTime by = brewing.slo().freshness().goldBy();
    java.time.LocalDate day = java.time.LocalDate.of(2026, 3, 10);
    Instant due = day.atTime(by).toInstant(ZoneOffset.UTC);
    Files.createDirectories(new LocalPipeline.Layout(home).warehouseFile().getParent());
    try (DuckDbWarehouse w = open()) {
      w.ensureDataset(CONFIG.opsDataset());
      DuckDbRunLedger ledger = new DuckDbRunLedger(w, CONFIG.opsDataset());
      DomainsCommand.Ledger read = new DomainsCommand.Ledger(w, CONFIG);
      Clock before = Clock.fixed(due.minusSeconds(3600), ZoneOffset.UTC);
      Clock after = Clock.fixed(due.plusSeconds(3600), ZoneOffset.UTC);
      assertEquals("not yet due", DomainsCommand.row(CONFIG, REGISTRY, brewing, read, before).sources().get(0).freshness());
      assertNull(DomainsCommand.row(CONFIG, REGISTRY, brewing, read, before).freshGoldToday());
      assertEquals("missed", DomainsCommand.row(CONFIG, REGISTRY, brewing, read, after).sources().get(0).freshness());
      assertEquals(Boolean.FALSE, DomainsCommand.row(CONFIG, REGISTRY, brewing, read, after).freshGoldToday());

      // A gold build the day before does not count for today; one after the time is late.
      ledger.record(RunEvent.of("r0", "breweries", Stage.GOLD, Status.SUCCEEDED).key("b0").at(due.minusSeconds(86_400)));
      ledger.record(RunEvent.of("r1", "breweries", Stage.GOLD, Status.SUCCEEDED).key("b1").at(due.plusSeconds(600)));
      assertTrue(DomainsCommand.row(CONFIG, REGISTRY, brewing, read, after).sources().get(0).freshness().startsWith("late"));
      ledger.record(RunEvent.of("r2", "breweries", Stage.GOLD, Status.FAILED).key("b2").at(due.minusSeconds(600)));
      assertTrue(DomainsCommand.row(CONFIG, REGISTRY, brewing, read, after).sources().get(0).freshness().startsWith("late"),
          "a failed build is no gold");
      ledger.record(RunEvent.of("r3", "breweries", Stage.GOLD, Status.SUCCEEDED).key("b3").at(due.minusSeconds(60)));
      DomainsCommand.DomainRow row = DomainsCommand.row(CONFIG, REGISTRY, brewing, read, after);
      assertEquals("met", row.sources().get(0).freshness());
      assertEquals(Boolean.TRUE, row.freshGoldToday());
      assertEquals(due.plusSeconds(600), row.sources().get(0).lastGold());
      assertEquals("r1", row.lastRun().runId());
      // The objectives, as status shows them: yesterday's and today's builds came by gold_by.
      assertEquals(List.of(io.medallion.slo.SloStatus.Kind.FRESHNESS, io.medallion.slo.SloStatus.Kind.QUALITY),
          row.slos().stream().map(io.medallion.slo.SloStatus::kind).toList());
      assertEquals(2, row.slos().get(0).good());
      assertEquals(2, row.slos().get(0).total());
      assertEquals(0, row.slos().get(1).total(), "no check ran");
    }
  }
}
