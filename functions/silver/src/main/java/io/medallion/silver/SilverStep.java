package io.medallion.silver;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.FileLifecycle;
import io.medallion.bronze.Manifest;
import io.medallion.config.MedallionConfig;
import io.medallion.event.FinalizedObject;
import io.medallion.event.InvalidEventException;
import io.medallion.ledger.RunEvent;
import io.medallion.metrics.Metrics;
import io.medallion.logging.LogContext;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.JobIds;
import io.medallion.port.JobStatus;
import io.medallion.port.Labels;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.Ports;
import io.medallion.schema.TableSchema;
import io.medallion.port.StoredObject;
import io.medallion.port.TableId;
import io.medallion.run.RunIds;
import io.medallion.schema.SchemaDiff;
import io.medallion.silver.bigfile.WarehouseTyping;
import io.medallion.silver.format.FileRecords;
import io.medallion.silver.format.UnreadableFileException;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What silver does with one finalized bronze object: a run's manifest loads the whole run, a page
 * of a run is left to its manifest, any other object is a user drop loaded on its own, unless a
 * run already loaded the same bytes of that source ({@link DropClaims}).
 *
 * <p>Idempotent: staging objects are create-only and the load job id is derived from the trigger
 * object's (bucket, name, generation), so a redelivered event loads nothing twice.
 */
public final class SilverStep {

  private static final Logger LOG = Logger.getLogger(SilverStep.class.getName());
  private static final Gson GSON = new Gson();

  private final io.medallion.lineage.StepLineage lineage;
  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  /** What happened to an object. */
  public enum Outcome {
    LOADED,
    IGNORED,
    FAILED
  }

  private final MedallionConfig config;
  private final Ports ports;
  private final SourceRegistry sources;
  private final Clock clock;

  public SilverStep(MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock) {
    this.lineage = new io.medallion.lineage.StepLineage(config, ports, sources);
    this.config = config;
    this.ports = ports;
    this.sources = sources;
    this.clock = clock;
  }

  /** The meters this step records into; its function flushes them after every event. */
  public Metrics metrics() {
    return ports.metrics();
  }

  /**
   * Handles one finalized object. Returns the outcome; throws only for faults worth a retry.
   */
  public Outcome handle(FinalizedObject object) throws IOException {
    if (!object.id().bucket().equals(config.bronzeBucket())) {
      LOG.warning(() -> "Ignoring " + object.id() + ": not in the bronze bucket " + config.bronzeBucket());
      return Outcome.IGNORED;
    }
    String role = object.metadata().get(BronzeLayout.ROLE);
    if (BronzeLayout.ROLE_PAGE.equals(role)) {
      LOG.fine(() -> object.id() + " is a page of run " + object.metadata().get(BronzeLayout.RUN_ID)
          + ": loaded with the run's manifest");
      return Outcome.IGNORED;
    }
    // Without its run id a "manifest" cannot name a run: treat it like any dropped file.
    boolean manifest =
        BronzeLayout.ROLE_MANIFEST.equals(role) && object.metadata().get(BronzeLayout.RUN_ID) != null;
    String runId =
        manifest
            ? object.metadata().get(BronzeLayout.RUN_ID)
            : RunIds.forDrop(object.id().bucket(), object.id().name(), object.generation());
    String sourceName =
        manifest ? object.metadata().get(BronzeLayout.SOURCE) : BronzeLayout.sourceOf(object.id()).orElse(null);
    LogContext.run(runId, sourceName);
    Optional<Source> source = sources.find(sourceName);
    if (source.isEmpty()) {
      return fail(runId, sourceName, object, sourceName == null
          ? "it is not under a source's folder: drop files into <source>/..., one of " + sources.names()
          : "no registered source '" + sourceName + "' (the first path segment must be one of " + sources.names() + ")");
    }
    if (!manifest && source.get().isFileSource()) {
      return fileDrop(source.get(), object, runId);
    }
    Source.Push push = source.get().push();
    if (!manifest && push != null && push.mode() == Source.Push.Mode.FILES
        && object.id().name().startsWith(BronzeLayout.pushedPrefix(source.get()))) {
      // Loaded with every file pushed since the last collection, in one load job: one load a
      // file would spend the table's 1,500 a day at a high push rate.
      LOG.fine(() -> object.id() + " holds pushed records: loaded by the next collection (every "
          + push.loadEveryMinutes() + " min)");
      return Outcome.IGNORED;
    }
    List<Input> inputs;
    try {
      inputs = manifest ? manifestInputs(source.get(), object, runId) : List.of(dropInput(source.get(), object, runId));
    } catch (InvalidEventException e) {
      return fail(runId, sourceName, object, e.getMessage());
    }
    return load(source.get(), runId, object, inputs, manifest, false);
  }

