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
import io.medallion.source.SourceRegistry;
import io.medallion.source.breweries.BreweriesSource;
import io.medallion.source.SourceOrigin;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code medallion run}: one whole run, ingest to gold, on local adapters. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the whole pipeline locally and show the gold result.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", defaultValue = BreweriesSource.NAME, description = "Source to ingest (default: ${DEFAULT-VALUE}).")
  String source;

  @Mixin SourceOptions sources;

  @Option(names = "--page-size", description = "Records per API page, 1..200 (default: 200, or $MEDALLION_PAGE_SIZE).")
  Integer pageSize;

  @Option(names = "--run-id", description = "Run id (default: generated). Lowercase letters, digits, _ and -.")
  String runId;

  @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up waiting after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    // Inside serve, the run goes on serve's pipeline and configuration.
    MedallionConfig config = main.served().map(s -> s.pipeline().config())
        .orElseGet(() -> MedallionConfig.forLocal(main.env()));
    Source src = SourceRegistry.standard().find(source).orElseThrow(
        () -> new Main.UserError("unknown source '" + source + "'; known: " + SourceRegistry.standard().names()));
    if (pageSize != null && (pageSize < 1 || pageSize > MedallionConfig.MAX_PAGE_SIZE)) {
      throw new Main.UserError("--page-size must be 1.." + MedallionConfig.MAX_PAGE_SIZE + " (the API's limit), got " + pageSize);
    }
    String id = runId != null ? runId : RunIds.forMessage(Instant.now(), UUID.randomUUID().toString());
    URI origin = sources.origin(config, src.name());
    if (SourceOrigin.REPLAY.equals(origin.getScheme()) && !src.name().equals(BreweriesSource.NAME)) {
      throw new Main.UserError("no generated data for source " + src.name() + ": pass --source-url");
    }
    // The request names its source URL and page size, so the run, its continuations, a resume
    // and a replay of its dead letter all read exactly the same pages from exactly this source.
    RunRequest request = new RunRequest(src.name(), id, null, null, origin,
        pageSize != null ? pageSize : config.ingestPageSize());
    try {
      RunRequest.parse(request.toJson().getBytes(StandardCharsets.UTF_8));
    } catch (InvalidEventException e) {
      throw new Main.UserError("--run-id '" + id + "' is not valid: lowercase letters, digits, _ and -, at most 63 characters");
    }
    Path home = main.home();
    Instant started = Instant.now();
    out.printf("medallion run %s%n  source   %s from %s (%s)%n  home     %s%s%n", id, src.name(),
        SourceOrigin.describe(origin), sources.originLabel(config), home.toAbsolutePath(),
        main.served().isPresent() ? " (through the running serve)" : "");
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)).withDeadLetter(config.deadLettersTopic(), 5);
    try (Workspace workspace = Workspace.open(main, config, policy)) {
      LocalPipeline pipeline = workspace.pipeline();
      workspace.follow(id, main);
      int deadBefore = pipeline.deadLetters().list().size();
      pipeline.publish(config.runRequestsTopic(), OutboundMessage.json(request.toJson(), Map.of("trigger", "cli")));
      boolean finished = workspace.awaitRun(id, timeout);
      RunSummary summary = RunSummary.of(id, pipeline.ledger().events(id));
      Duration elapsed = Duration.between(started, Instant.now());
      out.println();
      if (!finished) {
        out.printf("Run %s did not finish within %s.%n", id, timeout);
        return 1;
      }
      Reports.printSummary(summary, pipeline, src, elapsed, out);
      if (!workspace.shared()) {
        // Serve's meters add up over all it did: only a run of its own has meters of its own.
        List<MeterRow> meters = MeterRow.snapshot(pipeline.meters());
        new DuckDbMeterTable(pipeline.warehouse(), config.opsDataset()).save(id, meters, Instant.now());
        out.println();
        Reports.printMetrics(meters, out);
      }
      out.println();
      if (!summary.succeeded()) {
        long dead = pipeline.deadLetters().list().size() - deadBefore;
        out.printf("Run %s FAILED.%s%n", id, dead > 0 ? " " + dead + " message(s) in " + pipeline.layout().deadLetters() : "");
        return 1;
      }
      TableId mainTable = new TableId(config.goldDataset(), src.mainGoldTable());
      out.printf("%n%s (first 10 rows):%n", mainTable);
      QueryResult rows = pipeline.warehouse().read("select * from " + mainTable.sql() + " order by " + src.mainGoldOrder() + " limit 10");
      TablePrinter.print(rows, out);
      out.printf("%nExplore: ./medallion query \"select * from %s\"   |   ./medallion status %s%n", mainTable.sql(), id);
      return 0;
    }
  }
}
