package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.samples.SampleFiles;
import io.medallion.local.secrets.LocalMaskingSalts;
import io.medallion.logging.CloudLoggingFormatter;
import io.medallion.port.OutboundMessage;
import io.medallion.push.Signature;
import io.medallion.run.RunRequest;
import io.medallion.schema.Sensitivity;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A masked column never leaves in clear: invoices (replayed, CPF and email hashed) and
 * transactions (posted to the webhook and streamed, account masked to its last four) run through
 * the local pipeline to gold; then silver, gold, the ledger, every file of the home but the bronze
 * bucket (staging rows and rejects, dead letters, spools) and every log line are searched for each
 * clear CPF, email and account of the generated input. Hashes are the HMAC of the clear value
 * under the home's salt, so the same value hashes the same; accounts are {@code *...} and their
 * last four characters.
 */
class SensitiveColumnsNeverInClearTest {

  static final Source INVOICES = SourceRegistry.standard().find("invoices").orElseThrow();
  static final Source TRANSACTIONS = SourceRegistry.standard().find("transactions").orElseThrow();
  static final String SECRET = System.getenv("TRANSACTIONS_PUSH_SECRET");
  static final int RECORDS = 300;
  static final long SEED = 11;

  @TempDir Path home;
  @TempDir Path samples;

