package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.PubSubMessage;
import io.medallion.ingest.IngestStep;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.replay.ReplayServer;
import io.medallion.metrics.Metrics;
import io.medallion.port.Ports;
import io.medallion.run.RunRequest;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery reads only from the run's own source: a failed run against a URL is resumed and replayed
 * from that URL (never from generated data), a dropped file's run re-reads that file, and a request
 * that names another source for a run is refused.
 */
class RecoveryReadsOwnSourceTest {

  @TempDir Path home;
  ReplayServer api;

  @BeforeEach
  void start() throws Exception {
    // 250 records, not the 10,000 the generated default would give: what a run holds says where it read.
    api = Breweries.serve(250, 9);
    // Down for good until the "fix": a permanent 404 fails a run at once.
    api.misbehave((request, normal) -> ReplayServer.Reply.json(404, "{\"message\":\"gone for maintenance\"}"));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  private RunSummary summary(String runId) throws Exception {
    try (var w = QueryCommand.open(new Main(Map.of("MEDALLION_HOME", home.toString())))) {
      return RunSummary.of(runId, new io.medallion.local.bigquery.DuckDbRunLedger(w, "ops").events(runId));
    }
  }

  @Test
  void failedRunAgainstAUrl_resumesFromThatUrlAfterTheFix() throws Exception {
    String url = api.baseUrl().toString();
    CliRun failed = cli("run", "--source-url", url, "--run-id", "url-run", "--page-size", "100");
    assertEquals(1, failed.code(), failed.all());
    assertTrue(failed.out().contains("gone for maintenance"), failed.out());

    api.misbehave(null); // the API is back
    CliRun resumed = cli("resume", "url-run");
    assertEquals(0, resumed.code(), resumed.all());
    assertTrue(resumed.out().contains("reads breweries from " + url), resumed.out());
    RunSummary s = summary("url-run");
    assertTrue(s.succeeded(), s.toString());
    assertEquals(250, s.bronzeRecords(), "read from the run's URL, not from generated data");
  }

  @Test
  void failedRunAgainstAUrl_deadLetterReplaysToThatUrl() throws Exception {
    String url = api.baseUrl().toString();
    assertEquals(1, cli("run", "--source-url", url, "--run-id", "url-dl", "--page-size", "100").code());
    List<DeadLetterArchive.DeadLetter> letters = new DeadLetterArchive(home.resolve("dead-letters")).list();
    assertEquals(1, letters.size());
    RunRequest kept = RunRequest.parse(letters.get(0).message().data());
    assertEquals(URI.create(url), kept.sourceUrl(), "kept with the run's source URL");
    assertEquals("url-dl", kept.runId());

    api.misbehave(null);
    String id = letters.get(0).file().getFileName().toString().replace(".json", "");
    CliRun replay = cli("dead-letters", "--replay", id);
    assertEquals(0, replay.code(), replay.all());
    RunSummary s = summary("url-dl");
    assertTrue(s.succeeded(), s.toString());
    assertEquals(250, s.bronzeRecords());
  }

  @Test
  void aRunAskedToReadFromAnotherUrl_refusesAndReadsNothing() throws Exception {
    api.misbehave(null);
    assertEquals(0, cli("run", "--source-url", api.baseUrl().toString(), "--run-id", "one-source", "--page-size", "100").code());
    try (ReplayServer other = Breweries.serve(40, 1)) {
      CliRun again = cli("run", "--source-url", other.baseUrl().toString(), "--run-id", "one-source");
      assertEquals(0, other.requestCount(), "nothing was read from the other URL");
      // The run had finished: its manifest exists, nothing to do and nothing read.
      assertEquals(0, again.code(), again.all());
    }
    try (ReplayServer other = Breweries.serve(40, 1)) {
      api.misbehave((request, normal) -> ReplayServer.Reply.json(404, "{}"));
      CliRun half = cli("run", "--source-url", api.baseUrl().toString(), "--run-id", "half");
      assertEquals(1, half.code(), half.all());
      CliRun other2 = cli("run", "--source-url", other.baseUrl().toString(), "--run-id", "half");
      assertEquals(1, other2.code(), other2.all());
      assertTrue(other2.out().contains("run half reads breweries from " + api.baseUrl())
          && other2.out().contains("this request names " + other.baseUrl()), other2.out());
      assertEquals(0, other.requestCount(), "nothing was read from the other URL");
    }
  }

  @Test
  void droppedFileRun_resumeReReadsThatFileAndThenItsFixedVersion() throws Exception {
    Path bronze = home.resolve("buckets/medallion-bronze/breweries/manual");
    Files.createDirectories(bronze);
    Path file = bronze.resolve("fixes.json");
    String dropRun;
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()), home, PipelineRuns.fast(), l -> l,
        Clock.systemUTC())) {
      dropRun = PipelineRuns.drop(p, "breweries/manual/fixes.json", "<html>not json</html>");
    }
    CliRun again = cli("resume", dropRun);
    assertEquals(1, again.code(), again.all());
    assertTrue(again.out().contains("re-reads " + file.toRealPath()), again.out());
    assertFalse(again.out().contains("10,000"), "never generated data: " + again.out());

    Files.writeString(file, "[{\"id\":\"fixed-1\",\"name\":\"Fixed Brewing\",\"brewery_type\":\"micro\"}]");
    CliRun fixed = cli("resume", dropRun);
    assertEquals(0, fixed.code(), fixed.all());
    assertTrue(fixed.out().contains("was replaced since run " + dropRun), fixed.out());
    CliRun rows = cli("query", "select brewery_id from silver_brewing.breweries");
    assertTrue(rows.out().contains("fixed-1") && rows.out().contains("1 row"), rows.out());
  }

  @Test
  void droppedFileThatIsGone_resumeRefusesSayingWhy() throws Exception {
    String dropRun;
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()), home, PipelineRuns.fast(), l -> l,
        Clock.systemUTC())) {
      dropRun = PipelineRuns.drop(p, "breweries/manual/gone.json", "<html/>");
    }
    Files.delete(home.resolve("buckets/medallion-bronze/breweries/manual/gone.json"));
    CliRun r = cli("resume", dropRun);
    assertEquals(2, r.code(), r.all());
    assertTrue(r.err().contains("which is gone: there is nothing to re-read"), r.err());
  }

  @Test
  void deployedIngest_refusesARequestNamingAnotherHost() throws Exception {
    MedallionConfig config = MedallionConfig.defaults();
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()), home, PipelineRuns.fast(), l -> l,
        Clock.systemUTC())) {
      Ports ports = new Ports(p.objects(), p.bus(), p.warehouse(), p.ledger(), Metrics.of(p.meters()));
      // The constructor the deployed function uses: only the source's own URL or the configured one.
      IngestStep step = new IngestStep(config, ports, SourceRegistry.standard(), Clock.systemUTC(), Duration.ofMinutes(1));
      String request = new RunRequest("breweries", "evil", null, null, api.baseUrl()).toJson();
      IngestStep.Outcome outcome = step.handle(new PubSubMessage("m1", request.getBytes(StandardCharsets.UTF_8), Map.of(),
          Instant.now()));
      assertEquals(IngestStep.Outcome.REJECTED, outcome);
      assertEquals(0, api.requestCount(), "nothing was fetched from the named host");
      assertTrue(p.awaitIdle(Duration.ofSeconds(30)));
      String reason = p.deadLetters().list().get(0).message().attributes().get(DeadLetters.ERROR);
      assertTrue(reason.contains("this deployment reads breweries only from https://api.openbrewerydb.org"), reason);
    }
  }
}
