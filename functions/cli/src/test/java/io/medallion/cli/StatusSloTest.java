package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion status} ends with each domain's objectives, SLI, error budget left and burn rate. */
class StatusSloTest {

  @TempDir Path home;

  @Test
  void status_showsEachDomainsSli_budgetLeft_andBurnRate() throws Exception {
    // Media's sources built gold in the first second of each of the last four days (today too):
    // every settled day fresh, whatever the time the test runs.
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(new LocalPipeline.Layout(home).warehouseFile(),
        id -> home, (job, sources) -> {})) {
      DuckDbRunLedger ledger = new DuckDbRunLedger(warehouse, "ops");
      for (Source s : SourceRegistry.standard().sourcesOf("media")) {
        for (int back = 3; back >= 0; back--) {
          Instant at = today.minusDays(back).atStartOfDay().toInstant(ZoneOffset.UTC).plusMillis(1);
          ledger.record(RunEvent.of("run-" + s.name() + "-" + back, s.name(), Stage.GOLD, Status.SUCCEEDED).at(at));
        }
      }
    }

    String out = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "status").out();

    assertTrue(out.contains("Domain SLOs"), out);
    assertTrue(out.matches("(?s).*\\| media +\\| freshness +\\| 95\\.0% / 28d +\\| 100\\.0% \\([34]/[34]\\) +\\| 100\\.0% +\\| 0\\.00x +\\| met .*"), out);
    assertTrue(out.matches("(?s).*\\| brewing +\\| freshness +\\| 95\\.0% / 28d +\\| no data .*"), "a domain that never ran: " + out);
  }
}
