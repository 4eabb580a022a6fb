package io.medallion.ledger;

/** A step of the pipeline, as the run ledger names it. */
public enum Stage {
  /** Pulling pages from the source into bronze. */
  INGEST,
  /** Typing bronze records into staging NDJSON and submitting the load job. */
  SILVER,
  /** The BigQuery load job itself, recorded when its completion event arrives. */
  SILVER_LOAD,
  /** Running the gold SQL models. */
  GOLD,
  /** The data-quality checks run after the gold models; failing rows fail the run. */
  DQ,
  /** A file source's file moved from its inbox to the archive, once its load was confirmed. */
  ARCHIVE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
