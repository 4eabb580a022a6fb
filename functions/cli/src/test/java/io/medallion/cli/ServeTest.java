package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.replay.ReplayServer;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion serve}: dropped files and scheduled runs go through to gold. */
class ServeTest {

  @TempDir Path home;

  @Test
  void cronExpressions_areParsedAsUnixCronInUtc() {
    CronSchedule daily = CronSchedule.parse("0 6 * * *");
    assertEquals(ZonedDateTime.parse("2026-11-23T06:00Z"), daily.next(ZonedDateTime.parse("2026-11-23T05:00Z")).orElseThrow());
    assertEquals(ZonedDateTime.parse("2026-11-24T06:00Z"), daily.next(ZonedDateTime.parse("2026-11-23T06:00Z")).orElseThrow());
    Main.UserError e = assertThrows(Main.UserError.class, () -> CronSchedule.parse("every day"));
    assertTrue(e.getMessage().contains("'every day'"), e.getMessage());
    assertEquals(2, Main.run(Map.of("MEDALLION_HOME", home.toString()), "serve", "--schedule", "61 * * * *"));
  }

  @Test
  void fileCopiedIntoBronze_isLoadedThroughGold() throws Exception {
    try (ReplayServer replay = Breweries.serve(List.of());
        ServeCommand.LocalServer server = server(replay, null)) {
      Path drop = server.pipeline().layout().buckets().resolve("medallion-bronze/breweries/manual/fix.json");
      Files.createDirectories(drop.getParent());
      Files.writeString(drop, "[{\"id\":\"x1\",\"name\":\"Dropped Brewing\",\"country\":\"Ireland\"}]");
      RunSummary s = awaitRun(server);
      assertTrue(s.runId().startsWith("drop-") && s.succeeded(), s.toString());
      assertEquals(1, s.silverRows());
    }
  }

  @Test
  void scheduledFire_publishesARunRequestThatRunsTheWholePipeline() throws Exception {
    try (ReplayServer replay = Breweries.serve(250, 9);
        ServeCommand.LocalServer server = server(replay, CronSchedule.parse("0 6 * * *"))) {
      server.fire("breweries"); // what the scheduler thread does at 06:00
      RunSummary s = awaitRun(server);
      assertTrue(s.succeeded(), s.toString());
      assertEquals(250, s.bronzeRecords());
    }
  }

  @Test
  void declaredSchedules_fireEachSourceOnItsOwnData() throws Exception {
    // What `serve --schedules` builds: each declared source on its declared schedule.
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=120&seed=5"));
    SourceRegistry registry = LocalPipeline.sources(config);
    Map<String, CronSchedule> declared = new TreeMap<>();
    registry.all().stream().filter(s -> s.schedule() != null).forEach(s -> declared.put(s.name(), CronSchedule.parse(s.schedule())));
    try (ServeCommand.LocalServer server = new ServeCommand.LocalServer(config, home, declared, "breweries",
        Duration.ofMillis(100), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Transport.inProcess(config.project()), Map.of())) {
      declared.keySet().forEach(server::fire); // what the scheduler thread does when each one is due
      assertTrue(server.pipeline().awaitIdle(Duration.ofMinutes(2)));
      Map<String, RunSummary> bySource = new TreeMap<>();
      for (String run : server.pipeline().ledger().recentRuns(20)) {
        RunSummary s = RunSummary.of(run, server.pipeline().ledger().events(run));
        assertTrue(s.succeeded(), s.toString());
        bySource.put(s.source(), s);
      }
      assertEquals(declared.keySet(), bySource.keySet(), "one run per declared schedule (a file source has none: its files start its loads)");
      // A stream source's schedule builds its gold from what was pushed (nothing here): no bronze.
      assertTrue(bySource.values().stream().allMatch(s -> s.isStreamBuild() || s.bronzeRecords() >= 120), bySource.toString());
      assertTrue(bySource.get("transactions").isStreamBuild(), "transactions' schedule asks for a gold build: " + bySource);
    }
  }

  @Test
  void serve_answersTheQueryApi_besideItsWebhookAndTheCommandsItRuns() throws Exception {
    Map<String, String> env = Map.of("MEDALLION_HOME", home.toString());
    assertEquals(0, CliRun.of(env, "run", "--records", "40").code(), "gold to serve");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=10&seed=1"));
    try (ServeCommand.LocalServer server = new ServeCommand.LocalServer(config, home, Map.of(), "breweries",
        Duration.ofMillis(100), new PrintStream(printed, true, StandardCharsets.UTF_8), Transport.inProcess(config.project()), Map.of())) {
      int port = ServeClient.endpoint(home).orElseThrow().port();
      String base = "http://127.0.0.1:" + port;
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains("  api       GET " + base + "/v1/<source>/<table> (./medallion api; /openapi.json)"),
          printed.toString(StandardCharsets.UTF_8));
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/breweries/dim_breweries?page_size=2")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode(), page.body());
      assertEquals(2, com.google.gson.JsonParser.parseString(page.body()).getAsJsonObject().getAsJsonArray("data").size(), page.body());
      // /v1/sources/ stays the webhook's (the longest context wins): its own refusal of a GET, Allow: POST.
      HttpResponse<String> webhook = http.send(HttpRequest.newBuilder(URI.create(base + ServeControl.WEBHOOK + "invoices/records")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(405, webhook.statusCode(), webhook.body());
      assertEquals("POST", webhook.headers().firstValue("Allow").orElse(""), webhook.body());
      assertTrue(webhook.body().contains("METHOD_NOT_ALLOWED"), webhook.body());
      // A source whose name starts like serve's command path is the API's: the control is outside /v1/.
      HttpResponse<String> clients = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/clients/accounts")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, clients.statusCode(), clients.body());
      assertTrue(clients.body().contains("\"error\""), "the API's JSON error, not the command door's: " + clients.body());
      // ...and the commands still go through serve, beside the API's /v1.
      CliRun query = CliRun.of(env, "query", "select count(*) as n from gold_brewing.dim_breweries");
      assertEquals(0, query.code(), query.all());
      assertTrue(query.out().contains("| n "), query.out());
    }
  }

  private ServeCommand.LocalServer server(ReplayServer replay, CronSchedule cron) throws Exception {
    MedallionConfig config = MedallionConfig.defaults().withSourceUrl(replay.baseUrl()).withPageSize(100);
    return new ServeCommand.LocalServer(config, home, cron, "breweries", Duration.ofMillis(100),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Transport.inProcess(config.project()));
  }

  /** Waits (bounded) until a run has reached gold or failed. */
  private static RunSummary awaitRun(ServeCommand.LocalServer server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<String> runs = server.pipeline().ledger().recentRuns(1);
      if (!runs.isEmpty() && server.pipeline().awaitIdle(Duration.ofSeconds(30))) {
        RunSummary s = RunSummary.of(runs.get(0), server.pipeline().ledger().events(runs.get(0)));
        if (s.gold() != null || !s.errors().isEmpty()) {
          return s;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no run finished within 60 s");
  }
}
