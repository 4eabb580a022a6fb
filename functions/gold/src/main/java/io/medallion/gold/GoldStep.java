package io.medallion.gold;

import io.medallion.bronze.FileLifecycle;
import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.JobCompletion;
import io.medallion.event.PubSubMessage;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.logging.LogContext;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.metrics.Metrics;
import io.medallion.port.JobIds;
import io.medallion.port.JobStatus;
import io.medallion.port.Labels;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
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

  /** Starts the ERROR line of a failed data-quality verdict (a log-based metric counts it). */
  static final String DQ_FAILED = "data-quality checks failed";

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
    this.lineage = new io.medallion.lineage.StepLineage(config, ports, sources);
  }

  private final io.medallion.lineage.StepLineage lineage;

  /** The meters this step records into; its function flushes them after every event. */
  public Metrics metrics() {
    return ports.metrics();
  }

  /**
   * The attribute that makes a message a request rather than a completion entry; its value {@link
   * #GOLD_SCHEDULE} asks for a scheduled build of a stream source (Cloud Scheduler publishes it on
   * the source's schedule to the gold-schedule topic; locally serve's cron and {@code medallion run}).
   */
  public static final String REQUEST_ATTRIBUTE = "medallion_request";
  /** See {@link #REQUEST_ATTRIBUTE}. */
  public static final String GOLD_SCHEDULE = "gold_schedule";
  /** Run ids of scheduled gold builds start with it: runs with no ingest, silver step or load job. */
  public static final String SCHEDULED_RUN_PREFIX = io.medallion.ledger.RunSummary.STREAM_PREFIX;

  private static final java.time.format.DateTimeFormatter TICK =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss").withZone(java.time.ZoneOffset.UTC);

  public Outcome handle(PubSubMessage message) throws IOException {
    if (GOLD_SCHEDULE.equals(message.attributes().get(REQUEST_ATTRIBUTE))) {
      return onSchedule(message);
    }
    if (BackfillRequest.ATTRIBUTE_VALUE.equals(message.attributes().get(REQUEST_ATTRIBUTE))) {
      return onBackfill(message);
    }
    Optional<JobCompletion> completion;
    try {
      completion = AuditLogEntries.decode(message.data());
    } catch (InvalidEventException e) {
      LOG.severe(() -> "gold: message " + message.messageId() + " rejected: " + e.getMessage());
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "gold", message, e.getMessage());
      ports.metrics().deadLetter("gold", null);
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
      ports.metrics().deadLetter("gold", load.labels().get("source"));
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
    // A source with several resources loads a table per resource: gold runs once all of the
    // run's loads are in, under an id derived from all of them (so whichever completion comes
    // last, and any redelivery, builds the same jobs once).
    Optional<String> build = buildId(runId, load.jobId());
    if (build.isEmpty()) {
      LOG.info(() -> "gold " + runId + ": load " + load.jobId() + " is in; waiting for the run's other loads");
      return Outcome.IGNORED;
    }
    String buildId = build.get();
    Set<String> skipped = new HashSet<>();
    if (source.get().isFileSource()) {
      Map<String, String> waiting = afterFileLoad(source.get(), runId, buildId);
      skipped.addAll(waiting.keySet());
      for (Map.Entry<String, String> w : waiting.entrySet()) {
        // One note per model that does not run: the model's table names it (a note without one
        // says that nothing ran).
        ports.ledger().record(RunEvent.of(runId, sourceName, Stage.GOLD, Status.IGNORED).key(buildId + "/" + w.getKey())
            .objectUri(new TableId(config.goldDataset(source.get()), w.getKey()).sql()).error(w.getValue()).at(clock.instant()));
      }
      if (skipped.containsAll(source.get().goldModels())) {
        String note = String.join("; ", waiting.values());
        ports.ledger().record(
            RunEvent.of(runId, sourceName, Stage.GOLD, Status.IGNORED).key(buildId).jobId(buildId).error(note).at(clock.instant()));
        LOG.info(() -> "gold " + runId + ": no model to run: " + note);
        return Outcome.IGNORED;
      }
    }
    Built built = build(source.get(), runId, buildId, skipped);
    if (built.ranNow()) {
      // Once per build, not per redelivery: only a delivery that ran a model counts the run.
      recordRunMetrics(sourceName, runId, load);
    }
    LOG.info(() -> "gold " + runId + ": " + source.get().goldModels().size() + " models, " + built.rows() + " rows");
    return Outcome.BUILT;
  }

  /**
   * A scheduled build of a stream source: its silver table is written row by row by a Pub/Sub
   * BigQuery subscription, so no load job completes to start gold; the schedule does. The run id
   * is the request's, or derived from the message's publish time, so a redelivered request
   * builds under the same job ids and runs nothing twice.
   */
  private Outcome onSchedule(PubSubMessage message) throws IOException {
    String sourceName;
    String requested;
    try {
      com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(
          new String(message.data(), java.nio.charset.StandardCharsets.UTF_8)).getAsJsonObject();
      sourceName = o.has("source") && !o.get("source").isJsonNull() ? o.get("source").getAsString() : null;
      requested = o.has("run_id") && !o.get("run_id").isJsonNull() ? o.get("run_id").getAsString() : null;
    } catch (RuntimeException e) {
      sourceName = null;
      requested = null;
    }
    Optional<Source> source = sourceName == null ? Optional.empty() : sources.find(sourceName);
    String why = sourceName == null ? "a gold schedule request is {\"source\": NAME}: this one names no source"
        : source.isEmpty() ? "no source '" + sourceName + "'"
        : !source.get().streams() ? "source " + sourceName + " does not stream: its gold runs when its loads complete"
        : requested != null && !requested.matches("[a-z0-9][a-z0-9_-]{0,62}") ? "run_id '" + requested
            + "' is not lowercase letters, digits, _ and -, at most 63 characters"
        : null;
    if (why != null) {
      LOG.severe(() -> "gold: schedule request " + message.messageId() + " rejected: " + why);
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "gold", message, why);
      ports.metrics().deadLetter("gold", sourceName);
      return Outcome.IGNORED;
    }
    String name = source.get().name();
    String runId = requested != null ? requested : scheduledRunId(name, message.publishTime());
    LogContext.run(runId, name);
    String buildId = JobIds.derive("medallion_gold_schedule", name, runId);
    ports.ledger().record(RunEvent.of(runId, name, Stage.GOLD, Status.STARTED).key(buildId)
        .objectUri(new TableId(config.silverDataset(source.get()), source.get().silverTable()).sql()).at(clock.instant()));
    Built built = build(source.get(), runId, buildId, Set.of());
    if (built.ranNow()) {
      RunSummary summary = RunSummary.of(runId, ports.ledger().events(runId));
      if (summary.startedAt() != null) {
        ports.metrics().runLatency(name, Duration.between(summary.startedAt(), clock.instant()));
      }
    }
    LOG.info(() -> "gold " + runId + " (scheduled): " + source.get().goldModels().size() + " models, " + built.rows() + " rows");
    return Outcome.BUILT;
  }

  /**
   * A backfill ({@link BackfillRequest}): the source's build with its incremental models reading
   * the requested silver window (or rebuilt whole, as asked), as the run the request names. A
   * request that cannot run is kept in the dead letters with why, before anything is written.
   */
  private Outcome onBackfill(PubSubMessage message) throws IOException {
    BackfillRequest request;
    String why;
    try {
      request = BackfillRequest.parse(new String(message.data(), java.nio.charset.StandardCharsets.UTF_8));
      why = request.problem(sources, clock.instant()).orElse(null);
    } catch (IllegalArgumentException e) {
      request = null;
      why = e.getMessage();
    }
    if (why != null) {
      String reason = why;
      LOG.severe(() -> "gold: backfill request " + message.messageId() + " rejected: " + reason);
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "gold", message, reason);
      ports.metrics().deadLetter("gold", request == null ? null : request.source());
      return Outcome.IGNORED;
    }
    BackfillRequest asked = request;
    Source source = sources.find(asked.source()).orElseThrow();
    String runId = asked.runId();
    LogContext.run(runId, source.name());
    String buildId = JobIds.derive("medallion_gold_backfill", source.name(), runId);
    String range = asked.hasRange() ? "silver ingested " + asked.from() + " to " + asked.to() : "no range";
    ports.ledger().record(RunEvent.of(runId, source.name(), Stage.GOLD, Status.STARTED).key(buildId)
        .objectUri(new TableId(config.silverDataset(source), source.silverTable()).sql())
        .watermark(asked.toJson()).at(clock.instant()));
    Built built = build(source, runId, buildId, Set.of(),
        asked.hasRange() ? Optional.of(asked.window()) : Optional.empty(), Set.copyOf(asked.fullRefresh()));
    LOG.info(() -> "gold " + runId + " (backfill of " + source.name() + ", " + range + ", full refresh " + asked.fullRefresh()
        + "): " + built.rows() + " rows");
    return Outcome.BUILT;
  }

  /** {@code stream-<source>-<yyyyMMdd't'HHmmss>} of a schedule tick, at most 63 characters. */
  static String scheduledRunId(String source, java.time.Instant tick) {
    String stamp = "-" + TICK.format(tick);
    String name = source.replace('_', '-');
    int room = 63 - SCHEDULED_RUN_PREFIX.length() - stamp.length();
    return SCHEDULED_RUN_PREFIX + (name.length() > room ? name.substring(0, room) : name) + stamp;
  }

  /** What a build made: the gold rows, and whether this delivery ran any model (false: an earlier one did). */
  record Built(long rows, boolean ranNow, boolean succeeded) {}

  /** Runs the source's models (but {@code skipped}) and its checks, and records the build in the ledger. */
  private Built build(Source source, String runId, String buildId, Set<String> skipped) throws IOException {
    return build(source, runId, buildId, skipped, Optional.empty(), Set.of());
  }

  /**
   * The build: each model as its materialization says, then the checks.
   *
   * @param backfill the silver window the incremental models read instead of what they have not
   *     consumed (a backfill); snapshots then rebuild whole
   * @param fullRefresh models rebuilt whole from silver whatever their materialization
   */
  Built build(Source source, String runId, String buildId, Set<String> skipped, Optional<Window> backfill,
      Set<String> fullRefresh) throws IOException {
    // The build's wall time, the bulk of the invocation's: measured, never from the (maybe simulated) clock.
    long startedNanos = System.nanoTime();
    String sourceName = source.name();
    long rows = 0;
    boolean builtNow = false;
    Instant asOf = clock.instant();
    Optional<io.medallion.lineage.ModelLineage> columns = modelLineage(source);
    for (GoldModels.Model model : GoldModels.forSource(source, config.silverDataset(source), config.goldDataset(source))) {
      if (skipped.contains(model.name())) {
        continue;
      }
      Map<String, String> labels = labels(sourceName, runId, "gold", "model", model.name());
      String lineageJob = io.medallion.lineage.StepLineage.goldJob(sourceName, model.name());
      java.util.function.Consumer<io.medallion.lineage.OpenLineage.RunEvent> datasets = modelDatasets(source, model, columns);
      // START and FAIL name the table; COMPLETE adds its row count and column lineage.
      java.util.function.Consumer<io.medallion.lineage.OpenLineage.RunEvent> building =
          datasets.andThen(ev -> ev.output(lineage.goldTable(source, model.name())));
      lineage.emit(io.medallion.lineage.OpenLineage.EventType.START, clock.instant(), source, runId, lineageJob, building);
      Job job;
      Window window = null;
      long modelRows;
      try {
        if (model.kind() == Source.Materialization.Kind.TABLE) {
          job = runJob("Gold model " + model.name(), "medallion_gold_" + model.name(), buildId, runId, sourceName,
              model.table().sql(), labels, jobId -> model.sql(),
              GoldModels.parametersOf(model.sql(), Map.of("run_id", runId, "as_of", asOf)));
        } else {
          window = plan(source, model, runId, buildId, backfill, fullRefresh.contains(model.name()));
          Optional<Job> merged = buildIncrementally(source, model, runId, buildId, window, labels, asOf);
          if (merged.isEmpty()) {
            lineage.fail(clock.instant(), source, runId, lineageJob,
                "the incremental build of " + model.name() + " was refused (the run ledger says why)", null, building);
            return new Built(rows, builtNow, false); // refused: recorded, and the build stops before any later model
          }
          job = merged.get();
        }
        modelRows = ((Number) ports.warehouse().read("select count(*) from " + model.table().sql()).scalar()).longValue();
      } catch (IOException | RuntimeException e) {
        lineage.fail(clock.instant(), source, runId, lineageJob, e.getMessage(), e, building);
        throw e;
      }
      long built = modelRows;
      lineage.emit(io.medallion.lineage.OpenLineage.EventType.COMPLETE, clock.instant(), source, runId, lineageJob,
          datasets.andThen(ev -> ev.output(withColumns(lineage.goldTable(source, model.name()), source,
                  columns.flatMap(c -> c.model(model.name())))
              .with("outputStatistics", io.medallion.lineage.OpenLineage.outputStatistics(built, null, null)))));
      rows += modelRows;
      if (job.ranNow()) {
        builtNow = true;
        ports.metrics().records("gold", sourceName, modelRows);
      }
      RunEvent.Builder checkpoint = RunEvent.of(runId, sourceName, Stage.GOLD, Status.CHECKPOINT)
          .key(buildId + "/" + model.name())
          .rows(modelRows)
          .jobId(job.status().jobId())
          .objectUri(model.table().sql())
          .cost(job.processed(), job.billed())
          .slotMs(job.slotMs());
      if (window != null && window.through() != null) {
        // What the model has consumed: the next build reads the loads recorded after it.
        checkpoint.watermark(window.through().toString());
      }
      ports.ledger().record(checkpoint.at(clock.instant()));
    }
    checkQuality(source, runId, buildId);
    Instant succeededAt = clock.instant();
    ports.ledger().record(
        RunEvent.of(runId, sourceName, Stage.GOLD, Status.SUCCEEDED)
            .key(buildId)
            .rows(rows)
            .jobId(buildId)
            .instanceMs(java.time.Duration.ofNanos(System.nanoTime() - startedNanos).toMillis())
            .at(succeededAt));
    if (builtNow) {
      countFreshness(source, succeededAt);
      rollUpCost(source, runId, buildId);
    }
    return new Built(rows, builtNow, true);
  }

  /**
   * How far back the next build re-reads loads recorded before the last one it consumed: a load
   * recorded just before a build planned, but not yet visible to it, is read by the next one.
   * Merging a load twice changes nothing (the MERGE is keyed, newest wins).
   */
  static final Duration REREAD = Duration.ofMinutes(15);

  /**
   * The source's {@code sql/<source>/lineage.json} (ZetaSQL's column lineage of its models); empty,
   * with a warning, when it is missing or unreadable: the events then carry no column lineage.
   */
  private Optional<io.medallion.lineage.ModelLineage> modelLineage(Source source) {
    String path = io.medallion.lineage.ModelLineage.path(source.name());
    try {
      Optional<String> text = source.files().read(path);
      if (text.isEmpty()) {
        LOG.warning(() -> "gold: " + source.files().describe(path) + " is missing: lineage events of " + source.name()
            + " carry no column lineage (GoldLineageIsCurrentTest writes it)");
      }
      return text.map(t -> io.medallion.lineage.ModelLineage.parse(t, path));
    } catch (RuntimeException e) {
      LOG.warning(() -> "gold: " + e.getMessage() + ": lineage events of " + source.name() + " carry no column lineage");
      return Optional.empty();
    }
  }

  /**
   * What every event of a model's run names: the tables it reads (from the lineage file) and its SQL.
   */
  private java.util.function.Consumer<io.medallion.lineage.OpenLineage.RunEvent> modelDatasets(
      Source source, GoldModels.Model model, Optional<io.medallion.lineage.ModelLineage> columns) {
    return ev -> {
      ev.jobFacet("sql", io.medallion.lineage.OpenLineage.sql(model.sql()));
      Optional<io.medallion.lineage.ModelLineage.Model> m = columns.flatMap(c -> c.model(model.name()));
      if (m.isEmpty()) {
        return; // no lineage file (or the model is missing from it): the COMPLETE output says the table alone
      }
      for (io.medallion.lineage.ModelLineage.Table t : m.get().inputs()) {
        ev.input(lineage.table(source, t.layer(), t.table()));
      }
    };
  }

  /** The gold table's column lineage facet, from the lineage file's model (if any). */
  io.medallion.lineage.OpenLineage.Dataset withColumns(io.medallion.lineage.OpenLineage.Dataset table, Source source,
      Optional<io.medallion.lineage.ModelLineage.Model> m) {
    if (m.isEmpty()) {
      return table;
    }
    Map<String, List<io.medallion.lineage.OpenLineage.InputField>> fields = new java.util.LinkedHashMap<>();
    m.get().columns().forEach((column, inputs) -> fields.put(column, inputs.stream()
        .map(c -> new io.medallion.lineage.OpenLineage.InputField(lineage.table(source, c.layer(), c.table()), c.column()))
        .toList()));
    return table.with("columnLineage", io.medallion.lineage.OpenLineage.columnLineage(fields));
  }

  /** Before any time a TIMESTAMP holds, and after: a window over all of silver. */
  public static final Instant BEGINNING = Instant.parse("0001-01-01T00:00:00Z");
  public static final Instant END = Instant.parse("9999-12-31T23:59:59.999999Z");

  /**
   * The silver window an incremental or snapshot model reads in one build.
   *
   * @param since the earliest {@code _ingested_at} read (the first silver partition)
   * @param until the first one not read
   * @param through the newest load the build consumes (null for a backfill, which consumes nothing new)
   * @param full whether the table is rebuilt whole from the window (a first build, a refresh)
   */
  record Window(Instant since, Instant until, Instant through, boolean full) {

    static Window backfill(Instant since, Instant until) {
      return new Window(since, until, null, false);
    }

    String json() {
      com.google.gson.JsonObject o = new com.google.gson.JsonObject();
      o.addProperty("since", since.toString());
      o.addProperty("until", until.toString());
      if (through != null) {
        o.addProperty("through", through.toString());
      }
      o.addProperty("full", full);
      return o.toString();
    }

    static Window parse(String json) {
      com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
      return new Window(Instant.parse(o.get("since").getAsString()), Instant.parse(o.get("until").getAsString()),
          o.has("through") ? Instant.parse(o.get("through").getAsString()) : null, o.get("full").getAsBoolean());
    }
  }

  /**
   * What an incremental or snapshot model reads in this build, recorded (a STARTED event, its
   * watermark the window) before any job runs, so a redelivered build reads the same window.
   * Without a table, or a record of what it consumed, or a load silver did not date, it reads all
   * of silver. Otherwise the loads recorded since it last consumed, from the earliest silver
   * partition they wrote.
   */
  private Window plan(Source source, GoldModels.Model model, String runId, String buildId, Optional<Window> backfill,
      boolean fullRefresh) throws IOException {
    String key = buildId + "/" + model.name();
    String started = runId + "/" + Stage.GOLD.label() + "/" + Status.STARTED.label() + "/" + key;
    Optional<Window> planned = recordedWindow(runId, started);
    if (planned.isPresent()) {
      return planned.get();
    }
    Instant now = clock.instant();
    Window window;
    if (fullRefresh || ports.warehouse().tableSchema(model.table()).isEmpty()) {
      window = new Window(BEGINNING, END, now, true);
    } else if (backfill.isPresent()) {
      window = model.kind() == Source.Materialization.Kind.SNAPSHOT ? new Window(BEGINNING, END, null, true) : backfill.get();
    } else {
      window = sinceConsumed(source, model).orElse(new Window(BEGINNING, END, now, true));
    }
    ports.ledger().record(RunEvent.of(runId, source.name(), Stage.GOLD, Status.STARTED).key(key)
        .objectUri(model.table().sql()).watermark(window.json()).at(now));
    // Read back: an earlier delivery may have recorded its plan first.
    return recordedWindow(runId, started).orElse(window);
  }

  /** The window a build recorded under the STARTED event id {@code started}, if it did. */
  private Optional<Window> recordedWindow(String runId, String started) throws IOException {
    for (RunEvent e : ports.ledger().events(runId)) {
      if (e.eventId().equals(started) && e.watermark() != null) {
        return Optional.of(Window.parse(e.watermark()));
      }
    }
    return Optional.empty();
  }

  /** The loads recorded since the model last consumed, from the earliest partition they wrote; empty: read all. */
  private Optional<Window> sinceConsumed(Source source, GoldModels.Model model) throws IOException {
    Instant consumed = null;
    for (RunEvent e : ports.ledger().sourceEvents(source.name(), Stage.GOLD, Status.CHECKPOINT, Instant.EPOCH)) {
      if (model.table().sql().equals(e.objectUri()) && e.watermark() != null) {
        Instant through = Instant.parse(e.watermark());
        consumed = consumed == null || through.isAfter(consumed) ? through : consumed;
      }
    }
    if (consumed == null) {
      return Optional.empty();
    }
    Instant since = null;
    Instant through = consumed;
    Map<String, List<RunEvent>> runs = new java.util.HashMap<>();
    for (RunEvent load : ports.ledger().sourceEvents(source.name(), Stage.SILVER_LOAD, Status.SUCCEEDED, consumed.minus(REREAD))) {
      through = load.recordedAt().isAfter(through) ? load.recordedAt() : through;
      Instant earliest = null;
      for (RunEvent e : runs.computeIfAbsent(load.runId(), id -> {
        try {
          return ports.ledger().events(id);
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      })) {
        if (e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && load.jobId().equals(e.jobId()) && e.watermark() != null) {
          earliest = Instant.parse(e.watermark());
        }
      }
      if (earliest == null) {
        LOG.info(() -> "gold: load " + load.jobId() + " names no earliest _ingested_at: " + model.name() + " reads all of silver");
        return Optional.empty();
      }
      since = since == null || earliest.isBefore(since) ? earliest : since;
    }
    if (since == null) {
      // Nothing new: an empty window (the MERGE changes nothing), and nothing more consumed.
      return Optional.of(new Window(END, END, consumed, false));
    }
    return Optional.of(new Window(since, END, through, false));
  }

  /**
   * Builds an incremental or snapshot model for {@code window}: whole when the window is full,
   * else the SELECT into a delta table, its keys checked before any write, then the MERGE.
   *
   * @return the job that changed the table, or empty when the delta was refused (recorded)
   */
  private Optional<Job> buildIncrementally(Source source, GoldModels.Model model, String runId, String buildId,
      Window window, Map<String, String> labels, Instant asOf) throws IOException {
    String name = model.name();
    Map<String, Object> values = Map.of("run_id", runId, "as_of", asOf, "since", window.since(), "until", window.until());
    if (window.full()) {
      String sql = model.buildSql();
      return Optional.of(runJob("Gold model " + name + " (whole)", "medallion_gold_" + name, buildId, runId, source.name(),
          model.table().sql(), labels, jobId -> sql, GoldModels.parametersOf(sql, values)));
    }
    String mergeSql = model.kind() == Source.Materialization.Kind.SNAPSHOT
        ? Materializations.snapshotMerge(model) : Materializations.merge(model);
    String mergePrefix = "medallion_gold_" + name;
    Optional<JobStatus> merged = ports.warehouse().job(JobIds.derive(mergePrefix, buildId));
    if (merged.isPresent() && merged.get().succeeded()) {
      dropDelta(source, model, runId, buildId, labels); // a redelivery: the delta was merged (and maybe dropped)
      return Optional.of(new Job(merged.get(), false));
    }
    String deltaSql = Materializations.delta(model);
    Job delta = runJob("Delta of gold model " + name, "medallion_gold_delta_" + name, buildId, runId, source.name(),
        Materializations.deltaTable(model).sql(), labels, jobId -> deltaSql, GoldModels.parametersOf(deltaSql, values));
    QueryResult broken = ports.warehouse().read(Materializations.brokenKeys(model));
    if (!broken.rows().isEmpty()) {
      String keys = broken.rows().stream().map(r -> r.subList(0, r.size() - 1) + " x" + r.get(r.size() - 1))
          .collect(java.util.stream.Collectors.joining(", "));
      String why = "gold model " + name + " refused: its new rows name a " + String.join(", ", model.materialization().uniqueKey())
          + " more than once or not at all, so the MERGE would match a row twice or lose one; " + model.table().sql()
          + " is unchanged. Keys (as key x rows): " + keys;
      LOG.severe(() -> "gold " + runId + ": " + why);
      ports.ledger().record(RunEvent.of(runId, source.name(), Stage.GOLD, Status.FAILED).key(buildId + "/" + name)
          .objectUri(model.table().sql()).error(why).at(clock.instant()));
      ports.ledger().record(RunEvent.of(runId, source.name(), Stage.GOLD, Status.FAILED).key(buildId)
          .jobId(buildId).error(why).at(clock.instant()));
      return Optional.empty();
    }
    if (model.kind() == Source.Materialization.Kind.SNAPSHOT) {
      long late = ((Number) ports.warehouse().read(Materializations.lateVersions(model)).scalar()).longValue();
      if (late > 0) {
        // Versions older than the current one of their key: a late load. Appending cannot place
        // them between the versions already kept, so the history is rebuilt from all of silver.
        LOG.info(() -> "gold " + runId + ": " + late + " versions of " + name + " are older than their current one: rebuilding it whole");
        String sql = model.buildSql();
        Map<String, Object> all = Map.of("run_id", runId, "as_of", asOf, "since", BEGINNING, "until", END);
        Job whole = runJob("Gold model " + name + " (whole, after a late load)", "medallion_gold_" + name, buildId, runId,
            source.name(), model.table().sql(), labels, jobId -> sql, GoldModels.parametersOf(sql, all));
        dropDelta(source, model, runId, buildId, labels);
        return Optional.of(whole.plusCost(delta));
      }
    }
    Job merge = runJob("Gold model " + name + " (merge)", mergePrefix, buildId, runId, source.name(), model.table().sql(),
        labels, jobId -> mergeSql, GoldModels.parametersOf(mergeSql, values));
    dropDelta(source, model, runId, buildId, labels);
    return Optional.of(merge.plusCost(delta));
  }

  private void dropDelta(Source source, GoldModels.Model model, String runId, String buildId, Map<String, String> labels)
      throws IOException {
    String drop = Materializations.dropDelta(model);
    runJob("Dropping the delta of " + model.name(), "medallion_gold_drop_delta_" + model.name(), buildId, runId, source.name(),
        Materializations.deltaTable(model).sql(), labels, jobId -> drop, Map.of());
  }

  /**
   * What a file source's load confirms: the file's rows replace those of an earlier file with the
   * same logical key, the file moves from the inbox to the archive, and the models that wait for
   * several files learn whether this one completes their date.
   *
   * @return for each model that does not run now, why not
   */
  private Map<String, String> afterFileLoad(Source source, String runId, String buildId) throws IOException {
    RunEvent silver = null;
    for (RunEvent e : ports.ledger().events(runId)) {
      if (e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && e.objectUri() != null) {
        silver = e;
      }
    }
    if (silver == null) {
      return Map.of();
    }
    io.medallion.port.ObjectId dropped = io.medallion.port.ObjectId.fromUri(silver.objectUri());
    if (!source.drops().inInbox(dropped.name())) {
      return Map.of();
    }
    Optional<FileLifecycle.Placed> placed = FileLifecycle.place(source, dropped.name());
    if (placed.isEmpty()) {
      return Map.of();
    }
    if (placed.get().fileKey() != null) {
      // Every row of the key that came from an earlier file goes: the latest file of a key is the
      // truth (a corrected year, a re-sent day), whichever load happens to complete last.
      TableId table = new TableId(config.silverDataset(source), placed.get().resource().silverTable());
      runJob("Replacing earlier rows of " + placed.get().fileKey(), "medallion_silver_replace", buildId, runId, source.name(),
          table.sql(), labels(source.name(), runId, "silver", "step", "replace"),
          jobId -> "delete from " + table.sql() + " where _file_key = @file_key and _ingested_at < (select max(_ingested_at) from "
              + table.sql() + " where _file_key = @file_key)",
          Map.of("file_key", placed.get().fileKey()));
    }
    long generation = Long.parseLong(silverStep(silver)); // a drop's silver step is its file's generation
    Optional<io.medallion.port.ObjectId> archived =
        new FileLifecycle(ports.objects()).archive(source, dropped, generation, runId);
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.ARCHIVE, archived.isPresent() ? Status.SUCCEEDED : Status.IGNORED)
            .key(Long.toString(generation))
            .objectUri(archived.map(io.medallion.port.ObjectId::uri).orElse(dropped.uri()))
            .error(archived.isPresent() ? null : "the dropped version was gone from the inbox before its load was confirmed")
            .at(clock.instant()));
    Map<String, String> waiting = new java.util.LinkedHashMap<>();
    Datasets datasets = new Datasets(ports.warehouse(), config.silverDataset(source));
    for (String model : source.goldModels()) {
      datasets.whyNot(source, model, placed.get()).ifPresent(why -> waiting.put(model, why));
    }
    return waiting;
  }

  /**
   * Runs the source's data-quality checks against what the models just built, each as a labelled
   * query job that writes its count of failing rows to {@code ops.dq_results}. The job ids derive
   * from the load job id, so a redelivered completion runs no check twice and adds no row; the
   * verdict is read back from the table. A failing check is a fact about the data, not a fault:
   * it is recorded (the run is then failed, with the failing rows counted) and not retried.
   */
  private void checkQuality(Source source, String runId, String loadJobId) throws IOException {
    List<GoldModels.Check> checks =
        GoldModels.checksFor(source, config.silverDataset(source), config.goldDataset(source), config.opsDataset());
    // A source without checks still gets its verdict (0 checks, passed): a run succeeds only with one.
    TableId resultsTable = new TableId(config.opsDataset(), "dq_results");
    String results = resultsTable.sql();
    Set<String> ranNow = new HashSet<>();
    Instant checkedAt = clock.instant();
    Job cost = null; // the checks' jobs' bytes, summed onto the verdict
    for (GoldModels.Check check : checks) {
      String sql = check.insertInto(resultsTable);
      Job job = runJob("Data-quality check " + check.name(), "medallion_dq_" + check.name(), loadJobId, runId,
          source.name(), results,
          labels(source.name(), runId, "dq", "check", check.name()),
          jobId -> sql, jobId -> GoldModels.parametersOf(sql, check.parameters(runId, source.name(), loadJobId, jobId, checkedAt)));
      if (job.ranNow()) {
        ranNow.add(check.name());
      }
      cost = cost == null ? job : cost.plusCost(job);
    }
    Map<String, Long> failing = new TreeMap<>();
    QueryResult verdicts =
        ports.warehouse().read(
            "select check_name, failing_rows from " + results + " where load_job_id = @load_job_id",
            Map.of("load_job_id", loadJobId));
    for (List<Object> row : verdicts.rows()) {
      long n = ((Number) row.get(1)).longValue();
      if (n > 0) {
        failing.merge((String) row.get(0), n, Long::sum);
      }
    }
    if (!ranNow.isEmpty()) {
      // The quality SLI's events: each check this delivery ran is one result, good when it found no row.
      long passed = ranNow.stream().filter(name -> !failing.containsKey(name)).count();
      ports.metrics().sloQuality(source.domain(), passed, ranNow.size());
    }
    for (Map.Entry<String, Long> f : failing.entrySet()) {
      if (ranNow.contains(f.getKey())) {
        ports.metrics().dqFailures(f.getKey(), source.name(), f.getValue());
      }
    }
    long failingRows = failing.values().stream().mapToLong(Long::longValue).sum();
    RunEvent.Builder verdict =
        RunEvent.of(runId, source.name(), Stage.DQ, failing.isEmpty() ? Status.SUCCEEDED : Status.FAILED)
            .key(loadJobId)
            .records(checks.size())
            .rows(failingRows)
            .jobId(loadJobId)
            .objectUri(results);
    if (cost != null) {
      verdict.cost(cost.processed(), cost.billed()).slotMs(cost.slotMs());
    }
    if (!failing.isEmpty()) {
      StringBuilder why = new StringBuilder();
      failing.forEach((name, n) -> why.append(why.length() == 0 ? "" : "; ").append(name).append(": ").append(n)
          .append(n == 1 ? " failing row" : " failing rows"));
      verdict.error(DQ_FAILED + ": " + why + " (see " + results + ")");
      if (!ranNow.isEmpty()) {
        // The line the log-based metric in terraform/observability.tf counts: once per verdict,
        // so a redelivered completion (which runs no check) does not alert again.
        LOG.severe(() -> "gold " + runId + ": " + verdict.at(clock.instant()).error());
      }
    }
    ports.ledger().record(verdict.at(clock.instant()));
  }

  /**
   * Load-job duration and request-to-gold latency of the run just built. The load's times come
   * from its completion entry, never from {@code jobs.get}: the load job is silver's, and gold may
   * not look at another identity's jobs (that needs project-wide {@code bigquery.jobs.get}).
   */
  private void recordRunMetrics(String source, String runId, JobCompletion load) throws IOException {
    load.duration().ifPresent(took -> ports.metrics().job("load", source, took));
    RunSummary summary = RunSummary.of(runId, ports.ledger().events(runId));
    if (summary.startedAt() != null) {
      ports.metrics().runLatency(source, Duration.between(summary.startedAt(), clock.instant()));
    }
  }

  /**
   * The id gold's jobs derive from, once every load of the run's silver step is in: the one load's
   * own id (as always), or for several loads an id derived from all of them. Empty while one is
   * still missing. The loads counted are those of the same silver step (the same bronze trigger
   * generation) as {@code loadJobId}.
   */
  private Optional<String> buildId(String runId, String loadJobId) throws IOException {
    List<RunEvent> events = ports.ledger().events(runId);
    String step = null;
    for (RunEvent e : events) {
      if (e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && loadJobId.equals(e.jobId())) {
        step = silverStep(e);
      }
    }
    if (step == null) {
      return Optional.of(loadJobId); // a load silver did not record (an old run): build on it alone
    }
    java.util.SortedSet<String> loads = new java.util.TreeSet<>();
    Set<String> done = new HashSet<>();
    for (RunEvent e : events) {
      if (e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED && e.jobId() != null && step.equals(silverStep(e))) {
        loads.add(e.jobId());
      } else if (e.stage() == Stage.SILVER_LOAD && e.status() == Status.SUCCEEDED && e.jobId() != null) {
        done.add(e.jobId());
      }
    }
    if (!done.containsAll(loads)) {
      return Optional.empty();
    }
    return Optional.of(loads.size() == 1 ? loads.first() : JobIds.derive("medallion_silver_loads", loads.toArray(String[]::new)));
  }

  /** The silver step an event belongs to: its key up to the table (the trigger's generation). */
  private static String silverStep(RunEvent e) {
    String key = e.eventId().substring((e.runId() + "/silver/succeeded/").length());
    int slash = key.indexOf('/');
    return slash < 0 ? key : key.substring(0, slash);
  }

  /** The labels every job carries, so INFORMATION_SCHEMA.JOBS answers "what ran for this run". */
  private static Map<String, String> labels(String source, String runId, String layer, String key, String step) {
    return Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, layer, "source", source, "run_id", runId, key, step);
  }

  private static boolean isOurSilverLoad(JobCompletion c) {
    return c.isLoad() && Labels.PIPELINE_NAME.equals(c.labels().get(Labels.PIPELINE))
        && "silver".equals(c.labels().get(Labels.LAYER));
  }

  /**
   * The freshness SLI's events (terraform/slo.tf): the days this build settles for its domain, once,
   * by the delivery that ran it. Counted after the ledger has the build, which it reads.
   */
  private void countFreshness(Source source, Instant succeededAt) throws IOException {
    java.util.SortedMap<java.time.LocalDate, Boolean> days =
        new io.medallion.slo.DomainSlos(sources, ports.ledger(), ports.warehouse(),
            new TableId(config.opsDataset(), "dq_results"), clock).settledBy(source, succeededAt);
    if (!days.isEmpty()) {
      long fresh = days.values().stream().filter(b -> b).count();
      ports.metrics().sloFreshness(source.domain(), fresh, days.size());
      LOG.info(() -> "gold: domain " + source.domain() + " freshness days settled: " + days);
    }
  }

  /**
   * Rebuilds ops.cost_by_domain_month (CostRollup) once the build is in the ledger, under a job id
   * of the build, so a redelivery finds the job done. A failed roll-up leaves the previous table and
   * does not fail the build (the next build rebuilds it whole); a fault reaching BigQuery is thrown.
   */
  private void rollUpCost(Source source, String runId, String buildId) throws IOException {
    JobStatus rollup = CostRollup.rebuild(ports.warehouse(), config.opsDataset(), sources,
        JobIds.derive("medallion_ops_cost", runId, buildId),
        labels(source.name(), runId, "ops", "model", CostRollup.TABLE));
    if (!rollup.succeeded()) {
      LOG.warning(() -> "gold " + runId + ": " + config.opsDataset() + "." + CostRollup.TABLE + " not rebuilt: " + rollup.error());
    }
  }

  /** A job of this build, and whether this delivery ran it (false: an earlier one did). */
  private record Job(JobStatus status, boolean ranNow, Long processed, Long billed, Long slotMs) {

    Job(JobStatus status, boolean ranNow) {
      this(status, ranNow, status.bytesProcessed(), status.bytesBilled(), status.slotMs());
    }

    /** This job, costing also what {@code other} cost (unknown when either is). */
    Job plusCost(Job other) {
      return new Job(status, ranNow, sum(processed, other.processed), sum(billed, other.billed), sum(slotMs, other.slotMs));
    }

    private static Long sum(Long a, Long b) {
      return a == null || b == null ? null : a + b;
    }
  }

  /**
   * Runs a job once per load. An id that already succeeded is not run again; an id that failed
   * is retried under the next attempt id, so a transient failure does not block it forever.
   */
  private Job runJob(
      String what, String prefix, String loadJobId, String runId, String source, String target,
      Map<String, String> labels, Function<String, String> sqlFor) throws IOException {
    return runJob(what, prefix, loadJobId, runId, source, target, labels, sqlFor, Map.of());
  }

  private Job runJob(
      String what, String prefix, String loadJobId, String runId, String source, String target,
      Map<String, String> labels, Function<String, String> sqlFor, Map<String, Object> parameters) throws IOException {
    return runJob(what, prefix, loadJobId, runId, source, target, labels, sqlFor, jobId -> parameters);
  }

  private Job runJob(
      String what, String prefix, String loadJobId, String runId, String source, String target,
      Map<String, String> labels, Function<String, String> sqlFor, Function<String, Map<String, Object>> parametersFor)
      throws IOException {
    String base = JobIds.derive(prefix, loadJobId);
    String lastError = null;
    for (int attempt = 0; attempt < MAX_MODEL_ATTEMPTS; attempt++) {
      String jobId = attempt == 0 ? base : base + "_r" + attempt;
      Optional<JobStatus> existing = ports.warehouse().job(jobId);
      JobStatus job =
          existing.isPresent() ? existing.get() : ports.warehouse().query(new QueryJob(jobId, sqlFor.apply(jobId), labels, parametersFor.apply(jobId)));
      if (existing.isEmpty() && job.created() != null && job.ended() != null) {
        ports.metrics().job("query", source, Duration.between(job.created(), job.ended()));
      }
      if (job.succeeded()) {
        return new Job(job, existing.isEmpty());
      }
      if (existing.isEmpty()) {
        lastError = job.error();
        ports.ledger().record(
            RunEvent.of(runId, source, Stage.GOLD, Status.FAILED)
                .key(jobId)
                .jobId(jobId)
                .objectUri(target)
                .error(job.error())
                .at(clock.instant()));
        // Throwing makes the bus redeliver; the next delivery tries the next attempt id.
        throw new IOException(what + " failed in job " + jobId + ": " + job.error());
      }
      lastError = job.error();
    }
    throw new IOException(what + " failed " + MAX_MODEL_ATTEMPTS + " times; last error: " + lastError);
  }
}
