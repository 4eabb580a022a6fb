package io.medallion.gcp.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.gcp.bigquery.FakeBigQueryServer.Outcome;
import io.medallion.gcp.bigquery.FakeBigQueryServer.Request;
import io.medallion.port.JobStatus;
import io.medallion.port.JobStatus.JobState;
import io.medallion.port.JobStatus.JobType;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BigQueryWarehouse} against {@link FakeBigQueryServer}: what it sends and how it reads. */
class BigQueryWarehouseTest {

  private static final TableSchema SCHEMA =
      new TableSchema(
          List.of(
              new Field("name", FieldType.STRING, true, "the name"),
              new Field("n", FieldType.INT64, false, ""),
              new Field("x", FieldType.FLOAT64, false, ""),
              new Field("flag", FieldType.BOOL, false, ""),
              new Field("ts", FieldType.TIMESTAMP, false, ""),
              new Field("day", FieldType.DATE, false, "")));

  private static final TableId TABLE = new TableId("silver", "events");
  private static final ObjectId FILE = new ObjectId("bronze-bucket", "events/2024/a.json");
  private static final Map<String, String> LABELS = Map.of("pipeline", "medallion");

  private FakeBigQueryServer fake;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeBigQueryServer();
    warehouse = new BigQueryWarehouse(fake.client(), "US", Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static LoadJob loadJob(String id, ObjectId... sources) {
    return new LoadJob(id, List.of(sources), TABLE, SCHEMA, LABELS);
  }

  @Test
  void loadSendsTheJobAsConfiguredAndDoesNotWait() throws Exception {
    fake.outcome("load_1", Outcome.done(2).runningFor(1));
    ObjectId second = new ObjectId("bronze-bucket", "events/2024/b.json");

    JobStatus job = warehouse.load(loadJob("load_1", FILE, second));

    assertEquals(JobState.RUNNING, job.state(), "returned as inserted, not waited for");
    assertEquals(1, fake.requests().size(), "one jobs.insert and nothing else");
    Request insert = fake.requests("POST", "/projects/p/jobs").get(0);
    JsonObject ref = insert.body().getAsJsonObject("jobReference");
    assertEquals("load_1", ref.get("jobId").getAsString());
    assertEquals("US", ref.get("location").getAsString());
    JsonObject config = insert.body().getAsJsonObject("configuration");
    assertEquals(JsonParser.parseString("{\"pipeline\":\"medallion\"}"), config.get("labels"));
    JsonObject load = config.getAsJsonObject("load");
    assertEquals(
        JsonParser.parseString(
            "[\"gs://bronze-bucket/events/2024/a.json\",\"gs://bronze-bucket/events/2024/b.json\"]"),
        load.get("sourceUris"));
    assertEquals("NEWLINE_DELIMITED_JSON", load.get("sourceFormat").getAsString());
    assertEquals("WRITE_APPEND", load.get("writeDisposition").getAsString());
    assertEquals("CREATE_NEVER", load.get("createDisposition").getAsString(),
        "Terraform creates the table; creating it would need dataset-level bigquery.tables.create");
    assertTrue(load.get("ignoreUnknownValues").getAsBoolean());
    assertEquals(JsonParser.parseString("[\"ALLOW_FIELD_ADDITION\",\"ALLOW_FIELD_RELAXATION\"]"),
        load.get("schemaUpdateOptions"), "a column the schema file adds is added by the load, a relaxed one relaxed");
    JsonObject destination = load.getAsJsonObject("destinationTable");
    assertEquals("p", destination.get("projectId").getAsString());
    assertEquals("silver", destination.get("datasetId").getAsString());
    assertEquals("events", destination.get("tableId").getAsString());
    JsonArray fields = load.getAsJsonObject("schema").getAsJsonArray("fields");
    assertEquals(6, fields.size());
    assertField(fields.get(0).getAsJsonObject(), "name", "STRING", "REQUIRED");
    assertEquals("the name", fields.get(0).getAsJsonObject().get("description").getAsString());
    assertField(fields.get(1).getAsJsonObject(), "n", "INTEGER", "NULLABLE");
    assertField(fields.get(2).getAsJsonObject(), "x", "FLOAT", "NULLABLE");
    assertField(fields.get(3).getAsJsonObject(), "flag", "BOOLEAN", "NULLABLE");
    assertField(fields.get(4).getAsJsonObject(), "ts", "TIMESTAMP", "NULLABLE");
    assertField(fields.get(5).getAsJsonObject(), "day", "DATE", "NULLABLE");
  }

  @Test
  void aLoadIntoADeclaredPartitionedTable_leavesPartitioningAndClusteringToTheTableTerraformMade() throws Exception {
    fake.outcome("load_partitioned", Outcome.done(1));
    warehouse.load(new LoadJob("load_partitioned", List.of(FILE), TABLE, SCHEMA, LABELS,
        new io.medallion.port.TablePartitioning("ts", io.medallion.port.TablePartitioning.Granularity.MONTH, 90, List.of("name"))));
    JsonObject load = fake.requests("POST", "/projects/p/jobs").get(0).body().getAsJsonObject("configuration").getAsJsonObject("load");
    assertEquals("CREATE_NEVER", load.get("createDisposition").getAsString());
    assertTrue(!load.has("timePartitioning") && !load.has("clustering"),
        "an append does not restate the table's partitioning (a differing one fails the job): " + load);
  }

  private static void assertField(JsonObject f, String name, String type, String mode) {
    assertEquals(name, f.get("name").getAsString());
    assertEquals(type, f.get("type").getAsString());
    assertEquals(mode, f.get("mode").getAsString());
  }

  @Test
  void tableSchema_isReadWithTablesGet_recordsToAnyDepth_fromTheApisLegacyTypeNames() throws Exception {
    fake.table("silver", "invoices", "[{\"name\":\"id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"n\",\"type\":\"INTEGER\"},"
        + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\",\"mode\":\"NULLABLE\"},"
        + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
        + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"tax\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"rate\",\"type\":\"FLOAT\"}]}]}]");
    TableSchema declared = TableSchema.parse("[{\"name\":\"id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"n\",\"type\":\"INT64\"},"
        + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"},"
        + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
        + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"tax\",\"type\":\"STRUCT\",\"fields\":[{\"name\":\"rate\",\"type\":\"FLOAT64\"}]}]}]");

    TableSchema live = warehouse.tableSchema(new TableId("silver", "invoices")).orElseThrow();

    assertEquals(declared.fields(), live.fields());
    assertEquals(1, fake.requests("GET", "/projects/p/datasets/silver/tables/invoices").size());
    assertTrue(warehouse.schemaDiff(new TableId("silver", "invoices"), declared).orElseThrow().unchanged());
  }

  @Test
  void tableSchema_ofAMissingTable_isEmpty() throws Exception {
    assertTrue(warehouse.tableSchema(new TableId("silver", "nowhere")).isEmpty());
    assertTrue(warehouse.schemaDiff(new TableId("silver", "nowhere"), SCHEMA).isEmpty());
  }

  @Test
  void duplicateLoadIdReturnsTheExistingJob() throws Exception {
    fake.outcome("load_dup", Outcome.done(1));
    JobStatus first = warehouse.load(loadJob("load_dup", FILE));

    JobStatus second =
        warehouse.load(
            new LoadJob(
                "load_dup", List.of(new ObjectId("bronze-bucket", "other.json")), TABLE, SCHEMA,
                Map.of("again", "yes")));

    assertEquals(first, second);
    assertEquals(LABELS, second.labels(), "the first job's labels, not the retry's");
    assertEquals(2, fake.requests("POST", "/projects/p/jobs").size());
  }

  @Test
  void duplicateOfAnOldJobIsFetchedToo() throws Exception {
    // The client adopts a duplicate itself only when created in the last 24 hours; for an older
    // job it throws the 409, which the warehouse must handle.
    long twoDaysAgo = System.currentTimeMillis() - Duration.ofDays(2).toMillis();
    fake.outcome("load_old", Outcome.done(3).createdAt(twoDaysAgo));
    JobStatus first = warehouse.load(loadJob("load_old", FILE));

    JobStatus second = warehouse.load(loadJob("load_old", FILE));

    assertEquals(first, second);
    assertEquals(Instant.ofEpochMilli(twoDaysAgo), second.created());
    assertEquals(3, second.outputRows());
  }

  @Test
  void jobMapsStatusErrorAndStatistics() throws Exception {
    fake.outcome("load_ok", Outcome.done(2));
    fake.outcome("load_bad", Outcome.failed("invalid", "Error while reading data: bad JSON"));
    warehouse.load(loadJob("load_ok", FILE));
    warehouse.load(loadJob("load_bad", FILE));

    JobStatus ok = warehouse.job("load_ok").orElseThrow();
    JobStatus bad = warehouse.job("load_bad").orElseThrow();

    assertEquals(JobType.IMPORT, ok.type());
    assertEquals(JobState.DONE, ok.state());
    assertTrue(ok.succeeded());
    assertEquals(TABLE, ok.destination());
    assertEquals(2, ok.outputRows());
    assertEquals(LABELS, ok.labels());
    assertTrue(ok.created() != null && ok.ended() != null && ok.ended().isAfter(ok.created()));
    assertEquals(JobState.DONE, bad.state());
    assertFalse(bad.succeeded());
    assertEquals("Error while reading data: bad JSON", bad.error());
    assertEquals("US", fake.requests("GET", "/jobs/load_ok").get(0).query().get("location"));
    assertTrue(warehouse.job("no_such_job").isEmpty());
  }

  @Test
  void queryWaitsForTheJobToEnd() throws Exception {
    fake.outcome("gold_1", Outcome.done(0).runningFor(2));

    JobStatus job =
        warehouse.query(new QueryJob("gold_1", "create or replace table gold.t as select 1", LABELS));

    assertTrue(job.succeeded(), job::error);
    assertEquals(JobType.QUERY, job.type());
    assertEquals(LABELS, job.labels());
    JsonObject query =
        fake.requests("POST", "/projects/p/jobs").get(0).body()
            .getAsJsonObject("configuration").getAsJsonObject("query");
    assertFalse(query.get("useLegacySql").getAsBoolean());
    assertFalse(fake.requests("GET", "/queries/gold_1").isEmpty(), "waited via getQueryResults");
  }

  @Test
  void failedQueryIsReturnedDoneWithError() throws Exception {
    String message = "Not found: Table p:gold.missing was not found in location US";
    fake.outcome("gold_bad", Outcome.failed("notFound", message).runningFor(1));
    fake.outcome("gold_bad_at_once", Outcome.failed("invalidQuery", "Syntax error"));

    JobStatus waited =
        warehouse.query(new QueryJob("gold_bad", "select * from gold.missing", Map.of()));
    JobStatus atOnce =
        warehouse.query(new QueryJob("gold_bad_at_once", "selec 1", Map.of()));

    assertEquals(JobState.DONE, waited.state());
    assertEquals(message, waited.error());
    assertEquals(waited, warehouse.job("gold_bad").orElseThrow());
    assertEquals("Syntax error", atOnce.error());
  }

  @Test
  void queryJob_carriesTheBytesBigQueryProcessedAndBilled_alsoWhenLookedUpOrRunAgain() throws Exception {
    fake.outcome("gold_cost", Outcome.done(0).runningFor(1).costing(1_234_567L, 10_485_760L));

    JobStatus ran = warehouse.query(new QueryJob("gold_cost", "create or replace table gold.t as select 1", LABELS));

    assertEquals(1_234_567L, ran.bytesProcessed());
    assertEquals(10_485_760L, ran.bytesBilled());
    assertEquals(ran, warehouse.job("gold_cost").orElseThrow());
    assertEquals(ran, warehouse.query(new QueryJob("gold_cost", "select 2", LABELS)), "a duplicate id: the first job's cost");
  }

  @Test
  void loadAndQueryJobs_carryTheSlotTimeBigQueryReports_unknownWhenAbsent() throws Exception {
    fake.outcome("load_slots", Outcome.done(5));
    fake.slotMs("load_slots", 2_500L);
    fake.slotMs("gold_slots", 73_000L);

    assertEquals(2_500L, warehouse.load(loadJob("load_slots", FILE)).slotMs());
    assertEquals(73_000L, warehouse.query(new QueryJob("gold_slots", "select 1", LABELS)).slotMs());
    assertEquals(73_000L, warehouse.job("gold_slots").orElseThrow().slotMs());
    assertNull(warehouse.query(new QueryJob("gold_noslots", "select 1", LABELS)).slotMs());
  }

  @Test
  void jobWithoutCostStatistics_hasAnUnknownCost() throws Exception {
    fake.outcome("load_free", Outcome.done(5));
    JobStatus load = warehouse.load(loadJob("load_free", FILE));
    JobStatus query = warehouse.query(new QueryJob("gold_nocost", "select 1", LABELS));

    assertNull(load.bytesProcessed(), "loads are free; BigQuery reports no query bytes for them");
    assertNull(warehouse.job("load_free").orElseThrow().bytesBilled());
    assertNull(query.bytesProcessed());
    assertNull(query.bytesBilled());
  }

  @Test
  void duplicateQueryIdReturnsTheFirstJobUnrun() throws Exception {
    JobStatus first = warehouse.query(new QueryJob("gold_dup", "select 1", Map.of()));
    JobStatus second = warehouse.query(new QueryJob("gold_dup", "select 2", Map.of()));

    assertEquals(first, second);
  }

  @Test
  void queryReportsAnUnreachableBigQueryAsIoException() {
    fake.close();
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () -> warehouse.query(new QueryJob("gold_offline", "select 1", Map.of())));
    assertTrue(e.getMessage().contains("gold_offline"), e.getMessage());
  }

