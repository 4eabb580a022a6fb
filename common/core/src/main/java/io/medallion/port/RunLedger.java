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

  /** Every event of a run, oldest first. */
  List<RunEvent> events(String runId) throws IOException;

  /** Ids of the most recent runs, newest first. */
  List<String> recentRuns(int limit) throws IOException;
}
