package io.medallion.port;

import io.medallion.schema.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * A load of newline-delimited JSON into a table, appending rows; the table is created from {@code
 * schema} if needed.
 *
 * @param jobId deterministic: a second load with the same id returns the first job
 * @param partitioning how the table is declared partitioned and clustered, or null when the caller
 *     does not say: a local warehouse creates the table so and expires its old partitions after the
 *     load; BigQuery's table is Terraform's, already partitioned so
 */
public record LoadJob(
    String jobId,
    List<ObjectId> sources,
    TableId destination,
    TableSchema schema,
    Map<String, String> labels,
    TablePartitioning partitioning) {

  public LoadJob {
    sources = List.copyOf(sources);
    labels = Map.copyOf(labels);
    Labels.requireValid(labels);
    JobIds.requireValid(jobId);
  }

  /** A load into a table whose partitioning the caller does not declare. */
  public LoadJob(String jobId, List<ObjectId> sources, TableId destination, TableSchema schema, Map<String, String> labels) {
    this(jobId, sources, destination, schema, labels, null);
  }
}