  @Test
  void readRejectsMissingAndUnusedParametersBeforeAnyRequest() {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> warehouse.read("select @present as a, @absent as b", Map.of("present", 1L)));
    IllegalArgumentException unused =
        assertThrows(
            IllegalArgumentException.class,
            () -> warehouse.read("select @a as a", Map.of("a", 1L, "extra", 2L)));
    IllegalArgumentException untyped =
        assertThrows(
            IllegalArgumentException.class,
            () -> warehouse.read("select @a as a", Map.of("a", new Object())));

    assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    assertTrue(unused.getMessage().contains("extra"), unused.getMessage());
    assertTrue(untyped.getMessage().contains("@a"), untyped.getMessage());
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void readBindsParametersAndReturnsPortTypes() throws Exception {
    Instant ts = Instant.parse("2024-05-01T12:00:00.123456Z");
    fake.queryResult(
        "{\"fields\":[{\"name\":\"name\",\"type\":\"STRING\"},{\"name\":\"n\",\"type\":\"INTEGER\"},"
            + "{\"name\":\"x\",\"type\":\"FLOAT\"},{\"name\":\"flag\",\"type\":\"BOOLEAN\"},"
            + "{\"name\":\"ts\",\"type\":\"TIMESTAMP\"},{\"name\":\"day\",\"type\":\"DATE\"}]}",
        // TIMESTAMP as BigQuery sends it without useInt64Timestamp: float seconds.
        "[{\"f\":[{\"v\":\"a\"},{\"v\":\"1\"},{\"v\":\"1.5\"},{\"v\":\"true\"},"
            + "{\"v\":\"1.714564800123456E9\"},{\"v\":\"2024-05-01\"}]},"
            + "{\"f\":[{\"v\":\"b\"},{\"v\":null},{\"v\":null},{\"v\":null},{\"v\":null},"
            + "{\"v\":null}]}]");

    QueryResult result =
        warehouse.read(
            "select name, '@not_a_parameter' -- @nor_this\n from silver.events"
                + " where n >= @min and ts < @until and day = @day and flag = @flag",
            Map.of("min", 2L, "until", ts, "day", LocalDate.of(2024, 5, 1), "flag", true));

    assertEquals(List.of("name", "n", "x", "flag", "ts", "day"), result.columns());
    assertEquals(
        Arrays.asList("a", 1L, 1.5, true, ts, LocalDate.of(2024, 5, 1)), result.rows().get(0));
    assertEquals(Arrays.asList("b", null, null, null, null, null), result.rows().get(1));
    JsonObject request = fake.requests("POST", "/projects/p/queries").get(0).body();
    assertEquals("US", request.get("location").getAsString());
    assertFalse(request.get("useLegacySql").getAsBoolean());
    assertFalse(
        request.getAsJsonObject("formatOptions").get("useInt64Timestamp").getAsBoolean(),
        "the fake's TIMESTAMP cells are in the float-seconds format this asks for");
    JsonArray parameters = request.getAsJsonArray("queryParameters");
    assertEquals(4, parameters.size());
    assertParameter(parameters, "min", "INT64", "2");
    assertParameter(parameters, "day", "DATE", "2024-05-01");
    assertParameter(parameters, "flag", "BOOL", "true");
    assertParameter(parameters, "until", "TIMESTAMP", "2024-05-01 12:00:00.123456+00:00");
    assertNull(parameter(parameters, "nor_this"));
  }


