package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.samples.SampleFiles;
import io.medallion.port.OutboundMessage;
import io.medallion.push.PushReceiver;
import io.medallion.push.Signature;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "receive records by webhook": the invoices ./medallion sample writes, posted signed
 * to the webhook, loaded by one collection, end in silver (every record a row or a reject) and in
 * gold (one fct_invoices row per distinct access key silver kept).
 */
class InvoicesPushTest {

  @TempDir Path home;

  @Test
  void sampleInvoicesPostedToTheWebhook_endInSilverAndGold_throughOneCollection() throws Exception {
    Source invoices = SourceRegistry.standard().find("invoices").orElseThrow();
    byte[] secret = System.getenv("INVOICES_PUSH_SECRET").getBytes(StandardCharsets.UTF_8);
    List<SampleFiles.SampleFile> files = SampleFiles.files(invoices, 42);
    assertEquals(2, files.size(), "1,000 invoices in files of 500");
    Set<String> keys = new HashSet<>();
    long records = 0;
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults(), home, PipelineRuns.fast(), l -> l,
        Clock.systemUTC())) {
      for (SampleFiles.SampleFile file : files) {
        StringBuilder ndjson = new StringBuilder();
        for (JsonObject r : file.records()) {
          ndjson.append(r).append('\n');
          if (r.has("access_key") && r.get("access_key").isJsonPrimitive()) {
            keys.add(r.get("access_key").getAsString());
          }
          records++;
        }
        byte[] body = ndjson.toString().getBytes(StandardCharsets.UTF_8);
        PushReceiver.Answer answer = p.push().receive(new PushReceiver.Push("invoices",
            Map.of(Signature.HEADER, Signature.sign(secret, Instant.now(), body)), new ByteArrayInputStream(body)));
        assertEquals(202, answer.status(), answer.toString());
      }
      p.flushPushed();
      p.publish(p.config().runRequestsTopic(), OutboundMessage.json(
          new RunRequest("invoices", "pushed-1", null, null, null, null, false, true).toJson(), Map.of()));
      assertTrue(p.awaitIdle(Duration.ofMinutes(3)));

      RunSummary s = RunSummary.of("pushed-1", p.ledger().events("pushed-1"));
      assertTrue(s.succeeded(), s.toString());
      assertEquals(records, s.bronzeRecords());
      assertTrue(s.reconciled(), "bronze records = silver rows + rejects: " + s);
      long rows = ((Number) p.warehouse().read("select count(*) from silver_finance.invoices").rows().get(0).get(0)).longValue();
      long distinct = ((Number) p.warehouse().read("select count(distinct access_key) from silver_finance.invoices").rows().get(0)
          .get(0)).longValue();
      assertTrue(rows > 0 && distinct <= keys.size(), rows + " rows, " + distinct + " keys of " + keys.size());
      assertEquals(List.of(List.<Object>of(distinct)), p.warehouse().read("select count(*) from gold_finance.fct_invoices").rows(),
          "one gold invoice per access key silver kept");
      // The collection's lineage: the push topic into the run's bronze folder, START then COMPLETE.
      List<String> ingest = new java.util.ArrayList<>();
      for (String line : java.nio.file.Files.readAllLines(io.medallion.local.lineage.JsonLinesLineageSink.file(home))) {
        JsonObject e = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
        if (e.getAsJsonObject("job").get("name").getAsString().equals("invoices.ingest")) {
          ingest.add(e.get("eventType").getAsString() + " " + e.getAsJsonArray("inputs").get(0).getAsJsonObject().get("name").getAsString());
        }
      }
      String topic = "topic:" + p.config().project() + ":" + p.config().pushTopic("invoices");
      assertEquals(List.of("START " + topic, "COMPLETE " + topic), ingest);
    }
  }
}
