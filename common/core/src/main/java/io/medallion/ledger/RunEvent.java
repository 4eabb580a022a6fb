package io.medallion.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of the run ledger ({@code schemas/bigquery/ops/run_ledger.json}).
 *
 * <p>{@code eventId} is derived from what happened (run, stage, step), never random, so that a
 * redelivered event records nothing new: the ledger keeps the first row for an id.
 */
public record RunEvent(
    String eventId,
    String runId,
    String source,
    Stage stage,
    Status status,
    Long page,
    Long records,
    Long rows,
    Long rejects,
    Long bytes,
    String jobId,
    String objectUri,
    String error,
    String watermark,
    Instant recordedAt,
    String unknownFields,
    Long bytesProcessed,
    Long bytesBilled,
    Long slotMs,
    Long gcsBytesWritten,
    Long instanceMs) {

  public RunEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }

  /** The unknown-field counts as a map, by path; empty when there are none. */
  public java.util.Map<String, Long> unknownFieldCounts() {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    if (unknownFields != null && !unknownFields.isBlank()) {
      com.google.gson.JsonParser.parseString(unknownFields).getAsJsonObject().entrySet()
          .forEach(e -> counts.put(e.getKey(), e.getValue().getAsLong()));
    }
    return counts;
  }

  /** Starts an event whose id is {@code runId/stage/status[/discriminator]}. */
  public static Builder of(String runId, String source, Stage stage, Status status) {
    return new Builder(runId, source, stage, status);
  }

  /** Fluent construction; unset counts stay null (unknown), not zero. */
  public static final class Builder {
    private final String runId;
    private final String source;
    private final Stage stage;
    private final Status status;
    private String discriminator = "";
    private Long page;
    private Long records;
    private Long rows;
    private Long rejects;
    private Long bytes;
    private String jobId;
    private String objectUri;
    private String error;
    private String watermark;
    private String unknownFields;
    private Long bytesProcessed;
    private Long bytesBilled;
    private Long slotMs;
    private Long gcsBytesWritten;
    private Long instanceMs;

    private Builder(String runId, String source, Stage stage, Status status) {
      this.runId = runId;
      this.source = source;
      this.stage = stage;
      this.status = status;
    }

    /** Distinguishes events of the same run, stage and status (a page number, a job id). */
    public Builder key(String discriminator) {
      this.discriminator = discriminator;
      return this;
    }

    public Builder page(long page) {
      this.page = page;
      return this;
    }

    public Builder records(long records) {
      this.records = records;
      return this;
    }

    public Builder rows(long rows) {
      this.rows = rows;
      return this;
    }

    public Builder rejects(long rejects) {
      this.rejects = rejects;
      return this;
    }

    public Builder bytes(long bytes) {
      this.bytes = bytes;
      return this;
    }

    public Builder jobId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    public Builder objectUri(String objectUri) {
      this.objectUri = objectUri;
      return this;
    }

    public Builder error(String error) {
      this.error = error;
      return this;
    }

    /** An incremental resource's high-water mark (or, at a run's start, the value it reads from). */
    public Builder watermark(String watermark) {
      this.watermark = watermark;
      return this;
    }

    /**
     * Silver's count of the fields no column read, by path: kept as a JSON object ({@code
     * {"discount": 3210}}), none when empty.
     */
    public Builder unknownFields(java.util.Map<String, Long> counts) {
      if (counts.isEmpty()) {
        this.unknownFields = null;
      } else {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        new java.util.TreeMap<>(counts).forEach(o::addProperty);
        this.unknownFields = o.toString();
      }
      return this;
    }

    /**
     * What a warehouse job cost: the bytes it processed and the bytes billed for them (BigQuery's
     * job statistics; locally an estimate made the way BigQuery bills). Unset: unknown.
     */
    public Builder cost(Long bytesProcessed, Long bytesBilled) {
      this.bytesProcessed = bytesProcessed;
      this.bytesBilled = bytesBilled;
      return this;
    }

    /**
     * The slot time a warehouse job used, in ms (BigQuery's {@code totalSlotMs}; locally the
     * statement's measured wall time × 1 slot, an approximation). Unset: unknown.
     */
    public Builder slotMs(Long slotMs) {
      this.slotMs = slotMs;
      return this;
    }

    /** Bytes this step wrote to Cloud Storage (bronze pages, silver staging). Unset: none or unknown. */
    public Builder gcsBytesWritten(long bytes) {
      this.gcsBytesWritten = bytes;
      return this;
    }

    /**
     * The wall time, in ms, of the function invocation that recorded this event: what Cloud Run
     * bills as instance time (locally measured the same way). Unset: not an invocation's end.
     */
    public Builder instanceMs(long ms) {
      this.instanceMs = ms;
      return this;
    }

    public RunEvent at(Instant recordedAt) {
      String id = runId + "/" + stage.label() + "/" + status.label();
      if (!discriminator.isEmpty()) {
        id += "/" + discriminator;
      }
      return new RunEvent(
          id, runId, source, stage, status, page, records, rows, rejects, bytes, jobId, objectUri,
          error, watermark, recordedAt, unknownFields, bytesProcessed, bytesBilled, slotMs, gcsBytesWritten,
          instanceMs);
    }
  }
}