  /**
   * A file of a file source: read from the inbox by the resource whose file-name pattern it
   * matches, in that resource's format. The lifecycle's own objects (archive, quarantine) are no
   * input; any other file, outside the inbox or matching no pattern, is quarantined with a report.
   * Metadata {@code medallion-force=true} loads bytes a run loaded already.
   */
  private Outcome fileDrop(Source source, FinalizedObject object, String runId) throws IOException {
    String name = object.id().name();
    if (source.drops().isOutput(name)) {
      LOG.fine(() -> object.id() + " is in the archive or quarantine of " + source.name() + ": no input");
      return Outcome.IGNORED;
    }
    if (!source.drops().inInbox(name)) {
      return quarantine(source, object, runId, "OUTSIDE_INBOX", name + " is not in the inbox " + source.drops().inbox()
          + ": source " + source.name() + " reads files only from there");
    }
    Optional<FileLifecycle.Placed> placed = FileLifecycle.place(source, name);
    if (placed.isEmpty()) {
      return quarantine(source, object, runId, "UNKNOWN_FILE_NAME", "'" + FileLifecycle.relativeName(source, name)
          + "' matches none of the file names source " + source.name() + " reads: " + source.resources().stream()
              .map(r -> r.file().pattern() + " (" + r.name() + ")").toList());
    }
    Input input = new Input(object.id(), new SilverTransform.Lineage(runId, object.id().uri(), object.generation(),
        object.created(), Map.of(), placed.get().fileKey()), -1, placed.get().resource());
    boolean force = "true".equalsIgnoreCase(object.metadata().get(FileLifecycle.FORCE));
    return load(source, runId, object, List.of(input), false, force);
  }

  /** A file source's file that cannot be read: kept in the quarantine with a report, and the run failed. */
  private Outcome quarantine(Source source, FinalizedObject object, String runId, String reason, String detail)
      throws IOException {
    ObjectId kept = new FileLifecycle(ports.objects()).quarantine(
        source, object.id(), object.generation(), runId, reason, detail, clock.instant());
    ports.metrics().deadLetter("silver", source.name());
    String report = FileLifecycle.report(kept).name();
    return fail(runId, source.name(), object, reason + ": " + detail + " (quarantined as " + kept.uri() + ", with "
        + report.substring(report.lastIndexOf('/') + 1) + " beside it)");
  }

  /** One bronze object to read, the resource whose records it holds, and the lineage its rows carry. */
  private record Input(
      ObjectId id, SilverTransform.Lineage lineage, long expectedRecords, Source.Resource resource, boolean pushed) {
    Input(ObjectId id, SilverTransform.Lineage lineage, long expectedRecords, Source.Resource resource) {
      this(id, lineage, expectedRecords, resource, false);
    }
  }

