package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion status RUN} shows what each job cost and what the run's jobs cost together. */
class StatusCostTest {

  private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
  private static final long MIB = 1L << 20;

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  /** A run whose gold built two models with a known cost and one without. */
  @BeforeEach
  void ledgerWithCostedJobs() throws Exception {
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(new LocalPipeline.Layout(home).warehouseFile(),
        id -> home, (job, sources) -> {})) {
      DuckDbRunLedger ledger = new DuckDbRunLedger(warehouse, "ops");
      ledger.record(RunEvent.of("run-cost", "breweries", Stage.INGEST, Status.STARTED).at(T0));
      ledger.record(RunEvent.of("run-cost", "breweries", Stage.GOLD, Status.SUCCEEDED).key("dim_breweries")
          .jobId("gold_dim").cost(1_536L, 10 * MIB).at(T0.plusSeconds(1)));
      ledger.record(RunEvent.of("run-cost", "breweries", Stage.GOLD, Status.SUCCEEDED).key("by_country")
          .jobId("gold_by_country").cost(3L * 1024 * MIB, 3L * 1024 * MIB).at(T0.plusSeconds(2)));
      ledger.record(RunEvent.of("run-cost", "breweries", Stage.GOLD, Status.SUCCEEDED).key("unknown")
          .jobId("gold_unknown").at(T0.plusSeconds(3)));
    }
  }

  @Test
  void statusOfARun_showsEachJobsEstimatedCost_andTheRunsTotalAtTheListPrice() {
    CliRun status = cli("status", "run-cost");

    String out = status.out();
    assertTrue(out.contains("processed (est.)") && out.contains("billed (est.)"), out);
    assertTrue(out.matches("(?s).*gold_dim +\\| 1\\.5 KiB +\\| 10\\.0 MiB .*"), out);
    assertTrue(out.matches("(?s).*gold_by_country +\\| 3\\.0 GiB +\\| 3\\.0 GiB .*"), out);
    assertTrue(out.matches("(?s).*gold_unknown +\\| +\\| +\\|.*"), "an unknown cost is left blank: " + out);
    // 3 GiB + 10 MiB billed = 3082 MiB; at $6.25 per TiB (1,048,576 MiB): $0.018370...
    assertTrue(out.contains("2 jobs: 3.0 GiB processed, 3.0 GiB billed = $0.0184 at $6.25/TiB"), out);
    assertTrue(out.contains("ESTIMATED by the local warehouse"), out);
  }

  @Test
  void anotherListPrice_pricesTheSameBytes() {
    String out = cli("status", "run-cost", "--price-per-tib", "5").out();

    assertTrue(out.contains("billed = $0.0147 at $5/TiB"), out);
  }

  @Test
  void aNegativeListPrice_isRefusedWithTheOption() {
    CliRun status = cli("status", "run-cost", "--price-per-tib", "-1");

    assertEquals(2, status.code());
    assertTrue(status.err().contains("--price-per-tib must be"), status.err());
  }
}
