package io.medallion.event;

import io.medallion.port.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BigQuery job that reached DONE, as its audit-log entry tells it.
 *
 * @param jobType {@code IMPORT} for loads, {@code QUERY}, {@code COPY}, ... as the log names it
 * @param error the errorResult message, null when the job succeeded
 * @param destination the load's destination table, null when absent or not a load
 * @param created when BigQuery created the job ({@code jobStats.createTime}), null when absent
 * @param ended when the job ended ({@code jobStats.endTime}), null when absent
 */
public record JobCompletion(
    String projectId,
    String jobId,
    String jobType,
    String error,
    Map<String, String> labels,
    TableId destination,
    List<String> sourceUris,
    Instant created,
    Instant ended) {

  public JobCompletion {
    labels = Map.copyOf(labels);
    sourceUris = List.copyOf(sourceUris);
  }

  public boolean isLoad() {
    return "IMPORT".equals(jobType);
  }

  public boolean succeeded() {
    return error == null;
  }

  /**
   * How long the job took by its own timestamps, or empty when the entry lacks one. Read from the
   * entry because the job belongs to another identity: looking it up ({@code jobs.get}) would need
   * {@code bigquery.jobs.get} on every job in the project.
   */
  public Optional<Duration> duration() {
    return created == null || ended == null || ended.isBefore(created)
        ? Optional.empty()
        : Optional.of(Duration.between(created, ended));
  }
}
