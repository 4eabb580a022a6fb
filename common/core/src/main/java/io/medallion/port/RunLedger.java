package io.medallion.port;

import io.medallion.ledger.RunEvent;
import java.io.IOException;
import java.util.List;

/**
 * Port to the run ledger: one table of run and stage events that {@code medallion status} reads
 * and resume relies on.
 */
public interface RunLedger {

  /** Appends {@code event} unless an event with its id exists (then nothing changes). */
  void record(RunEvent event) throws IOException;

  /**
   * Appends each event unless one with its id exists: what {@link #record} does, for many at once
   * (ingest records a page's checkpoint this way, in batches).
   */
  default void recordAll(java.util.List<RunEvent> events) throws IOException {
    for (RunEvent e : events) {
      record(e);
    }
  }

  /**
   * The high-water mark a source's resource reached in its newest run that succeeded (gold built,
   * no data-quality failure): where its next incremental run reads from. Empty before any.
   */
  java.util.Optional<String> watermark(String source, String resource) throws IOException;

  /**
   * The events of a source at one stage and status recorded at or after {@code since}, across
   * runs, oldest first: incremental gold reads with it which silver loads landed since a model last
   * consumed them, and what it consumed. (BigQuery: the table is partitioned by recorded_at.)
   */
  List<RunEvent> sourceEvents(String source, io.medallion.ledger.Stage stage, io.medallion.ledger.Status status,
      java.time.Instant since) throws IOException;

  /** Every event of a run, oldest first. */
  List<RunEvent> events(String runId) throws IOException;

  /** Ids of the most recent runs, newest first. */
  List<String> recentRuns(int limit) throws IOException;
}
