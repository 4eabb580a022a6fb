package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.medallion.gold.CostRollup;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.JobStatus;
import io.medallion.port.QueryResult;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops.cost_by_domain_month, built by its SQL on the local warehouse, against the roll-up computed
 * here from the same ledger rows in plain Java.
 */
class CostRollupTest {

  private static final SourceRegistry REGISTRY = SourceRegistry.standard();

  @TempDir Path dir;

  @Test
  void rollUp_isTheLedgersQuantitiesSummedPerDomainAndMonth_storedBronzeCarriedForward() throws Exception {
    List<RunEvent> events = seeded();
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir, (job, sources) -> {})) {
      DuckDbRunLedger ledger = new DuckDbRunLedger(warehouse, "ops");
      ledger.recordAll(events);
      ledger.record(events.get(0)); // a redelivery records nothing new

      JobStatus job = CostRollup.rebuild(warehouse, "ops", REGISTRY, "cost_1", Map.of());
      assertNull(job.error());
      QueryResult table = warehouse.read("select * from ops.cost_by_domain_month order by domain, month");

      assertEquals(expected(events), actual(table));
      QueryResult read = warehouse.read(CostRollup.query("ops", REGISTRY).sql(), CostRollup.query("ops", REGISTRY).parameters());
      assertEquals(expected(events), actual(read), "./medallion cost reads the same rows without writing");
    }
  }

  /** Runs of every source over three months, with random quantities, some unknown; one drop of no source. */
  private static List<RunEvent> seeded() {
    Random random = new Random(20);
    List<RunEvent> events = new ArrayList<>();
    Instant t0 = Instant.parse("2026-10-30T23:00:00Z");
    int run = 0;
    for (Source s : REGISTRY.all()) {
      for (int i = 0; i < 4; i++) {
        String runId = s.name() + "-" + (++run);
        Instant at = t0.plusSeconds(3_600L * 24 * 17 * i + random.nextInt(7_200));
        events.add(RunEvent.of(runId, s.name(), Stage.INGEST, Status.CHECKPOINT).key("page-00001")
            .bytes(1000).gcsBytesWritten(1_000 + random.nextInt(100_000)).at(at));
        events.add(RunEvent.of(runId, s.name(), Stage.SILVER, Status.SUCCEEDED)
            .gcsBytesWritten(500 + random.nextInt(50_000)).instanceMs(random.nextInt(30_000)).at(at.plusSeconds(60)));
        RunEvent.Builder model = RunEvent.of(runId, s.name(), Stage.GOLD, Status.CHECKPOINT).key("m");
        if (i != 2) {
          model.cost(1L, 10_485_760L * (1 + random.nextInt(5))).slotMs((long) random.nextInt(90_000));
        }
        events.add(model.at(at.plusSeconds(120)));
        events.add(RunEvent.of(runId, s.name(), Stage.GOLD, Status.SUCCEEDED).instanceMs(random.nextInt(60_000))
            .at(at.plusSeconds(130)));
      }
    }
    events.add(RunEvent.of("drop-x", null, Stage.SILVER, Status.FAILED).gcsBytesWritten(999).at(t0));
    return events;
  }

  /** domain|month -> runs, bytes_billed, slot_ms, gcs_bytes_written, gcs_bytes_stored, instance_ms. */
  private static Map<String, List<Long>> expected(List<RunEvent> events) {
    Map<String, long[]> sums = new TreeMap<>();
    Map<String, java.util.Set<String>> runs = new TreeMap<>();
    Map<String, Long> bronze = new TreeMap<>();
    for (RunEvent e : events) {
      if (e.source() == null) {
        continue;
      }
      String domain = REGISTRY.domainOf(REGISTRY.find(e.source()).orElseThrow()).name();
      String month = e.recordedAt().atOffset(ZoneOffset.UTC).toLocalDate().toString().substring(0, 7);
      String key = domain + "|" + month;
      long[] s = sums.computeIfAbsent(key, k -> new long[4]);
      s[0] += e.bytesBilled() == null ? 0 : e.bytesBilled();
      s[1] += e.slotMs() == null ? 0 : e.slotMs();
      s[2] += e.gcsBytesWritten() == null ? 0 : e.gcsBytesWritten();
      s[3] += e.instanceMs() == null ? 0 : e.instanceMs();
      runs.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(e.runId());
      if (e.stage() == Stage.INGEST && e.gcsBytesWritten() != null) {
        bronze.merge(key, e.gcsBytesWritten(), Long::sum);
      }
    }
    Map<String, List<Long>> out = new TreeMap<>();
    Map<String, Long> stored = new TreeMap<>();
    for (Map.Entry<String, long[]> e : sums.entrySet()) { // keys sorted: each domain's months in order
      String domain = e.getKey().substring(0, e.getKey().indexOf('|'));
      long carried = stored.merge(domain, bronze.getOrDefault(e.getKey(), 0L), Long::sum);
      long[] s = e.getValue();
      out.put(e.getKey(), List.of((long) runs.get(e.getKey()).size(), s[0], s[1], s[2], carried, s[3]));
    }
    return out;
  }

  private static Map<String, List<Long>> actual(QueryResult table) {
    Map<String, List<Long>> out = new TreeMap<>();
    for (List<Object> r : table.rows()) {
      CostCommand.Row row = CostCommand.Row.of(table.columns(), r);
      out.put(row.domain() + "|" + row.month(), List.of(row.runs(), row.bytesBilled(), row.slotMs(), row.gcsBytesWritten(),
          row.gcsBytesStored(), Math.round(row.instanceSeconds() * 1000)));
    }
    return out;
  }
}