  private List<Input> manifestInputs(Source source, FinalizedObject object, String runId)
      throws IOException, InvalidEventException {
    Manifest m = Manifest.parse(ports.objects().readAllBytes(object.id()), object.id().uri());
    if (!m.runId().equals(runId)) {
      throw new InvalidEventException(
          "Manifest " + object.id() + " names run " + m.runId() + " but its metadata says " + runId);
    }
    String prefix = object.id().name().substring(0, object.id().name().lastIndexOf('/') + 1);
    List<Input> inputs = new ArrayList<>();
    for (Manifest.PageEntry page : m.pages()) {
      ObjectId id;
      try {
        id = new ObjectId(object.id().bucket(), page.name());
      } catch (IllegalArgumentException e) {
        throw new InvalidEventException("Manifest " + object.id() + ": " + e.getMessage(), e);
      }
      if (!page.name().startsWith(prefix)) {
        throw new InvalidEventException(
            "Manifest " + object.id() + " lists " + page.name() + ", outside its run " + prefix);
      }
      StoredObject stored =
          ports.objects().stat(id).orElseThrow(
              () -> new InvalidEventException("Manifest " + object.id() + " lists " + id + ", which does not exist"));
      if (stored.generation() != page.generation()) {
        throw new InvalidEventException(
            id + " is generation " + stored.generation() + ", the manifest recorded " + page.generation());
      }
      // Manifests from before sources had several resources name none: the source's only one.
      Source.Resource resource = page.resource() == null ? source.resources().get(0)
          : source.resource(page.resource()).orElseThrow(() -> new InvalidEventException(
              "Manifest " + object.id() + " lists " + page.name() + " of resource '" + page.resource()
                  + "', which source " + source.name() + " does not declare"));
      inputs.add(
          new Input(
              id, new SilverTransform.Lineage(runId, id.uri(), stored.generation(), stored.created(), parent(page.parent())),
              page.records(), resource, page.pushed()));
    }
    return inputs;
  }

  /** A child page's parent fields (a JSON object) as text by field; a JSON null stays null. */
  private static Map<String, String> parent(String json) throws InvalidEventException {
    if (json == null) {
      return Map.of();
    }
    Map<String, String> out = new java.util.LinkedHashMap<>();
    try {
      for (Map.Entry<String, com.google.gson.JsonElement> e : GSON.fromJson(json, JsonObject.class).entrySet()) {
        com.google.gson.JsonElement v = e.getValue();
        out.put(e.getKey(), v.isJsonNull() ? null : v.isJsonPrimitive() ? v.getAsString() : v.toString());
      }
    } catch (RuntimeException e) {
      throw new InvalidEventException("A page's parent fields are not a JSON object: " + json);
    }
    return out;
  }

  /**
   * A dropped file holds records of one resource: the source's only one, or for a source with
   * several the one its second path segment names ({@code podcasts/episodes/x.ndjson}).
   */
  private static Input dropInput(Source source, FinalizedObject object, String runId) throws InvalidEventException {
    Source.Resource resource = source.resources().get(0);
    if (source.resources().size() > 1) {
      String[] segments = object.id().name().split("/");
      String named = segments.length > 2 ? segments[1] : null;
      resource = source.resource(named).orElseThrow(() -> new InvalidEventException(
          "source " + source.name() + " has several resources: drop files into " + source.name()
              + "/<resource>/..., one of " + source.resources().stream().map(Source.Resource::name).toList()));
    }
    return new Input(
        object.id(),
        new SilverTransform.Lineage(runId, object.id().uri(), object.generation(), object.created()),
        -1, resource);
  }

