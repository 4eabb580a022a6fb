package io.medallion.ledger;

/** What happened at a stage. */
public enum Status {
  STARTED,
  /** Progress that a resume can continue from (an ingested page). */
  CHECKPOINT,
  SUCCEEDED,
  /** A permanent failure: recorded once, not retried. */
  FAILED,
  /** An event that needed no work (a page finalize, a query-job completion). */
  IGNORED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
