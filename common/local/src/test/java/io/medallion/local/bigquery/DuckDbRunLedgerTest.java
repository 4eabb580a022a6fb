package io.medallion.local.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbRunLedgerTest {

  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456Z");

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private DuckDbRunLedger ledger;

  @BeforeEach
  void open() throws IOException {
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {});
    ledger = new DuckDbRunLedger(warehouse, "ops");
  }

  @AfterEach
  void close() throws IOException {
    warehouse.close();
  }

  private static RunEvent event(String run, Stage stage, Status status, String key, int second) {
    return RunEvent.of(run, "breweries", stage, status).key(key).at(T0.plusSeconds(second));
  }

  @Test
  void eventRoundTripsWithItsCountsAndNulls() throws IOException {
    RunEvent full =
        RunEvent.of("run1", "breweries", Stage.SILVER_LOAD, Status.FAILED)
            .key("job1").page(3).records(50).rows(48).rejects(2).bytes(4096).jobId("job1")
            .objectUri("gs://b/o.json").error("boom").at(T0);
    RunEvent sparse = RunEvent.of("run1", null, Stage.INGEST, Status.STARTED).at(T0.plusSeconds(1));

    ledger.record(full);
    ledger.record(sparse);

    assertEquals(List.of(full, sparse), ledger.events("run1"));
  }

  @Test
  void duplicateEventIdKeepsTheFirstRow() throws IOException {
    RunEvent first = RunEvent.of("run1", "breweries", Stage.GOLD, Status.FAILED).error("first").at(T0);
    RunEvent again =
        RunEvent.of("run1", "breweries", Stage.GOLD, Status.FAILED).error("second")
            .at(T0.plusSeconds(60));

    ledger.record(first);
    ledger.record(again);

    assertEquals(List.of(first), ledger.events("run1"));
  }

  @Test
  void eventsAreOldestFirstThenByEventId() throws IOException {
    RunEvent late = event("run1", Stage.GOLD, Status.SUCCEEDED, "", 9);
    RunEvent tieB = event("run1", Stage.INGEST, Status.CHECKPOINT, "b", 1);
    RunEvent tieA = event("run1", Stage.INGEST, Status.CHECKPOINT, "a", 1);
    RunEvent early = event("run1", Stage.INGEST, Status.STARTED, "", 0);
    RunEvent otherRun = event("run2", Stage.INGEST, Status.STARTED, "", 5);

    for (RunEvent e : List.of(late, tieB, otherRun, tieA, early)) {
      ledger.record(e);
    }

    assertEquals(List.of(early, tieA, tieB, late), ledger.events("run1"));
  }

  @Test
  void recentRunsAreNewestFirstByTheirLatestEvent() throws IOException {
    ledger.record(event("old", Stage.INGEST, Status.STARTED, "", 0));
    ledger.record(event("long", Stage.INGEST, Status.STARTED, "", 1));
    ledger.record(event("new", Stage.INGEST, Status.STARTED, "", 5));
    ledger.record(event("long", Stage.GOLD, Status.SUCCEEDED, "", 9));

    assertEquals(List.of("long", "new", "old"), ledger.recentRuns(10));
    assertEquals(List.of("long", "new"), ledger.recentRuns(2));
  }

  @Test
  void ledgerTableSurvivesReopen() throws IOException {
    RunEvent e = event("run1", Stage.INGEST, Status.STARTED, "", 0);
    ledger.record(e);
    warehouse.close();

    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {});
    ledger = new DuckDbRunLedger(warehouse, "ops");

    assertEquals(List.of(e), ledger.events("run1"));
  }

  @Test
  void jobCost_roundTrips_unknownStaysNull() throws IOException {
    RunEvent costed = RunEvent.of("run1", "breweries", Stage.GOLD, Status.SUCCEEDED).key("dim")
        .jobId("gold_dim").cost(123_456L, 10_485_760L).at(T0);
    RunEvent unknown = RunEvent.of("run1", "breweries", Stage.GOLD, Status.SUCCEEDED).key("agg").at(T0.plusSeconds(1));

    ledger.record(costed);
    ledger.recordAll(List.of(unknown));

    List<RunEvent> read = ledger.events("run1");
    assertEquals(List.of(costed, unknown), read);
    assertEquals(123_456L, read.get(0).bytesProcessed());
    assertEquals(10_485_760L, read.get(0).bytesBilled());
    assertEquals(null, read.get(1).bytesBilled());
  }

  private static final List<String> COST_COLUMNS = List.of("slot_ms", "gcs_bytes_written", "instance_ms");

  @Test
  void slotTimeGcsBytesAndInstanceTime_roundTrip_inOneAndInManyRecords() throws IOException {
    RunEvent job = RunEvent.of("run1", "breweries", Stage.GOLD, Status.CHECKPOINT).key("dim")
        .jobId("gold_dim").cost(1L, 10_485_760L).slotMs(4_321L).at(T0);
    RunEvent page = RunEvent.of("run1", "breweries", Stage.INGEST, Status.CHECKPOINT).key("page-00001")
        .bytes(2_048).gcsBytesWritten(2_048).at(T0.plusSeconds(1));
    RunEvent done = RunEvent.of("run1", "breweries", Stage.GOLD, Status.SUCCEEDED).instanceMs(1_234).at(T0.plusSeconds(2));

    ledger.record(job);
    ledger.recordAll(List.of(page, done));

    List<RunEvent> read = ledger.events("run1");
    assertEquals(List.of(job, page, done), read);
    assertEquals(4_321L, read.get(0).slotMs());
    assertEquals(2_048L, read.get(1).gcsBytesWritten());
    assertEquals(1_234L, read.get(2).instanceMs());
    assertEquals(null, read.get(2).slotMs(), "unset is unknown, not 0");
  }

  @Test
  void ledgerFromBeforeTheCostColumns_gainsThem_andKeepsItsRows() throws Exception {
    warehouse.close();
    java.nio.file.Files.delete(dir.resolve("w.duckdb"));
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {});
    io.medallion.schema.TableSchema current = io.medallion.schema.TableSchema.forTable("ops", "run_ledger");
    io.medallion.schema.TableSchema before = new io.medallion.schema.TableSchema(current.fields().stream()
        .filter(f -> !f.name().startsWith("bytes_") && !COST_COLUMNS.contains(f.name())).toList());
    warehouse.ensureTable(new io.medallion.port.TableId("ops", "run_ledger"), before);
    warehouse.withConnection(c -> c.createStatement().execute(
        "insert into ops.run_ledger (event_id, run_id, source, stage, status, recorded_at)"
            + " values ('old/ingest/started', 'old', 'breweries', 'ingest', 'started', timestamp '2024-05-01 12:00:00')"));
    warehouse.close();
    try (DuckDbWarehouse readOnly = DuckDbWarehouse.openReadOnly(dir.resolve("w.duckdb"))) {
      List<RunEvent> read = new DuckDbRunLedger(readOnly, "ops").events("old");
      assertEquals(1, read.size(), "./medallion status reads an old ledger it cannot change");
      assertEquals(null, read.get(0).bytesBilled());
    }

    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {});
    ledger = new DuckDbRunLedger(warehouse, "ops");
    RunEvent costed = RunEvent.of("new", "breweries", Stage.GOLD, Status.SUCCEEDED).cost(1L, 2L).at(T0);
    ledger.record(costed);

    assertEquals(1, ledger.events("old").size(), "the old row is kept");
    assertEquals(null, ledger.events("old").get(0).bytesProcessed());
    assertEquals(null, ledger.events("old").get(0).slotMs());
    assertEquals(List.of(costed), ledger.events("new"));
  }
}
