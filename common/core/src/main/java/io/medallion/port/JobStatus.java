package io.medallion.port;

import java.time.Instant;
import java.util.Map;

/**
 * A warehouse job as the warehouse reports it.
 *
 * @param error the {@code errorResult} message when the job failed, else null
 * @param destination the table a load job wrote, null for queries without one
 * @param outputRows rows written by a load job; -1 when unknown
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
    Instant ended) {

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

  public boolean succeeded() {
    return state == JobState.DONE && error == null;
  }
}
