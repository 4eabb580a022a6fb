package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.push.PushReceiver;
import io.medallion.push.Webhook;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records pushed to a source reach silver through the same chain as any drop: accepted into the
 * push topic, batched into a bronze file, typed, loaded (issue 17, in progress). The example
 * source of src/test/resources/another-source, with push declared in a copy.
 */
class PushTest {

  @TempDir Path home;
  @TempDir Path sources;

  @Test
  void pushedRecords_areBatchedIntoBronze_andLoadedIntoSilver_onceEvenWhenRetried() throws Exception {
    declareTicketsWithPush();
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(sources)), home,
        PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      String records = "{\"id\": \"T-1\", \"status\": \"Open\", \"created_at\": \"2026-12-01T10:00:00Z\"}\n"
          + "{\"id\": \"T-2\", \"status\": \"Solved\", \"created_at\": \"2026-12-01T11:00:00Z\"}\n";
      PushReceiver.Answer first = p.push().receive(new PushReceiver.Push("tickets", Map.of("Idempotency-Key", "batch-1"),
          new ByteArrayInputStream(records.getBytes(StandardCharsets.UTF_8))));
      PushReceiver.Answer retry = p.push().receive(new PushReceiver.Push("tickets", Map.of("Idempotency-Key", "batch-1"),
          new ByteArrayInputStream(records.getBytes(StandardCharsets.UTF_8))));
      assertEquals(202, first.status(), first.toString());
      assertEquals(200, retry.status(), retry.toString());
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      p.flushPushed(); // the batch closes now rather than in 60 s
      String later = "{\"id\": \"T-3\", \"status\": \"Open\", \"created_at\": \"2026-12-01T12:00:00Z\"}";
      assertEquals(202, p.push().receive(new PushReceiver.Push("tickets", Map.of(),
          new ByteArrayInputStream(later.getBytes(StandardCharsets.UTF_8)))).status());
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      p.flushPushed();
      p.objects().scanOnce();
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      assertEquals(2, p.objects().list(p.config().bronzeBucket(), "tickets/pushed/").size(), "two batches in bronze");
      assertTrue(p.ledger().recentRuns(10).isEmpty(), "a pushed file alone starts no load: " + p.ledger().recentRuns(10));

      // The collection every load_every_minutes: both files, one load job.
      collect(p, "collect-1");
      assertEquals(List.of(List.<Object>of("T-1", "open"), List.<Object>of("T-2", "solved"), List.<Object>of("T-3", "open")),
          p.warehouse().read("select ticket_id, status from silver_sales.tickets order by 1").rows());
      List<io.medallion.ledger.RunEvent> silver = p.ledger().events("collect-1").stream()
          .filter(e -> e.stage() == io.medallion.ledger.Stage.SILVER).toList();
      assertEquals(1, silver.size(), "one load for both files: " + silver);
      assertEquals(3, silver.get(0).rows());
      assertTrue(io.medallion.ledger.RunSummary.of("collect-1", p.ledger().events("collect-1")).succeeded());
      assertTrue(p.objects().list(p.config().bronzeBucket(), "tickets/pushed/").isEmpty(), "moved into the run");

      // Nothing pushed since: the next collection is no run at all.
      collect(p, "collect-2");
      assertTrue(p.ledger().events("collect-2").isEmpty());
      assertEquals(3L, p.warehouse().read("select count(*) from silver_sales.tickets").rows().get(0).get(0));
      assertEquals(404, p.push().receive(new PushReceiver.Push("breweries", Map.of(),
          new ByteArrayInputStream(records.getBytes(StandardCharsets.UTF_8)))).status(), "a source that declares no push");
    }
  }

  private static void collect(LocalPipeline p, String runId) throws Exception {
    p.publish(p.config().runRequestsTopic(), io.medallion.port.OutboundMessage.json(
        new io.medallion.run.RunRequest("tickets", runId, null, null, null, null, false, true).toJson(), Map.of()));
    assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
  }

  /** serve's webhook takes notices too: one starts a pull run of the source under the ingest date it names. */
  @Test
  void aNotice_startsARunOfTheSource_forTheIngestDateItNames() throws Exception {
    declareTicketsWithPush();
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(sources)), home,
        PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      PushReceiver.Answer answer = p.webhook().handle(new Webhook.Request("POST", "/v1/sources/tickets/notify",
          Map.of("Idempotency-Key", "ready-1"),
          new ByteArrayInputStream("{\"ingest_date\": \"2026-12-01\"}".getBytes(StandardCharsets.UTF_8))));
      assertEquals(202, answer.status(), answer.toString());
      String runId = (String) answer.body().get("run_id");
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      List<List<Object>> ingest = p.warehouse().read("select distinct stage from ops.run_ledger where run_id = '" + runId
          + "' and stage = 'ingest'").rows();
      assertEquals(List.of(List.<Object>of("ingest")), ingest, "ingest ran the notice's run " + runId);
      assertEquals(405, p.webhook().handle(new Webhook.Request("GET", "/v1/sources/tickets/notify", Map.of(),
          new ByteArrayInputStream(new byte[0]))).status());
    }
  }

  private void declareTicketsWithPush() throws Exception {
    PushedTickets.copy(sources, "{\"batch\": {\"max_seconds\": 60}}");
  }
}
