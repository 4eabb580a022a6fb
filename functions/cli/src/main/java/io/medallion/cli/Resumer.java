package io.medallion.cli;

import io.medallion.bronze.BronzeLayout;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.JobStatus;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import io.medallion.run.RunRequest;
import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Continues a run that stopped (a crash, a lost event): from the ledger and the objects it works
 * out the furthest step that finished and redelivers the one event that starts the next. Every
 * step is idempotent, so redelivering more than needed would also be safe; this just does the
 * least.
 */
final class Resumer {

  /** What resume did. */
  enum Action { INGEST_AGAIN, RECORD_INGEST, ANNOUNCE_MANIFEST, ANNOUNCE_LOAD_COMPLETION, NOTHING_TO_DO }

  private static final Pattern INGEST_DATE = Pattern.compile("/ingest_date=(\\d{4}-\\d{2}-\\d{2})/");

  private final LocalPipeline pipeline;

  Resumer(LocalPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** Redelivers what the run needs; returns what it did, in order. */
  List<Action> resume(String runId) throws IOException {
    List<RunEvent> events = pipeline.ledger().events(runId);
    if (events.isEmpty()) {
      throw new Main.UserError("no run " + runId + " in the ledger");
    }
    RunSummary s = RunSummary.of(runId, events);
    if (s.succeeded()) {
      return List.of(Action.NOTHING_TO_DO);
    }
    String source = s.source();
    Optional<LocalDate> date = events.stream().map(RunEvent::objectUri).filter(u -> u != null)
        .map(INGEST_DATE::matcher).filter(Matcher::find).map(m -> LocalDate.parse(m.group(1))).findFirst();
    String bronze = pipeline.config().bronzeBucket();
    Optional<StoredObject> manifest = date.isEmpty()
        ? Optional.empty()
        : pipeline.objects().stat(BronzeLayout.manifest(bronze, source, date.get(), runId));
    if (manifest.isEmpty()) {
      // Pages already in bronze are skipped; ingest continues at the first missing one.
      pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
          new RunRequest(source, runId, null, date.orElse(null)).toJson(), Map.of("trigger", "resume")));
      return List.of(Action.INGEST_AGAIN);
    }
    List<Action> actions = new java.util.ArrayList<>();
    if (s.ingest() != Status.SUCCEEDED) {
      // The manifest is there but its ledger event is not: ingest, redelivered, records it.
      pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
          new RunRequest(source, runId, null, date.get()).toJson(), Map.of("trigger", "resume")));
      actions.add(Action.RECORD_INGEST);
    }
    if (s.gold() == Status.SUCCEEDED) {
      return actions;
    }
    Optional<String> loadJob = events.stream()
        .filter(e -> e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && e.jobId() != null)
        .map(RunEvent::jobId).findFirst();
    Optional<JobStatus> job = loadJob.isEmpty() ? Optional.empty() : pipeline.warehouse().job(loadJob.get());
    if (job.isEmpty()) {
      // Silver never submitted its load (or never ran): its finalize event again.
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(manifest.get()));
      actions.add(Action.ANNOUNCE_MANIFEST);
      return actions;
    }
    // The load exists; its completion (or gold after it) was lost: the completion entry again.
    pipeline.publish(pipeline.config().bqJobsTopic(), OutboundMessage.json(
        AuditLogEntries.jobDone(pipeline.config().project(), job.get(), List.of(), LocalPipeline.LOCAL_PRINCIPAL),
        Map.of("trigger", "resume")));
    actions.add(Action.ANNOUNCE_LOAD_COMPLETION);
    return actions;
  }
}
