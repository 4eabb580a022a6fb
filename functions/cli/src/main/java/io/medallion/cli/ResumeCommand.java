package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.source.SourceRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code medallion resume RUN_ID}: finish a run that stopped, from where it stopped. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a run that stopped, from its last finished step.")
final class ResumeCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Mixin SourceOptions sources;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = MedallionConfig.from(main.env());
    Instant started = Instant.now();
    try (SourceOptions.Api api = sources.open(config);
        LocalPipeline pipeline = new LocalPipeline(config.withSourceUrl(api.url()), main.home(),
            SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)),
            ledger -> new ProgressLedger(ledger, System.out), Clock.systemUTC())) {
      List<Resumer.Action> actions = new Resumer(pipeline).resume(runId);
      System.out.printf("resume %s: %s%n", runId, actions.stream()
          .map(a -> a.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).toList());
      if (!pipeline.awaitIdle(Duration.ofMinutes(30))) {
        System.out.println("still running after 30 minutes");
        return 1;
      }
      RunSummary s = RunSummary.of(runId, pipeline.ledger().events(runId));
      System.out.println();
      Reports.printSummary(s, pipeline, SourceRegistry.standard().find(s.source()).orElseThrow(), Duration.between(started, Instant.now()), System.out);
      return s.succeeded() ? 0 : 1;
    }
  }
}
