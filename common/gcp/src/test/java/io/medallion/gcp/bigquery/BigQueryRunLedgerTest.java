package io.medallion.gcp.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.TableId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BigQueryRunLedger} against {@link FakeBigQueryServer}: what it sends and how it maps rows. */
class BigQueryRunLedgerTest {

  private FakeBigQueryServer fake;
  private BigQueryRunLedger ledger;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeBigQueryServer();
    ledger = new BigQueryRunLedger(fake.client(), new TableId("ops", "run_ledger"), "US");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void record_sendsValuesOnlyAsTypedParametersIncludingNulls() throws Exception {
    RunEvent e = RunEvent.of("run'; drop table x --", "breweries", Stage.INGEST, Status.CHECKPOINT)
        .key("page-00001").page(1).records(200).at(Instant.parse("2026-11-23T09:00:00.123456Z"));
    ledger.record(e);
    List<FakeBigQueryServer.Request> sent = fake.requests("POST", "/queries");
    assertEquals(1, sent.size());
    JsonObject body = sent.get(0).body();
    String sql = body.get("query").getAsString();
    assertFalse(sql.contains("drop table"), "no value in the SQL text: " + sql);
    assertTrue(sql.contains("`ops.run_ledger`") && sql.contains("where not exists"), sql);
    Map<String, JsonObject> params = new HashMap<>();
    for (JsonElement p : body.getAsJsonArray("queryParameters")) {
      params.put(p.getAsJsonObject().get("name").getAsString(), p.getAsJsonObject());
    }
    assertEquals(io.medallion.schema.TableSchema.forTable("ops", "run_ledger").fields().size(), params.size(),
        "a parameter per column of the schema file: " + params.keySet());
    assertEquals("INT64", params.get("v_bytes_billed").getAsJsonObject("parameterType").get("type").getAsString(),
        "an unknown cost is a typed NULL");
    assertEquals(e.runId(), params.get("v_run_id").getAsJsonObject("parameterValue").get("value").getAsString());
    assertEquals("INT64", params.get("v_page").getAsJsonObject("parameterType").get("type").getAsString());
    assertEquals("INT64", params.get("v_rows").getAsJsonObject("parameterType").get("type").getAsString(), "a NULL still has a type");
    assertTrue(!params.get("v_rows").has("parameterValue")
        || !params.get("v_rows").getAsJsonObject("parameterValue").has("value"), "rows is NULL");
    assertEquals("TIMESTAMP", params.get("v_recorded_at").getAsJsonObject("parameterType").get("type").getAsString());
  }

  @Test
  void record_labelsItsJobWithTheRun_leavingOffValuesBigQueryWouldRefuse() throws Exception {
    ledger.record(RunEvent.of("run-1", "breweries", Stage.GOLD, Status.SUCCEEDED).at(Instant.parse("2026-11-23T09:00:00Z")));
    ledger.record(RunEvent.of("drop-1", "Odd Source!", Stage.SILVER, Status.FAILED).at(Instant.parse("2026-11-23T09:00:00Z")));
    List<FakeBigQueryServer.Request> sent = fake.requests("POST", "/queries");
    assertEquals(2, sent.size());
    assertEquals(Map.of("pipeline", "medallion", "layer", "ops", "run_id", "run-1", "source", "breweries"),
        new com.google.gson.Gson().fromJson(sent.get(0).body().getAsJsonObject("labels"), Map.class));
    assertEquals(Map.of("pipeline", "medallion", "layer", "ops", "run_id", "drop-1"),
        new com.google.gson.Gson().fromJson(sent.get(1).body().getAsJsonObject("labels"), Map.class));
  }

