package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.gold.BackfillRequest;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion backfill}: a source's gold rebuilt from silver, its incremental models over the
 * silver rows ingested in a range of days, or one model whole ({@code --full-refresh}). The request
 * is checked here and again by gold, before anything is written; it goes to gold as a message, as
 * on GCP, and runs as its own run ({@code backfill-...}) with the source's checks.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
    description = "Rebuild a source's incremental gold models from silver for a range of days (UTC), or a model whole.")
final class BackfillCommand implements Callable<Integer> {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss").withZone(ZoneOffset.UTC);

  @ParentCommand Main main;

  @Option(names = "--source", required = true, description = "The source whose gold to rebuild.")
  String sourceName;

  @Option(names = "--from", description = "First day of silver to read, YYYY-MM-DD (UTC, by _ingested_at).")
  String from;

  @Option(names = "--to", description = "Last day of silver to read, YYYY-MM-DD, included; not after today.")
  String to;

  @Option(names = "--full-refresh", paramLabel = "MODEL",
      description = "Rebuild this model whole from all of silver (repeatable), e.g. after its SQL changed.")
  List<String> fullRefresh = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up waiting after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    Instant now = Instant.now();
    String runId = RunSummary.BACKFILL_PREFIX + sourceName.replace('_', '-') + "-" + STAMP.format(now);
    if (runId.length() > 63) {
      runId = runId.substring(0, 63 - 16) + STAMP.format(now);
    }
    BackfillRequest request = new BackfillRequest(sourceName, date("--from", from), date("--to", to), fullRefresh, runId);
    java.util.Optional<String> problem = request.problem(registry, now);
    if (problem.isPresent()) {
      throw new Main.UserError(problem.get());
    }
    Source source = registry.find(sourceName).orElseThrow();
    out.printf("medallion backfill %s%n  source   %s: %s%s%n", runId, source.name(),
        request.hasRange() ? "incremental models over silver ingested " + request.from() + " to " + request.to() + " (UTC days)"
            + ", snapshots and tables rebuilt whole" : "the rest as a run would build it",
        fullRefresh.isEmpty() ? "" : "; rebuilt whole: " + String.join(", ", fullRefresh));
    out.printf("  home     %s%s%n", main.home().toAbsolutePath(), main.served().isPresent() ? " (through the running serve)" : "");
    Instant started = Instant.now();
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .withDeadLetter(config.deadLettersTopic(), 5);
    try (Workspace workspace = Workspace.open(main, config, policy)) {
      LocalPipeline pipeline = workspace.pipeline();
      workspace.follow(runId, main);
      pipeline.requestBackfill(request);
      if (!workspace.awaitRun(runId, timeout)) {
        out.printf("Backfill %s did not finish within %s.%n", runId, timeout);
        return 1;
      }
      RunSummary summary = RunSummary.of(runId, pipeline.ledger().events(runId));
      out.println();
      for (RunEvent e : pipeline.ledger().events(runId)) {
        if (e.stage() == Stage.GOLD && e.status() == Status.CHECKPOINT) {
          out.printf("  %-34s %,d rows%n", e.objectUri(), e.rows() == null ? 0 : e.rows());
        }
      }
      Reports.printSummary(summary, pipeline, source, Duration.between(started, Instant.now()), out);
      if (!summary.succeeded()) {
        out.printf("Backfill %s FAILED: %s%n", runId, summary.errors());
        return 1;
      }
      out.printf("%nBackfill %s done (run it again: the same tables).   |   ./medallion status %s%n", runId, runId);
      return 0;
    }
  }

  private static LocalDate date(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new Main.UserError(option + " '" + text + "' is not a date YYYY-MM-DD");
    }
  }
}
