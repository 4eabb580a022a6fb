package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.PubSubMessage;
import io.medallion.gold.GoldStep;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.port.Ports;
import io.medallion.source.SourceRegistry;
import java.nio.charset.StandardCharsets;
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
 * A stream source's gold runs on a schedule request, not a load's completion: under a run id of
 * the request's publish time (a redelivery builds nothing twice), recorded in the ledger; a request
 * gold cannot serve is kept in the dead letters with the reason.
 */
class GoldScheduleTest {

  private static final Instant TICK = Instant.parse("2026-12-04T12:05:00.123Z");

  @TempDir Path home;
  LocalPipeline pipeline;
  GoldStep gold;

  @BeforeEach
  void start() throws Exception {
    MedallionConfig config = MedallionConfig.defaults();
    pipeline = new LocalPipeline(config, home, PipelineRuns.fast(), l -> l, Clock.systemUTC());
    gold = new GoldStep(config, new Ports(pipeline.objects(), pipeline.bus(), pipeline.warehouse(), pipeline.ledger()),
        SourceRegistry.standard(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private static PubSubMessage request(String data) {
    return new PubSubMessage("m1", data.getBytes(StandardCharsets.UTF_8),
        Map.of(GoldStep.REQUEST_ATTRIBUTE, GoldStep.GOLD_SCHEDULE), TICK);
  }

  private long jobs() throws Exception {
    return ((Number) pipeline.warehouse().read("select count(*) from _medallion.jobs").scalar()).longValue();
  }

  @Test
  void aScheduleRequest_buildsTheStreamSourcesGold_onceUnderItsTicksRunId() throws Exception {
    assertEquals(GoldStep.Outcome.BUILT, gold.handle(request("{\"source\": \"transactions\"}")));
    String runId = "stream-transactions-20261204t120500";
    RunSummary run = RunSummary.of(runId, pipeline.ledger().events(runId));
    assertTrue(run.succeeded() && run.isStreamBuild(), run.toString());
    long built = jobs();
    assertTrue(built >= 3, "two models and a check: " + built);

    assertEquals(GoldStep.Outcome.BUILT, gold.handle(request("{\"source\": \"transactions\"}")), "a redelivery");
    assertEquals(built, jobs(), "a redelivered request runs no job again");
  }

  @Test
  void aRequestGoldCannotServe_isKeptWithItsReason_andBuildsNothing() throws Exception {
    for (String data : List.of("{\"source\": \"breweries\"}", "{\"source\": \"nope\"}", "not json",
        "{\"source\": \"transactions\", \"run_id\": \"Bad Id\"}")) {
      assertEquals(GoldStep.Outcome.IGNORED, gold.handle(request(data)), data);
    }
    assertEquals(0, jobs());
    assertTrue(pipeline.awaitIdle(Duration.ofSeconds(30)));
    List<String> reasons = pipeline.deadLetters().list().stream()
        .map(DeadLetterArchive.DeadLetter::message).map(m -> m.attributes().get(DeadLetters.ERROR)).sorted().toList();
    assertEquals(4, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).contains("a gold schedule request is {\"source\": NAME}"), reasons.toString());
    assertTrue(reasons.get(1).contains("no source 'nope'"), reasons.toString());
    assertTrue(reasons.get(2).contains("run_id 'Bad Id' is not lowercase"), reasons.toString());
    assertTrue(reasons.get(3).contains("source breweries does not stream"), reasons.toString());
  }
}
