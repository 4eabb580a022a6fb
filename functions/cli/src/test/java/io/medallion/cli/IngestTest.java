package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.source.SourceRegistry;
import io.medallion.run.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.net.URI;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest through the real local bus: continuations and permanent errors. */
class IngestTest {

  @TempDir Path home;
  ReplayServer replay;
  MedallionConfig config;

  @BeforeEach
  void start() throws Exception {
    replay = Breweries.serve(250, 3);
    config = MedallionConfig.defaults().withSourceUrl(replay.baseUrl()).withPageSize(50);
  }

  @AfterEach
  void stop() {
    replay.close();
  }

  private LocalPipeline pipeline(Duration budget) throws Exception {
    return new LocalPipeline(config, home, SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)),
        l -> l, Clock.systemUTC(), budget);
  }

  @Test
  void exhaustedTimeBudget_continuesPageByPageUntilTheRunIsComplete() throws Exception {
    try (LocalPipeline p = pipeline(Duration.ZERO)) {
      p.publish(config.runRequestsTopic(), OutboundMessage.json(new RunRequest("breweries", "cont", null, null).toJson(), Map.of()));
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      RunSummary s = RunSummary.of("cont", p.ledger().events("cont"));
      assertTrue(s.succeeded(), s.toString());
      assertEquals(5, s.pages());
      assertEquals(250, s.bronzeRecords());
      assertEquals(6, p.ledger().events("cont").stream()
              .filter(e -> e.stage() == io.medallion.ledger.Stage.INGEST && e.status().label().equals("started")).count(),
          "one invocation per page, plus the one that finds the empty page");
    }
  }

  @Test
  void unknownSourceBadJsonAndOversize_areKeptInDeadLettersOnceWithTheReason() throws Exception {
    try (LocalPipeline p = pipeline(Duration.ofMinutes(1))) {
      p.publish(config.runRequestsTopic(), OutboundMessage.json("{\"source\":\"nope\"}", Map.of()));
      p.publish(config.runRequestsTopic(), OutboundMessage.json("{not json", Map.of()));
      String oversize = "{\"source\":\"breweries\",\"run_id\":\"big\"" + " ".repeat(RunRequest.MAX_BYTES) + "}";
      p.publish(config.runRequestsTopic(), OutboundMessage.json(oversize, Map.of()));
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      List<DeadLetterArchive.DeadLetter> letters = p.deadLetters().list();
      assertEquals(3, letters.size());
      assertEquals(3, p.meters().get(io.medallion.metrics.Metrics.DEAD_LETTERS).tags("stage", "ingest").counter().count());
      List<String> reasons = letters.stream().map(l -> l.message().attributes().get(DeadLetters.ERROR)).sorted().toList();
      assertTrue(reasons.get(0).startsWith("Run request is 65") && reasons.get(0).contains("more than the 65536 allowed"),
          reasons.toString());
      assertTrue(reasons.get(1).startsWith("Run request is not valid JSON"), reasons.toString());
      assertTrue(reasons.get(2).startsWith("Unknown source 'nope'"), reasons.toString());
      assertTrue(letters.stream().anyMatch(l -> l.message().data().length > RunRequest.MAX_BYTES),
          "the oversize request is kept whole");
      assertTrue(p.ledger().events("big").isEmpty(), "nothing of it ran");
      assertEquals(0, replay.requestCount(), "nothing was fetched");
    }
  }


  @Test
  void aRequestForSeveralSources_startsAnIndependentRunOfEach_andAnUnknownNameRejectsIt() throws Exception {
    // Each source's own generated data: one configured replay serves them all.
    config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=120&seed=5"));
    try (LocalPipeline p = pipeline(Duration.ofMinutes(1))) {
      p.publish(config.runRequestsTopic(), OutboundMessage.json("{\"sources\":[\"*\"]}", Map.of()));
      p.publish(config.runRequestsTopic(), OutboundMessage.json("{\"sources\":[\"breweries\",\"nope\"]}", Map.of()));
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      Map<String, RunSummary> bySource = new TreeMap<>();
      for (String run : p.ledger().recentRuns(20)) {
        RunSummary s = RunSummary.of(run, p.ledger().events(run));
        assertTrue(s.succeeded(), s.toString());
        assertTrue(bySource.put(s.source(), s) == null, "one run per source: " + bySource.keySet() + " and " + s);
        assertTrue(s.bronzeRecords() >= 120, "each read its own generated records: " + s);
      }
      SourceRegistry registry = LocalPipeline.sources(config);
      assertEquals(registry.names().stream().filter(n -> !registry.find(n).orElseThrow().isFileSource()
                  && !registry.find(n).orElseThrow().isPushOnly())
              .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)), bySource.keySet(),
          "one run per declared API source (a file source's files load when dropped, a push-only source's records are"
              + " pushed), none for the rejected message");
      List<DeadLetterArchive.DeadLetter> letters = p.deadLetters().list();
      assertEquals(1, letters.size());
      assertTrue(letters.get(0).message().attributes().get(DeadLetters.ERROR).contains("Unknown source 'nope' in sources"),
          letters.get(0).message().attributes().toString());
    }
  }
}
