package io.medallion.event;

import io.medallion.port.TableId;
import java.util.List;
import java.util.Map;

/**
 * A BigQuery job that reached DONE, as its audit-log entry tells it.
 *
 * @param jobType {@code IMPORT} for loads, {@code QUERY}, {@code COPY}, ... as the log names it
 * @param error the errorResult message, null when the job succeeded
 * @param destination the load's destination table, null when absent or not a load
 */
public record JobCompletion(
    String projectId,
    String jobId,
    String jobType,
    String error,
    Map<String, String> labels,
    TableId destination,
    List<String> sourceUris) {

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
}
