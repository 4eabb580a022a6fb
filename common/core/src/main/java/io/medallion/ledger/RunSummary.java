package io.medallion.ledger;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the ledger says about one run: counts per layer, each stage's latest status, errors, where it
 * read its source ({@code origin}, or the {@code droppedObject} of a dropped file's run), and
 * whether bronze records = silver rows + rejects. A run whose every record silver rejected is no
 * success, and says so among its errors. {@code unknownFields} counts, by path, the records that
 * held fields no column reads.
 */
public record RunSummary(
    String runId,
    String source,
    Instant startedAt,
    Instant lastEventAt,
    Status ingest,
    long pages,
    long bronzeRecords,
    long bronzeBytes,
    Status silver,
    long silverRecords,
    long silverRows,
    long rejects,
    Status load,
    Status gold,
    long goldRows,
    Status dq,
    long dqFailingRows,
    List<String> errors,
    String origin,
    String droppedObject,
    Map<String, Long> unknownFields) {

  public static RunSummary of(String runId, List<RunEvent> events) {
    String source = null;
    Instant started = null;
    Instant last = null;
    Status ingest = null;
    Status silver = null;
    Status load = null;
    Status gold = null;
    long pages = 0;
    long bronze = 0;
    long bytes = 0;
    long silverRecords = 0;
    long rows = 0;
    long rejects = 0;
    long goldRows = 0;
    Status dq = null;
    long dqFailing = 0;
    List<String> errors = new ArrayList<>();
    String origin = null;
    String dropped = null;
    Map<String, Long> unknown = new TreeMap<>();
    for (RunEvent e : events) {
      source = source == null ? e.source() : source;
      started = started == null || e.recordedAt().isBefore(started) ? e.recordedAt() : started;
      last = last == null || e.recordedAt().isAfter(last) ? e.recordedAt() : last;
      if (e.status() == Status.FAILED && e.error() != null) {
        String error = e.stage().label() + ": " + e.error();
        if (!errors.contains(error)) {
          errors.add(error); // a retried failure is one error, not one per attempt
        }
      }
      switch (e.stage()) {
        case INGEST -> {
          ingest = merge(ingest, e.status());
          if (e.status() == Status.STARTED && origin == null) {
            origin = e.objectUri();
          }
          if (e.status() == Status.SUCCEEDED) {
            pages = n(e.page());
            bronze = n(e.records());
            bytes = n(e.bytes());
          }
        }
        case SILVER -> {
          silver = merge(silver, e.status());
          if (dropped == null && runId.startsWith(DROP_PREFIX)) {
            dropped = e.objectUri();
          }
          if (e.status() == Status.SUCCEEDED) {
            silverRecords += n(e.records());
            rows += n(e.rows());
            rejects += n(e.rejects());
            e.unknownFieldCounts().forEach((field, count) -> unknown.merge(field, count, Long::sum));
          }
        }
        case SILVER_LOAD -> load = merge(load, e.status());
        case GOLD -> {
          gold = merge(gold, e.status());
          if (e.status() == Status.SUCCEEDED) {
            goldRows = n(e.rows());
          }
        }
        case DQ -> {
          // Each gold build is checked once; the latest verdict is the run's.
          dq = e.status();
          dqFailing = e.status() == Status.FAILED ? n(e.rows()) : 0;
        }
      }
    }
    if (everyRecordRejected(silver, rows, rejects)) {
      errors.add(Stage.SILVER.label() + ": every record was rejected (" + rejects + " rejects)");
    }
    return new RunSummary(
        runId, source, started, last, ingest, pages, bronze, bytes, silver, silverRecords, rows, rejects,
        load, gold, goldRows, dq, dqFailing, List.copyOf(errors), origin, dropped, Collections.unmodifiableMap(unknown));
  }

  /** Run ids of files dropped into bronze start with it. */
  public static final String DROP_PREFIX = "drop-";

  /**
   * Run ids of a stream source's scheduled gold builds start with it: a Pub/Sub BigQuery
   * subscription wrote silver row by row, so such a run has no ingest, silver step or load job.
   */
  public static final String STREAM_PREFIX = "stream-";

  /** A scheduled gold build of a stream source: gold and its checks are the whole run. */
  public boolean isStreamBuild() {
    return runId.startsWith(STREAM_PREFIX);
  }

  /** Run ids of backfills ({@code medallion backfill}) start with it: a gold build over silver, no ingest. */
  public static final String BACKFILL_PREFIX = "backfill-";

  /** A backfill: gold rebuilt from silver for a date range or a full refresh; gold and its checks are the whole run. */
  public boolean isBackfill() {
    return runId.startsWith(BACKFILL_PREFIX);
  }

  /** A run of a file dropped into bronze rather than of an ingest. */
  public boolean isDrop() {
    return runId.startsWith(DROP_PREFIX);
  }

  /** The records the run's source held: bronze's count, or for a dropped file what silver read. */
  public long sourceRecords() {
    return isDrop() ? silverRecords : bronzeRecords;
  }

  /**
   * Where the run stands: {@code succeeded}; {@code ignored} for a dropped file silver did not
   * load (the same bytes were loaded before); {@code failed} when a stage failed or a data-quality
   * check did (it may still be retried); {@code incomplete} when it has not finished (running, or
   * stopped: {@code medallion resume} finishes it).
   */
  public String state() {
    if (succeeded()) {
      return "succeeded";
    }
    if (silver == Status.IGNORED && errors.isEmpty()) {
      return "ignored";
    }
    return errors.isEmpty() && dq != Status.FAILED ? "incomplete" : "failed";
  }

  /** A stage that succeeded stays succeeded; otherwise a failure outranks progress. */
  private static Status merge(Status current, Status next) {
    if (current == Status.SUCCEEDED || next == Status.SUCCEEDED) {
      return Status.SUCCEEDED;
    }
    if (current == Status.FAILED || next == Status.FAILED) {
      return Status.FAILED;
    }
    return next == Status.IGNORED && current != null ? current : next;
  }

  private static long n(Long v) {
    return v == null ? 0 : v;
  }

  /**
   * Silver read records and kept none: the stages may all have "succeeded", but such a run loaded
   * nothing, which is what a file in the wrong shape or a source that changed its format looks
   * like.
   */
  private static boolean everyRecordRejected(Status silver, long rows, long rejects) {
    return silver == Status.SUCCEEDED && rows == 0 && rejects > 0;
  }

  /**
   * Every stage finished successfully, every data-quality check passed, and silver kept at least
   * one record of those it read.
   */
  public boolean succeeded() {
    if (isStreamBuild() || isBackfill()) {
      return gold == Status.SUCCEEDED && dq == Status.SUCCEEDED;
    }
    boolean bronzeOk = ingest == Status.SUCCEEDED || isDrop();
    return bronzeOk && silver == Status.SUCCEEDED && load == Status.SUCCEEDED && gold == Status.SUCCEEDED
        && dq == Status.SUCCEEDED && !everyRecordRejected(silver, silverRows, rejects);
  }

  /**
   * Bronze records = silver rows + rejects. A dropped file has no manifest, so its bronze count is
   * what silver read.
   */
  public boolean reconciled() {
    if (silver != Status.SUCCEEDED) {
      return true; // nothing to compare yet
    }
    long expected = sourceRecords();
    return expected == silverRows + rejects && silverRecords == silverRows + rejects;
  }
}
