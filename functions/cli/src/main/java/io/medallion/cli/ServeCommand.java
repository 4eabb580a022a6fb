package io.medallion.cli;

import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion serve}: the three functions as long-lived local subscribers, a watcher that
 * turns files copied into the bronze bucket into finalize events, and an optional cron schedule
 * that publishes run requests as Cloud Scheduler would. Runs until interrupted.
 *
 * <p>On start it reconciles bronze: objects that were never processed (files dropped while it was
 * not running, a manifest whose finalize was lost) are processed now, and runs that stopped are
 * listed with the command that finishes them. While it runs, the other commands that use the
 * warehouse go through it ({@link ServeControl}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the functions as local subscribers: process dropped files, and run requests on a schedule.")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--schedule", description = "Cron expression (5 fields, UTC) publishing a run request, e.g. \"0 6 * * *\".")
  String schedule;

  @Option(names = "--source", defaultValue = RunCommand.DEFAULT_SOURCE, description = "Source the schedule ingests (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--schedules", description = "Also run every source on the schedule its declaration names (UTC), as the Cloud Scheduler jobs do on GCP.")
  boolean declaredSchedules;

  @Mixin SourceOptions sources;

  @Option(names = "--poll", defaultValue = "PT1S", description = "How often the bronze bucket is scanned for copied-in files (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    if (registry.find(source).isEmpty()) {
      throw new Main.UserError("unknown source '" + source + "'; known: " + registry.names());
    }
    Map<String, CronSchedule> schedules = new TreeMap<>();
    if (declaredSchedules) {
      for (Source s : registry.all()) {
        if (s.schedule() != null) {
          schedules.put(s.name(), CronSchedule.parse(s.schedule()));
        }
      }
    }
    if (schedule != null) {
      schedules.put(source, CronSchedule.parse(schedule));
    }
    String emulator = main.env().get("PUBSUB_EMULATOR_HOST");
    Transport transport = emulator == null || emulator.isBlank()
        ? Transport.inProcess(config.project())
        : new EmulatorTransport(config.project(), emulator.trim());
    try (LocalServer server = new LocalServer(config.withSourceUrl(sources.origin(config, source)),
            main.home(), schedules, source, poll, main.out(), transport, main.env())) {
      if (emulator != null && !emulator.isBlank()) {
        main.out().printf("  messages  Pub/Sub emulator at %s, project %s: try%n"
            + "            gcloud pubsub topics publish %s --project=%s --message='{\"source\":\"%s\"}'%n",
            emulator, config.project(), config.runRequestsTopic(), config.project(), source);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      // Ctrl-C: the JVM waits for its hooks only, so the hook waits until serve has closed (its
      // warehouse committed, serve.json removed).
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        try {
          closed.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      try {
        stopped.await();
      } finally {
        server.close();
        closed.countDown();
      }
    }
    return 0;
  }

  /** The serving loop, separate from the command so tests can start and stop it. */
  static final class LocalServer implements AutoCloseable {
    private final LocalPipeline pipeline;
    private final ProgressLedger[] progress = new ProgressLedger[1];
    private final ServeControl control;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "medallion-schedule");
      t.setDaemon(true);
      return t;
    });
    private final Map<String, CronSchedule> schedules;
    private final PrintStream out;

    LocalServer(MedallionConfig config, Path home, CronSchedule cron, String source, Duration poll,
        PrintStream out, Transport transport) throws IOException {
      this(config, home, cron == null ? Map.of() : Map.of(source, cron), source, poll, out, transport, Map.of());
    }

    /**
     * @param schedules source -> when a run request of it is published
     * @param env what the commands sent to this serve see as their environment
     */
    LocalServer(MedallionConfig config, Path home, Map<String, CronSchedule> schedules, String source, Duration poll,
        PrintStream out, Transport transport, Map<String, String> env) throws IOException {
      this.schedules = new TreeMap<>(schedules);
      this.out = out;
      // Before the warehouse is opened: a second serve would otherwise fail on DuckDB's lock.
      ServeClient.find(home).ifPresent(other -> {
        throw new Main.UserError("another serve already runs on " + home.toAbsolutePath()
            + " (see " + home.resolve(ServeControl.FILE) + "); stop it first, or use another --home");
      });
      SubscriptionPolicy policy =
          SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
      this.pipeline = new LocalPipeline(config, home, policy,
          ledger -> progress[0] = new ProgressLedger(ledger, out, true, this::where, this::runEnded),
          Clock.systemUTC(), transport);
      try {
        this.control = ServeControl.start(new ServedSession(home, pipeline, progress[0], pipeline.tellsIdle()), env);
      } catch (RuntimeException | IOException e) {
        pipeline.close();
        throw e;
      }
      pipeline.deadLetters().addListener(this::deadLettered);
      pipeline.objects().addStrayListener(stray -> print("  bronze   %s is not loaded: %s%n",
          relative(stray.path()), stray.reason()));
      out.printf("medallion serve%n  home      %s%n  source    %s%n  drop      files into %s/<source>/inbox/ (a file source) or <source>/ (JSON records) to load them%n"
              + "  schedule  %s%n  commands  run, drop, query, status, resume and dead-letters go through this serve%n  stop      Ctrl-C%n",
          home.toAbsolutePath(), SourceOrigin.describe(config.sourceUrl()),
          relative(pipeline.layout().buckets().resolve(config.bronzeBucket())),
          this.schedules.isEmpty() ? "none (--schedule \"0 6 * * *\", or --schedules: each source's declared one)"
              : String.join(", ", this.schedules.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      out.printf("  webhook   POST http://127.0.0.1:%d%s<source>/records or /notify (sources that declare push; ./medallion post, notify)%n",
          control.port(), ServeControl.WEBHOOK);
      out.printf("  api       GET http://127.0.0.1:%d/v1/<source>/<table> (./medallion api; /openapi.json)%n", control.port());
      reconcile();
      pipeline.objects().startWatching(poll);
      this.schedules.keySet().forEach(this::scheduleNext);
      // What Cloud Scheduler does for each source pushed to in mode files: a collection every
      // load_every_minutes loads what was pushed since the last, in one load job per table.
      SourceRegistry registry = LocalPipeline.sources(config);
      for (String name : registry.names()) {
        Source.Push push = registry.find(name).orElseThrow().push();
        if (push != null && push.mode() == Source.Push.Mode.FILES) {
          print("  pushed    %s: batches close after %d s, loaded every %d min%n", name, push.batchSeconds(),
              push.loadEveryMinutes());
          scheduler.scheduleAtFixedRate(() -> collect(name), push.loadEveryMinutes(), push.loadEveryMinutes(), TimeUnit.MINUTES);
        }
      }
    }

    /** Publishes what Cloud Scheduler publishes for a pushed source: a collection request. */
    void collect(String source) {
      try {
        pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
            new RunRequest(source, null, null, null, null, null, false, true).toJson(), Map.of("trigger", "schedule")));
      } catch (Exception e) {
        print("schedule: could not publish the collection of %s: %s%n", source, e.getMessage());
      }
    }

    private void print(String format, Object... args) {
      synchronized (out) {
        out.printf(format, args);
      }
    }

    /** An object a file source's lifecycle wrote (its archive, its quarantine): never an input. */
    private static boolean lifecycleOutput(SourceRegistry registry, StoredObject o) {
      return BronzeLayout.sourceOf(o.id()).flatMap(registry::find)
          .filter(s -> s.isFileSource() && s.drops().isOutput(o.id().name())).isPresent();
    }

    /** A pushed file no collection took yet: the next collection loads it. */
    private static boolean pendingPush(SourceRegistry registry, StoredObject o) {
      return BronzeLayout.sourceOf(o.id()).flatMap(registry::find)
          .filter(s -> s.push() != null && s.push().mode() == Source.Push.Mode.FILES
              && o.id().name().startsWith(BronzeLayout.pushedPrefix(s)))
          .isPresent();
    }

    /**
     * Processes what bronze holds that was never processed, and lists the runs that stopped: a file
     * copied in while serve was not running is loaded now, not ignored forever.
     */
    private void reconcile() throws IOException {
      String bucket = pipeline.config().bronzeBucket();
      SourceRegistry registry = LocalPipeline.sources(pipeline.config());
      Map<String, List<StoredObject>> manifests = new TreeMap<>();
      TreeSet<String> runsWithPages = new TreeSet<>();
      List<StoredObject> unprocessedDrops = new ArrayList<>();
      for (StoredObject o : pipeline.objects().list(bucket, "")) {
        String role = o.metadata().get(BronzeLayout.ROLE);
        String runId = o.metadata().get(BronzeLayout.RUN_ID);
        if (BronzeLayout.ROLE_PAGE.equals(role) && runId != null) {
          runsWithPages.add(runId);
        } else if (BronzeLayout.ROLE_MANIFEST.equals(role) && runId != null) {
          manifests.computeIfAbsent(runId, id -> new ArrayList<>()).add(o);
        } else if (!lifecycleOutput(registry, o) && !pendingPush(registry, o) && pipeline.ledger().events(RunIds.forDrop(bucket, o.id().name(),
            o.generation())).isEmpty()) {
          unprocessedDrops.add(o);
        }
      }
      int announced = 0;
      for (StoredObject drop : unprocessedDrops) {
        print("  bronze   %s was never loaded: loading it now%n", where(drop.id().uri()));
        announce(drop);
        announced++;
      }
      List<String> stopped = new ArrayList<>();
      for (Map.Entry<String, List<StoredObject>> m : manifests.entrySet()) {
        List<RunEvent> events = pipeline.ledger().events(m.getKey());
        if (events.stream().noneMatch(e -> e.stage() == Stage.SILVER)) {
          print("  bronze   run %s has its manifest but silver never read it: loading it now%n", m.getKey());
          announce(m.getValue().get(0));
          announced++;
        } else if (!RunSummary.of(m.getKey(), events).succeeded() && !Workspace.ended(events)) {
          stopped.add(m.getKey());
        }
        runsWithPages.remove(m.getKey());
      }
      for (String runId : runsWithPages) {
        List<RunEvent> events = pipeline.ledger().events(runId);
        if (events.isEmpty() || events.stream().noneMatch(e -> e.stage() == Stage.INGEST && e.status() == Status.SUCCEEDED)) {
          stopped.add(runId);
        }
      }
      for (String runId : stopped) {
        print("  bronze   run %s stopped before gold: ./medallion resume %s finishes it%n", runId, runId);
      }
      print("  bronze   reconciled: %d never-processed object(s) loading, %d stopped run(s)%n", announced, stopped.size());
    }

    private void announce(StoredObject object) throws IOException {
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(object));
    }

    /** An object URI as the file that holds it, relative to where serve runs when it can be. */
    String where(String uri) {
      if (uri == null || !uri.startsWith("gs://")) {
        return uri;
      }
      try {
        return relative(pipeline.objects().path(ObjectId.fromUri(uri)));
      } catch (IllegalArgumentException | IOException e) {
        return uri;
      }
    }

    private static String relative(Path path) {
      Path here = Path.of("").toAbsolutePath();
      Path abs = path.toAbsolutePath();
      return abs.startsWith(here) ? here.relativize(abs).toString() : abs.toString();
    }

    /** The summary `run` prints, once a run has nothing more to do. */
    private void runEnded(String runId) {
      try {
        RunSummary s = RunSummary.of(runId, pipeline.ledger().events(runId));
        Duration elapsed = s.startedAt() == null ? Duration.ZERO : Duration.between(s.startedAt(), Instant.now());
        synchronized (out) {
          out.println();
          Reports.printSummary(s, pipeline, LocalPipeline.sources(pipeline.config()).find(s.source()).orElse(null), elapsed, out);
          out.println();
        }
      } catch (IOException | RuntimeException e) {
        print("  (no summary of run %s: %s)%n", runId, e.getMessage());
      }
    }

    /** A message kept in the dead letters: said once, with its run's summary when it names one. */
    private void deadLettered(DeadLetterArchive.DeadLetter d) {
      String reason = d.message().attributes().getOrDefault(DeadLetters.ERROR, String.valueOf(d.lastError()));
      String from = d.message().attributes().getOrDefault(DeadLetters.FUNCTION, String.valueOf(d.sourceSubscription()));
      print("  dead     %s kept a message: %s (./medallion dead-letters)%n", from, reason);
      String runId = null;
      try {
        runId = RunRequest.parse(d.message().data()).runId();
      } catch (InvalidEventException e) {
        // not a run request
      }
      try {
        if (runId != null && !pipeline.ledger().events(runId).isEmpty()) {
          runEnded(runId);
        }
      } catch (IOException e) {
        // the line above said it
      }
    }

    private void scheduleNext(String source) {
      schedules.get(source).delay(ZonedDateTime.now(Clock.systemUTC())).ifPresent(delay ->
          scheduler.schedule(() -> fire(source), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS));
    }

    /**
     * Publishes what Cloud Scheduler publishes for a source: a run request without run id, or for a
     * stream source a gold build request (its silver is written as records are pushed).
     */
    void fire(String source) {
      try {
        if (LocalPipeline.sources(pipeline.config()).find(source).map(io.medallion.source.Source::streams).orElse(false)) {
          String id = pipeline.requestGold(source, null);
          print("schedule: asked for a gold build of stream source %s (message %s)%n", source, id);
          return;
        }
        String id = pipeline.publish(pipeline.config().runRequestsTopic(),
            OutboundMessage.json(RunRequest.of(source).toJson(), Map.of("trigger", "schedule")));
        print("schedule: published a run request of %s (message %s)%n", source, id);
      } catch (Exception e) {
        print("schedule: could not publish the run request of %s: %s%n", source, e.getMessage());
      } finally {
        scheduleNext(source);
      }
    }

    LocalPipeline pipeline() {
      return pipeline;
    }

    DirectoryObjectStore objects() {
      return pipeline.objects();
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops serving; closing again does nothing. */
    @Override
    public void close() throws IOException {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      scheduler.shutdownNow();
      try {
        control.close();
      } finally {
        pipeline.close();
      }
    }
  }
}
