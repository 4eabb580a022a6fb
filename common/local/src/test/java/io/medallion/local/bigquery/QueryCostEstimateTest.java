package io.medallion.local.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local warehouse's estimate of what BigQuery would bill a query job: the expected figures are
 * worked out here from the rows put in, with BigQuery's data size rules, not read back from DuckDB.
 */
class QueryCostEstimateTest {

  private static final long MIB = 1L << 20;

  /** silver.items: id INT64, name STRING (one NULL, one two-byte character), price FLOAT64 (one NULL), note STRING. */
  private static final long[] IDS = {1, 2, 3, 4, 5, 6};
  private static final String[] NAMES = {"ab", "cde", null, "été", "x", "yz"};
  private static final Double[] PRICES = {1.0, 2.0, 3.0, null, 5.0, 6.0};
  private static final String[] NOTES = {"n", "n", "n", "n", "n", "n"};

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private int jobs;

  @BeforeEach
  void open() throws IOException {
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir.resolve(id.name()), (job, sources) -> {});
    run("create table silver.items (id BIGINT, name VARCHAR, price DOUBLE, note VARCHAR)");
    for (int i = 0; i < IDS.length; i++) {
      run("insert into silver.items values (" + IDS[i] + ", " + literal(NAMES[i]) + ", " + PRICES[i] + ", " + literal(NOTES[i]) + ")");
    }
  }

  @AfterEach
  void close() throws IOException {
    warehouse.close();
  }

  private JobStatus run(String sql) throws IOException {
    JobStatus job = warehouse.query(new QueryJob("job_" + (++jobs), sql, Map.of()));
    assertTrue(job.succeeded(), job::error);
    return job;
  }

  private static String literal(String s) {
    return s == null ? "NULL" : "'" + s + "'";
  }

  /** BigQuery: a STRING is 2 bytes + its UTF-8 length, NULL is 0. */
  private static long stringBytes(String[] values) {
    return Arrays.stream(values).filter(Objects::nonNull).mapToLong(s -> 2 + s.getBytes(StandardCharsets.UTF_8).length).sum();
  }

  /** BigQuery: an INT64 or FLOAT64 is 8 bytes, NULL is 0. */
  private static long eightByteValues(Object[] values) {
    return 8L * Arrays.stream(values).filter(Objects::nonNull).count();
  }

  @Test
  void slotTime_isTheStatementsMeasuredWallTimeTimesOneSlot_keptWithTheJob() throws Exception {
    JobStatus job = run("create or replace table gold.slots as select name from silver.items");

    assertEquals(java.time.Duration.between(job.created(), job.ended()).toMillis(), job.slotMs());
    assertEquals(job.slotMs(), warehouse.job(job.jobId()).orElseThrow().slotMs());
  }

  @Test
  void twoColumnsProjected_andOneFilteredOn_costTheirAverageSizeTimesTheRowsTheFilterKeeps() throws Exception {
    JobStatus job = run("create or replace table gold.cheap as select name, price from silver.items where id > 3");

    long ids = 8L * IDS.length;
    long names = stringBytes(NAMES);
    long prices = eightByteValues(PRICES);
    long kept = Arrays.stream(IDS).filter(id -> id > 3).count();
    // Every column read (the filter's id too), at its average size over the table, for the rows kept.
    long expected = (long) Math.ceil((double) kept * (ids + names + prices) / IDS.length);
    assertEquals(expected, job.bytesProcessed());
    assertEquals(10 * MIB, job.bytesBilled(), "a small query is billed BigQuery's 10 MB minimum");
    assertEquals(job, warehouse.job(job.jobId()).orElseThrow(), "the estimate is kept with the job");
    assertEquals(job, warehouse.query(new QueryJob(job.jobId(), "select 1", Map.of())), "a duplicate id: the first job's cost");
  }

  @Test
  void aJoinWithASmallTable_stillCostsTheWholeColumnsItReads() throws Exception {
    run("create table gold.wanted (id BIGINT)");
    run("insert into gold.wanted values (1), (2)");

    JobStatus job = run("create or replace table gold.joined as select i.name from silver.items as i join gold.wanted as w on i.id = w.id");

    // BigQuery does not prune silver.items by the ids the other side holds: every row's id and name.
    long items = 8L * IDS.length + stringBytes(NAMES);
    assertEquals(items + 8L * 2, job.bytesProcessed());
    assertEquals(20 * MIB, job.bytesBilled(), "10 MB minimum for each of the two tables referenced");
  }

  @Test
  void mergeThatUpdates_addsTheWholeTargetTable_anInsertOnlyMergeDoesNot() throws Exception {
    String[] names = {"ab", "cde", "fgh"};
    long[] totals = {10, 20, 30};
    for (String target : List.of("gold.by_name_a", "gold.by_name_b")) {
      run("create table " + target + " (name VARCHAR, total BIGINT)");
      for (int i = 0; i < names.length; i++) {
        run("insert into " + target + " values ('" + names[i] + "', " + totals[i] + ")");
      }
    }
    String using = " as t using (select name, id as total from silver.items where id <= 2) as s on t.name = s.name";

    JobStatus insertOnly = run("merge into gold.by_name_a" + using + " when not matched then insert values (s.name, s.total)");
    JobStatus updating = run("merge into gold.by_name_b" + using
        + " when matched then update set total = s.total when not matched then insert values (s.name, s.total)");

    long target = stringBytes(names) + 8L * totals.length;
    assertEquals(target, updating.bytesProcessed() - insertOnly.bytesProcessed(),
        "BigQuery's q + t: the same query, plus the target table as it was before");
    assertEquals(20 * MIB, updating.bytesBilled(), "10 MB minimum for each of the two tables referenced");
  }

  @Test
  void updateAndDelete_addTheWholeTargetTable() throws Exception {
    long whole = 8L * IDS.length + stringBytes(NAMES) + eightByteValues(PRICES) + stringBytes(NOTES);

    JobStatus update = run("update silver.items set note = 'm' where id = 1");

    // The scan reads id and writes note for one row: at most a few dozen bytes besides the table.
    assertTrue(update.bytesProcessed() >= whole && update.bytesProcessed() < whole + 40, update.toString());
    JobStatus delete = run("delete from silver.items where id = 6");
    long afterUpdate = whole; // 'm' is as long as 'n'
    assertTrue(delete.bytesProcessed() >= afterUpdate && delete.bytesProcessed() < afterUpdate + 40, delete.toString());
  }

  @Test
  void billedBytes_areRoundedUpToTheMebibyte_pastTheMinimum() throws Exception {
    run("create table silver.wide as select repeat('x', 1000) as text from range(12000)");

    JobStatus job = run("create or replace table gold.lengths as select length(text) as n from silver.wide");

    long processed = 12_000L * (2 + 1000);
    assertEquals(processed, job.bytesProcessed());
    assertEquals((processed + MIB - 1) / MIB * MIB, job.bytesBilled());
    assertEquals(12 * MIB, job.bytesBilled());
  }

  @Test
  void whatTheProfileCannotAccountFor_isUnknown() throws Exception {
    Path file = dir.resolve("rows.json");
    Files.writeString(file, "{\"a\": 1}\n");

    JobStatus fromFile = run("create or replace table gold.f as select * from read_json('" + file + "')");
    JobStatus script = run("create or replace table gold.s1 as select id from silver.items; create or replace table gold.s2 as select 1 as one");

    assertNull(fromFile.bytesProcessed(), "a file is not a warehouse table");
    assertNull(fromFile.bytesBilled());
    assertNull(script.bytesProcessed(), "the profile holds only the last statement of a script");
    assertNull(warehouse.job(script.jobId()).orElseThrow().bytesBilled());
  }

  @Test
  void estimatesSwitchedOff_leaveTheCostUnknown() throws Exception {
    warehouse.estimateCosts(false);

    JobStatus job = run("create or replace table gold.cheap as select name from silver.items");

    assertNull(job.bytesProcessed());
    assertNull(job.bytesBilled());
    warehouse.estimateCosts(true);
    assertEquals(stringBytes(NAMES), run("create or replace table gold.cheap2 as select name from silver.items").bytesProcessed());
  }

  @Test
  void parameterizedQuery_isEstimatedToo() throws Exception {
    JobStatus job = warehouse.query(new QueryJob("param_job",
        "create or replace table gold.one as select price from silver.items where id = @wanted", Map.of(), Map.of("wanted", 2L)));

    assertTrue(job.succeeded(), job::error);
    // One row kept; price and id read at their average size.
    long expected = (long) Math.ceil(1.0 * (eightByteValues(PRICES) + 8L * IDS.length) / IDS.length);
    assertEquals(expected, job.bytesProcessed());
  }
}
