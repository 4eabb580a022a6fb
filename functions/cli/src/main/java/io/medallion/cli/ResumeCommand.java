package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.source.SourceRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion resume RUN_ID}: finish a run that stopped, from where it stopped, reading only
 * from the run's own source (the URL it recorded, or the file that was dropped).
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = "Continue a run that stopped, from its last finished step, reading from the run's own source.")
final class ResumeCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    Instant started = Instant.now();
    try (Workspace workspace = Workspace.open(main, config,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)))) {
      LocalPipeline pipeline = workspace.pipeline();
      workspace.follow(runId, main);
      Resumer.Result result = new Resumer(pipeline).resume(runId);
      if (!result.runId().equals(runId)) {
        workspace.follow(result.runId(), main);
      }
      main.out().printf("resume %s: %s%s%n", runId, result.actions().stream()
          .map(a -> a.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList(),
          result.note() == null ? "" : "; " + result.note());
      if (!workspace.awaitRun(result.runId(), Duration.ofMinutes(30))) {
        main.out().println("still running after 30 minutes");
        return 1;
      }
      RunSummary s = RunSummary.of(result.runId(), pipeline.ledger().events(result.runId()));
      main.out().println();
      Reports.printSummary(s, pipeline, LocalPipeline.sources(config).find(s.source()).orElseThrow(),
          Duration.between(started, Instant.now()), main.out());
      return s.succeeded() ? 0 : 1;
    }
  }
}