  /**
   * Every type of a schema file reaches the load job as BigQuery's JSON schema format names it
   * (TableFieldSchema: type, mode, fields of a RECORD, precision and scale as int64 strings).
   */
  @Test
  void everyType_andNestedRecords_areSentInBigQuerysSchemaFormat() throws Exception {
    TableSchema invoices = TableSchema.parse("["
        + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"2\"},"
        + "{\"name\":\"rate\",\"type\":\"BIGNUMERIC\"},"
        + "{\"name\":\"local_at\",\"type\":\"DATETIME\"},{\"name\":\"opens\",\"type\":\"TIME\"},"
        + "{\"name\":\"signature\",\"type\":\"BYTES\"},{\"name\":\"_extra\",\"type\":\"JSON\"},"
        + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
        + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"tax\",\"type\":\"STRUCT\",\"fields\":[{\"name\":\"icms\",\"type\":\"NUMERIC\"}]}]}]");
    fake.outcome("load_invoices", Outcome.done(1));
    warehouse.load(new LoadJob("load_invoices", List.of(FILE), TABLE, invoices, LABELS));

    JsonArray fields = fake.requests("POST", "/projects/p/jobs").get(0).body().getAsJsonObject("configuration")
        .getAsJsonObject("load").getAsJsonObject("schema").getAsJsonArray("fields");
    assertField(fields.get(0).getAsJsonObject(), "total", "NUMERIC", "NULLABLE");
    assertEquals("15", fields.get(0).getAsJsonObject().get("precision").getAsString());
    assertEquals("2", fields.get(0).getAsJsonObject().get("scale").getAsString());
    assertField(fields.get(1).getAsJsonObject(), "rate", "BIGNUMERIC", "NULLABLE");
    assertFalse(fields.get(1).getAsJsonObject().has("precision"), "the type's own precision: none sent");
    assertField(fields.get(2).getAsJsonObject(), "local_at", "DATETIME", "NULLABLE");
    assertField(fields.get(3).getAsJsonObject(), "opens", "TIME", "NULLABLE");
    assertField(fields.get(4).getAsJsonObject(), "signature", "BYTES", "NULLABLE");
    assertField(fields.get(5).getAsJsonObject(), "_extra", "JSON", "NULLABLE");
    JsonObject items = fields.get(6).getAsJsonObject();
    assertField(items, "items", "RECORD", "REPEATED");
    assertField(items.getAsJsonArray("fields").get(0).getAsJsonObject(), "sku", "STRING", "REQUIRED");
    JsonObject tax = items.getAsJsonArray("fields").get(1).getAsJsonObject();
    assertField(tax, "tax", "RECORD", "NULLABLE");
    assertField(tax.getAsJsonArray("fields").get(0).getAsJsonObject(), "icms", "NUMERIC", "NULLABLE");
  }

