package io.medallion.cli;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.RunLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Records to the real ledger and prints each stage's progress as it happens. */
final class ProgressLedger implements RunLedger {

  private final RunLedger delegate;
  private final PrintStream out;
  private final Set<String> printed = new HashSet<>();

  ProgressLedger(RunLedger delegate, PrintStream out) {
    this.delegate = delegate;
    this.out = out;
  }

  @Override
  public void record(RunEvent e) throws IOException {
    delegate.record(e);
    String line = describe(e);
    if (line != null) {
      synchronized (out) {
        // A redelivered event re-records the same id; the ledger keeps one row, so print one line.
        if (!printed.add(e.eventId() + "|" + line)) {
          return;
        }
        out.printf("  %-8s %s%n", e.stage() == Stage.SILVER_LOAD ? "load" : e.stage().label(), line);
      }
    }
  }

  private static String describe(RunEvent e) {
    if (e.status() == Status.FAILED) {
      return "FAILED " + (e.objectUri() == null ? "" : e.objectUri() + ": ") + e.error();
    }
    return switch (e.stage()) {
      case INGEST -> switch (e.status()) {
        case STARTED -> "started at page " + e.page();
        case CHECKPOINT -> e.page() % 10 == 0 || e.page() == 1 ? "page " + e.page() + ": " + e.records() + " records" : null;
        case SUCCEEDED -> "done: " + e.page() + " pages, " + e.records() + " records, " + Format.bytes(e.bytes()) + " in bronze";
        default -> null;
      };
      case SILVER -> e.status() == Status.SUCCEEDED
          ? "done: " + e.records() + " records -> " + e.rows() + " rows, " + e.rejects() + " rejects; load job " + e.jobId()
          : e.status() == Status.IGNORED && e.error() != null ? "not loaded: " + e.objectUri() + " is " + e.error() : null;
      case SILVER_LOAD -> e.status() == Status.SUCCEEDED ? "done: job " + e.jobId() + " completed" : null;
      case GOLD -> switch (e.status()) {
        case CHECKPOINT -> e.objectUri() + ": " + e.rows() + " rows";
        case SUCCEEDED -> "done";
        default -> null;
      };
      case DQ -> e.status() == Status.SUCCEEDED ? "all " + e.records() + " data-quality checks passed" : null;
    };
  }

  @Override
  public List<RunEvent> events(String runId) throws IOException {
    return delegate.events(runId);
  }

  @Override
  public List<String> recentRuns(int limit) throws IOException {
    return delegate.recentRuns(limit);
  }
}
