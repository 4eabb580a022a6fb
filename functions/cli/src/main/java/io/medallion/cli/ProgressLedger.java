package io.medallion.cli;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.RunLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Records to the real ledger and prints each stage's progress as it happens: one line per event,
 * a failure once however often it is retried. For {@code serve}, where many runs share the console,
 * each line names its run and its file, and {@code onRunEnded} hears when a run has nothing more
 * to do; a command sent to {@code serve} {@link #watch watches} the lines of its own run.
 */
final class ProgressLedger implements RunLedger {

  private final RunLedger delegate;
  private final PrintStream out;
  private final boolean namesRuns;
  private final UnaryOperator<String> where;
  private final Consumer<String> onRunEnded;
  private final Set<String> printed = new HashSet<>();
  private final Map<String, List<PrintStream>> watchers = new ConcurrentHashMap<>();
  /** Watchers that follow several runs at once: their lines name each one's source. */
  private final Set<PrintStream> severalRuns = ConcurrentHashMap.newKeySet();
  private volatile boolean namesSources;
  /** Per run until it ends: the pages read so far (by event id, so a redelivery counts once) and their records. */
  private final Map<String, PagesRead> pagesRead = new ConcurrentHashMap<>();

  private static final class PagesRead {
    final Set<String> events = new HashSet<>();
    long records;
  }

  /** Lines without run ids, for a command that follows one run. */
  ProgressLedger(RunLedger delegate, PrintStream out) {
    this(delegate, out, false, uri -> uri, runId -> {});
  }

  /**
   * @param namesRuns whether each line names its run (several runs share the console)
   * @param where how an object URI is shown (locally: its file)
   * @param onRunEnded hears the run id when a run ended: gold built, or silver or its load failed
   */
  ProgressLedger(RunLedger delegate, PrintStream out, boolean namesRuns, UnaryOperator<String> where,
      Consumer<String> onRunEnded) {
    this.delegate = delegate;
    this.out = out;
    this.namesRuns = namesRuns;
    this.where = where;
    this.onRunEnded = onRunEnded;
  }

  /**
   * Also prints the lines of {@code runId} to {@code to} until the returned handle is closed.
   *
   * @param severalRuns whether {@code to} follows other runs too: then each line names its source
   */
  AutoCloseable watch(String runId, PrintStream to, boolean severalRuns) {
    if (severalRuns) {
      this.severalRuns.add(to);
    }
    watchers.computeIfAbsent(runId, id -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(to);
    return () -> {
      watchers.getOrDefault(runId, List.of()).remove(to);
      if (watchers.values().stream().noneMatch(list -> list.contains(to))) {
        this.severalRuns.remove(to); // it follows none of its runs any more
      }
    };
  }

  /** From now on each line names its source: the command follows several runs at once. */
  void nameSources() {
    namesSources = true;
  }

  @Override
  public void record(RunEvent e) throws IOException {
    delegate.record(e);
    print(e);
  }

  @Override
  public void recordAll(List<RunEvent> events) throws IOException {
    delegate.recordAll(events);
    for (RunEvent e : events) {
      print(e);
    }
  }

  @Override
  public java.util.Optional<String> watermark(String source, String resource) throws IOException {
    return delegate.watermark(source, resource);
  }

  @Override
  public List<RunEvent> sourceEvents(String source, io.medallion.ledger.Stage stage, io.medallion.ledger.Status status,
      java.time.Instant since) throws IOException {
    return delegate.sourceEvents(source, stage, status, since);
  }

  private void print(RunEvent e) {
    String line = describe(e);
    if (line == null) {
      return;
    }
    // A redelivered event re-records the same id (the ledger keeps one row); a retried failure
    // records a new id with the same error: either way, one line.
    String once = e.status() == Status.FAILED
        ? e.runId() + "|" + e.stage() + "|" + e.error()
        : e.eventId() + "|" + line;
    synchronized (printed) {
      if (!printed.add(once)) {
        return;
      }
    }
    String stage = e.stage() == Stage.SILVER_LOAD ? "load" : e.stage().label();
    synchronized (out) {
      if (namesRuns) {
        out.printf("  %-8s %s  %s%n", stage, e.runId(), line);
      } else {
        out.print(line(stage, namesSources ? e.source() : null, line));
      }
    }
    for (PrintStream w : watchers.getOrDefault(e.runId(), List.of())) {
      synchronized (w) {
        w.print(line(stage, severalRuns.contains(w) ? e.source() : null, line));
      }
    }
    if (ended(e)) {
      // serve lives for days: a run's page count is not kept past its end.
      pagesRead.remove(e.runId());
      onRunEnded.accept(e.runId());
    }
  }

  private static String line(String stage, String source, String line) {
    return source == null ? String.format("  %-8s %s%n", stage, line) : String.format("  %-8s %-13s %s%n", stage, source, line);
  }

  /** The last event of a run: gold built, or silver (or its load) failed for good. */
  private static boolean ended(RunEvent e) {
    return (e.stage() == Stage.GOLD && e.status() == Status.SUCCEEDED)
        || (e.stage() == Stage.SILVER && (e.status() == Status.FAILED || e.status() == Status.IGNORED))
        || (e.stage() == Stage.SILVER_LOAD && e.status() == Status.FAILED);
  }

  /**
   * A page read: a line at the 1st, 10th, 20th ... 100th, 200th ... 1,000th, 2,000th ... page of
   * the run, counting every listing's pages together (a child resource read per parent has
   * thousands of one-page listings), so that a long run says it is alive in a few dozen lines.
   */
  private String readSoFar(RunEvent e) {
    if (e.records() == null) {
      return null;
    }
    PagesRead pages = pagesRead.computeIfAbsent(e.runId(), id -> new PagesRead());
    long records;
    int n;
    synchronized (pages) {
      if (!pages.events.add(e.eventId())) {
        return null;
      }
      n = pages.events.size();
      records = pages.records += e.records();
    }
    long step = n < 100 ? 10 : n < 1_000 ? 100 : 1_000;
    return n == 1 || n % step == 0 ? String.format("%,d page%s, %,d records so far", n, n == 1 ? "" : "s", records) : null;
  }

  private String describe(RunEvent e) {
    if (e.status() == Status.FAILED) {
      return "FAILED " + (e.objectUri() == null ? "" : where.apply(e.objectUri()) + ": ") + e.error();
    }
    return switch (e.stage()) {
      case INGEST -> switch (e.status()) {
        case STARTED -> "started at page " + e.page();
        case CHECKPOINT -> readSoFar(e);
        case SUCCEEDED -> "done: " + e.page() + " pages, " + e.records() + " records, " + Format.bytes(e.bytes()) + " in bronze";
        default -> null;
      };
      case SILVER -> switch (e.status()) {
        case SUCCEEDED -> (e.runId().startsWith("drop-") && e.objectUri() != null ? where.apply(e.objectUri()) + ": " : "")
            + "done: " + e.records() + " records -> " + e.rows() + " rows, " + e.rejects() + " rejects; load job " + e.jobId();
        case IGNORED -> e.error() == null ? null
            : (e.objectUri() == null ? "" : where.apply(e.objectUri()) + ": ") + "not loaded: " + e.error();
        default -> null;
      };
      case SILVER_LOAD -> e.status() == Status.SUCCEEDED ? "done: job " + e.jobId() + " completed" : null;
      case GOLD -> switch (e.status()) {
        case CHECKPOINT -> e.objectUri() + ": " + e.rows() + " rows";
        case SUCCEEDED -> "done";
        case IGNORED -> e.error();
        default -> null;
      };
      case ARCHIVE -> e.status() == Status.SUCCEEDED ? "archived as " + where.apply(e.objectUri()) : e.error();
      case DQ -> e.status() != Status.SUCCEEDED ? null
          : Long.valueOf(1).equals(e.records()) ? "the data-quality check passed"
          : "all " + e.records() + " data-quality checks passed";
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