  private Outcome load(
      Source source, String runId, FinalizedObject trigger, List<Input> inputs, boolean manifest, boolean force)
      throws IOException {
    // The invocation's wall time up to the ledger write, for the run's cost (instance_ms).
    long startedNanos = System.nanoTime();
    boolean nested = source.resources().size() > 1;
    io.medallion.lineage.OpenLineage.Dataset bronze = bronzeInput(trigger, manifest);
    lineage.emit(io.medallion.lineage.OpenLineage.EventType.START, clock.instant(), source, runId,
        io.medallion.lineage.StepLineage.silverJob(source.name()), ev -> ev.input(bronze));
    DropClaims claims = new DropClaims(ports.objects(), ports.ledger(), config.stagingBucket());
    // The same bytes dropped again are recognised before any work (README "Drop a file").
    String md5 = manifest ? null : StoredObject.hexMd5(trigger.md5());
    if (md5 != null && !force) {
      Optional<DropClaims.Claim> holder = claims.heldByAnother(source.name(), md5, runId);
      if (holder.isPresent()) {
        return identical(source, runId, trigger, holder.get());
      }
    }
    // One load per table: a source with several resources loads a table per resource.
    Map<Source.Resource, List<Input>> byResource = new java.util.LinkedHashMap<>();
    for (Source.Resource r : source.resources()) {
      List<Input> of = inputs.stream().filter(i -> i.resource().equals(r)).toList();
      if (!of.isEmpty() || (manifest && !nested)) {
        byResource.put(r, of);
      }
    }
    // A schema file that changes a table in a way no load can is refused before anything is
    // staged, claimed or loaded: the run fails naming the column and what to do, bronze stays, and
    // the same event loads once the schema file (or the table) is fixed. Additions and relaxations
    // go ahead: the load makes them (Warehouse).
    for (Source.Resource r : byResource.keySet()) {
      TableId table = new TableId(config.silverDataset(source), r.silverTable());
      Optional<SchemaDiff> diff = ports.warehouse().schemaDiff(table, source.silverSchema(r.silverTable()));
      if (diff.isPresent() && diff.get().breaking()) {
        return fail(runId, source.name(), trigger, diff.get().refusal(table.sql()));
      }
    }
    List<Planned> planned = new ArrayList<>();
    for (Map.Entry<Source.Resource, List<Input>> group : byResource.entrySet()) {
      Source.Resource resource = group.getKey();
      BronzeLayout.Staging staging = nested
          ? BronzeLayout.staging(config.stagingBucket(), source.name(), runId, trigger.generation(), resource.silverTable())
          : BronzeLayout.staging(config.stagingBucket(), source.name(), runId, trigger.generation());
      JsonObject summary;
      Transformed fresh = null;
      if (ports.objects().stat(staging.summary()).isPresent()) {
        summary = GSON.fromJson(
            new String(ports.objects().readAllBytes(staging.summary()), StandardCharsets.UTF_8), JsonObject.class);
      } else {
        try {
          StoredObject file = manifest || resource.file() == null ? null : ports.objects().stat(trigger.id()).orElse(null);
          fresh = null;
          if (file != null && WarehouseTyping.applies(source, resource, file, ports.objects())) {
            try {
              fresh = typeInWarehouse(source, resource, runId, file, group.getValue().get(0), staging);
            } catch (IOException | RuntimeException e) {
              // The warehouse reads a CSV strictly (a ragged row fails the whole read) and can be
              // out of reach: the function then types the file itself, slower but by the same
              // rules, a ragged row becoming one reject.
              LOG.warning(() -> "silver " + runId + ": the warehouse could not type " + trigger.id() + " (" + e.getMessage()
                  + "); typing it here");
            }
          }
          if (fresh == null) {
            fresh = transform(source, resource, runId, group.getValue(), staging, manifest);
          }
        } catch (UnreadableFileException e) {
          return quarantine(source, trigger, runId, e.reason(), e.detail());
        } catch (MalformedBronzeException | InvalidEventException e) {
          return source.isFileSource()
              ? quarantine(source, trigger, runId, "MALFORMED", e.getMessage())
              : fail(runId, source.name(), trigger, e.getMessage());
        }
        summary = fresh.summary();
      }
      if (!manifest && summary.get("rows").getAsLong() > 0) {
        // Claimed only now that the file proved to hold rows (a file that failed, or whose every
        // record was rejected, holds nothing a later drop would repeat), and before the step is
        // recorded and the load submitted. Without an MD5 in the event (a composite object) it is
        // the MD5 of the bytes silver read.
        String loaded = md5 != null ? md5 : summary.has("md5") ? summary.get("md5").getAsString() : null;
        if (loaded != null) {
          Optional<DropClaims.Claim> holder = claims.claim(source.name(), loaded, runId, trigger.id().uri(), force);
          if (holder.isPresent()) {
            return identical(source, runId, trigger, holder.get());
          }
        }
      }
      String jobId = nested
          ? JobIds.derive("medallion_silver_load", trigger.id().bucket(), trigger.id().name(),
              Long.toString(trigger.generation()), resource.silverTable())
          : JobIds.silverLoad(trigger.id(), trigger.generation());
      List<ObjectId> rowObjects = new ArrayList<>();
      if (summary.has("rows_objects")) { // typed in the warehouse: the objects it wrote
        summary.getAsJsonArray("rows_objects").forEach(u -> rowObjects.add(ObjectId.fromUri(u.getAsString())));
      } else {
        rowObjects.add(staging.rows());
      }
      // The oldest _ingested_at the load writes: the first silver partition an incremental gold
      // model must read to see its rows (GoldStep reads it back from the ledger).
      java.time.Instant earliestIngested = group.getValue().stream().map(i -> i.lineage().ingestedAt())
          .filter(java.util.Objects::nonNull).min(java.time.Instant::compareTo).orElse(null);
      planned.add(new Planned(resource, staging, summary, fresh, new LoadJob(
          jobId,
          rowObjects,
          new TableId(config.silverDataset(source), resource.silverTable()),
          source.silverSchema(resource.silverTable()),
          Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "silver", "source", source.name(), "run_id", runId),
          source.partitioning(resource)),
          earliestIngested));
    }
    // Every table's step is recorded before any load is submitted: gold, hearing of a load,
    // waits for all the loads the ledger lists, so none may be missing from it. Recorded before
    // the submit so the ledger reads in causal order (the job's completion can arrive at once);
    // the ids are deterministic, so a failed submit is retried under the same id.
    List<RunEvent> steps = new ArrayList<>();
    for (Planned p : planned) {
      if (p.fresh() != null && p.fresh().counts() == null) {
        // Typed in the warehouse: its counts are in the summary.
        ports.metrics().records("silver", source.name(), p.summary().get("rows").getAsLong());
        p.summary().getAsJsonObject("rejects_by_reason").entrySet().forEach(
            e -> ports.metrics().rejects(source.name(), e.getKey(), e.getValue().getAsLong()));
      } else if (p.fresh() != null) {
        // Counted when the work is done and kept, not when a redelivery finds it done.
        ports.metrics().records("silver", source.name(), p.fresh().counts().rows());
        p.fresh().counts().rejectsByReason().forEach((reason, n) -> ports.metrics().rejects(source.name(), reason.name(), n));
        ports.metrics().bytes("silver", source.name(), Math.max(0, p.summary().get("bytes").getAsLong()));
        ports.metrics().unknownFields(source.name(), p.fresh().counts().unknownFields().size());
      }
      RunEvent.Builder step = RunEvent.of(runId, source.name(), Stage.SILVER, Status.SUCCEEDED)
          .key(trigger.generation() + (nested ? "/" + p.resource().silverTable() : ""))
          .records(p.summary().get("records").getAsLong())
          .rows(p.summary().get("rows").getAsLong())
          .rejects(p.summary().get("rejects").getAsLong())
          .bytes(p.summary().get("bytes").getAsLong())
          .unknownFields(unknownFields(p.summary()))
          .jobId(p.job().jobId())
          .objectUri(trigger.id().uri())
          .watermark(p.earliestIngested() == null ? null : p.earliestIngested().toString());
      if (p.summary().get("bytes").getAsLong() > 0) {
        step.gcsBytesWritten(p.summary().get("bytes").getAsLong()); // the staging NDJSON the load reads
      }
      if (steps.size() == planned.size() - 1) {
        // Once per invocation, on its last table's event, so a nested source is not counted twice.
        step.instanceMs(java.time.Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
      }
      steps.add(step.at(clock.instant()));
    }
    ports.ledger().recordAll(steps);
    for (Planned p : planned) {
      JobStatus status = ports.warehouse().load(p.job());
      LOG.info(() -> String.format("silver %s: %s: %d records -> %d rows, %d rejects; load job %s", runId,
          p.resource().silverTable(), p.summary().get("records").getAsLong(), p.summary().get("rows").getAsLong(),
          p.summary().get("rejects").getAsLong(), status.jobId()));
    }
    // COMPLETE once every load is submitted: the rows are typed and staged, the loads' ids fixed.
    lineage.emit(io.medallion.lineage.OpenLineage.EventType.COMPLETE, clock.instant(), source, runId,
        io.medallion.lineage.StepLineage.silverJob(source.name()), ev -> {
          ev.input(bronze);
          for (Planned p : planned) {
            ev.output(lineage.silverTable(source, p.resource().silverTable())
                .with("outputStatistics", io.medallion.lineage.OpenLineage.outputStatistics(
                    p.summary().get("rows").getAsLong(), null, null))
                .with(io.medallion.lineage.OpenLineage.REJECTS_FACET, io.medallion.lineage.OpenLineage.rejects(
                    p.summary().get("rejects").getAsLong(), rejectsByReason(p),
                    p.summary().has("rejects_uri") ? p.summary().get("rejects_uri").getAsString() : null)));
          }
        });
    return Outcome.LOADED;
  }

