package io.medallion.local.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.CostGuardExceeded;
import io.medallion.port.GuardedRead;
import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import io.medallion.port.TableId;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's reads of the local warehouse: exact values, typed parameters, the cost guard and
 * its estimate (worked out here from the rows put in, with BigQuery's data size rules), reads beside
 * the warehouse's lock, and the instant of the last change.
 */
class DuckDbWarehouseGuardedReadTest {

  private static final long MIB = 1L << 20;
  private static final long NO_LIMIT = Long.MAX_VALUE;

  /** gold.big: id = 0..ROWS-1, v = 2 * id (both BIGINT), s = 'abc' || id. */
  private static final int ROWS = 1_500_000;

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;
  private int jobs;

  @BeforeEach
  void open() throws IOException {
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> dir.resolve(id.name()), (job, sources) -> {});
    warehouse.estimateCosts(false); // the jobs here only set up the tables
    run("create table gold.typed (d DATE, ts TIMESTAMP, n DECIMAL(38, 9), b BOOLEAN, s VARCHAR, i BIGINT,"
        + " x DOUBLE, tm TIME)");
    run("insert into gold.typed values ('2024-01-02', '2024-01-02 03:04:05.123456', 12345678901234567890.123456789,"
        + " true, 'a', 5, 1.5, '10:11:12')");
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

  private void createBig() throws IOException {
    run("create table gold.big as select range as id, range * 2 as v, 'abc' || range as s from range(" + ROWS + ")");
  }

  /** BigQuery's bill: at least 10 MB, rounded up to a whole MB. */
  private static long billed(long bytes) {
    return (Math.max(bytes, 10 * MIB) + MIB - 1) / MIB * MIB;
  }

  @Test
  void numericStaysExact_andValuesAreBigQueryTypes_whileReadStillGivesDouble() throws Exception {
    GuardedRead read = warehouse.readGuarded("select d, ts, n, b, s, i, x, tm from gold.typed", Map.of(), NO_LIMIT);

    assertEquals(List.of(LocalDate.of(2024, 1, 2), Instant.parse("2024-01-02T03:04:05.123456Z"),
        new BigDecimal("12345678901234567890.123456789"), true, "a", 5L, 1.5, LocalTime.of(10, 11, 12)),
        read.result().rows().get(0));
    assertTrue(read.estimated());
    assertEquals(1.2345678901234567e19, warehouse.read("select n from gold.typed").scalar());
  }

  @Test
  void parametersOfEveryTypeBind() throws Exception {
    String sql = "select count(*) from gold.typed where d = @d and ts = @ts and ts = @dt and n = @n and b = @b"
        + " and s = @s and i = @i and x = @x and tm = @tm";
    Map<String, Object> matching = new HashMap<>(Map.of(
        "d", LocalDate.of(2024, 1, 2),
        "ts", Instant.parse("2024-01-02T03:04:05.123456Z"),
        "dt", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
        "n", new BigDecimal("12345678901234567890.123456789"),
        "b", true,
        "s", "a",
        "i", 5L,
        "x", 1.5,
        "tm", LocalTime.of(10, 11, 12)));
    assertEquals(1L, warehouse.readGuarded(sql, matching, NO_LIMIT).result().scalar());

    // Each value is compared, not ignored: one differing digit of the NUMERIC finds nothing.
    Map<String, Object> offByOne = new HashMap<>(matching);
    offByOne.put("n", new BigDecimal("12345678901234567890.123456788"));
    assertEquals(0L, warehouse.readGuarded(sql, offByOne, NO_LIMIT).result().scalar());
  }

  @Test
  void estimate_billsEveryReferencedColumnWhole_whateverTheWhereKeeps() throws Exception {
    createBig();
    long eightBytes = 8L * ROWS;
    long strings = 0; // BigQuery: 2 + UTF-8 length
    for (long i = 0; i < ROWS; i++) {
      strings += 2 + 3 + Long.toString(i).length();
    }

    // v appears only as a parameter's name and in a literal: not read, not billed.
    assertEquals(billed(eightBytes), warehouse.readGuarded(
        "select id from gold.big where id < @v and 'v' = 'v' order by id", Map.of("v", 3L), NO_LIMIT).bytesBilled());
    assertEquals(billed(2 * eightBytes), warehouse.readGuarded(
        "select id from gold.big where v = @v", Map.of("v", 4L), NO_LIMIT).bytesBilled());
    assertEquals(billed(2 * eightBytes + strings), warehouse.readGuarded(
        "select * from gold.big where id = 1", Map.of(), NO_LIMIT).bytesBilled());
    // A small table bills BigQuery's minimum.
    assertEquals(10 * MIB, warehouse.readGuarded("select s from gold.typed", Map.of(), NO_LIMIT).bytesBilled());
  }

  @Test
  void estimate_followsTheDataAfterAWrite() throws Exception {
    createBig();
    String sql = "select id, v from gold.big where id = 1";
    assertEquals(billed(16L * ROWS), warehouse.readGuarded(sql, Map.of(), NO_LIMIT).bytesBilled());

    run("insert into gold.big select id, v, s from gold.big");

    assertEquals(billed(2 * 16L * ROWS), warehouse.readGuarded(sql, Map.of(), NO_LIMIT).bytesBilled());
  }

  @Test
  void guardBelowTheEstimate_refusesWithoutRunning() throws Exception {
    createBig();
    // error() fails the statement as soon as it runs: only a read that never ran is refused cleanly.
    String failsWhenRun = "select id, error('it ran') from gold.big";

    CostGuardExceeded refused = assertThrows(CostGuardExceeded.class,
        () -> warehouse.readGuarded(failsWhenRun, Map.of(), 10 * MIB));
    assertEquals(10 * MIB, refused.limit());
    assertEquals(billed(8L * ROWS), refused.wouldBill());

    IOException ran = assertThrows(IOException.class,
        () -> warehouse.readGuarded(failsWhenRun, Map.of(), billed(8L * ROWS)));
    assertTrue(ran.getMessage().contains("it ran"), ran.getMessage());
  }

  @Test
  void readsAndLastModified_doNotWaitForTheWarehouseLock() throws Exception {
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // What a long job does: holds the warehouse's monitor.
      threads.submit(() -> {
        synchronized (warehouse) {
          locked.countDown();
          release.await();
        }
        return null;
      });
      assertTrue(locked.await(30, TimeUnit.SECONDS));
      Future<Object> read = threads.submit(() -> {
        warehouse.lastModified(new TableId("gold", "typed")).orElseThrow();
        return warehouse.readGuarded("select i from gold.typed", Map.of(), NO_LIMIT).result().scalar();
      });
      // Fails by timing out only if the read waits for the lock, which is then held until after.
      assertEquals(5L, read.get(60, TimeUnit.SECONDS));
    } finally {
      release.countDown();
      threads.shutdown();
      assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void eightThreadsAtOnce_eachGetsItsOwnRows() throws Exception {
    createBig();
    int threads = 2 * DuckDbWarehouse.READERS; // more than the pool: some wait for a connection
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<Object>>> reads = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long from = t * 1000L;
        reads.add(pool.submit(() -> {
          start.await();
          List<Object> sums = new ArrayList<>();
          for (int round = 0; round < 5; round++) {
            sums.add(warehouse.readGuarded("select sum(v) from gold.big where id >= @from and id < @to",
                Map.of("from", from, "to", from + 10), NO_LIMIT).result().scalar());
          }
          return sums;
        }));
      }
      start.countDown();
      for (int t = 0; t < threads; t++) {
        long from = t * 1000L;
        long expected = 0;
        for (long id = from; id < from + 10; id++) {
          expected += 2 * id;
        }
        assertEquals(List.of(expected, expected, expected, expected, expected), reads.get(t).get(120, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void lastModified_movesAfterEachWrite_andIsEmptyForAMissingTable() throws Exception {
    TableId typed = new TableId("gold", "typed");
    TableId later = new TableId("gold", "later");
    Instant first = warehouse.lastModified(typed).orElseThrow();
    assertEquals(Optional.empty(), warehouse.lastModified(later));
    assertEquals(first, warehouse.lastModified(typed).orElseThrow()); // nothing written since

    run("insert into gold.typed (s) values ('b')");
    Instant afterQuery = warehouse.lastModified(typed).orElseThrow();
    assertTrue(afterQuery.isAfter(first), first + " then " + afterQuery);

    warehouse.appendRow(typed, TableSchema.parse("[{\"name\": \"s\", \"type\": \"STRING\"}]"), Map.of("s", "c"));
    Instant afterAppend = warehouse.lastModified(typed).orElseThrow();
    assertTrue(afterAppend.isAfter(afterQuery), afterQuery + " then " + afterAppend);

    run("create table gold.later as select 1 as one");
    assertTrue(warehouse.lastModified(later).orElseThrow().isAfter(afterAppend));
  }

  @Test
  void readOnlyWarehouse_readsGuarded_andLastModifiedIsTheFilesLastChange() throws Exception {
    warehouse.close();
    Path file = dir.resolve("w.duckdb");
    Instant fileChanged = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.MICROS);

    warehouse = DuckDbWarehouse.openReadOnly(file);

    assertEquals(new BigDecimal("12345678901234567890.123456789"),
        warehouse.readGuarded("select n from gold.typed where i = @i", Map.of("i", 5L), NO_LIMIT).result().scalar());
    assertEquals(Optional.of(fileChanged), warehouse.lastModified(new TableId("gold", "typed")));
    assertEquals(Optional.empty(), warehouse.lastModified(new TableId("gold", "missing")));
  }
}
