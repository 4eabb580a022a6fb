package io.medallion.port;

import java.time.Instant;
import java.util.Map;

/**
 * A warehouse job as the warehouse reports it.
 *
 * @param error the {@code errorResult} message when the job failed, else null
 * @param destination the table a load job wrote, null for queries without one
 * @param outputRows rows written by a load job; -1 when unknown
 * @param bytesProcessed bytes a query job processed (BigQuery's statistics; locally an estimate
 *     made the way BigQuery counts them); null when unknown
 * @param bytesBilled bytes billed for them (on-demand minimums applied); null when unknown
 * @param slotMs slot time the job used, in ms (BigQuery's {@code statistics.totalSlotMs}; locally
 *     the statement's measured wall time × 1 slot, an approximation); null when unknown
 */
public record JobStatus(
    String jobId,
    JobType type,
    JobState state,
    String error,
    Map<String, String> labels,
    TableId destination,
    long outputRows,
    Instant created,
    Instant ended,
    Long bytesProcessed,
    Long bytesBilled,
    Long slotMs) {

  /** BigQuery's audit-log names: a load job is IMPORT. */
  public enum JobType {
    IMPORT,
    QUERY
  }

  public enum JobState {
    PENDING,
    RUNNING,
    DONE
  }

  public JobStatus {
    labels = Map.copyOf(labels);
  }

  /** A job whose cost is not known. */
  public JobStatus(
      String jobId, JobType type, JobState state, String error, Map<String, String> labels,
      TableId destination, long outputRows, Instant created, Instant ended) {
    this(jobId, type, state, error, labels, destination, outputRows, created, ended, null, null, null);
  }

  /** A job whose slot time is not known. */
  public JobStatus(
      String jobId, JobType type, JobState state, String error, Map<String, String> labels,
      TableId destination, long outputRows, Instant created, Instant ended, Long bytesProcessed, Long bytesBilled) {
    this(jobId, type, state, error, labels, destination, outputRows, created, ended, bytesProcessed, bytesBilled, null);
  }

  /** The same job with what it cost. */
  public JobStatus withCost(Long bytesProcessed, Long bytesBilled) {
    return new JobStatus(jobId, type, state, error, labels, destination, outputRows, created, ended, bytesProcessed, bytesBilled, slotMs);
  }

  /** The same job with the slot time it used. */
  public JobStatus withSlotMs(Long slotMs) {
    return new JobStatus(jobId, type, state, error, labels, destination, outputRows, created, ended, bytesProcessed, bytesBilled, slotMs);
  }

  public boolean succeeded() {
    return state == JobState.DONE && error == null;
  }
}
