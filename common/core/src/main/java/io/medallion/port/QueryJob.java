package io.medallion.port;

import java.util.Map;

/**
 * A SQL statement run as a labelled job (gold models).
 *
 * @param jobId deterministic: a second query with the same id returns the first job, unrun
 */
public record QueryJob(String jobId, String sql, Map<String, String> labels) {

  public QueryJob {
    labels = Map.copyOf(labels);
    Labels.requireValid(labels);
    JobIds.requireValid(jobId);
  }
}
