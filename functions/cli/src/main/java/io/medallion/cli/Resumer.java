package io.medallion.cli;

import io.medallion.bronze.BronzeLayout;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.JobStatus;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.SourceOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continues a run that stopped (a crash, a lost event, a failure fixed since): from the ledger and
 * the objects it works out the furthest step that finished and redelivers the one event that
 * starts the next. Every step is idempotent, so redelivering more than needed would also be safe;
 * this just does the least.
 *
 * <p>A run reads only from its own source: an ingest run from the URL its ledger and bronze pages
 * recorded, a dropped-file run from its dropped object. When that cannot be had, resume refuses and
 * says why; it never substitutes a default.
 */
final class Resumer {

  /** What resume did. */
  enum Action {
    INGEST_AGAIN, RECORD_INGEST, ANNOUNCE_MANIFEST, ANNOUNCE_DROP, ANNOUNCE_REPLACED_DROP, ANNOUNCE_LOAD_COMPLETION,
    NOTHING_TO_DO
  }

  /**
   * What resume did, and the run to watch: the run itself, or for a dropped file replaced since
   * its failed run, the new version's own run.
   */
  record Result(List<Action> actions, String runId, String note) {}

  private static final Pattern INGEST_DATE = Pattern.compile("/ingest_date=(\\d{4}-\\d{2}-\\d{2})/");

  private final LocalPipeline pipeline;

  Resumer(LocalPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Redelivers what the run needs; returns what it did, in order. */
  Result resume(String runId) throws IOException {
    List<RunEvent> events = pipeline.ledger().events(runId);
    if (events.isEmpty()) {
      throw new Main.UserError("no run " + runId + " in the ledger");
    }
    RunSummary s = RunSummary.of(runId, events);
    if (s.succeeded()) {
      return new Result(List.of(Action.NOTHING_TO_DO), runId, null);
    }
    if (runId.startsWith("drop-")) {
      return resumeDrop(runId, s, events);
    }
    String source = s.source();
    URI origin = recordedOrigin(runId, events);
    Optional<LocalDate> date = events.stream().map(RunEvent::objectUri).filter(u -> u != null)
        .map(INGEST_DATE::matcher).filter(Matcher::find).map(m -> LocalDate.parse(m.group(1))).findFirst();
    String bronze = pipeline.config().bronzeBucket();
    Optional<StoredObject> manifest = date.isEmpty()
        ? Optional.empty()
        : pipeline.objects().stat(BronzeLayout.manifest(bronze, source, date.get(), runId));
    if (manifest.isEmpty()) {
      // Pages already in bronze are skipped; ingest continues at the first missing one.
      publishRequest(new RunRequest(source, runId, null, date.orElse(null), origin));
      return new Result(List.of(Action.INGEST_AGAIN), runId, "reads " + source + " from " + SourceOrigin.describe(origin));
    }
    List<Action> actions = new ArrayList<>();
    if (s.ingest() != Status.SUCCEEDED) {
      // The manifest is there but its ledger event is not: ingest, redelivered, records it.
      publishRequest(new RunRequest(source, runId, null, date.get(), origin));
      actions.add(Action.RECORD_INGEST);
    }
    if (s.gold() == Status.SUCCEEDED) {
      return new Result(actions, runId, null);
    }
    actions.add(continueAfterBronze(events, manifest.get()));
    return new Result(actions, runId, null);
  }

  /**
   * A dropped-file run re-reads its object: the same version when it is still there (the fault
   * was elsewhere: a silver bug, a load that failed), or, when a person replaced the file since,
   * the new version as its own run. A file that is gone cannot be re-read.
   */
  private Result resumeDrop(String runId, RunSummary s, List<RunEvent> events) throws IOException {
    RunEvent read = events.stream().filter(e -> e.stage() == Stage.SILVER && e.objectUri() != null).findFirst()
        .orElseThrow(() -> new Main.UserError("run " + runId + " recorded no dropped file to re-read"));
    ObjectId object;
    long generation;
    try {
      object = ObjectId.fromUri(read.objectUri());
      generation = Long.parseLong(read.eventId().substring(read.eventId().lastIndexOf('/') + 1));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("run " + runId + " recorded an unreadable object " + read.objectUri());
    }
    String where = pipeline.objects().path(object).toString();
    Optional<StoredObject> now = pipeline.objects().stat(object);
    if (now.isEmpty()) {
      throw new Main.UserError("run " + runId + " read the dropped file " + where
          + ", which is gone: there is nothing to re-read. Copy the corrected file in again; it loads as a new run.");
    }
    if (now.get().generation() != generation) {
      String newRun = RunIds.forDrop(object.bucket(), object.name(), now.get().generation());
      if (!pipeline.ledger().events(newRun).isEmpty()) {
        return new Result(List.of(Action.NOTHING_TO_DO), newRun,
            where + " was replaced since run " + runId + " read it; the new version is run " + newRun
                + " (./medallion status " + newRun + ")");
      }
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(now.get()));
      return new Result(List.of(Action.ANNOUNCE_REPLACED_DROP), newRun,
          where + " was replaced since run " + runId + " read it; the new version loads as run " + newRun);
    }
    if (s.silver() != Status.SUCCEEDED) {
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(now.get()));
      return new Result(List.of(Action.ANNOUNCE_DROP), runId, "re-reads " + where);
    }
    return new Result(List.of(continueAfterBronze(events, now.get())), runId, null);
  }

  /** Silver's trigger again when it never submitted its load; else the load's completion entry. */
  private Action continueAfterBronze(List<RunEvent> events, StoredObject trigger) throws IOException {
    Optional<String> loadJob = events.stream()
        .filter(e -> e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && e.jobId() != null)
        .map(RunEvent::jobId).findFirst();
    Optional<JobStatus> job = loadJob.isEmpty() ? Optional.empty() : pipeline.warehouse().job(loadJob.get());
    if (job.isEmpty()) {
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(trigger));
      return Action.ANNOUNCE_MANIFEST;
    }
    // The load exists; its completion (or gold after it) was lost: the completion entry again.
    pipeline.publish(pipeline.config().bqJobsTopic(), OutboundMessage.json(
        AuditLogEntries.jobDone(pipeline.config().project(), job.get(), List.of(), LocalPipeline.LOCAL_PRINCIPAL),
        Map.of("trigger", "resume")));
    return Action.ANNOUNCE_LOAD_COMPLETION;
  }

  /** Where the run read its source, as its first ingest event recorded it. */
  private static URI recordedOrigin(String runId, List<RunEvent> events) {
    for (RunEvent e : events) {
      if (e.stage() == Stage.INGEST && e.status() == Status.STARTED && e.objectUri() != null) {
        try {
          return new URI(e.objectUri());
        } catch (URISyntaxException bad) {
          throw new Main.UserError("run " + runId + " recorded an unreadable source URL " + e.objectUri());
        }
      }
    }
    throw new Main.UserError("run " + runId + " never started reading its source, so nothing records where it"
        + " reads from; resume reads only from a run's own source. Start a new run (./medallion run).");
  }

  private void publishRequest(RunRequest request) throws IOException {
    pipeline.publish(pipeline.config().runRequestsTopic(),
        OutboundMessage.json(request.toJson(), Map.of("trigger", "resume")));
  }
}
