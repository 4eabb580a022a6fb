package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.event.InvalidEventException;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import io.medallion.source.SourceRegistry;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion publish}: sends a run request to the run-requests topic of real Pub/Sub, or of
 * the emulator when {@code PUBSUB_EMULATOR_HOST} is set, exactly as Cloud Scheduler or {@code
 * gcloud pubsub topics publish} would.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish a run request to Pub/Sub (the emulator when PUBSUB_EMULATOR_HOST is set).")
final class PublishCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", defaultValue = RunCommand.DEFAULT_SOURCE, description = "Source to ingest (default: ${DEFAULT-VALUE}).")
  String source;

  @Option(names = "--run-id", description = "Run id; default: derived by ingest from the message.")
  String runId;

  @Option(names = "--start-page", description = "Resume from this page.")
  Integer startPage;

  @Option(names = "--ingest-date", description = "Bronze partition date, YYYY-MM-DD.")
  LocalDate ingestDate;

  @Option(names = "--topic", description = "Topic (default: $MEDALLION_RUN_REQUESTS_TOPIC or run-requests).")
  String topic;

  @Option(names = "--project", description = "GCP project (default: $MEDALLION_PROJECT).")
  String project;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    if (LocalPipeline.sources(config).find(source).isEmpty()) {
      throw new Main.UserError("unknown source '" + source + "'; known: " + LocalPipeline.sources(config).names());
    }
    String json = new RunRequest(source, runId, startPage, ingestDate).toJson();
    try {
      RunRequest.parse(json.getBytes(StandardCharsets.UTF_8)); // the same check ingest makes
    } catch (InvalidEventException e) {
      throw new Main.UserError(e.getMessage());
    }
    String targetProject = project != null ? project : config.project();
    String targetTopic = topic != null ? topic : config.runRequestsTopic();
    String emulator = main.env().get("PUBSUB_EMULATOR_HOST");
    try (PubSubMessageBus bus = emulator != null && !emulator.isBlank()
        ? PubSubMessageBus.forEmulator(targetProject, emulator.trim())
        : PubSubMessageBus.forGcp(targetProject)) {
      String id = bus.publish(targetTopic, OutboundMessage.json(json, Map.of("trigger", "cli")));
      System.out.printf("published %s to projects/%s/topics/%s%s (message id %s)%n",
          json, targetProject, targetTopic, emulator != null ? " on the emulator at " + emulator : "", id);
      return 0;
    }
  }
}