  @Test
  void aRepeatedColumn_isLoadedAsRepeatedAndReadAsAList() throws Exception {
    TableSchema issues = TableSchema.parse(
        "[{\"name\":\"id\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
            + "{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
            + "{\"name\":\"seen_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REPEATED\"}]");
    fake.outcome("load_issues", Outcome.done(1));
    warehouse.load(new LoadJob("load_issues", List.of(FILE), TABLE, issues, LABELS));

    JsonArray fields = fake.requests("POST", "/projects/p/jobs").get(0).body().getAsJsonObject("configuration")
        .getAsJsonObject("load").getAsJsonObject("schema").getAsJsonArray("fields");
    assertField(fields.get(0).getAsJsonObject(), "id", "INTEGER", "REQUIRED");
    assertField(fields.get(1).getAsJsonObject(), "label_names", "STRING", "REPEATED");
    assertField(fields.get(2).getAsJsonObject(), "seen_at", "TIMESTAMP", "REPEATED");

    fake.queryResult(
        "{\"fields\":[{\"name\":\"id\",\"type\":\"INTEGER\"},{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
            + "{\"name\":\"seen_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REPEATED\"}]}",
        "[{\"f\":[{\"v\":\"1\"},{\"v\":[{\"v\":\"bug\"},{\"v\":\"ui\"}]},{\"v\":[{\"v\":\"1.714564800123456E9\"}]}]},"
            + "{\"f\":[{\"v\":\"2\"},{\"v\":[]},{\"v\":[]}]}]");
    QueryResult result = warehouse.read("select id, label_names, seen_at from silver.events", Map.of());
    assertEquals(
        List.of(List.of(1L, List.of("bug", "ui"), List.of(Instant.parse("2024-05-01T12:00:00.123456Z"))),
            List.of(2L, List.of(), List.of())),
        result.rows());
  }

