package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.gold.GoldModels;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import io.medallion.source.breweries.BreweriesSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each breweries check, on DuckDB, returns exactly the rows that break its rule. */
class DataQualityChecksTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path home;
  LocalPipeline pipeline;

  @BeforeEach
  void start() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, PipelineRuns.fast(), l -> l, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private void sql(String id, String statement) throws Exception {
    JobStatus job = pipeline.warehouse().query(new QueryJob(id, statement, Map.of()));
    assertTrue(job.succeeded(), statement + ": " + job.error());
  }

  @Test
  void eachCheck_returnsTheRowsThatBreakItsRule() throws Exception {
    // Silver holds 2 rows of run r1, while the ledger says silver kept 3: one comparison fails.
    sql("silver_rows", "create table silver.breweries as select * from (values"
        + " ('a', 'r1', 'gs://b/p1'), ('b', 'r1', 'gs://b/p1')) as t(brewery_id, _run_id, _source_uri)");
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.INGEST, Status.SUCCEEDED).records(3).at(NOW));
    pipeline.ledger().record(RunEvent.of("r1", "breweries", Stage.SILVER, Status.SUCCEEDED).records(3).rejects(0).at(NOW));
    // Gold: 'a' twice, a nameless 'c', an untrimmed type on 'd', all ingested long ago; 4 rows
    // against 2 distinct silver breweries is the second failing comparison.
    sql("gold_rows", "create table gold.dim_breweries as select brewery_id, name, brewery_type, is_known_type,"
        + " _run_id, _source_uri, cast(_ingested_at as timestamp) as _ingested_at from (values"
        + " ('a', 'A', 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('a', 'A', 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('c', null, 'micro', true, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'),"
        + " ('d', 'D', 'Micro ', false, 'r1', 'gs://b/p1', '2026-01-01 00:00:00'))"
        + " as t(brewery_id, name, brewery_type, is_known_type, _run_id, _source_uri, _ingested_at)");
    sql("gold_countries", "create table gold.country_summary as select 4 as brewery_count");

    Map<String, Long> failing = new TreeMap<>();
    for (GoldModels.Check check : GoldModels.checksFor(new BreweriesSource(), "silver", "gold", "ops", "r1", NOW)) {
      failing.put(check.name(), ((Number) pipeline.warehouse().read(
          "select count(*) from (\n" + check.sql() + "\n) as failing").scalar()).longValue());
    }
    assertEquals(Map.of(
        "dim_breweries_brewery_id_unique", 1L,
        "dim_breweries_keys_not_null", 1L,
        "dim_breweries_brewery_type_accepted", 1L,
        "row_counts_reconcile", 2L,
        "dim_breweries_fresh", 1L), failing);
  }
}
