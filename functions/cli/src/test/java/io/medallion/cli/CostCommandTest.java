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

/** {@code medallion cost}: the roll-up of the local ledger times the list prices given. */
class CostCommandTest {

  private static final long GIB = 1L << 30;

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  /** The worked example of sql/ops/README.md as ledger rows of one brewing run in December, and one in November. */
  @BeforeEach
  void ledger() throws Exception {
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(new LocalPipeline.Layout(home).warehouseFile(),
        id -> home, (job, sources) -> {})) {
      DuckDbRunLedger ledger = new DuckDbRunLedger(warehouse, "ops");
      Instant dec = Instant.parse("2026-12-02T06:00:00Z");
      ledger.record(RunEvent.of("r-dec", "breweries", Stage.INGEST, Status.CHECKPOINT).key("page-00001")
          .gcsBytesWritten(4 * GIB).at(dec));
      ledger.record(RunEvent.of("r-dec", "breweries", Stage.GOLD, Status.CHECKPOINT).key("m")
          .cost(1L, 30 * GIB).slotMs(5_400_000L).at(dec.plusSeconds(60)));
      ledger.record(RunEvent.of("r-dec", "breweries", Stage.GOLD, Status.SUCCEEDED).instanceMs(3_600_000).at(dec.plusSeconds(70)));
      ledger.record(RunEvent.of("r-nov", "breweries", Stage.INGEST, Status.CHECKPOINT).key("page-00001")
          .gcsBytesWritten(6 * GIB).at(Instant.parse("2026-11-20T06:00:00Z")));
    }
  }

  @Test
  void cost_pricesEachDomainsMonth_storedBytesCarriedForward() {
    CliRun run = cli("cost", "--month", "2026-12");

    assertEquals(0, run.code(), run.err());
    String out = run.out();
    // December: 30 GiB billed, 1.5 slot-hours, 10 GiB of bronze kept (6 from November + 4), 3,600 s: the README's example.
    assertTrue(out.matches("(?s).*\\| brewing +\\| 2026-12 +\\| +1 +\\| 30\\.0 GiB +\\| \\$0\\.1831 +\\| 1\\.5000 +\\| \\$0\\.0600"
        + " +\\| 10\\.0 GiB +\\| \\$0\\.2000 +\\| 3600\\.0 +\\| \\$0\\.0909 +\\| \\$0\\.4740 .*"), out);
    assertTrue(!out.contains("2026-11"), "--month keeps one month: " + out);
    assertTrue(out.contains("on-demand = bytes_billed / 2^40 x $6.25/TiB"), out);
  }

  @Test
  void anotherListPrice_pricesTheSameQuantities() {
    String out = cli("cost", "--month", "2026-12", "--price-per-tib", "5").out();

    // 30 GiB at $5/TiB = $0.1465; total 0.146484375 + 0.2 + 0.0909 = 0.4374
    assertTrue(out.matches("(?s).*\\| \\$0\\.1465 .*\\| \\$0\\.4374 .*"), out);
  }

  @Test
  void badInput_isRefusedNamingTheOption() {
    CliRun month = cli("cost", "--month", "2026-13");
    assertEquals(2, month.code());
    assertTrue(month.err().contains("--month must be YYYY-MM"), month.err());
    CliRun price = cli("cost", "--price-per-gib-month", "-1");
    assertEquals(2, price.code());
    assertTrue(price.err().contains("--price-"), price.err());
  }
}
