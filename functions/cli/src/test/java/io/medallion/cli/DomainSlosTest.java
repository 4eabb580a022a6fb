package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.slo.DomainSlos;
import io.medallion.slo.SloStatus;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domains' SLIs from a ledger and dq_results seeded with known runs, on a set clock. */
class DomainSlosTest {

  private static final SourceRegistry REGISTRY = SourceRegistry.standard();
  private static final TableId DQ = new TableId("ops", "dq_results");

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private DuckDbRunLedger ledger;
  private final IncrementalBench.DayClock clock = new IncrementalBench.DayClock(Instant.parse("2026-12-10T08:00:00Z"));
  private Source first;
  private Source second;

  @BeforeEach
  void open() throws Exception {
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {});
    ledger = new DuckDbRunLedger(warehouse, "ops");
    List<Source> media = REGISTRY.sourcesOf("media");
    assertEquals(2, media.size(), "the test needs a domain of two sources");
    first = media.get(0);
    second = media.get(1);
  }

  @AfterEach
  void close() throws Exception {
    warehouse.close();
  }

  private void gold(Source s, Status status, String at) throws Exception {
    Instant t = Instant.parse("2026-12-" + at + ":00Z");
    ledger.record(RunEvent.of("run-" + s.name() + "-" + at, s.name(), Stage.GOLD, status).key("build").at(t));
  }

  private int checks;

  private void check(Source s, String name, long failingRows, Instant at) throws Exception {
    io.medallion.port.JobStatus job = warehouse.query(new io.medallion.port.QueryJob("dq_" + (++checks),
        "insert into ops.dq_results (run_id, source, check_name, failing_rows, load_job_id, job_id, checked_at)"
            + " values ('r', @source, @check, @failing, 'l', 'j', @at)",
        java.util.Map.of(), java.util.Map.of("source", s.name(), "check", name, "failing", failingRows, "at", at)));
    assertEquals(null, job.error());
  }

  private SloStatus status(String domain, SloStatus.Kind kind) throws Exception {
    return new DomainSlos(REGISTRY, ledger, warehouse, DQ, clock).statuses().stream()
        .filter(s -> s.domain().equals(domain) && s.kind() == kind).findFirst().orElseThrow();
  }

  /**
   * Media (gold by 07:00, 95% over 28 days) from the 1st: both sources on time through the 7th,
   * the second late on the 8th and failing on the 9th, both on time on the 10th. Now is the 10th
   * 08:00: ten days counted (none before the first build), eight fresh.
   */
  @Test
  void freshness_countsTheSettledDaysOnWhichEverySourceBuiltByGoldBy() throws Exception {
    for (int d = 1; d <= 7; d++) {
      gold(first, Status.SUCCEEDED, String.format("%02dT06:00", d));
      gold(second, Status.SUCCEEDED, String.format("%02dT06:00", d));
    }
    gold(first, Status.SUCCEEDED, "08T06:00");
    gold(second, Status.SUCCEEDED, "08T07:30");
    gold(first, Status.SUCCEEDED, "09T06:00");
    gold(second, Status.FAILED, "09T06:00");
    gold(first, Status.SUCCEEDED, "10T06:30");
    gold(second, Status.SUCCEEDED, "10T06:30");

    SloStatus media = status("media", SloStatus.Kind.FRESHNESS);

    assertEquals(8, media.good());
    assertEquals(10, media.total());
    assertEquals(0.8, media.sli().getAsDouble(), 1e-12);
    assertEquals(1 - 0.2 / 0.05, media.errorBudgetLeft().getAsDouble(), 1e-9, "overspent: negative");
    // The last 7 days (4th to 10th): 5 fresh.
    assertEquals((2 / 7.0) / 0.05, media.burnRate().getAsDouble(), 1e-9);
    assertFalse(media.met());
  }

  @Test
  void today_countsOnlyOnceGoldByHasPassed() throws Exception {
    gold(first, Status.SUCCEEDED, "09T06:00");
    gold(second, Status.SUCCEEDED, "09T06:00");
    clock.set(Instant.parse("2026-12-10T06:59:00Z"));

    SloStatus media = status("media", SloStatus.Kind.FRESHNESS);

    assertEquals(1, media.total(), "the 10th is not settled yet");
    assertEquals(1, media.good());
  }

  @Test
  void quality_isTheShareOfCheckResultsInTheWindowThatPassed() throws Exception {
    Instant now = clock.instant();
    for (int i = 0; i < 9; i++) {
      check(first, "not_null_" + i, 0, now.minusSeconds(3_600L * 24 * (i + 1)));
    }
    check(second, "unique_id", 3, now.minusSeconds(3_600));
    check(second, "too_old", 5, now.minusSeconds(3_600L * 24 * 40));
    check(REGISTRY.sourcesOf("brewing").get(0), "other_domain", 7, now.minusSeconds(60));

    SloStatus media = status("media", SloStatus.Kind.QUALITY);

    assertEquals(9, media.good());
    assertEquals(10, media.total());
    assertEquals(1 - 0.1 / 0.01, media.errorBudgetLeft().getAsDouble(), 1e-9);
    // The last 7 × 24 h (bounds included): the checks 1 to 7 days old and the failing one.
    assertEquals((1 / 8.0) / 0.01, media.burnRate().getAsDouble(), 1e-9);
  }

  @Test
  void aDomainThatNeverRan_hasNoSli() throws Exception {
    SloStatus engineering = status("engineering", SloStatus.Kind.FRESHNESS);

    assertEquals(0, engineering.total());
    assertFalse(engineering.sli().isPresent());
  }
}
