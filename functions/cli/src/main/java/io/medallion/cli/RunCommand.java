package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.event.InvalidEventException;
import io.medallion.ledger.RunSummary;
import io.medallion.local.bigquery.DuckDbMeterTable;
import io.medallion.local.metrics.MeterRow;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion run}: whole runs, ingest to gold, on local adapters: of one source (breweries by
 * default), of several ({@code --source} repeated) or of all ({@code --all}), each an independent
 * run.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the whole pipeline locally and show the gold result.")
final class RunCommand implements Callable<Integer> {

  /** The source a bare {@code medallion run} reads. */
  static final String DEFAULT_SOURCE = "breweries";

  @ParentCommand Main main;

  @Option(names = "--source", description = "Source to run (repeatable; default: " + DEFAULT_SOURCE + ").")
  List<String> sourceNames = new ArrayList<>();

  @Option(names = "--all", description = "Run every declared source.")
  boolean all;

  @Mixin SourceOptions sources;

  @Option(names = "--page-size", description = "Records per API page, 1..200 (default: each source's declared page size, or $MEDALLION_PAGE_SIZE).")
  Integer pageSize;

  @Option(names = "--run-id", description = "Run id (default: generated; with several sources, <id>-<source>). Lowercase letters, digits, _ and -.")
  String runId;

  @Option(names = "--full-refresh", description = "Read incremental resources from their declared initial value, not from the last run's high-water mark.")
  boolean fullRefresh;

  @Option(names = "--pushed", description = "Load what was pushed to the source's webhook since the last load (its open batch closed first), instead of pulling; serve does it every push.load_every_minutes. A source with nothing to pull always does this.")
  boolean pushed;