  @Test
  void noClearCpfEmailOrAccount_inSilverGoldLedgerFilesOrLogs() throws Exception {
    assertTrue(SECRET != null && !SECRET.isEmpty(), "TRANSACTIONS_PUSH_SECRET is set for the tests (functions/cli/pom.xml)");
    // The clear values of the input.
    Map<String, String> cpfByKey = new TreeMap<>();
    Set<String> clear = new TreeSet<>();
    for (GeneratedRecord r : RecordGenerator.forSource(INVOICES).generate(RECORDS, SEED).records("invoices")) {
      JsonObject o;
      try {
        o = JsonParser.parseString(r.json()).getAsJsonObject();
      } catch (RuntimeException notJson) {
        continue;
      }
      JsonObject recipient = o.has("recipient") && o.get("recipient").isJsonObject() ? o.getAsJsonObject("recipient") : null;
      if (recipient == null) {
        continue;
      }
      for (String field : List.of("cpf", "email")) {
        if (recipient.has(field) && recipient.get(field).isJsonPrimitive() && recipient.get(field).getAsString().strip().length() >= 6) {
          clear.add(recipient.get(field).getAsString().strip());
        }
      }
      if (r.expected().isClean() && recipient.has("cpf")) {
        cpfByKey.put(o.get("access_key").getAsString(), recipient.get("cpf").getAsString());
      }
    }
    Map<String, String> accountById = new TreeMap<>();
    List<Path> files = SampleFiles.write(TRANSACTIONS, samples, SEED);
    for (SampleFiles.SampleFile f : SampleFiles.files(TRANSACTIONS, SEED)) {
      for (JsonObject r : f.records()) {
        accountById.put(r.get("transaction_id").getAsString(), r.get("account_id").getAsString());
        clear.add(r.get("account_id").getAsString());
      }
    }
    assertTrue(cpfByKey.size() > 10 && clear.size() > 50, "the input has clear values to look for: " + clear.size());

    List<String> logs = new ArrayList<>();
    CloudLoggingFormatter formatter = new CloudLoggingFormatter("medallion");
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (logs) {
          logs.add(formatter.format(record));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    java.util.logging.Level level = root.getLevel();
    root.setLevel(java.util.logging.Level.ALL);
    root.addHandler(capture);
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=10"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    List<String> dumps = new ArrayList<>();
    try (ServeCommand.LocalServer serve = new ServeCommand.LocalServer(config, home, Map.of(), "breweries",
        Duration.ofMillis(100), new PrintStream(console, true, StandardCharsets.UTF_8), Transport.inProcess(config.project()),
        Map.of("MEDALLION_HOME", home.toString()))) {
      int port = ServeClient.endpoint(home).orElseThrow().port();
      HttpClient http = HttpClient.newHttpClient();
      for (Path file : files) {
        byte[] body = Files.readAllBytes(file);
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + ServeControl.WEBHOOK + "transactions/records"))
            .header("Content-Type", "application/x-ndjson")
            .header(Signature.HEADER, Signature.sign(SECRET.getBytes(StandardCharsets.UTF_8), Instant.now(), body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
      }
      LocalPipeline pipeline = serve.pipeline();
      URI origin = new SourceOrigin.Replay("invoices", RECORDS, SEED).toUri();
      pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
          new RunRequest("invoices", "sensitive-invoices", null, null, origin, null, false).toJson(), Map.of()));
      assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)));
      pipeline.requestGold("transactions", "sensitive-transactions");
      assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
      RunSummary invoices = RunSummary.of("sensitive-invoices", pipeline.ledger().events("sensitive-invoices"));
      assertTrue(invoices.succeeded(), invoices.toString());
      RunSummary transactions = RunSummary.of("sensitive-transactions", pipeline.ledger().events("sensitive-transactions"));
      assertEquals(io.medallion.ledger.Status.SUCCEEDED, transactions.gold(), transactions.toString());
      assertEquals(io.medallion.ledger.Status.SUCCEEDED, transactions.dq(), transactions.toString());

      String silver = config.silverDataset(INVOICES);
      String gold = config.goldDataset(INVOICES);
      // Hashes: the HMAC of the clear CPF under the salt this home uses, the same for the same CPF.
      byte[] salt = LocalMaskingSalts.salt(home, MedallionConfig.environment(), new SecretRef("FINANCE_MASKING_SALT"))
          .getBytes(StandardCharsets.UTF_8);
      Map<String, String> expectedCpf = new TreeMap<>();
      cpfByKey.forEach((k, cpf) -> expectedCpf.put(k, Sensitivity.hmac(salt, cpf)));
      Map<String, String> actualCpf = new TreeMap<>();
      for (List<Object> row : pipeline.warehouse().read("select access_key, recipient.cpf from " + silver
          + ".invoices where recipient.cpf is not null").rows()) {
        actualCpf.put((String) row.get(0), (String) row.get(1));
      }
      assertEquals(expectedCpf, actualCpf);
      assertTrue(actualCpf.values().stream().allMatch(h -> h.matches("[0-9a-f]{64}")));
      // last4: every account in silver and gold is its clear value's last four after asterisks.
      for (String table : List.of(config.silverDataset(TRANSACTIONS) + ".transactions",
          config.goldDataset(TRANSACTIONS) + ".fct_transactions")) {
        for (List<Object> row : pipeline.warehouse().read("select transaction_id, account_id from " + table).rows()) {
          assertEquals(Sensitivity.last4(accountById.get((String) row.get(0))), row.get(1), table);
        }
      }

      // The query API (serve mounts it) answers the policy-tagged recipient_document, in clear in
      // gold for a company (its CNPJ), as its last four characters, in JSON and in CSV.
      List<String> documents = new ArrayList<>();
      for (List<Object> row : pipeline.warehouse().read("select recipient_document from " + gold
          + ".fct_invoices where length(recipient_document) > 4").rows()) {
        documents.add((String) row.get(0));
      }
      assertTrue(documents.size() > 10, "gold holds recipient documents: " + documents.size());
      for (String accept : List.of("application/json", "text/csv")) {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/v1/invoices/fct_invoices?page_size=1000"))
            .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        dumps.add("api " + accept + ": " + page.body());
        List<String> shown = documents.stream().filter(page.body()::contains).toList();
        assertEquals(List.of(), shown, "recipient documents the API answered in clear (" + accept + ")");
        assertTrue(page.body().contains(Sensitivity.last4(documents.get(0))), page.body());
      }

      for (String table : List.of(silver + ".invoices", gold + ".fct_invoices", gold + ".fct_invoice_items",
          config.silverDataset(TRANSACTIONS) + ".transactions", config.goldDataset(TRANSACTIONS) + ".fct_transactions",
          config.opsDataset() + ".run_ledger")) {
        dumps.add(table + ": " + pipeline.warehouse().read("select * from " + table).rows());
      }
    } finally {
      root.removeHandler(capture);
      root.setLevel(level);
    }
    dumps.add("console: " + console.toString(StandardCharsets.UTF_8));
    synchronized (logs) {
      dumps.add("logs: " + String.join("\n", logs));
    }
    Path bronze = home.resolve("buckets").resolve(config.bronzeBucket());
    try (Stream<Path> walk = Files.walk(home)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (p.startsWith(bronze) || p.getFileName().toString().contains(".duckdb")) {
          continue; // bronze keeps what the API sent (the pipeline's alone); the warehouse is read above
        }
        dumps.add(home.relativize(p) + ": " + new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(dumps.stream().anyMatch(d -> d.contains("staging") || d.contains("rows")), "staging objects were searched");
    List<String> found = new ArrayList<>();
    for (String dump : dumps) {
      for (String value : clear) {
        if (dump.contains(value)) {
          found.add(value + " in " + dump.substring(0, Math.min(80, dump.length())));
        }
      }
    }
    assertEquals(List.of(), found);
    assertFalse(logs.isEmpty(), "the pipeline logged");
  }
}
