package io.medallion.local.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.TablePartitioning;
import io.medallion.port.TablePartitioning.Granularity;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local warehouse keeps each table's declared partitioning, expires old partitions after each
 * load as BigQuery would, and moves a table to a new partitioning without losing a row.
 */
class DuckDbPartitioningTest {

  private static final TableSchema SCHEMA = TableSchema.parse("[{\"name\":\"id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"sold_on\",\"type\":\"DATE\"},{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
      + "{\"name\":\"_extra\",\"type\":\"JSON\"},{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\"}]");
  private static final TableId TABLE = new TableId("silver", "sales");
  private static final TablePartitioning BY_INGESTION = new TablePartitioning("_ingested_at", Granularity.DAY, null, List.of("id"));

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private int loads;

  @BeforeEach
  void open() throws IOException {
    warehouse = new DuckDbWarehouse(dir.resolve("warehouse.duckdb"), id -> dir.resolve("objects").resolve(id.name()), (j, s) -> {});
  }

  @AfterEach
  void close() throws IOException {
    warehouse.close();
  }

  /** Loads rows given as NDJSON lines, declaring {@code partitioning}. */
  private JobStatus load(TablePartitioning partitioning, String... rows) throws IOException {
    String name = "rows-" + (++loads) + ".ndjson";
    Files.createDirectories(dir.resolve("objects"));
    Files.writeString(dir.resolve("objects").resolve(name), String.join("\n", rows) + "\n");
    JobStatus job = warehouse.load(new LoadJob("load_" + loads, List.of(new ObjectId("staging", name)), TABLE, SCHEMA, Map.of(),
        partitioning));
    assertNull(job.error(), job.error());
    return job;
  }

  private static String row(String id, String soldOn, Instant ingested) {
    return "{\"id\":\"" + id + "\",\"sold_on\":\"" + soldOn + "\",\"tags\":[\"t-" + id + "\"],\"_extra\":{\"n\":\"" + id + "\"},"
        + "\"_ingested_at\":\"" + ingested + "\"}";
  }

  private List<List<Object>> rows(TableId table) throws IOException {
    QueryResult r = warehouse.read("select id, sold_on, tags, cast(_extra as varchar), _ingested_at from " + table.sql() + " order by id");
    return r.rows();
  }

  @Test
  void aTableALoadCreates_isPartitionedAsTheLoadDeclares() throws Exception {
    load(BY_INGESTION, row("a", "2026-01-02", Instant.parse("2026-01-02T10:00:00Z")));
    assertEquals(Optional.of(BY_INGESTION), warehouse.partitioning(TABLE));
    assertEquals(Optional.empty(), warehouse.partitioning(new TableId("silver", "nothing")));
  }

  @Test
  void partitionsOlderThanTheExpiration_areDeletedAfterEachLoad_asBigQueryWould() throws Exception {
    Instant now = Instant.now();
    TablePartitioning tenDays = new TablePartitioning("_ingested_at", Granularity.DAY, 10, List.of("id"));
    load(tenDays,
        row("old", "2020-01-01", now.minus(30, ChronoUnit.DAYS)),
        row("edge", "2020-01-01", now.minus(11, ChronoUnit.DAYS)),
        row("recent", "2020-01-01", now.minus(2, ChronoUnit.DAYS)));
    assertEquals(List.of("recent"), rows(TABLE).stream().map(r -> r.get(0)).toList(),
        "a day partition expires when its day's start plus 10 days has passed");

    // A month partition's start is the month's first day: by sold_on, a month ago's rows are kept
    // until the month's first day is 10 days gone.
    TableId byMonth = new TableId("silver", "sales_by_month");
    Files.writeString(dir.resolve("objects").resolve("m.ndjson"), String.join("\n",
        row("last_year", "2025-01-31", now), row("today", now.toString().substring(0, 10), now)) + "\n");
    warehouse.load(new LoadJob("load_month", List.of(new ObjectId("staging", "m.ndjson")), byMonth, SCHEMA, Map.of(),
        new TablePartitioning("sold_on", Granularity.MONTH, 10, List.of())));
    assertEquals(List.of("today"), rows(byMonth).stream().map(r -> r.get(0)).toList());
  }

  @Test
  void aLaterLoad_changesExpirationAndClusteringInPlace_butNotTheColumn_asTerraformCould() throws Exception {
    Instant now = Instant.now();
    load(BY_INGESTION, row("a", "2020-01-01", now.minus(40, ChronoUnit.DAYS)));
    TablePartitioning expiring = new TablePartitioning("_ingested_at", Granularity.DAY, 30, List.of("sold_on", "id"));
    load(expiring, row("b", "2020-01-01", now));
    assertEquals(Optional.of(expiring), warehouse.partitioning(TABLE));
    assertEquals(List.of("b"), rows(TABLE).stream().map(r -> r.get(0)).toList(), "the new expiration applies at once");

    load(new TablePartitioning("sold_on", Granularity.MONTH, 30, List.of("id")), row("c", "2020-01-01", now));
    assertEquals(Optional.of(new TablePartitioning("_ingested_at", Granularity.DAY, 30, List.of("id"))), warehouse.partitioning(TABLE),
        "a new column or granularity takes medallion repartition; the load keeps the table's");
    assertEquals(List.of("b", "c"), rows(TABLE).stream().map(r -> r.get(0)).toList());
  }

