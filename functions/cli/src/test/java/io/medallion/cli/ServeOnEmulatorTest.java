package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.gcp.pubsub.PubSubEmulator;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.ledger.RunSummary;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code PUBSUB_EMULATOR_HOST}: a run request published to the emulator, as
 * {@code gcloud pubsub topics publish} does, runs the whole pipeline through emulator topics.
 */
class ServeOnEmulatorTest {

  @TempDir Path home;

  @Test
  void runRequestPublishedToTheEmulator_reachesGold() throws Exception {
    try (PubSubEmulator emulator = PubSubEmulator.start(); // skipped here, or failing under CI=true, without one
        ReplayServer replay = Breweries.serve(250, 11)) {
      MedallionConfig config = MedallionConfig.from(Map.of(MedallionConfig.PROJECT, "medallion-serve-test"))
          .withSourceUrl(replay.baseUrl()).withPageSize(100);
      try (ServeCommand.LocalServer server = new ServeCommand.LocalServer(config, home, null, "breweries",
              Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new EmulatorTransport(config.project(), emulator.hostPort()));
          PubSubMessageBus publisher = PubSubMessageBus.forEmulator(config.project(), emulator.hostPort())) {
        String request = "{\"source\":\"breweries\",\"run_id\":\"emu-1\"}";
        Optional<Path> gcloud = gcloud();
        if (gcloud.isPresent()) {
          publishWithGcloud(gcloud.get(), emulator.hostPort(), config.project(), request);
        } else {
          assertFalse("true".equals(System.getenv("CI")), "gcloud is required under CI=true for the gcloud story");
          System.err.println("gcloud not on PATH: publishing with the Pub/Sub client instead");
          publisher.publish("run-requests", OutboundMessage.json(request, Map.of()));
        }
        RunSummary s = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        // Gold records a checkpoint per model before its success: wait for the end, not the start.
        while (System.nanoTime() < deadline && (s == null || !(s.succeeded() || !s.errors().isEmpty()))) {
          Thread.sleep(200);
          List<io.medallion.ledger.RunEvent> events = server.pipeline().ledger().events("emu-1");
          s = events.isEmpty() ? null : RunSummary.of("emu-1", events);
        }
        assertTrue(s != null && s.succeeded(), String.valueOf(s));
        assertEquals(250, s.bronzeRecords());
        assertEquals(s.bronzeRecords(), s.silverRows() + s.rejects());
      }
    }
  }

  private static Optional<Path> gcloud() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "gcloud");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Exactly the README's command, against the emulator, with a throwaway gcloud config. */
  private void publishWithGcloud(Path gcloud, String hostPort, String project, String message) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(gcloud.toString(), "pubsub", "topics", "publish", "run-requests",
        "--project=" + project, "--message=" + message).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "true");
    env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://" + hostPort + "/");
    env.put("CLOUDSDK_CONFIG", Files.createDirectories(home.resolve("gcloud-config")).toString());
    env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
    env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
    env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "gcloud finished");
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains("messageIds"), output);
  }
}