  @Test
  void events_mapRowsBackToRunEvents() throws Exception {
    fake.queryResult(
        "{\"fields\":[" + String.join(",",
            f("event_id", "STRING"), f("run_id", "STRING"), f("source", "STRING"), f("stage", "STRING"),
            f("status", "STRING"), f("page", "INTEGER"), f("records", "INTEGER"), f("rows", "INTEGER"),
            f("rejects", "INTEGER"), f("bytes", "INTEGER"), f("job_id", "STRING"), f("object_uri", "STRING"),
            f("error", "STRING"), f("watermark", "STRING"), f("recorded_at", "TIMESTAMP"), f("unknown_fields", "STRING"),
            f("bytes_processed", "INTEGER"), f("bytes_billed", "INTEGER"), f("slot_ms", "INTEGER"),
            f("gcs_bytes_written", "INTEGER"), f("instance_ms", "INTEGER")) + "]}",
        "[{\"f\":[{\"v\":\"r1/silver/succeeded/7\"},{\"v\":\"r1\"},{\"v\":\"breweries\"},{\"v\":\"silver\"},"
            + "{\"v\":\"succeeded\"},{\"v\":null},{\"v\":\"10\"},{\"v\":\"9\"},{\"v\":\"1\"},{\"v\":\"512\"},"
            + "{\"v\":\"job_1\"},{\"v\":\"gs://b/o\"},{\"v\":null},{\"v\":\"2026-11-01T00:00:00Z\"},{\"v\":\"1.7638902E9\"},"
            + "{\"v\":null},{\"v\":\"52428800\"},{\"v\":\"52428800\"},{\"v\":\"1500\"},{\"v\":\"4096\"},{\"v\":null}]}]");
    List<RunEvent> events = ledger.events("r1");
    assertEquals(1, events.size());
    RunEvent e = events.get(0);
    assertEquals(Stage.SILVER, e.stage());
    assertEquals(Status.SUCCEEDED, e.status());
    assertEquals(null, e.page());
    assertEquals(9L, e.rows());
    assertEquals(1L, e.rejects());
    assertEquals(Instant.ofEpochSecond(1763890200), e.recordedAt());
    assertEquals("2026-11-01T00:00:00Z", e.watermark());
    assertEquals(52_428_800L, e.bytesProcessed());
    assertEquals(52_428_800L, e.bytesBilled());
    assertEquals(1_500L, e.slotMs());
    assertEquals(4_096L, e.gcsBytesWritten());
    assertEquals(null, e.instanceMs());
    String sql = fake.requests("POST", "/queries").get(0).body().get("query").getAsString();
    assertTrue(sql.contains("@run_id") && !sql.contains("'r1'"), sql);
  }

  private static String f(String name, String type) {
    return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\"}";
  }

  @Test
  void recordAll_sendsEveryEventInOneJob_asAnArrayOfStructs() throws Exception {
    List<RunEvent> events = new java.util.ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      events.add(RunEvent.of("run-1", "breweries", Stage.INGEST, Status.CHECKPOINT).key("page-" + page).page(page)
          .records(200).at(Instant.parse("2026-11-23T09:00:00Z")));
    }
    ledger.recordAll(events);
    List<FakeBigQueryServer.Request> sent = fake.requests("POST", "/queries");
    assertEquals(1, sent.size(), "one job for a batch");
    JsonObject body = sent.get(0).body();
    assertTrue(body.get("query").getAsString().contains("unnest(@v_events)"), body.toString());
    JsonObject param = body.getAsJsonArray("queryParameters").get(0).getAsJsonObject();
    assertEquals("ARRAY", param.getAsJsonObject("parameterType").get("type").getAsString());
    assertEquals("STRUCT", param.getAsJsonObject("parameterType").getAsJsonObject("arrayType").get("type").getAsString());
    assertEquals(3, param.getAsJsonObject("parameterValue").getAsJsonArray("arrayValues").size());
    assertTrue(param.getAsJsonObject("parameterType").getAsJsonObject("arrayType").getAsJsonArray("structTypes").toString()
        .contains("\"instance_ms\""), "every column, the cost too");
    assertFalse(body.get("query").getAsString().contains("run-1"), "values only as parameters");
  }
}