  @Test
  void readGuarded_sendsTheLimitAndUsesTheCache_bindsEveryType_andGivesTheBytesTheJobBilled() throws Exception {
    fake.queryResult(
        "{\"fields\":[{\"name\":\"total\",\"type\":\"NUMERIC\"},{\"name\":\"day\",\"type\":\"DATE\"}]}",
        "[{\"f\":[{\"v\":\"12345678901234567890.123456789\"},{\"v\":\"2024-05-01\"}]}]");
    fake.queryBilling(20_971_520L);
    Map<String, Object> parameters = Map.of(
        "price", new java.math.BigDecimal("12.50"),
        "rate", new java.math.BigDecimal("0.12345678901"),
        "local_at", java.time.LocalDateTime.of(2024, 5, 1, 8, 30, 0, 123_456_000),
        "opens", java.time.LocalTime.of(9, 0),
        "day", LocalDate.of(2024, 5, 1));

    io.medallion.port.GuardedRead read = warehouse.readGuarded(
        "select total, day from gold.sales where price = @price and rate = @rate and local_at = @local_at"
            + " and opens = @opens and day = @day", parameters, 50_000_000L);

    assertEquals(List.of(List.of(new java.math.BigDecimal("12345678901234567890.123456789"), LocalDate.of(2024, 5, 1))),
        read.result().rows());
    assertEquals(20_971_520L, read.bytesBilled());
    assertFalse(read.estimated());
    JsonObject request = fake.requests("POST", "/projects/p/queries").get(0).body();
    assertEquals("50000000", request.get("maximumBytesBilled").getAsString());
    assertTrue(request.get("useQueryCache").getAsBoolean());
    JsonArray sent = request.getAsJsonArray("queryParameters");
    assertParameter(sent, "price", "NUMERIC", "12.50");
    assertParameter(sent, "rate", "BIGNUMERIC", "0.12345678901"); // 11 decimals: more than NUMERIC's 9
    assertParameter(sent, "local_at", "DATETIME", "2024-05-01 08:30:00.123456");
    assertParameter(sent, "opens", "TIME", "09:00:00.000000");
    assertParameter(sent, "day", "DATE", "2024-05-01");
    assertEquals(1, fake.requests("POST", "/projects/p/queries").size());
    assertEquals(1, fake.requests("GET", "/jobs/fake_query_1").size(), "the job's statistics, read once");
  }

