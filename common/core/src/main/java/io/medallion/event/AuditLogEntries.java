package io.medallion.event;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.medallion.port.JobStatus;
import io.medallion.port.TableId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Codec for BigQuery audit-log LogEntries as a Cloud Logging sink routes them to Pub/Sub: the
 * current {@code BigQueryAuditMetadata} form ({@code protoPayload.metadata.jobChange}) and the
 * legacy {@code AuditData} form ({@code protoPayload.serviceData.jobCompletedEvent}).
 */
public final class AuditLogEntries {

  private AuditLogEntries() {}

  /**
   * The completed job an entry reports, or empty when the entry is not a job completion (a job
   * insertion, a table read, a job still running): such entries need no work.
   *
   * @throws InvalidEventException when the bytes are not a JSON LogEntry at all
   */
  public static Optional<JobCompletion> decode(byte[] json) throws InvalidEventException {
    JsonObject entry;
    try {
      JsonElement e = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
      if (!e.isJsonObject()) {
        throw new InvalidEventException("Audit log entry is not a JSON object");
      }
      entry = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidEventException("Audit log entry is not valid JSON: " + e.getMessage(), e);
    }
    JsonObject payload = object(entry, "protoPayload");
    if (payload == null) {
      throw new InvalidEventException("LogEntry has no protoPayload: not a BigQuery audit log");
    }
    try {
      JsonObject metadata = object(payload, "metadata");
      if (metadata != null && object(metadata, "jobChange") != null) {
        return fromJobChange(object(metadata, "jobChange"));
      }
      JsonObject serviceData = object(payload, "serviceData");
      if (serviceData != null && object(serviceData, "jobCompletedEvent") != null) {
        return fromLegacy(object(serviceData, "jobCompletedEvent"));
      }
      return Optional.empty();
    } catch (IllegalStateException | ClassCastException | UnsupportedOperationException e) {
      throw new InvalidEventException("Malformed BigQuery audit log entry: " + e.getMessage(), e);
    }
  }

  private static Optional<JobCompletion> fromJobChange(JsonObject change) throws InvalidEventException {
    JsonObject job = object(change, "job");
    JsonObject status = job == null ? null : object(job, "jobStatus");
    if (!"DONE".equals(string(change, "after"))
        && !(status != null && "DONE".equals(string(status, "jobState")))) {
      return Optional.empty();
    }
    if (job == null || string(job, "jobName") == null) {
      throw new InvalidEventException("jobChange without job.jobName");
    }
    String jobName = string(job, "jobName");
    JsonObject config = object(job, "jobConfig");
    JsonObject load = config == null ? null : object(config, "loadConfig");
    JsonObject error = status == null ? null : object(status, "errorResult");
    JsonObject stats = object(job, "jobStats");
    return Optional.of(
        new JobCompletion(
            segmentAfter(jobName, "projects/"),
            jobName.substring(jobName.lastIndexOf('/') + 1),
            config == null ? null : string(config, "type"),
            errorMessage(error),
            labels(config),
            load == null ? null : tableFromName(string(load, "destinationTable")),
            load == null ? List.of() : strings(load, "sourceUris"),
            time(stats, "createTime"),
            time(stats, "endTime")));
  }

  private static Optional<JobCompletion> fromLegacy(JsonObject event) throws InvalidEventException {
    JsonObject job = object(event, "job");
    if (job == null || object(job, "jobName") == null) {
      throw new InvalidEventException("jobCompletedEvent without job.jobName");
    }
    JsonObject status = object(job, "jobStatus");
    if (status != null && status.has("state") && !"DONE".equals(string(status, "state"))) {
      return Optional.empty();
    }
    JsonObject name = object(job, "jobName");
    JsonObject config = object(job, "jobConfiguration");
    JsonObject load = config == null ? null : object(config, "load");
    String eventName = string(event, "eventName");
    String type =
        load != null || "load_job_completed".equals(eventName)
            ? "IMPORT"
            : config != null && object(config, "query") != null || "query_job_completed".equals(eventName)
                ? "QUERY"
                : eventName;
    TableId destination = null;
    if (load != null && object(load, "destinationTable") != null) {
      JsonObject t = object(load, "destinationTable");
      destination = tableId(string(t, "datasetId"), string(t, "tableId"));
    }
    JsonObject stats = object(job, "jobStatistics");
    return Optional.of(
        new JobCompletion(
            string(name, "projectId"),
            string(name, "jobId"),
            type,
            errorMessage(status == null ? null : object(status, "error")),
            labels(config),
            destination,
            load == null ? List.of() : strings(load, "sourceUris"),
            time(stats, "createTime"),
            time(stats, "endTime")));
  }

