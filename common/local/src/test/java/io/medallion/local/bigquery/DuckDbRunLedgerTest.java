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
}
