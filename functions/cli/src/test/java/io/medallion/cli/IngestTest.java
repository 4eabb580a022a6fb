package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.BreweryGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    replay = new ReplayServer(new BreweryGenerator(3).generate(250));
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
      assertEquals(6, p.ledger().events("cont").stream().filter(e -> e.status().label().equals("started")).count(),
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
  void aPageThatRunsOutOfTime_continuesAtThatPage_insteadOfCrossingTheLimit() throws Exception {
    // A source whose third page cannot finish in the time left (its retries would cross the
    // function's limit): the client says so, and ingest continues in a new invocation.
    java.util.concurrent.atomic.AtomicBoolean slowOnce = new java.util.concurrent.atomic.AtomicBoolean(true);
    io.medallion.source.Source breweries = new io.medallion.source.breweries.BreweriesSource();
    io.medallion.source.Source slow = new io.medallion.source.Source() {
      @Override
      public String name() {
        return breweries.name();
      }

      @Override
      public java.net.URI defaultBaseUrl() {
        return breweries.defaultBaseUrl();
      }

      @Override
      public String silverTable() {
        return breweries.silverTable();
      }

      @Override
      public io.medallion.source.SilverMapping silverMapping() {
        return breweries.silverMapping();
      }

      @Override
      public List<String> goldModels() {
        return breweries.goldModels();
      }

      @Override
      public String mainGoldTable() {
        return breweries.mainGoldTable();
      }

      @Override
      public String mainGoldOrder() {
        return breweries.mainGoldOrder();
      }

      @Override
      public io.medallion.source.PageReader pages(java.net.URI baseUrl, int pageSize, io.medallion.source.RetryPolicy retry) {
        io.medallion.source.PageReader real = breweries.pages(baseUrl, pageSize, retry);
        return new io.medallion.source.PageReader() {
          @Override
          public io.medallion.source.Page fetch(int number) throws java.io.IOException {
            if (number == 3 && slowOnce.getAndSet(false)) {
              throw new io.medallion.source.OutOfTimeException(baseUrl, "a wait of 300000 ms would cross the deadline");
            }
            return real.fetch(number);
          }

          @Override
          public java.util.OptionalLong total() throws java.io.IOException {
            return real.total();
          }
        };
      }
    };
    try (LocalPipeline p = pipeline(Duration.ofMinutes(1))) {
      var ports = new io.medallion.port.Ports(p.objects(), p.bus(), p.warehouse(), p.ledger(),
          io.medallion.metrics.Metrics.of(p.meters()));
      var step = new io.medallion.ingest.IngestStep(config, ports, new io.medallion.source.SourceRegistry(slow),
          Clock.systemUTC(), Duration.ofMinutes(1), new io.medallion.local.replay.ReplayEndpoints());
      String request = new RunRequest("breweries", "slow", null, null, replay.baseUrl()).toJson();
      var first = step.handle(new io.medallion.event.PubSubMessage("m1", request.getBytes(java.nio.charset.StandardCharsets.UTF_8),
          Map.of(), java.time.Instant.now()));
      assertEquals(io.medallion.ingest.IngestStep.Outcome.CONTINUED, first);
      assertEquals(2, p.objects().list(config.bronzeBucket(), "breweries/").size(), "pages 1 and 2 kept");
      // The continuation the first invocation published (the local ingest reads it) finishes the run.
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      RunSummary s = RunSummary.of("slow", p.ledger().events("slow"));
      assertEquals(250, s.bronzeRecords(), s.toString());
      assertTrue(p.ledger().events("slow").stream().noneMatch(e -> e.status().label().equals("failed")),
          "running out of time is not a failure");
    }
  }
}