  /**
   * The LogEntry BigQuery writes when {@code job} ends, in the BigQueryAuditMetadata shape the
   * sink delivers (the local warehouse publishes this itself).
   */
  public static String jobDone(String project, JobStatus job, List<String> sourceUris, String principal) {
    String jobName = "projects/" + project + "/jobs/" + job.jobId();
    JsonObject jobConfig = new JsonObject();
    jobConfig.addProperty("type", job.type().name());
    JsonObject labels = new JsonObject();
    job.labels().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> labels.addProperty(e.getKey(), e.getValue()));
    jobConfig.add("labels", labels);
    if (job.type() == JobStatus.JobType.IMPORT) {
      JsonObject load = new JsonObject();
      JsonArray uris = new JsonArray();
      sourceUris.forEach(uris::add);
      load.add("sourceUris", uris);
      if (job.destination() != null) {
        load.addProperty(
            "destinationTable",
            "projects/" + project + "/datasets/" + job.destination().dataset() + "/tables/"
                + job.destination().table());
      }
      // What BigQueryWarehouse asks for on GCP. The local warehouse still creates a missing table
      // (there is no Terraform locally), but its entry says what the deployed one would.
      load.addProperty("createDisposition", "CREATE_NEVER");
      load.addProperty("writeDisposition", "WRITE_APPEND");
      jobConfig.add("loadConfig", load);
    }
    JsonObject jobStatus = new JsonObject();
    jobStatus.addProperty("jobState", "DONE");
    if (job.error() != null) {
      JsonObject error = new JsonObject();
      error.addProperty("code", 3);
      error.addProperty("message", job.error());
      jobStatus.add("errorResult", error);
      JsonArray errors = new JsonArray();
      errors.add(error.deepCopy());
      jobStatus.add("errors", errors);
    }
    JsonObject stats = new JsonObject();
    stats.addProperty("createTime", job.created().toString());
    stats.addProperty("startTime", job.created().toString());
    stats.addProperty("endTime", job.ended().toString());
    if (job.type() == JobStatus.JobType.IMPORT && job.outputRows() >= 0) {
      JsonObject loadStats = new JsonObject();
      loadStats.addProperty("totalOutputRows", Long.toString(job.outputRows()));
      stats.add("loadStats", loadStats);
    }
    JsonObject jobJson = new JsonObject();
    jobJson.addProperty("jobName", jobName);
    jobJson.add("jobConfig", jobConfig);
    jobJson.add("jobStatus", jobStatus);
    jobJson.add("jobStats", stats);
    JsonObject change = new JsonObject();
    change.addProperty("after", "DONE");
    change.add("job", jobJson);
    JsonObject metadata = new JsonObject();
    metadata.addProperty("@type", "type.googleapis.com/google.cloud.audit.BigQueryAuditMetadata");
    metadata.add("jobChange", change);

    JsonObject payload = new JsonObject();
    payload.addProperty("@type", "type.googleapis.com/google.cloud.audit.AuditLog");
    JsonObject rpcStatus = new JsonObject();
    if (job.error() != null) {
      rpcStatus.addProperty("code", 3);
      rpcStatus.addProperty("message", job.error());
    }
    payload.add("status", rpcStatus);
    JsonObject auth = new JsonObject();
    auth.addProperty("principalEmail", principal);
    payload.add("authenticationInfo", auth);
    payload.addProperty("serviceName", "bigquery.googleapis.com");
    payload.addProperty("methodName", "google.cloud.bigquery.v2.JobService.InsertJob");
    payload.addProperty("resourceName", jobName);
    payload.add("metadata", metadata);

    JsonObject entry = new JsonObject();
    entry.addProperty("insertId", job.jobId());
    entry.addProperty(
        "logName", "projects/" + project + "/logs/cloudaudit.googleapis.com%2Fdata_access");
    entry.add("protoPayload", payload);
    JsonObject resource = new JsonObject();
    resource.addProperty("type", "bigquery_project");
    JsonObject resourceLabels = new JsonObject();
    resourceLabels.addProperty("project_id", project);
    resource.add("labels", resourceLabels);
    entry.add("resource", resource);
    Instant ended = job.ended();
    entry.addProperty("timestamp", ended.toString());
    entry.addProperty("severity", job.error() == null ? "INFO" : "ERROR");
    entry.addProperty("receiveTimestamp", ended.toString());
    return entry.toString();
  }

  /**
   * An RFC 3339 timestamp of the job's statistics, or null when absent or unreadable: the times
   * only feed a meter, so a malformed one must not refuse the entry.
   */
  private static Instant time(JsonObject stats, String key) {
    String value = stats == null ? null : string(stats, key);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String errorMessage(JsonObject error) {
    if (error == null || error.size() == 0) {
      return null;
    }
    String message = string(error, "message");
    return message == null ? error.toString() : message;
  }

  private static Map<String, String> labels(JsonObject config) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject labels = config == null ? null : object(config, "labels");
    if (labels != null) {
      labels.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
    }
    return out;
  }

  /** {@code projects/p/datasets/d/tables/t} to a TableId; null if absent or not that shape. */
  private static TableId tableFromName(String name) {
    if (name == null) {
      return null;
    }
    String[] parts = name.split("/");
    if (parts.length == 6 && parts[2].equals("datasets") && parts[4].equals("tables")) {
      return tableId(parts[3], parts[5]);
    }
    return null;
  }

  private static TableId tableId(String dataset, String table) {
    try {
      return dataset == null || table == null ? null : new TableId(dataset, table);
    } catch (IllegalArgumentException e) {
      return null; // a table we could not have written: no destination of ours
    }
  }

  private static String segmentAfter(String name, String prefix) {
    if (!name.startsWith(prefix)) {
      return null;
    }
    int end = name.indexOf('/', prefix.length());
    return end < 0 ? name.substring(prefix.length()) : name.substring(prefix.length(), end);
  }

  private static JsonObject object(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : null;
  }

  private static List<String> strings(JsonObject o, String key) {
    List<String> out = new ArrayList<>();
    JsonElement e = o.get(key);
    if (e != null && e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
    }
    return out;
  }
}
