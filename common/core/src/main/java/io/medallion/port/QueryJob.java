package io.medallion.port;

import java.util.Map;

/**
 * A SQL statement run as a labelled job (gold models, a file source's replacement of a file's rows).
 *
 * @param jobId deterministic: a second query with the same id returns the first job, unrun
 * @param parameters values of the statement's {@code @name} placeholders: values never become SQL text
 */
public record QueryJob(String jobId, String sql, Map<String, String> labels, Map<String, Object> parameters) {

  public QueryJob {
    labels = Map.copyOf(labels);
    parameters = Map.copyOf(parameters);
    Labels.requireValid(labels);
    JobIds.requireValid(jobId);
  }

  /** A statement without parameters. */
  public QueryJob(String jobId, String sql, Map<String, String> labels) {
    this(jobId, sql, labels, Map.of());
  }
}
