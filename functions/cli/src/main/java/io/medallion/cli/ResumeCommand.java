package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.BreweryGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code medallion resume RUN_ID}: finish a run that stopped, from where it stopped. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue a run that stopped, from its last finished step.")
final class ResumeCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--source-url", description = "API base URL (default: the embedded replay server, same data as run).")
  URI sourceUrl;

  @Option(names = "--records", defaultValue = "10000", description = "Records of the embedded replay server (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the embedded replay server (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = MedallionConfig.from(main.env());
    URI url = sourceUrl != null ? sourceUrl : config.sourceUrl();
    Instant started = Instant.now();
    try (ReplayServer replay = url == null ? new ReplayServer(new BreweryGenerator(seed).generate(records)) : null;
        LocalPipeline pipeline = new LocalPipeline(config.withSourceUrl(url != null ? url : replay.baseUrl()), main.home(),
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
