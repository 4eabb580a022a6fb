package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.samples.SampleFiles;
import io.medallion.push.PushReceiver;
import io.medallion.push.Signature;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transactions source, streamed: its sample files are posted, signed, to serve's webhook, each
 * record becomes one row of silver_finance.transactions through the local BigQuery subscription, and a
 * gold build (as the schedule asks for one) makes volume per merchant per hour. Gold is compared
 * row by row with sums computed here from the generated records; a file posted twice (a sender's
 * retry without a key) changes nothing in gold, and the id-once check fails on gold made wrong.
 */
class TransactionsStreamTest {

  static final Source TRANSACTIONS = SourceRegistry.standard().find("transactions").orElseThrow();
  /** Set for the tests by functions/cli/pom.xml, as a user exports it for serve and post. */
  static final String SECRET = System.getenv("TRANSACTIONS_PUSH_SECRET");
  static final long SEED = 7;

  @TempDir Path home;
  @TempDir Path samples;

  @Test
  void postedSample_streamsIntoSilver_andGoldEqualsAnIndependentComputation() throws Exception {
    assertTrue(SECRET != null && !SECRET.isEmpty(), "TRANSACTIONS_PUSH_SECRET is set for the tests (functions/cli/pom.xml)");
    List<SampleFiles.SampleFile> files = SampleFiles.files(TRANSACTIONS, SEED);
    List<Path> written = SampleFiles.write(TRANSACTIONS, samples, SEED);
    int records = files.stream().mapToInt(f -> f.records().size()).sum();
    assertEquals(2000, records);
    assertEquals(4, written.size(), "500 records a file");

    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=10"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (ServeCommand.LocalServer serve = new ServeCommand.LocalServer(config, home, Map.of(), "breweries",
        Duration.ofMillis(100), new PrintStream(console, true, StandardCharsets.UTF_8), Transport.inProcess(config.project()),
        Map.of("MEDALLION_HOME", home.toString()))) {
      int port = ServeClient.endpoint(home).orElseThrow().port();
      HttpClient http = HttpClient.newHttpClient();
      for (Path file : written) {
        assertEquals(202, post(http, port, Files.readAllBytes(file)).statusCode());
      }
      // A sender that retries the first file without an Idempotency-Key: every record twice in silver.
      assertEquals(202, post(http, port, Files.readAllBytes(written.get(0))).statusCode());
      HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + port + ServeControl.WEBHOOK + "transactions/records"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(written.get(1)))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, unsigned.statusCode(), unsigned.body());

      LocalPipeline pipeline = serve.pipeline();
      assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
      assertEquals(records + files.get(0).records().size(),
          ((Number) pipeline.warehouse().read("select count(*) from silver_finance.transactions").scalar()).intValue(),
          "one row per record posted, the retried file's twice");
      assertEquals(0L, ((Number) pipeline.warehouse().read(
          "select count(*) from silver_finance.transactions where message_id is null or publish_time is null"
              + " or subscription_name <> 'projects/" + config.project() + "/subscriptions/push-transactions-to-silver'"
              + " or json_extract_string(attributes, '$.source') <> 'transactions'").scalar()).longValue(),
          "every row has the metadata columns write_metadata fills");
      assertEquals(java.util.Optional.of(TRANSACTIONS.partitioning("transactions")),
          pipeline.warehouse().partitioning(new io.medallion.port.TableId(config.silverDataset(TRANSACTIONS), "transactions")),
          "the stream table is partitioned as Terraform creates it: by publish_time");

      pipeline.requestGold("transactions", "stream-e2e");
      assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
      RunSummary run = RunSummary.of("stream-e2e", pipeline.ledger().events("stream-e2e"));
      assertTrue(run.succeeded(), "the gold build is a run status shows: " + run);

      assertEquals(expectedVolume(files), actualVolume(pipeline));
      assertEquals((long) records, ((Number) pipeline.warehouse().read("select count(*) from gold_finance.fct_transactions").scalar()).longValue());

      // The check passes on this gold, and fails on gold made wrong on purpose.
      String check = TRANSACTIONS.checkSql("fct_transactions_id_once").replace("{{gold}}", config.goldDataset(TRANSACTIONS));
      assertEquals(List.of(), pipeline.warehouse().read(check).rows());
      pipeline.warehouse().query(new io.medallion.port.QueryJob("wrong_on_purpose",
          "insert into gold_finance.fct_transactions select * from gold_finance.fct_transactions limit 1", Map.of(), Map.of()));
      assertEquals(1, pipeline.warehouse().read(check).rows().size());
    }
  }

  @Test
  void aRecordBigQueryRefuses_isAcceptedAtTheDoor_andDeadLetteredWithItsReason_notWritten() throws Exception {
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults(), home, PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      String good = "{\"transaction_id\":\"t1\",\"account_id\":\"acct_000001\",\"merchant\":\"Cafe do Porto\","
          + "\"amount\":\"12.50\",\"currency\":\"BRL\",\"transacted_at\":\"2026-12-01T08:00:00Z\",\"status\":\"authorized\"}";
      String tip = good.replace("\"t1\"", "\"t2\"").replace("}", ",\"tip\":\"1.00\"}");
      String cents = good.replace("\"t1\"", "\"t3\"").replace("12.50", "12.505");
      byte[] body = (good + "\n" + tip + "\n" + cents + "\n").getBytes(StandardCharsets.UTF_8);
      Map<String, String> headers = SECRET == null ? Map.of()
          : Map.of(Signature.HEADER, Signature.sign(SECRET.getBytes(StandardCharsets.UTF_8), Instant.now(), body));
      PushReceiver.Answer a = p.push().receive(new PushReceiver.Push("transactions", headers, new ByteArrayInputStream(body)));
      assertEquals(202, a.status(), a.toString());
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));

      assertEquals(List.of(List.<Object>of("t1")), p.warehouse().read("select transaction_id from silver_finance.transactions").rows());
      List<DeadLetterArchive.DeadLetter> dead = p.streamDeadLetters("transactions").orElseThrow().list();
      assertEquals(2, dead.size(), "each refused record on the source's own dead-letter topic");
      String reasons = dead.stream().map(DeadLetterArchive.DeadLetter::lastError).toList().toString();
      assertTrue(reasons.contains("field tip has no column") && reasons.contains("more than 2 digits after the point"), reasons);
      assertEquals(0, p.deadLetters().list().size(), "not among the pipeline's own dead letters");
    }
  }

  private static HttpResponse<String> post(HttpClient http, int port, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + ServeControl.WEBHOOK + "transactions/records"))
        .header("Content-Type", "application/x-ndjson")
        .header(Signature.HEADER, Signature.sign(SECRET.getBytes(StandardCharsets.UTF_8), Instant.now(), body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Volume per hour (UTC), merchant and currency from the generated records, each id once: the
   * count, the authorized and declined counts, the exact authorized sum.
   */
  private static List<String> expectedVolume(List<SampleFiles.SampleFile> files) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> sums = new TreeMap<>();
    for (SampleFiles.SampleFile f : files) {
      for (JsonObject r : f.records()) {
        Instant at = OffsetDateTime.parse(r.get("transacted_at").getAsString()).toInstant();
        Instant hour = Instant.ofEpochSecond(at.getEpochSecond() - Math.floorMod(at.getEpochSecond(), 3600));
        String key = hour + " " + r.get("merchant").getAsString() + " " + r.get("currency").getAsString();
        long[] c = counts.computeIfAbsent(key, k -> new long[3]);
        String status = r.get("status").getAsString();
        c[0]++;
        c[1] += status.equals("authorized") ? 1 : 0;
        c[2] += status.equals("declined") ? 1 : 0;
        BigDecimal amount = status.equals("authorized") ? new BigDecimal(r.get("amount").getAsString()) : BigDecimal.ZERO;
        sums.merge(key, amount, BigDecimal::add);
      }
    }
    List<String> out = new ArrayList<>();
    counts.forEach((key, c) -> out.add(key + " " + c[0] + " " + c[1] + " " + c[2] + " " + sums.get(key).setScale(2)));
    out.sort(null);
    return out;
  }

  private static List<String> actualVolume(LocalPipeline pipeline) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<Object> row : pipeline.warehouse().read("select hour_started_at, merchant, currency, transaction_count,"
        + " authorized_count, declined_count, cast(authorized_amount as varchar) from gold_finance.volume_by_merchant_hour").rows()) {
      out.add(row.get(0) + " " + row.get(1) + " " + row.get(2) + " " + row.get(3) + " " + row.get(4) + " " + row.get(5) + " "
          + new BigDecimal((String) row.get(6)).setScale(2));
    }
    out.sort(null);
    return out;
  }
}