  @Test
  void repartition_keepsEveryRowOfEveryLoad_swapsTheNames_andKeepsTheOldTableUntilDropped() throws Exception {
    // A table from before partitioning was declared: loads that declared none.
    Instant day1 = Instant.parse("2025-03-01T08:00:00Z");
    load(null, row("a", "2025-02-27", day1), row("b", "2025-02-28", day1));
    load(null, row("c", "2025-03-01", day1.plus(1, ChronoUnit.DAYS)), row("c", "2025-03-01", day1.plus(1, ChronoUnit.DAYS)));
    load(null, row("d", "2025-03-02", day1.plus(2, ChronoUnit.DAYS)));
    assertEquals(Optional.empty(), warehouse.partitioning(TABLE));
    List<List<Object>> before = rows(TABLE);
    assertEquals(5, before.size());

    TablePartitioning byMonth = new TablePartitioning("sold_on", Granularity.MONTH, null, List.of("id"));
    DuckDbWarehouse.Repartitioned done = warehouse.repartition(TABLE, SCHEMA, byMonth);

    assertEquals(5, done.rows());
    assertEquals(Optional.empty(), done.before());
    assertEquals(before, rows(TABLE), "every row, the repeated one twice, each value as it was");
    assertEquals(Optional.of(byMonth), warehouse.partitioning(TABLE));
    TableId old = TablePartitioning.beforeRepartition(TABLE);
    assertEquals(before, rows(old), "the old table is kept as it was");
    assertTrue(warehouse.tableSchema(TABLE).orElseThrow().field("id").required(), "made from the schema file: REQUIRED kept");
    assertFalse(warehouse.tableExists(TablePartitioning.repartitioned(TABLE)));

    // The next load appends to the moved table.
    load(byMonth, row("e", "2025-03-03", day1.plus(3, ChronoUnit.DAYS)));
    assertEquals(6, rows(TABLE).size());

    IOException again = assertThrows(IOException.class, () -> warehouse.repartition(TABLE, SCHEMA, BY_INGESTION));
    assertTrue(again.getMessage().contains(old + " from an earlier repartition is still there; drop it first"), again.getMessage());
    assertEquals(Optional.of(byMonth), warehouse.partitioning(TABLE), "refused: nothing changed");

    assertTrue(warehouse.dropBeforeRepartition(TABLE));
    assertFalse(warehouse.tableExists(old));
    assertFalse(warehouse.dropBeforeRepartition(TABLE), "nothing left to drop");
    assertEquals(6, rows(TABLE).size());
  }

  @Test
  void repartitioningATableThatDoesNotExist_isRefused_andWritesNothing() throws Exception {
    IOException e = assertThrows(IOException.class, () -> warehouse.repartition(TABLE, SCHEMA, BY_INGESTION));
    assertEquals("Cannot repartition silver.sales: it does not exist (the first load creates it, partitioned as declared);"
        + " nothing changed", e.getMessage());
    assertFalse(warehouse.tableExists(TABLE));
    assertFalse(warehouse.tableExists(TablePartitioning.repartitioned(TABLE)));
    assertEquals(Optional.empty(), warehouse.partitioning(TABLE));
  }

  @Test
  void aRowTheSchemaFileCannotHold_failsTheMove_andLeavesTheTableAsItWas() throws Exception {
    load(null, row("a", "2025-02-27", Instant.parse("2025-03-01T08:00:00Z")));
    warehouse.query(new io.medallion.port.QueryJob("q_extra", "alter table silver.sales add column legacy varchar", Map.of()));
    IOException e = assertThrows(IOException.class, () -> warehouse.repartition(TABLE, SCHEMA, BY_INGESTION));
    assertTrue(e.getMessage().startsWith("Cannot repartition silver.sales: ") && e.getMessage().endsWith("nothing changed"),
        e.getMessage());
    assertTrue(e.getMessage().contains("legacy"), "names the column the schema file lacks: " + e.getMessage());
    assertEquals(1, rows(TABLE).size());
    assertFalse(warehouse.tableExists(TablePartitioning.repartitioned(TABLE)), "rolled back");
    assertFalse(warehouse.tableExists(TablePartitioning.beforeRepartition(TABLE)));
  }
}
