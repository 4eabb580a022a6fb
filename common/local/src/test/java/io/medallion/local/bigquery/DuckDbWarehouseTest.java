package io.medallion.local.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryJob;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.port.WarehouseContractTest;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseTest extends WarehouseContractTest {

  @TempDir Path dir;

  /** What the listener heard: job id, whether the job was visible to it, and the sources. */
  private final List<String> heard = new ArrayList<>();

  @Override
  protected Warehouse createWarehouse() throws IOException {
    return open(dir.resolve("state/db/warehouse.duckdb"));
  }

  private DuckDbWarehouse open(Path file) throws IOException {
    DuckDbWarehouse[] self = new DuckDbWarehouse[1];
    self[0] =
        new DuckDbWarehouse(
            file,
            this::objectFile,
            (job, sources) -> {
              try {
                // Calls back into the warehouse: the job must be committed and the lock free.
                boolean visible = self[0].job(job.jobId()).isPresent();
                heard.add(job.jobId() + " " + visible + " " + sources);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    return self[0];
  }

  private Path objectFile(ObjectId id) {
    return dir.resolve("objects").resolve(id.bucket()).resolve(id.name());
  }

  @Override
  protected ObjectId stageNdjson(String name, String content) throws IOException {
    ObjectId id = new ObjectId("test-bucket", "staging/" + name);
    Path file = objectFile(id);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return id;
  }

  private DuckDbWarehouse duck() {
    return (DuckDbWarehouse) warehouse;
  }

  @Test
  void listenerHearsOfEachNewJobOnceAfterCommitWithItsSources() throws Exception {
    TableId t = table("heard");
    ObjectId file = stageNdjson("heard.json", "{\"name\":\"a\"}\n");
    ObjectId missing = new ObjectId("test-bucket", "staging/missing.json");

    load("load_a", t, file);
    load("load_a", t, file);
    warehouse.query(new QueryJob("query_b", "select 1", Map.of()));
    warehouse.query(new QueryJob("query_b", "select 1", Map.of()));
    load("load_c", t, missing);

    assertEquals(
        List.of(
            "load_a true [" + file.uri() + "]",
            "query_b true []",
            "load_c true [" + missing.uri() + "]"),
        heard);
  }

  @Test
  void missingSourceFileFailsTheLoadNamingTheObject() throws Exception {
    TableId t = table("missing");
    ObjectId missing = new ObjectId("test-bucket", "staging/missing.json");

    JobStatus job = load("load_missing", t, missing);

    assertTrue(
        job.error().startsWith("Failed to load " + missing.uri() + " into " + t + ": "),
        job.error());
  }

  @Test
  void malformedFileErrorNamesTheObjectAndTable() throws Exception {
    TableId t = table("bad");
    ObjectId bad = stageNdjson("bad.json", "{not json\n");

    JobStatus job = load("load_bad", t, bad);

    assertTrue(
        job.error().startsWith("Failed to load " + bad.uri() + " into " + t + ": "), job.error());
    assertFalse(job.error().contains("LINE 1"), "the statement echo is dropped: " + job.error());
  }

  @Test
  void emptyFileLoadsNoRows() throws Exception {
    TableId t = table("empty");

    JobStatus job = load("load_empty", t, stageNdjson("empty.json", ""));

    assertTrue(job.succeeded(), job::error);
    assertEquals(0, job.outputRows());
    assertEquals(0, count(t));
  }

  @Test
  void timestampsWithOffsetsAreStoredInUtc() throws Exception {
    TableId t = table("zones");
    ObjectId file =
        stageNdjson(
            "zones.json",
            "{\"name\":\"offset\",\"ts\":\"2024-05-01T14:00:00+02:00\"}\n"
                + "{\"name\":\"utc\",\"ts\":\"2024-05-01 12:00:00 UTC\"}\n"
                + "{\"name\":\"zulu\",\"ts\":\"2024-05-01T12:00:00Z\"}\n");
    load("load_zones", t, file);

    Instant noon = Instant.parse("2024-05-01T12:00:00Z");

    assertEquals(
        List.of(List.of(noon)), warehouse.read("select distinct ts from " + t.sql()).rows());
    assertEquals(
        3L,
        warehouse.read("select count(*) from " + t.sql() + " where ts = @at", Map.of("at", noon))
            .scalar(),
        "an Instant parameter binds as the same UTC timestamp");
  }

  /** A silver table as an issues API would fill it: REPEATED columns and TIMESTAMP columns. */
  private static final TableSchema ISSUES =
      TableSchema.parse(
          "[{\"name\":\"id\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
              + "{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
              + "{\"name\":\"created_at\",\"type\":\"TIMESTAMP\"},"
              + "{\"name\":\"seen_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REPEATED\"}]");

  /** Every type of a schema file, nested: a RECORD, a REPEATED RECORD holding a RECORD and bytes. */
  private static final TableSchema INVOICES = TableSchema.parse("["
      + "{\"name\":\"id\",\"type\":\"INT64\"},"
      + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"2\"},"
      + "{\"name\":\"rate\",\"type\":\"BIGNUMERIC\"},"
      + "{\"name\":\"local_at\",\"type\":\"DATETIME\"},"
      + "{\"name\":\"opens\",\"type\":\"TIME\"},"
      + "{\"name\":\"signature\",\"type\":\"BYTES\"},"
      + "{\"name\":\"_extra\",\"type\":\"JSON\"},"
      + "{\"name\":\"issuer\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"cnpj\",\"type\":\"STRING\"},"
      + "{\"name\":\"since\",\"type\":\"TIMESTAMP\"}]},"
      + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
      + "{\"name\":\"sku\",\"type\":\"STRING\"},"
      + "{\"name\":\"unit_price\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"2\"},"
      + "{\"name\":\"quantity\",\"type\":\"NUMERIC\"},"
      + "{\"name\":\"photo\",\"type\":\"BYTES\"},"
      + "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
      + "{\"name\":\"tax\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"icms\",\"type\":\"NUMERIC\"}]}]}]");

  @Test
  void nestedAndExactColumns_loadAsStructsListsDecimals_andGoldSqlReadsThemWithUnnestAndDottedPaths() throws Exception {
    TableId t = table("invoices");
    ObjectId file = stageNdjson("invoices.json",
        // As silver writes them: decimals as exact text, bytes as base64, JSON raw, NULL fields left out.
        "{\"id\":1,\"total\":\"1234567890123.45\",\"rate\":\"0.1234567890123456789\",\"local_at\":\"2026-03-01 10:00:00.500000\","
            + "\"opens\":\"08:30:00.000000\",\"signature\":\"aGVsbG8=\",\"_extra\":{\"discount\":1.10,\"items[0].promo\":\"X\"},"
            + "\"issuer\":{\"cnpj\":\"11222333000181\",\"since\":\"2020-01-01 03:00:00.000000\"},"
            + "\"items\":[{\"sku\":\"A\",\"unit_price\":\"10.10\",\"quantity\":\"3\",\"photo\":\"AAE=\",\"tags\":[\"x\"],\"tax\":{\"icms\":\"1.8\"}},"
            + "{\"sku\":\"B\",\"unit_price\":\"0.10\",\"quantity\":\"0.5\",\"tags\":[]}]}\n"
            + "{\"id\":2,\"items\":[]}\n");

    JobStatus job = warehouse.load(new LoadJob(unique("load_invoices"), List.of(file), t, INVOICES, Map.of()));

    assertTrue(job.succeeded(), job::error);
    assertEquals(
        List.of(Arrays.asList(1L, "1234567890123.45", "0.1234567890123456789", "2026-03-01 10:00:00.5",
            "08:30:00", "68656C6C6F", "1.1", "11222333000181", "2020-01-01 03:00:00", 2L, "30.35000000000", "A", "0001", "1.800000000")),
        warehouse.read("select id, cast(total as varchar), rate, cast(local_at as varchar), cast(opens as varchar),"
            + " hex(signature), json_extract_string(_extra, '$.discount'), issuer.cnpj, cast(issuer.since as varchar),"
            + " len(items), cast((select sum(i.unit_price * i.quantity) from unnest(t.items) as u(i)) as varchar),"
            + " items[1].sku, hex(items[1].photo), cast(items[1].tax.icms as varchar)"
            + " from " + t.sql() + " as t where id = 1").rows());
    assertEquals(
        List.of(List.of("total", "DECIMAL(15,2)"), List.of("rate", "VARCHAR"), List.of("local_at", "TIMESTAMP"),
            List.of("opens", "TIME"), List.of("signature", "BLOB"), List.of("_extra", "JSON")),
        warehouse.read("select column_name, data_type from information_schema.columns where table_name = '" + t.table()
            + "' and column_name in ('total', 'rate', 'local_at', 'opens', 'signature', '_extra') order by ordinal_position").rows(),
        "exact decimals (BIGNUMERIC beyond DuckDB's 38 digits as its text), civil time, bytes, JSON");
    assertEquals(List.of(List.of(2L, List.of())), warehouse.read("select id, items from " + t.sql() + " where id = 2").rows());
  }

  @Test
  void repeatedColumnsLoadAsListsNeverNull_andTimestampsAsUtcInstants() throws Exception {
    TableId t = table("issues");
    ObjectId file =
        stageNdjson(
            "issues.json",
            // As silver writes them, and as others might: an offset, an empty, a null and no array.
            "{\"id\":1,\"label_names\":[\"bug\",\"ui\"],\"created_at\":\"2011-04-22 13:33:48.000000\","
                + "\"seen_at\":[\"2011-04-22 13:33:48.000000\",\"2011-04-22T15:33:48.5+02:00\"]}\n"
                + "{\"id\":2,\"label_names\":[],\"seen_at\":[]}\n"
                + "{\"id\":3,\"label_names\":null}\n"
                + "{\"id\":4}\n");

    JobStatus job =
        warehouse.load(new LoadJob(unique("load_issues"), List.of(file), t, ISSUES, Map.of()));

    assertTrue(job.succeeded(), job::error);
    Instant created = Instant.parse("2011-04-22T13:33:48Z");
    assertEquals(
        List.of(
            Arrays.asList(1L, List.of("bug", "ui"), created, List.of(created, Instant.parse("2011-04-22T13:33:48.500Z"))),
            Arrays.asList(2L, List.of(), null, List.of()),
            Arrays.asList(3L, List.of(), null, List.of()),
            Arrays.asList(4L, List.of(), null, List.of())),
        warehouse.read("select id, label_names, created_at, seen_at from " + t.sql() + " order by id").rows());
    assertEquals(
        List.of(List.of("label_names", "VARCHAR[]", "NO"), List.of("seen_at", "TIMESTAMP[]", "NO")),
        warehouse.read(
                "select column_name, data_type, is_nullable from information_schema.columns"
                    + " where table_name = '" + t.table() + "' and data_type like '%[]' order by column_name")
            .rows(),
        "LIST columns, never NULL, as BigQuery's ARRAY");
    assertEquals(
        List.of(List.of(1L, "bug"), List.of(1L, "ui")),
        warehouse.read("select id, label from " + t.sql() + " as t, unnest(t.label_names) as label order by id, label").rows());
  }

  @Test
  void queryCreatesTheDatasetOfItsTarget() throws Exception {
    JobStatus job =
        warehouse.query(
            new QueryJob(
                "create_fresh",
                "-- a model\n/* header */ create or replace table fresh.t as select 1 as v",
                Map.of()));

    assertTrue(job.succeeded(), job::error);
    assertEquals(new TableId("fresh", "t"), job.destination());
    assertEquals(1L, warehouse.read("select v from fresh.t").scalar());
  }

  @Test
  void failedQueryErrorSaysWhichJob() throws Exception {
    JobStatus job = warehouse.query(new QueryJob("bad_query", "select * from nowhere", Map.of()));

    assertTrue(job.error().startsWith("Query job bad_query failed: "), job.error());
  }

  @Test
  void safeDivideIsNullForZeroOrNullDivisor() throws Exception {
    assertEquals(
        Arrays.asList(0.25, null, null),
        warehouse
            .read("select safe_divide(1, 4), safe_divide(1, 0), safe_divide(1, null)")
            .rows()
            .get(0));
  }

  @Test
  void formatDateAndFloat64SpeakBigQuery() throws Exception {
    assertEquals(
        List.of("2024-05", 1.0),
        warehouse
            .read("select format_date('%Y-%m', date '2024-05-03'), cast(1 as float64)")
            .rows()
            .get(0));
  }

  @Test
  void readGivesBigQueryJavaTypes() throws Exception {
    List<Object> row =
        warehouse
            .read(
                "select sum(v) as total, 1.5 as dec, cast(2 as integer) as i,"
                    + " timestamptz '2024-05-01 14:00:00+02' as tz from (values (1), (2)) t(v)")
            .rows()
            .get(0);

    assertEquals(List.of(3L, 1.5, 2L, Instant.parse("2024-05-01T12:00:00Z")), row);
  }

  @Test
  void readIgnoresPlaceholdersInCommentsAndRejectsUnusedParameters() throws Exception {
    assertEquals(
        1L, warehouse.read("select 1 -- @a\n /* @b */ as \"@c\"", Map.of()).scalar());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> warehouse.read("select @a as a", Map.of("a", 1L, "extra", 2L)));
    assertTrue(e.getMessage().contains("extra"), e.getMessage());
  }

  @Test
  void jobsAndDataSurviveCloseAndReopen() throws Exception {
    Path file = dir.resolve("state/db/warehouse.duckdb");
    TableId t = table("durable");
    ObjectId source = stageNdjson("durable.json", "{\"name\":\"a\"}\n");
    JobStatus first = load("load_durable", t, source);
    duck().close();

    warehouse = open(file);
    heard.clear();

    assertTrue(Files.isRegularFile(file));
    assertEquals(first, warehouse.job("load_durable").orElseThrow());
    assertEquals(first, load("load_durable", t, source));
    assertEquals(1, count(t));
    assertEquals(List.of(), heard);
  }

  @Test
  void databaseFileNamedLikeADatasetKeepsNamesUnambiguous() throws Exception {
    try (DuckDbWarehouse silver = open(dir.resolve("silver.duckdb"))) {
      silver.query(new QueryJob("create_x", "create table silver.x as select 1 as v", Map.of()));

      assertEquals(1L, silver.read("select v from silver.x").scalar());
    }
  }

  @Test
  void reservedDatasetNamesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> duck().ensureDataset("temp"));
  }

  @Test
  void loadIntoNewDatasetCreatesIt() throws Exception {
    TableId t = new TableId("brand_new", "t");
    warehouse.load(
        new LoadJob(
            "load_new", List.of(stageNdjson("new.json", "{\"name\":\"a\"}\n")), t, SCHEMA,
            Map.of()));

    assertEquals(1, count(t));
  }
}
