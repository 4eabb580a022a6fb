package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The local pipeline a command works on: its own, started for the command and closed after it, or
 * the one {@code serve} runs, when the command was sent there (then left running).
 */
final class Workspace implements AutoCloseable {

  /** How long a run may stay silent, after a failure, before it counts as ended (emulator only). */
  static final Duration QUIET_AFTER_FAILURE = Duration.ofMinutes(2);

  private final LocalPipeline pipeline;
  private final ProgressLedger progress;
  private final boolean owned;
  private final boolean exactIdle;
  private final List<AutoCloseable> watches = new ArrayList<>();

  private Workspace(LocalPipeline pipeline, ProgressLedger progress, boolean owned, boolean exactIdle) {
    this.pipeline = pipeline;
    this.progress = progress;
    this.owned = owned;
    this.exactIdle = exactIdle;
  }

  /** Serve's pipeline when the command runs inside serve, else a new one on {@code config}. */
  static Workspace open(Main main, MedallionConfig config, SubscriptionPolicy policy) throws IOException {
    if (main.served().isPresent()) {
      ServedSession s = main.served().get();
      return new Workspace(s.pipeline(), s.progress(), false, s.exactIdle());
    }
    ProgressLedger[] progress = new ProgressLedger[1];
    LocalPipeline pipeline = new LocalPipeline(config, main.home(), policy,
        ledger -> progress[0] = new ProgressLedger(ledger, main.out()), Clock.systemUTC());
    return new Workspace(pipeline, progress[0], true, true);
  }

  LocalPipeline pipeline() {
    return pipeline;
  }

  /** Whether this is serve's pipeline, shared with whatever else serve is doing. */
  boolean shared() {
    return !owned;
  }

  /** Prints the progress of {@code runId} to the command's output (its own pipeline does already). */
  void follow(String runId, Main main) {
    follow(runId, main, false);
  }

  /**
   * As {@link #follow(String, Main)}, for a command that follows several runs at once: each line
   * then names its source.
   */
  void follow(String runId, Main main, boolean severalRuns) {
    if (!owned) {
      watches.add(progress.watch(runId, main.out(), severalRuns));
    } else if (severalRuns) {
      progress.nameSources();
    }
  }

  /**
   * Waits until the run has nothing more to do. On the command's own in-process bus, or serve's,
   * that is when every message is handled; on the Pub/Sub emulator, when the ledger says so.
   */
  boolean awaitRun(String runId, Duration timeout) throws InterruptedException, IOException {
    if (exactIdle) {
      return pipeline.awaitIdle(timeout);
    }
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (ended(pipeline.ledger().events(runId))) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /** Gold built and checked, silver or its load failed, or a failure followed by silence. */
  static boolean ended(List<RunEvent> events) {
    if (events.isEmpty()) {
      return false;
    }
    RunSummary s = RunSummary.of(events.get(0).runId(), events);
    if (s.gold() == Status.SUCCEEDED || s.silver() == Status.FAILED || s.load() == Status.FAILED) {
      return true;
    }
    // A drop whose bytes were loaded already, and a file whose dataset waits for its other files.
    if (events.stream().anyMatch(e -> e.status() == Status.IGNORED && e.error() != null
        && (e.stage() == Stage.SILVER || e.stage() == Stage.GOLD && e.objectUri() == null))) {
      return true;
    }
    boolean failed = events.stream().anyMatch(e -> e.status() == Status.FAILED && e.stage() == Stage.INGEST);
    return failed && s.lastEventAt().plus(QUIET_AFTER_FAILURE).isBefore(Instant.now());
  }

  @Override
  public void close() throws IOException {
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        // only stops printing
      }
    }
    if (owned) {
      pipeline.close();
    }
  }
}
