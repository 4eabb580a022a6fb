package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file a person copies into the bronze bucket goes through silver and gold on its own. */
class DropFileTest {

  @TempDir Path home;
  LocalPipeline pipeline;

  @BeforeEach
  void start() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)), l -> l, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private List<RunEvent> drop(String name, String content) throws Exception {
    return pipeline.ledger().events(PipelineRuns.drop(pipeline, name, content));
  }

  @Test
  void droppedNdjson_isLoadedOnItsOwnAndReachesGold() throws Exception {
    List<RunEvent> events = drop("breweries/manual/fix.ndjson",
        "{\"id\":\"fix-1\",\"name\":\"Fixed Brewing\",\"brewery_type\":\"micro\",\"country\":\"Ireland\"}\n"
            + "{\"id\":\"fix-2\",\"name\":\"\"}\n");
    RunSummary s = RunSummary.of(events.get(0).runId(), events);
    assertTrue(s.succeeded(), s.toString());
    assertEquals(1, s.silverRows());
    assertEquals(1, s.rejects());
    assertTrue(s.reconciled());
    assertEquals(1L, ((Number) pipeline.warehouse().read(
        "select brewery_count from gold.country_summary where country = 'Ireland'").scalar()).longValue());
  }

  @Test
  void objectClaimingToBeAManifestWithoutARunId_isLoadedAsADrop() throws Exception {
    pipeline.objects().createIfAbsent(new io.medallion.port.ObjectId("medallion-bronze", "breweries/fake/_SUCCESS"),
        "application/json", Map.of(BronzeLayout.ROLE, BronzeLayout.ROLE_MANIFEST),
        "[{\"id\":\"m1\",\"name\":\"M\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
    String runId = pipeline.ledger().recentRuns(1).get(0);
    assertTrue(runId.startsWith("drop-"), runId);
    assertTrue(RunSummary.of(runId, pipeline.ledger().events(runId)).succeeded());
  }

  @Test
  void droppedFileOfUnknownSource_isRecordedAsFailedAndLoadsNothing() throws Exception {
    List<RunEvent> events = drop("nosuchsource/data.json", "[{\"id\":\"a\",\"name\":\"b\"}]");
    assertEquals(1, events.size());
    assertEquals(Status.FAILED, events.get(0).status());
    assertTrue(events.get(0).error().contains("no registered source 'nosuchsource'"), events.get(0).error());
  }

  @Test
  void malformedDrop_failsWithWhereAndWhyAndLeavesNoStagingOrRows() throws Exception {
    List<RunEvent> events = drop("breweries/broken.json", "[{\"id\":\"a\",\"name\":\"b\"},{\"id\":");
    RunEvent failed = events.stream().filter(e -> e.stage() == Stage.SILVER).findFirst().orElseThrow();
    assertEquals(Status.FAILED, failed.status());
    assertTrue(failed.error().contains("broken.json"), failed.error());
    assertTrue(pipeline.objects().list("medallion-silver-staging", "").isEmpty());
    assertTrue(Files.exists(pipeline.layout().buckets().resolve("medallion-bronze/breweries/broken.json")), "bronze keeps the file");
  }
}