  @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up waiting after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** A stream source's run id: {@code stream-} first (a gold build, no ingest), at most 63 characters. */
  static String streamRunId(String id) {
    String streamed = id.startsWith(io.medallion.ledger.RunSummary.STREAM_PREFIX) ? id : io.medallion.ledger.RunSummary.STREAM_PREFIX + id;
    if (!streamed.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new Main.UserError("--run-id '" + id + "' is not valid for a stream source's gold build (stream-<id>): lowercase"
          + " letters, digits, _ and -, at most " + (63 - io.medallion.ledger.RunSummary.STREAM_PREFIX.length()) + " characters");
    }
    return streamed;
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    // Inside serve, the runs go on serve's pipeline and configuration.
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    if (all && !sourceNames.isEmpty()) {
      throw new Main.UserError("--all and --source do not go together");
    }
    List<Source> chosen = new ArrayList<>();
    for (String name : all ? List.copyOf(registry.names()) : sourceNames.isEmpty() ? List.of(DEFAULT_SOURCE) : sourceNames) {
      Source source = registry.find(name).orElseThrow(
          () -> new Main.UserError("unknown source '" + name + "'; known: " + registry.names()));
      if (source.isFileSource()) {
        if (!all) {
          throw new Main.UserError(io.medallion.ingest.IngestStep.fileSourceIsNotPulled(source));
        }
        continue; // --all runs what can be pulled; files load when dropped
      }
      chosen.add(source);
    }
    if (chosen.size() > 1 && sources.sourceUrl != null) {
      throw new Main.UserError("--source-url names one API: give it with one --source");
    }
    if (pageSize != null && (pageSize < 1 || pageSize > MedallionConfig.MAX_PAGE_SIZE)) {
      throw new Main.UserError("--page-size must be 1.." + MedallionConfig.MAX_PAGE_SIZE + " (the API's limit), got " + pageSize);
    }
    String base = runId != null ? runId : RunIds.forMessage(Instant.now(), UUID.randomUUID().toString());
    Map<String, RunRequest> requests = new LinkedHashMap<>();
    java.util.Set<String> goldBuilds = new java.util.HashSet<>();
    for (Source src : chosen) {
      String id = chosen.size() == 1 ? base : base + "-" + src.name().replace('_', '-');
      if (src.streams()) {
        // Nothing to pull: a stream source's silver is written as records are pushed. A run is a
        // gold build of what is there now, as its schedule asks for one.
        id = streamRunId(id);
        goldBuilds.add(id);
        requests.put(id, new RunRequest(src.name(), id, null, null));
        out.printf("medallion run %s%n  source   %s: gold of the rows streamed into silver.%s so far (push.mode stream)%n", id,
            src.name(), src.resource(src.push().resource()).orElseThrow().silverTable());
        continue;
      }
      if (pushed || (src.client() == null && src.push() != null)) {
        if (src.push() == null && all) {
          continue; // --all --pushed loads what was pushed to each source that takes pushes
        }
        if (src.push() == null) {
          throw new Main.UserError("source " + src.name() + " declares no push: nothing is pushed to it");
        }
        requests.put(id, new RunRequest(src.name(), id, null, null, null, null, false, true));
        out.printf("medallion run %s%n  source   %s: the records pushed since the last load%n", id, src.name());
        continue;
      }
      URI origin = sources.origin(config, src.name());
      if (SourceOrigin.REPLAY.equals(origin.getScheme()) && src.replay() == null) {
        throw new Main.UserError("source " + src.name() + " declares no replay data: pass --source-url");
      }
      // The request names its source URL and page size, so the run, its continuations, a resume
      // and a replay of its dead letter all read exactly the same pages from exactly this source.
      RunRequest request = new RunRequest(src.name(), id, null, null, origin,
          pageSize != null ? pageSize : config.ingestPageSize(), fullRefresh);
      try {
        RunRequest.parse(request.toJson().getBytes(StandardCharsets.UTF_8));
      } catch (InvalidEventException e) {
        throw new Main.UserError("--run-id '" + id + "' is not valid: lowercase letters, digits, _ and -, at most 63 characters");
      }
      requests.put(id, request);
      out.printf("medallion run %s%n  source   %s from %s (%s)%n", id, src.name(), Reports.describeOrigin(src, origin),
          sources.originLabel(config));
    }
    out.printf("  home     %s%s%n", main.home().toAbsolutePath(), main.served().isPresent() ? " (through the running serve)" : "");
    Instant started = Instant.now();
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)).withDeadLetter(config.deadLettersTopic(), 5);
    try (Workspace workspace = Workspace.open(main, config, policy)) {
      LocalPipeline pipeline = workspace.pipeline();
      int deadBefore = pipeline.deadLetters().list().size();
      if (requests.values().stream().anyMatch(RunRequest::pushed)) {
        pipeline.flushPushed(); // what was posted before this command is loaded by it
      }
      for (Map.Entry<String, RunRequest> r : List.copyOf(requests.entrySet())) {
        Source src = registry.find(r.getValue().source()).orElseThrow();
        if (r.getValue().pushed()
            && pipeline.objects().list(config.bronzeBucket(), io.medallion.bronze.BronzeLayout.pushedPrefix(src)).isEmpty()) {
          out.printf("  %s: nothing was pushed since the last load%n", src.name());
          requests.remove(r.getKey());
        }
      }
      if (requests.isEmpty()) {
        return 0;
      }
      for (Map.Entry<String, RunRequest> r : requests.entrySet()) {
        workspace.follow(r.getKey(), main, requests.size() > 1);
        if (goldBuilds.contains(r.getKey())) {
          pipeline.requestGold(r.getValue().source(), r.getKey());
          continue;
        }
        pipeline.publish(config.runRequestsTopic(), OutboundMessage.json(r.getValue().toJson(), Map.of("trigger", "cli")));
      }
      boolean finished = true;
      for (String id : requests.keySet()) {
        finished &= workspace.awaitRun(id, timeout);
      }
      Duration elapsed = Duration.between(started, Instant.now());
      out.println();
      if (!finished) {
        out.printf("Runs %s did not finish within %s.%n", requests.keySet(), timeout);
        return 1;
      }
      boolean allSucceeded = true;
      for (Map.Entry<String, RunRequest> r : requests.entrySet()) {
        RunSummary summary = RunSummary.of(r.getKey(), pipeline.ledger().events(r.getKey()));
        Reports.printSummary(summary, pipeline, registry.find(r.getValue().source()).orElseThrow(), elapsed, out);
        out.println();
        allSucceeded &= summary.succeeded();
      }
      if (!workspace.shared()) {
        // Serve's meters add up over all it did: only a run of its own has meters of its own.
        List<MeterRow> meters = MeterRow.snapshot(pipeline.meters());
        for (Map.Entry<String, RunRequest> r : requests.entrySet()) {
          // Each run keeps the meters tagged with its source (with one source: all of them).
          String tag = "source=" + r.getValue().source();
          List<MeterRow> own = requests.size() == 1 ? meters
              : meters.stream().filter(m -> m.tags().contains(tag)).toList();
          new DuckDbMeterTable(pipeline.warehouse(), config.opsDataset()).save(r.getKey(), own, Instant.now());
        }
        Reports.printMetrics(meters, out);
        out.println();
      }
      if (!allSucceeded) {
        long dead = pipeline.deadLetters().list().size() - deadBefore;
        List<String> failed = new ArrayList<>();
        for (String id : requests.keySet()) {
          if (!RunSummary.of(id, pipeline.ledger().events(id)).succeeded()) {
            failed.add(id);
          }
        }
        out.printf("Run%s %s FAILED.%s%n", failed.size() == 1 ? "" : "s", String.join(", ", failed),
            dead > 0 ? " " + dead + " message(s) in " + pipeline.layout().deadLetters() : "");
        return 1;
      }
      for (Map.Entry<String, RunRequest> r : requests.entrySet()) {
        Source src = registry.find(r.getValue().source()).orElseThrow();
        TableId mainTable = new TableId(config.goldDataset(src), src.mainGoldTable());
        out.printf("%n%s (first 10 rows):%n", mainTable);
        QueryResult rows = pipeline.warehouse().read("select * from " + mainTable.sql() + " order by " + src.mainGoldOrder() + " limit 10");
        TablePrinter.print(rows, out);
        out.printf("%nExplore: ./medallion query \"select * from %s\"   |   ./medallion status %s%n", mainTable.sql(), r.getKey());
      }
      return 0;
    }
  }
}
