package io.medallion.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.JobStatus.JobState;
import io.medallion.port.JobStatus.JobType;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.SchemaDiff;
import io.medallion.schema.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Warehouse} adapter must do, written against the port only so that the same
 * cases run against the local DuckDB stand-in and against BigQuery.
 *
 * <p>Table names and job ids carry a suffix unique to each test: BigQuery keeps job ids for months
 * and the dataset may be shared between runs.
 */
public abstract class WarehouseContractTest {

  /** One column of each type the pipeline uses; {@code name} is REQUIRED. */
  protected static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              new Field("name", FieldType.STRING, true, ""),
              new Field("n", FieldType.INT64, false, ""),
              new Field("x", FieldType.FLOAT64, false, ""),
              new Field("flag", FieldType.BOOL, false, ""),
              new Field("ts", FieldType.TIMESTAMP, false, ""),
              new Field("day", FieldType.DATE, false, "")));

  protected Warehouse warehouse;
  private String suffix;

  /** A warehouse for one test, in which {@link #dataset()} exists or is created on first use. */
  protected abstract Warehouse createWarehouse() throws Exception;

  /** Puts {@code content} where the warehouse can load it from and returns its address. */
  protected abstract ObjectId stageNdjson(String name, String content) throws Exception;

  /** The dataset the tests write to. */
  protected String dataset() {
    return "contract";
  }

  /** How long {@link Warehouse#load} may take to finish a job it returned unfinished. */
  protected Duration jobTimeout() {
    return Duration.ofMinutes(2);
  }

  @BeforeEach
  void openWarehouse() throws Exception {
    suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    warehouse = createWarehouse();
  }

  @AfterEach
  void closeWarehouse() throws Exception {
    if (warehouse instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** {@code base} made unique to this test, for job ids, table and object names. */
  protected String unique(String base) {
    return base + "_" + suffix;
  }

  protected TableId table(String base) {
    return new TableId(dataset(), unique(base));
  }

  /** Waits until the job is DONE and returns it as the warehouse reports it. */
  protected JobStatus done(JobStatus submitted) throws Exception {
    Instant deadline = Instant.now().plus(jobTimeout());
    JobStatus job = submitted;
    while (job.state() != JobState.DONE) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Job " + job.jobId() + " not done after " + jobTimeout());
      }
      Thread.sleep(500);
      job = warehouse.job(job.jobId()).orElseThrow();
    }
    return job;
  }

  protected JobStatus load(String jobId, TableId table, ObjectId... sources) throws Exception {
    return done(warehouse.load(new LoadJob(jobId, List.of(sources), table, SCHEMA, Map.of())));
  }

  protected long count(TableId table) throws Exception {
    return (Long) warehouse.read("select count(*) as n from " + table.sql()).scalar();
  }

  @Test
  void loadAppendsTypedRowsAndKeepsLabels() throws Exception {
    TableId t = table("typed");
    ObjectId file =
        stageNdjson(
            unique("typed") + ".json",
            "{\"name\":\"a\",\"n\":1,\"x\":1.5,\"flag\":true,\"ts\":\"2024-05-01T12:00:00.123456Z\","
                + "\"day\":\"2024-05-01\",\"not_in_schema\":\"ignored\"}\n"
                + "{\"name\":\"b\"}\n");
    Map<String, String> labels = Map.of("pipeline", "medallion", "stage", "silver");

    JobStatus job =
        done(warehouse.load(new LoadJob(unique("load"), List.of(file), t, SCHEMA, labels)));

    assertTrue(job.succeeded(), job::error);
    assertEquals(JobType.IMPORT, job.type());
    assertEquals(t, job.destination());
    assertEquals(2, job.outputRows());
    assertEquals(labels, job.labels());
    assertEquals(labels, warehouse.job(job.jobId()).orElseThrow().labels());
    QueryResult rows =
        warehouse.read("select name, n, x, flag, ts, day from " + t.sql() + " order by name");
    assertEquals(List.of("name", "n", "x", "flag", "ts", "day"), rows.columns());
    // equals also compares classes: INT64 must come back as Long, TIMESTAMP as Instant, ...
    assertEquals(
        Arrays.asList(
            "a", 1L, 1.5, true, Instant.parse("2024-05-01T12:00:00.123456Z"),
            LocalDate.of(2024, 5, 1)),
        rows.rows().get(0));
    assertEquals(Arrays.asList("b", null, null, null, null, null), rows.rows().get(1));
  }

  @Test
  void sameLoadJobIdTwiceLoadsOnceAndReturnsTheFirstJob() throws Exception {
    TableId t = table("dedup");
    ObjectId one = stageNdjson(unique("one") + ".json", "{\"name\":\"a\"}\n");
    ObjectId two = stageNdjson(unique("two") + ".json", "{\"name\":\"b\"}\n{\"name\":\"c\"}\n");
    String id = unique("load");

    JobStatus first = load(id, t, one);
    JobStatus second =
        done(warehouse.load(new LoadJob(id, List.of(two), t, SCHEMA, Map.of("again", "yes"))));

    assertTrue(first.succeeded(), first::error);
    assertEquals(first, second);
    assertEquals(1, count(t));
  }

  @Test
  void loadOfMalformedFileEndsDoneWithErrorAndLeavesTableUnchanged() throws Exception {
    TableId t = table("malformed");
    ObjectId existing = stageNdjson(unique("a") + ".json", "{\"name\":\"a\"}\n");
    assertTrue(load(unique("first"), t, existing).succeeded());
    ObjectId good = stageNdjson(unique("b") + ".json", "{\"name\":\"b\"}\n");
    ObjectId bad = stageNdjson(unique("c") + ".json", "{\"name\":\"c\"}\n{not json\n");

    JobStatus failed = load(unique("second"), t, good, bad);

    assertEquals(JobState.DONE, failed.state());
    assertNotNull(failed.error());
    assertFalse(failed.succeeded());
    assertEquals(failed.error(), warehouse.job(failed.jobId()).orElseThrow().error());
    assertEquals(1, count(t), "no row of a failed load is kept, not even from its good file");
  }

  @Test
  void loadOfRowWithoutRequiredFieldFails() throws Exception {
    TableId t = table("required");
    ObjectId existing = stageNdjson(unique("a") + ".json", "{\"name\":\"a\"}\n");
    assertTrue(load(unique("first"), t, existing).succeeded());

    JobStatus failed =
        load(unique("second"), t, stageNdjson(unique("b") + ".json", "{\"n\":1}\n"));

    assertFalse(failed.succeeded());
    assertNotNull(failed.error());
    assertEquals(1, count(t));
  }

  @Test
  void queryJobCreatesOrReplacesTable() throws Exception {
    TableId t = table("model");
    Map<String, String> labels = Map.of("stage", "gold");

    JobStatus created =
        warehouse.query(
            new QueryJob(
                unique("create"),
                "create or replace table " + t.sql() + " as select 'a' as name, 1 as n",
                labels));
    JobStatus replaced =
        warehouse.query(
            new QueryJob(
                unique("replace"),
                "create or replace table " + t.sql()
                    + " as select 'b' as name, 2 as n union all select 'c', 3",
                labels));

    assertTrue(created.succeeded(), created::error);
    assertTrue(replaced.succeeded(), replaced::error);
    assertEquals(JobType.QUERY, replaced.type());
    assertEquals(labels, replaced.labels());
    assertEquals(
        List.of(List.of("b", 2L), List.of("c", 3L)),
        warehouse.read("select name, n from " + t.sql() + " order by name").rows());
  }

  @Test
  void sameQueryJobIdTwiceRunsOnce() throws Exception {
    TableId t = table("inserted");
    warehouse.query(
        new QueryJob(
            unique("create"),
            "create or replace table " + t.sql() + " as select 'a' as name, 1 as n",
            Map.of()));
    String insert = "insert into " + t.sql() + " (name, n) values ('b', 2)";

    JobStatus first = warehouse.query(new QueryJob(unique("insert"), insert, Map.of()));
    JobStatus second = warehouse.query(new QueryJob(unique("insert"), insert, Map.of()));

    assertTrue(first.succeeded(), first::error);
    assertEquals(first, second);
    assertEquals(2, count(t));
  }

  @Test
  void failedQueryJobEndsDoneWithError() throws Exception {
    JobStatus failed =
        warehouse.query(
            new QueryJob(
                unique("missing"),
                "select * from " + table("no_such_table").sql(),
                Map.of()));

    assertEquals(JobState.DONE, failed.state());
    assertNotNull(failed.error());
    assertEquals(failed, warehouse.job(failed.jobId()).orElseThrow());
  }

  @Test
  void readBindsNamedParameters() throws Exception {
    TableId t = table("params");
    warehouse.query(
        new QueryJob(
            unique("create"),
            "create or replace table " + t.sql()
                + " as select 'a' as name, 1 as n union all select 'b', 2 union all select 'c', 3",
            Map.of()));

    QueryResult result =
        warehouse.read(
            "select name, '@not_a_parameter' as literal from " + t.sql()
                + " where n >= @min and name != @skip order by name",
            Map.of("min", 2L, "skip", "c"));

    assertEquals(List.of("name", "literal"), result.columns());
    assertEquals(List.of(List.of("b", "@not_a_parameter")), result.rows());
  }

  @Test
  void readRejectsMissingParameter() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> warehouse.read("select @present as a, @absent as b", Map.of("present", 1L)));
    assertTrue(e.getMessage().contains("absent"), e.getMessage());
  }

  @Test
  void tableSchema_ofATableThatDoesNotExist_isEmpty() throws Exception {
    assertTrue(warehouse.tableSchema(table("absent")).isEmpty());
    assertTrue(warehouse.schemaDiff(table("absent"), SCHEMA).isEmpty());
  }

  @Test
  void tableSchema_afterALoad_agreesWithTheLoadsSchema() throws Exception {
    TableId t = table("schema");
    assertTrue(load(unique("load"), t, stageNdjson(unique("a") + ".json", "{\"name\":\"a\"}\n")).succeeded());

    TableSchema live = warehouse.tableSchema(t).orElseThrow();

    assertEquals(SCHEMA.names(), live.names());
    assertTrue(live.field("name").required());
    assertEquals(FieldType.TIMESTAMP, live.field("ts").type());
    SchemaDiff diff = warehouse.schemaDiff(t, SCHEMA).orElseThrow();
    assertTrue(diff.unchanged(), diff::toString);
  }

  @Test
  void loadWithANewNullableColumnAndARelaxedOne_evolvesTheTable_olderRowsReadNull() throws Exception {
    TableId t = table("evolve");
    assertTrue(load(unique("first"), t, stageNdjson(unique("a") + ".json", "{\"name\":\"a\",\"n\":1}\n")).succeeded());
    List<Field> evolved = new java.util.ArrayList<>(SCHEMA.fields());
    evolved.set(0, new Field("name", FieldType.STRING, false, ""));
    evolved.add(new Field("discount", FieldType.FLOAT64, false, ""));
    TableSchema next = new TableSchema(evolved);
    assertEquals(List.of(SchemaDiff.Kind.RELAXED, SchemaDiff.Kind.ADDED),
        warehouse.schemaDiff(t, next).orElseThrow().changes().stream().map(SchemaDiff.Change::kind).toList());

    JobStatus second = done(warehouse.load(new LoadJob(unique("second"),
        List.of(stageNdjson(unique("b") + ".json", "{\"name\":\"b\",\"n\":2,\"discount\":0.5}\n{\"n\":3}\n")),
        t, next, Map.of())));

    assertTrue(second.succeeded(), second::error);
    assertEquals(
        List.of(Arrays.asList("a", 1L, null), Arrays.asList("b", 2L, 0.5), Arrays.asList(null, 3L, null)),
        warehouse.read("select name, n, discount from " + t.sql() + " order by n").rows());
    assertTrue(warehouse.schemaDiff(t, next).orElseThrow().unchanged());
  }

  @Test
  void loadWithABreakingSchema_failsNamingTheColumn_andLoadsNothing() throws Exception {
    TableId t = table("breaking");
    assertTrue(load(unique("first"), t, stageNdjson(unique("a") + ".json", "{\"name\":\"a\",\"n\":1}\n")).succeeded());
    List<Field> changed = new java.util.ArrayList<>(SCHEMA.fields());
    changed.set(1, new Field("n", FieldType.STRING, false, ""));
    TableSchema next = new TableSchema(changed);
    assertTrue(warehouse.schemaDiff(t, next).orElseThrow().breaking());

    JobStatus failed = done(warehouse.load(new LoadJob(unique("second"),
        List.of(stageNdjson(unique("b") + ".json", "{\"name\":\"b\",\"n\":\"two\"}\n")), t, next, Map.of())));

    assertFalse(failed.succeeded());
    assertNotNull(failed.error());
    assertEquals(1, count(t));
    assertEquals(FieldType.INT64, warehouse.tableSchema(t).orElseThrow().field("n").type());
  }
}
