package io.medallion.gold;

import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.JobCompletion;
import io.medallion.event.PubSubMessage;
import io.medallion.ledger.RunEvent;
import io.medallion.logging.LogContext;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.JobIds;
import io.medallion.port.JobStatus;
import io.medallion.port.Labels;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Gold: on a silver load job's completion entry, runs the source's SQL models in order, each as a
 * labelled query job.
 *
 * <p>Only DONE {@code IMPORT} jobs labelled {@code pipeline=medallion, layer=silver} start work;
 * everything else (its own QUERY jobs included) is acknowledged untouched, so gold never loops.
 * Query job ids derive from the load job id: a redelivered completion re-runs nothing that
 * succeeded.
 */
public final class GoldStep {

  private static final Logger LOG = Logger.getLogger(GoldStep.class.getName());

  /** How many failed attempts of one model are retried with a fresh job id. */
  static final int MAX_MODEL_ATTEMPTS = 5;

  /** What happened to an entry. */
  public enum Outcome {
    BUILT,
    IGNORED,
    LOAD_FAILED
  }

  private final MedallionConfig config;
  private final Ports ports;
  private final SourceRegistry sources;
  private final Clock clock;

  public GoldStep(MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock) {
    this.config = config;
    this.ports = ports;
    this.sources = sources;
    this.clock = clock;
  }

  public Outcome handle(PubSubMessage message) throws IOException {
    Optional<JobCompletion> completion;
    try {
      completion = AuditLogEntries.decode(message.data());
    } catch (InvalidEventException e) {
      LOG.severe(() -> "gold: message " + message.messageId() + " rejected: " + e.getMessage());
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "gold", message, e.getMessage());
      return Outcome.IGNORED;
    }
    if (completion.isEmpty() || !isOurSilverLoad(completion.get())) {
      LOG.fine(() -> "gold: ignoring " + completion.map(c -> c.jobType() + " job " + c.jobId()).orElse("a non-completion entry"));
      return Outcome.IGNORED;
    }
    JobCompletion load = completion.get();
    String runId = load.labels().get("run_id");
    Optional<Source> source = sources.find(load.labels().get("source"));
    if (source.isEmpty() || runId == null) {
      String reason = "load job " + load.jobId() + " has labels " + load.labels()
          + ": no registered source or no run_id";
      LOG.severe(() -> "gold: " + reason);
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "gold", message, reason);
      return Outcome.IGNORED;
    }
    String sourceName = source.get().name();
    LogContext.run(runId, sourceName);
    if (!load.succeeded()) {
      ports.ledger().record(
          RunEvent.of(runId, sourceName, Stage.SILVER_LOAD, Status.FAILED)
              .key(load.jobId())
              .jobId(load.jobId())
              .error(load.error())
              .at(clock.instant()));
      LOG.severe(() -> "gold: silver load " + load.jobId() + " of run " + runId + " failed: " + load.error());
      return Outcome.LOAD_FAILED;
    }
    ports.ledger().record(
        RunEvent.of(runId, sourceName, Stage.SILVER_LOAD, Status.SUCCEEDED)
            .key(load.jobId())
            .jobId(load.jobId())
            .at(clock.instant()));
    long rows = 0;
    for (GoldModels.Model model : GoldModels.forSource(source.get(), config.silverDataset(), config.goldDataset())) {
      JobStatus job = runModel(model, load.jobId(), sourceName, runId);
      long modelRows = ((Number) ports.warehouse().read("select count(*) from " + model.table().sql()).scalar()).longValue();
      rows += modelRows;
      ports.ledger().record(
          RunEvent.of(runId, sourceName, Stage.GOLD, Status.CHECKPOINT)
              .key(load.jobId() + "/" + model.name())
              .rows(modelRows)
              .jobId(job.jobId())
              .objectUri(model.table().sql())
              .at(clock.instant()));
    }
    ports.ledger().record(
        RunEvent.of(runId, sourceName, Stage.GOLD, Status.SUCCEEDED)
            .key(load.jobId())
            .rows(rows)
            .jobId(load.jobId())
            .at(clock.instant()));
    long total = rows;
    LOG.info(() -> "gold " + runId + ": " + source.get().goldModels().size() + " models, " + total + " rows");
    return Outcome.BUILT;
  }

  private static boolean isOurSilverLoad(JobCompletion c) {
    return c.isLoad() && Labels.PIPELINE_NAME.equals(c.labels().get(Labels.PIPELINE))
        && "silver".equals(c.labels().get(Labels.LAYER));
  }

  /**
   * Runs a model once per load. An id that already succeeded is not run again; an id that failed
   * is retried under the next attempt id, so a transient failure does not block the model forever.
   */
  private JobStatus runModel(GoldModels.Model model, String loadJobId, String source, String runId) throws IOException {
    String base = JobIds.derive("medallion_gold_" + model.name(), loadJobId);
    Map<String, String> labels =
        Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "gold", "source", source, "run_id", runId,
            "model", model.name());
    String lastError = null;
    for (int attempt = 0; attempt < MAX_MODEL_ATTEMPTS; attempt++) {
      String jobId = attempt == 0 ? base : base + "_r" + attempt;
      Optional<JobStatus> existing = ports.warehouse().job(jobId);
      JobStatus job =
          existing.isPresent() ? existing.get() : ports.warehouse().query(new QueryJob(jobId, model.sql(), labels));
      if (job.succeeded()) {
        return job;
      }
      if (existing.isEmpty()) {
        lastError = job.error();
        ports.ledger().record(
            RunEvent.of(runId, source, Stage.GOLD, Status.FAILED)
                .key(jobId)
                .jobId(jobId)
                .objectUri(model.table().sql())
                .error(job.error())
                .at(clock.instant()));
        // Throwing makes the bus redeliver; the next delivery tries the next attempt id.
        throw new IOException("Gold model " + model.name() + " failed in job " + jobId + ": " + job.error());
      }
      lastError = job.error();
    }
    throw new IOException(
        "Gold model " + model.name() + " failed " + MAX_MODEL_ATTEMPTS + " times; last error: " + lastError);
  }
}
