package io.medallion.port;

import io.medallion.schema.SchemaDiff;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Port to the warehouse (BigQuery, or DuckDB locally).
 *
 * <p>Jobs carry deterministic ids: submitting an id that exists returns the existing job and does
 * nothing else. When a job ends, the warehouse emits its completion audit-log entry (on GCP through
 * the Cloud Logging sink; locally the adapter publishes the same LogEntry itself).
 *
 * <p>A load evolves its table to the job's schema where a load can ({@link SchemaDiff.Kind#ADDED}
 * columns and RECORD fields, {@link SchemaDiff.Kind#RELAXED} modes) and fails on anything else;
 * callers refuse a {@link SchemaDiff#breaking()} schema before submitting ({@link #schemaDiff}).
 */
public interface Warehouse {

  /** Submits a load job; it may or may not have finished when this returns. */
  JobStatus load(LoadJob job) throws IOException;

  /**
   * Runs a query job and waits for it to end.
   *
   * @return the DONE job, possibly with an error: the caller decides what a failure means
   */
  JobStatus query(QueryJob job) throws IOException;

  /**
   * The table's live schema, or empty when it does not exist. Columns come back as the warehouse
   * keeps them, which locally is not always as declared: compare with {@link #schemaDiff}.
   */
  Optional<TableSchema> tableSchema(TableId table) throws IOException;

  /**
   * What {@code declared} changes in {@code table}, or empty when the table does not exist yet.
   * The adapter compares as it stores: DuckDB keeps some declared types alike (DATETIME and
   * TIMESTAMP), which are then no change.
   */
  Optional<SchemaDiff> schemaDiff(TableId table, TableSchema declared) throws IOException;

  /**
   * Types a big CSV file in the warehouse, as silver's function would type it, into staging
   * objects the load job then loads; waits for it to end.
   *
   * @throws IOException also when the warehouse refused the file (then nothing was staged)
   */
  default TypingJob.Result typeFile(TypingJob job) throws IOException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not type files");
  }

  /** The job with this id, or empty. */
  Optional<JobStatus> job(String jobId) throws IOException;

  /**
   * Runs a read-only statement and returns its rows. {@code @name} placeholders are bound from
   * {@code parameters}; values are never concatenated into SQL.
   */
  QueryResult read(String sql, Map<String, Object> parameters) throws IOException;

  default QueryResult read(String sql) throws IOException {
    return read(sql, Map.of());
  }

  /**
   * Runs a read-only statement for the query API: at most {@code maximumBytesBilled} billed (a read
   * that would bill more throws {@link CostGuardExceeded} before any row is read), parameters bound
   * as in {@link #read}, and safe to call from many threads at once. NUMERIC values come back as
   * BigDecimal, exactly.
   */
  GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled) throws IOException;

  /**
   * When the table's data last changed (BigQuery's lastModifiedTime), or empty when it does not
   * exist. Locally, the latest write the warehouse knows of (coarser than one table, never later
   * than a change): what the query API's ETag and Last-Modified are made of.
   */
  Optional<java.time.Instant> lastModified(TableId table) throws IOException;
}