  /** The unknown-field counts a summary keeps (none in a summary written before they were counted). */
  private static Map<String, Long> unknownFields(JsonObject summary) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    if (summary.has("unknown_fields") && summary.get("unknown_fields").isJsonObject()) {
      summary.getAsJsonObject("unknown_fields").entrySet().forEach(e -> counts.put(e.getKey(), e.getValue().getAsLong()));
    }
    return counts;
  }

  /** One table's load of a silver step. */
  private record Planned(
      Source.Resource resource, BronzeLayout.Staging staging, JsonObject summary, Transformed fresh, LoadJob job,
      java.time.Instant earliestIngested) {}

  /** The summary a transform wrote, and its counts (null when the warehouse typed it: see the summary). */
  private record Transformed(JsonObject summary, SilverTransform.Counts counts) {}

  /**
   * A big CSV file typed by the warehouse ({@link WarehouseTyping}) into staging objects next to
   * where the function would have written them; the summary names them for the load job, and
   * keeps the counts and the MD5 the store gave the file.
   */
  private Transformed typeInWarehouse(
      Source source, Source.Resource resource, String runId, StoredObject file, Input input, BronzeLayout.Staging staging)
      throws IOException {
    String rows = staging.rows().name().replaceFirst("\\.ndjson$", "");
    String rejects = staging.rejects().name().replaceFirst("\\.ndjson$", "");
    io.medallion.port.TypingJob.Result typed = WarehouseTyping.type(ports.warehouse(), ports.objects(), source, resource, file,
        runId, input.lineage().fileKey(), JobIds.derive("medallion_silver_type", file.id().bucket(), file.id().name(),
            Long.toString(file.generation())),
        new ObjectId(staging.rows().bucket(), rows), new ObjectId(staging.rejects().bucket(), rejects),
        Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "silver_typing", "source", source.name(), "run_id", runId));
    JsonObject summary = summary(runId, resource, typed.records(), typed.rows(), typed.rejects(), file.size());
    summary.addProperty("typed_in", "warehouse");
    // BigQuery's EXPORT DATA names its shards itself: what it wrote is what the prefixes hold.
    List<ObjectId> rowObjects = typed.rowObjects().isEmpty()
        ? ports.objects().list(staging.rows().bucket(), rows).stream().map(StoredObject::id).toList() : typed.rowObjects();
    List<ObjectId> rejectShards = typed.rejectObjects().isEmpty()
        ? ports.objects().list(staging.rejects().bucket(), rejects).stream().map(StoredObject::id).toList() : typed.rejectObjects();
    com.google.gson.JsonArray objects = new com.google.gson.JsonArray();
    rowObjects.forEach(o -> objects.add(o.uri()));
    summary.add("rows_objects", objects);
    com.google.gson.JsonArray rejectObjects = new com.google.gson.JsonArray();
    rejectShards.forEach(o -> rejectObjects.add(o.uri()));
    summary.add("rejects_objects", rejectObjects);
    JsonObject byReason = new JsonObject();
    typed.rejectsByReason().forEach(byReason::addProperty);
    summary.add("rejects_by_reason", byReason);
    summary.add("unknown_fields", new JsonObject());
    String md5 = StoredObject.hexMd5(file.md5());
    if (md5 != null) {
      summary.addProperty("md5", md5);
    }
    Map<String, String> meta = Map.of(BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source.name());
    ports.objects().createIfAbsent(
        staging.summary(), "application/json", meta, GSON.toJson(summary).getBytes(StandardCharsets.UTF_8));
    return new Transformed(summary, null);
  }

  /**
   * Streams every input of one resource once into the staging rows and rejects, then writes the
   * summary last. For a drop, the summary also keeps the MD5 of the bytes read.
   */
  private Transformed transform(
      Source source, Source.Resource resource, String runId, List<Input> inputs, BronzeLayout.Staging staging,
      boolean manifest)
      throws IOException, MalformedBronzeException, InvalidEventException {
    TableSchema silverSchema = source.silverSchema(resource.silverTable());
    SilverTransform transform = new SilverTransform(silverSchema, resource.silver(), maskingSalt(source, silverSchema));
    MessageDigest md5Digest = md5();
    long bytes = 0;
    Map<String, String> meta = Map.of(BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source.name());
    try (ObjectStore.PendingObject rowsOut = ports.objects().create(staging.rows(), "application/x-ndjson", meta);
        ObjectStore.PendingObject rejectsOut = ports.objects().create(staging.rejects(), "application/x-ndjson", meta)) {
      SilverTransform.Counts counts;
      try (SilverTransform.Load load = transform.new Load(rowsOut.stream(), rejectsOut.stream())) {
        for (Input input : inputs) {
          long before = load.counts().records();
          // A read that succeeds has read to the end of input, so the MD5 is of every byte. A
          // run's page is the API's whole response: its records are at the data selector.
          // A run's pushed file is NDJSON, as a drop is.
          try (InputStream in = manifest && !input.pushed()
              ? PageRecords.select(ports.objects().open(input.id()), resource.endpoint().dataSelector(),
                  input.id().uri(), JSON)
              : resource.file() != null
                  ? FileRecords.open(resource.file().format(), new DigestInputStream(ports.objects().open(input.id()), md5Digest),
                      input.id().uri(), source.silverSchema(resource.silverTable()), resource.silver())
                  : new DigestInputStream(ports.objects().open(input.id()), md5Digest)) {
            load.read(in, input.lineage());
          }
          long seen = load.counts().records() - before;
          if (manifest && seen != input.expectedRecords()) {
            throw new InvalidEventException(
                input.id() + " holds " + seen + " records, the manifest says " + input.expectedRecords());
          }
        }
        counts = load.counts();
      }
      // Content is deterministic, so an object left by a crashed attempt is the same object.
      rejectsOut.commit();
      Optional<StoredObject> rows = rowsOut.commit();
      bytes = rows.map(StoredObject::size).orElseGet(() -> statSize(staging.rows()));
      JsonObject summary = summary(runId, resource, counts.records(), counts.rows(), counts.rejects(), bytes);
      summary.addProperty("rows_uri", staging.rows().uri());
      summary.addProperty("rejects_uri", staging.rejects().uri());
      JsonObject unknown = new JsonObject();
      counts.unknownFields().forEach(unknown::addProperty);
      summary.add("unknown_fields", unknown);
      if (!manifest) {
        summary.addProperty("md5", HexFormat.of().formatHex(md5Digest.digest()));
      }
      ports.objects().createIfAbsent(
          staging.summary(), "application/json", meta, GSON.toJson(summary).getBytes(StandardCharsets.UTF_8));
      return new Transformed(summary, counts);
    }
  }

  /**
   * The key of the table's {@code hash} masking: the domain's masking salt, read through the
   * secrets port (Secret Manager on GCP, the environment or the home's key locally); null when no
   * column is hashed. A salt that cannot be read fails the load: nothing is written in clear.
   */
  private byte[] maskingSalt(Source source, TableSchema schema) throws IOException {
    if (schema.marked().stream().noneMatch(m -> m.field().masking() == io.medallion.schema.Sensitivity.Masking.HASH)) {
      return null;
    }
    io.medallion.domain.Domain domain = sources.domainOf(source);
    if (domain.maskingSalt() == null) {
      throw new IllegalStateException("silver table of source " + source.name() + " hashes a column but domain "
          + domain.name() + " declares no masking_salt (" + domain.file() + ")");
    }
    return ports.secrets().value(domain.maskingSalt()).getBytes(StandardCharsets.UTF_8);
  }

  /** What every summary says, however the records were typed: the load's counts and size. */
  private static JsonObject summary(String runId, Source.Resource resource, long records, long rows, long rejects, long bytes) {
    JsonObject summary = new JsonObject();
    summary.addProperty("run_id", runId);
    summary.addProperty("table", resource.silverTable());
    summary.addProperty("records", records);
    summary.addProperty("rows", rows);
    summary.addProperty("rejects", rejects);
    summary.addProperty("bytes", bytes);
    return summary;
  }

  private long statSize(ObjectId id) {
    try {
      return ports.objects().stat(id).map(StoredObject::size).orElse(-1L);
    } catch (IOException e) {
      return -1;
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }

  /**
   * A drop whose bytes another run loaded: recorded, not loaded again. A file source's file leaves
   * the inbox for the archive all the same (drop it with medallion-force=true to load it again).
   */
  private Outcome identical(Source source, String runId, FinalizedObject object, DropClaims.Claim holder)
      throws IOException {
    String note = "identical to " + holder.sourceUri() + " (md5 " + holder.md5() + ") already loaded by run "
        + holder.runId();
    LOG.info(() -> "silver: " + object.id() + " not loaded: " + note);
    String archived = "";
    if (source.isFileSource() && source.drops().inInbox(object.id().name())) {
      Optional<ObjectId> kept = new FileLifecycle(ports.objects()).archive(source, object.id(), object.generation(), runId);
      archived = kept.map(k -> "; archived as " + k.uri()).orElse("");
    }
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.SILVER, Status.IGNORED)
            .key(Long.toString(object.generation()))
            .objectUri(object.id().uri())
            .error(note + archived)
            .at(clock.instant()));
    return Outcome.IGNORED;
  }

  /**
   * What silver reads, as a lineage dataset: a run's bronze objects as one (the folder of its
   * manifest, the dataset ingest wrote), or the dropped file itself.
   */
  private static io.medallion.lineage.OpenLineage.Dataset bronzeInput(FinalizedObject trigger, boolean manifest) {
    String name = trigger.id().name();
    return io.medallion.lineage.OpenLineage.gcs(manifest && name.contains("/")
        ? new ObjectId(trigger.id().bucket(), name.substring(0, name.lastIndexOf('/'))) : trigger.id());
  }

  /** The rejects by reason: as this delivery counted them, else as the summary keeps them (if it does). */
  private static Map<String, Long> rejectsByReason(Planned p) {
    Map<String, Long> byReason = new java.util.TreeMap<>();
    if (p.fresh() != null && p.fresh().counts() != null) {
      p.fresh().counts().rejectsByReason().forEach((reason, n) -> byReason.put(reason.name(), n));
      return byReason;
    }
    JsonObject summary = p.summary();
    if (summary.has("rejects_by_reason")) {
      summary.getAsJsonObject("rejects_by_reason").entrySet().forEach(e -> byReason.put(e.getKey(), e.getValue().getAsLong()));
    }
    return byReason;
  }

  private Outcome fail(String runId, String source, FinalizedObject object, String reason) throws IOException {
    LOG.severe(() -> "silver: " + object.id() + " not loaded: " + reason);
    sources.find(source).ifPresent(s -> lineage.fail(clock.instant(), s, runId,
        io.medallion.lineage.StepLineage.silverJob(s.name()), reason, null,
        ev -> ev.input(bronzeInput(object, BronzeLayout.ROLE_MANIFEST.equals(object.metadata().get(BronzeLayout.ROLE))))));
    ports.ledger().record(
        RunEvent.of(runId, source, Stage.SILVER, Status.FAILED)
            .key(Long.toString(object.generation()))
            .objectUri(object.id().uri())
            .error(reason)
            .at(clock.instant()));
    return Outcome.FAILED;
  }
}
