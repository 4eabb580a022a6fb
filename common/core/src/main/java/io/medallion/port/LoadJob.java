package io.medallion.port;

import io.medallion.schema.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * A load of newline-delimited JSON into a table, appending rows; the table is created from {@code
 * schema} if needed.
 *
 * @param jobId deterministic: a second load with the same id returns the first job
 */
public record LoadJob(
    String jobId,
    List<ObjectId> sources,
    TableId destination,
    TableSchema schema,
    Map<String, String> labels) {

  public LoadJob {
    sources = List.copyOf(sources);
    labels = Map.copyOf(labels);
    Labels.requireValid(labels);
    JobIds.requireValid(jobId);
  }
}
