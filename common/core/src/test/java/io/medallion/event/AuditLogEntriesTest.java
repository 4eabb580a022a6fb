package io.medallion.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.Fixtures;
import io.medallion.port.JobStatus;
import io.medallion.port.TableId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogEntriesTest {

  private static JobCompletion decode(String fixture) throws InvalidEventException {
    return AuditLogEntries.decode(Fixtures.text(fixture).getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  @Test
  void loadDone_bigQueryAuditMetadata() throws Exception {
    JobCompletion c = decode("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json");
    assertTrue(c.isLoad());
    assertTrue(c.succeeded());
    assertEquals("my-project", c.projectId());
    assertEquals("silver_load_bronze_2024_05_01_gen1714543200000000", c.jobId());
    assertEquals("medallion", c.labels().get("pipeline"));
    assertEquals(new TableId("silver", "observations"), c.destination());
    assertEquals(List.of("gs://my-project-bronze/example-api/2024/05/01/run.ndjson"), c.sourceUris());
    assertEquals(Instant.parse("2024-05-01T06:00:10.123Z"), c.created(), "jobStats.createTime");
    assertEquals(Instant.parse("2024-05-01T06:00:12.987Z"), c.ended(), "jobStats.endTime");
    assertEquals(Duration.ofMillis(2864), c.duration().orElseThrow());
  }

  @Test
  void jobTimes_missingOrMalformed_leaveTheDurationUnknownButTheEntryValid() throws Exception {
    String fixture = Fixtures.text("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json");
    JobCompletion noEnd = AuditLogEntries.decode(
        fixture.replace("\"endTime\"", "\"notEndTime\"").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertNull(noEnd.ended());
    assertTrue(noEnd.duration().isEmpty());
    JobCompletion garbled = AuditLogEntries.decode(
        fixture.replace("2024-05-01T06:00:10.123Z", "yesterday").getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertNull(garbled.created());
    assertTrue(garbled.duration().isEmpty());
  }

  @Test
  void loadFailed_carriesErrorResult() throws Exception {
    JobCompletion c = decode("03b_bq_load_job_failed_BigQueryAuditMetadata_logentry.json");
    assertFalse(c.succeeded());
    assertTrue(c.error().startsWith("Error while reading data"), c.error());
  }

  @Test
  void legacyAuditData_loadCompleted() throws Exception {
    JobCompletion c = decode("03d_bq_load_job_completed_legacy_AuditData_logentry.json");
    assertTrue(c.isLoad());
    assertTrue(c.succeeded(), "an empty error object is no error");
    assertEquals("silver_load_bronze_2024_05_01_gen1714543200000000", c.jobId());
    assertEquals("silver", c.labels().get("layer"));
    assertEquals(new TableId("silver", "observations"), c.destination());
    assertEquals(Instant.parse("2024-05-01T06:00:10.123Z"), c.created(), "jobStatistics.createTime");
    assertEquals(Instant.parse("2024-05-01T06:00:12.987Z"), c.ended(), "jobStatistics.endTime");
  }

  @Test
  void queryJobCompletion_isNotALoad() throws Exception {
    String query = Fixtures.text("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json")
        .replace("\"type\": \"IMPORT\"", "\"type\": \"QUERY\"");
    JobCompletion c = AuditLogEntries.decode(query.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals("QUERY", c.jobType());
    assertFalse(c.isLoad());
  }

  @Test
  void jobInsertionOrRunningJob_isNoCompletion() throws Exception {
    String running = Fixtures.text("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json")
        .replace("\"after\": \"DONE\"", "\"after\": \"RUNNING\"").replace("\"jobState\": \"DONE\"", "\"jobState\": \"RUNNING\"");
    assertTrue(AuditLogEntries.decode(running.getBytes(StandardCharsets.UTF_8)).isEmpty());
    String other = "{\"protoPayload\":{\"metadata\":{\"tableDataRead\":{}}}}";
    assertTrue(AuditLogEntries.decode(other.getBytes(StandardCharsets.UTF_8)).isEmpty());
  }

  @Test
  void notJsonOrNotALogEntry_isInvalid() {
    assertThrows(InvalidEventException.class, () -> AuditLogEntries.decode("not json".getBytes(StandardCharsets.UTF_8)));
    assertThrows(InvalidEventException.class, () -> AuditLogEntries.decode("[1,2]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(InvalidEventException.class, () -> AuditLogEntries.decode("{\"textPayload\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void localEntry_hasTheFixtureShapeAndDecodesBack() throws Exception {
    JobStatus job = new JobStatus("medallion_silver_load_abc", JobStatus.JobType.IMPORT, JobStatus.JobState.DONE, null,
        Map.of("pipeline", "medallion", "layer", "silver", "source", "breweries", "run_id", "r1"),
        new TableId("silver", "breweries"), 10, Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:01Z"));
    String entry = AuditLogEntries.jobDone("medallion-local", job, List.of("gs://b/rows.ndjson"), "me@local");
    var fixtureKeys = Fixtures.json("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json").keySet();
    var entryKeys = com.google.gson.JsonParser.parseString(entry).getAsJsonObject().keySet();
    assertTrue(entryKeys.containsAll(List.of("insertId", "logName", "protoPayload", "resource", "timestamp", "severity")), entryKeys.toString());
    assertTrue(fixtureKeys.containsAll(entryKeys), "no field the real entry lacks: " + entryKeys);
    JobCompletion c = AuditLogEntries.decode(entry.getBytes(StandardCharsets.UTF_8)).orElseThrow();
    assertEquals("medallion_silver_load_abc", c.jobId());
    assertEquals(job.labels(), c.labels());
    assertEquals(new TableId("silver", "breweries"), c.destination());
    assertNull(c.error());
    assertEquals(job.created(), c.created());
    assertEquals(job.ended(), c.ended());
  }

  /** Locally a load may create its table, but the entry says what a load on GCP says: CREATE_NEVER. */
  @Test
  void localLoadEntry_hasTheDispositionsOfTheDeployedLoad() {
    JobStatus job = new JobStatus("medallion_silver_load_abc", JobStatus.JobType.IMPORT, JobStatus.JobState.DONE, null,
        Map.of("pipeline", "medallion", "layer", "silver"), new TableId("silver", "breweries"), 10,
        Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:01Z"));
    JsonObject local = loadConfig(JsonParser.parseString(
        AuditLogEntries.jobDone("medallion-local", job, List.of(), "me@local")).getAsJsonObject());
    JsonObject real = loadConfig(Fixtures.json("03a_bq_load_job_done_BigQueryAuditMetadata_logentry.json"));
    assertEquals("CREATE_NEVER", local.get("createDisposition").getAsString());
    assertEquals(real.get("createDisposition"), local.get("createDisposition"));
    assertEquals(real.get("writeDisposition"), local.get("writeDisposition"));
  }

  private static JsonObject loadConfig(JsonObject entry) {
    return entry.getAsJsonObject("protoPayload").getAsJsonObject("metadata").getAsJsonObject("jobChange")
        .getAsJsonObject("job").getAsJsonObject("jobConfig").getAsJsonObject("loadConfig");
  }
}