  @Test
  void readGuarded_answeredFromTheCache_billsNothing() throws Exception {
    fake.queryBilling(null); // a cache hit: BigQuery sets no (or 0) totalBytesBilled

    assertEquals(0L, warehouse.readGuarded("select 1", Map.of(), 10_485_760L).bytesBilled());
  }

  @Test
  void readGuarded_refusedForItsLimit_isCostGuardExceeded_withWhatBigQuerySaidItNeeds() throws Exception {
    fake.queryRefusal(400, "bytesBilledLimitExceeded",
        "Query exceeded limit for bytes billed: 10485760. 20971520 or higher required.");

    io.medallion.port.CostGuardExceeded refused = assertThrows(io.medallion.port.CostGuardExceeded.class,
        () -> warehouse.readGuarded("select * from gold.sales", Map.of(), 10_485_760L));
    assertEquals(10_485_760L, refused.limit());
    assertEquals(20_971_520L, refused.wouldBill());

    fake.queryRefusal(500, "bytesBilledLimitExceeded", "Query exceeded limit for bytes billed.");
    assertEquals(-1L, assertThrows(io.medallion.port.CostGuardExceeded.class,
        () -> warehouse.readGuarded("select * from gold.sales", Map.of(), 10_485_760L)).wouldBill());

    // Any other refusal is an ordinary failure.
    fake.queryRefusal(400, "invalidQuery", "Unrecognized name: nope");
    java.io.IOException failed = assertThrows(java.io.IOException.class,
        () -> warehouse.readGuarded("select nope from gold.sales", Map.of(), 10_485_760L));
    assertFalse(failed instanceof io.medallion.port.CostGuardExceeded, failed.toString());
  }

