package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import io.medallion.source.breweries.BreweriesSource;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
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
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the functions as local subscribers: process dropped files, and run requests on a schedule.")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--schedule", description = "Cron expression (5 fields, UTC) publishing a run request, e.g. \"0 6 * * *\".")
  String schedule;

  @Option(names = "--source", defaultValue = BreweriesSource.NAME, description = "Source the schedule ingests (default: ${DEFAULT-VALUE}).")
  String source;

  @Mixin SourceOptions sources;

  @Option(names = "--poll", defaultValue = "PT1S", description = "How often the bronze bucket is scanned for copied-in files (default: ${DEFAULT-VALUE}).")
  Duration poll;

  @Override
  public Integer call() throws Exception {
    CronSchedule cron = schedule == null ? null : CronSchedule.parse(schedule);
    if (SourceRegistry.standard().find(source).isEmpty()) {
      throw new Main.UserError("unknown source '" + source + "'; known: " + SourceRegistry.standard().names());
    }
    MedallionConfig config = MedallionConfig.forLocal(main.env());
    String emulator = main.env().get("PUBSUB_EMULATOR_HOST");
    Transport transport = emulator == null || emulator.isBlank()
        ? Transport.inProcess(config.project())
        : new EmulatorTransport(config.project(), emulator.trim());
    try (LocalServer server = new LocalServer(config.withSourceUrl(sources.origin(config, source)),
            main.home(), cron, source, poll, System.out, transport)) {
      if (emulator != null && !emulator.isBlank()) {
        System.out.printf("  messages  Pub/Sub emulator at %s, project %s: try%n"
            + "            gcloud pubsub topics publish %s --project=%s --message='{\"source\":\"%s\"}'%n",
            emulator, config.project(), config.runRequestsTopic(), config.project(), source);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  /** The serving loop, separate from the command so tests can start and stop it. */
  static final class LocalServer implements AutoCloseable {
    private final LocalPipeline pipeline;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "medallion-schedule");
      t.setDaemon(true);
      return t;
    });
    private final CronSchedule cron;
    private final String source;
    private final PrintStream out;

    LocalServer(MedallionConfig config, java.nio.file.Path home, CronSchedule cron, String source, Duration poll,
        PrintStream out, Transport transport) throws java.io.IOException {
      this.cron = cron;
      this.source = source;
      this.out = out;
      SubscriptionPolicy policy =
          SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
      this.pipeline = new LocalPipeline(
          config, home, policy, ledger -> new ProgressLedger(ledger, out), Clock.systemUTC(), transport);
      pipeline.objects().startWatching(poll);
      out.printf("medallion serve%n  home      %s%n  source    %s%n  drop      files into %s/<source>/ to load them%n  schedule  %s%n  stop      Ctrl-C%n",
          home.toAbsolutePath(), SourceOrigin.describe(config.sourceUrl()), pipeline.layout().buckets().resolve(config.bronzeBucket()),
          cron == null ? "none (--schedule \"0 6 * * *\")" : cron);
      scheduleNext();
    }

    private void scheduleNext() {
      if (cron == null) {
        return;
      }
      cron.delay(ZonedDateTime.now(Clock.systemUTC())).ifPresent(delay ->
          scheduler.schedule(this::fire, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS));
    }

    /** Publishes what Cloud Scheduler publishes: a run request without run id. */
    void fire() {
      try {
        String id = pipeline.publish(pipeline.config().runRequestsTopic(),
            OutboundMessage.json(RunRequest.of(source).toJson(), Map.of("trigger", "schedule")));
        out.printf("schedule: published run request (message %s)%n", id);
      } catch (Exception e) {
        out.println("schedule: could not publish the run request: " + e.getMessage());
      } finally {
        scheduleNext();
      }
    }

    LocalPipeline pipeline() {
      return pipeline;
    }

    @Override
    public void close() throws java.io.IOException {
      scheduler.shutdownNow();
      pipeline.close();
    }
  }
}
