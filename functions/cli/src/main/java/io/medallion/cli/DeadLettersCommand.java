package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.run.RunRequest;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion dead-letters}: what could not be processed, with the reason; {@code --replay ID}
 * sends one back to the topic it came from (after a fix) and runs the pipeline until idle. A run
 * request goes back as it was kept: ingest keeps a failed run's request with its run id and source
 * URL, so the replay continues that run from that source.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List the local dead letters, or replay one to the topic it came from.")
final class DeadLettersCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--replay", paramLabel = "ID", description = "Republish this dead letter (an id from the list) and run it.")
  String replay;

  /** Attributes the dead-lettering added; a replayed message goes back without them. */
  private static final List<String> ADDED_PREFIXES = List.of("CloudPubSubDeadLetter", "medallion_");

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    LocalPipeline.Layout layout = new LocalPipeline.Layout(main.home());
    DeadLetterArchive archive = new DeadLetterArchive(layout.deadLetters());
    List<DeadLetterArchive.DeadLetter> letters = archive.list();
    if (replay == null) {
      List<List<Object>> rows = new ArrayList<>();
      for (DeadLetterArchive.DeadLetter d : letters) {
        rows.add(List.of(id(d), String.valueOf(d.message().publishTime()), origin(d), topic(config, d) == null ? "?" : topic(config, d),
            reason(d), preview(d)));
      }
      TablePrinter.print(new QueryResult(List.of("id", "published_at", "from", "topic", "reason", "data"), rows), main.out());
      return 0;
    }
    DeadLetterArchive.DeadLetter letter = letters.stream().filter(d -> id(d).equals(replay)).findFirst()
        .orElseThrow(() -> new Main.UserError("no dead letter '" + replay + "' in " + layout.deadLetters()));
    String topic = topic(config, letter);
    if (topic == null) {
      throw new Main.UserError("dead letter " + replay + " does not say where it came from; nothing to replay to");
    }
    Map<String, String> attributes = new HashMap<>();
    letter.message().attributes().forEach((k, v) -> {
      if (ADDED_PREFIXES.stream().noneMatch(k::startsWith)) {
        attributes.put(k, v);
      }
    });
    try (Workspace workspace = Workspace.open(main, config,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)))) {
      LocalPipeline pipeline = workspace.pipeline();
      // Move it aside first: if it fails again it comes back as a new dead letter, not a duplicate.
      Path replayed = Files.createDirectories(layout.deadLetters().resolve("replayed"));
      Files.move(letter.file(), replayed.resolve(letter.file().getFileName()), StandardCopyOption.ATOMIC_MOVE);
      // A run request names its run (ingest keeps failed ones so): follow that run.
      String runId = null;
      if (topic.equals(config.runRequestsTopic())) {
        try {
          runId = RunRequest.parse(letter.message().data()).runId();
        } catch (InvalidEventException e) {
          // still bad: it comes back as a dead letter
        }
      }
      if (runId != null) {
        workspace.follow(runId, main);
      }
      String id = pipeline.publish(topic, new OutboundMessage(letter.message().data(), attributes));
      main.out().printf("replayed %s to %s as message %s%n", replay, topic, id);
      boolean done = runId != null ? workspace.awaitRun(runId, Duration.ofMinutes(30))
          : pipeline.awaitIdle(Duration.ofMinutes(30));
      if (!done && runId == null && workspace.shared()) {
        main.out().println("serve handles it now (follow it with ./medallion status and ./medallion dead-letters)");
        return 0;
      }
      if (!done) {
        main.out().println("still running after 30 minutes");
        return 1;
      }
      int left = new DeadLetterArchive(layout.deadLetters()).list().size();
      main.out().printf("done; %d dead letter(s) now%n", left);
      return left > letters.size() - 1 ? 1 : 0;
    }
  }

  private static String id(DeadLetterArchive.DeadLetter d) {
    String name = d.file().getFileName().toString();
    return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
  }

  /** The function or subscription that gave up on it. */
  private static String origin(DeadLetterArchive.DeadLetter d) {
    String function = d.message().attributes().get(DeadLetters.FUNCTION);
    return function != null ? function + " (rejected)" : String.valueOf(d.sourceSubscription());
  }

  /** The topic its consumer reads: where a replay goes. */
  private static String topic(MedallionConfig config, DeadLetterArchive.DeadLetter d) {
    String from = d.message().attributes().getOrDefault(DeadLetters.FUNCTION, d.sourceSubscription());
    if (from == null) {
      return null;
    }
    return switch (from) {
      case "ingest" -> config.runRequestsTopic();
      case "silver" -> LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC;
      case "gold" -> config.bqJobsTopic();
      default -> null;
    };
  }

  private static String reason(DeadLetterArchive.DeadLetter d) {
    String reason = d.message().attributes().get(DeadLetters.ERROR);
    return reason != null ? reason : String.valueOf(d.lastError());
  }

  private static String preview(DeadLetterArchive.DeadLetter d) {
    String text = new String(d.message().data(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return text.length() > 60 ? text.substring(0, 59) + "…" : text;
  }
}