  @Test
  void readGuarded_refusesANumericBeyondBigNumeric_beforeAnyRequest() {
    assertThrows(IllegalArgumentException.class, () -> warehouse.readGuarded("select @x",
        Map.of("x", new java.math.BigDecimal("1e40")), 10_485_760L));
    assertTrue(fake.requests().isEmpty());
  }

  @Test
  void lastModified_isTheTablesLastModifiedTime_andEmptyForAMissingTable() throws Exception {
    fake.table("gold", "sales", "[{\"name\":\"total\",\"type\":\"NUMERIC\"}]");
    fake.tableModifiedAt("gold", "sales", 1_714_564_800_123L);

    assertEquals(java.util.Optional.of(Instant.ofEpochMilli(1_714_564_800_123L)),
        warehouse.lastModified(new TableId("gold", "sales")));
    assertEquals(java.util.Optional.empty(), warehouse.lastModified(new TableId("gold", "missing")));
  }

  private static JsonObject parameter(JsonArray parameters, String name) {
    for (var p : parameters) {
      if (p.getAsJsonObject().get("name").getAsString().equals(name)) {
        return p.getAsJsonObject();
      }
    }
    return null;
  }

  private static void assertParameter(JsonArray parameters, String name, String type, String v) {
    JsonObject p = parameter(parameters, name);
    assertEquals(type, p.getAsJsonObject("parameterType").get("type").getAsString(), name);
    assertEquals(v, p.getAsJsonObject("parameterValue").get("value").getAsString(), name);
  }
}
