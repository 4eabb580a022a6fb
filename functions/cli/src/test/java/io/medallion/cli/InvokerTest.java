package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.medallion.bronze.BronzeLayout;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.local.replay.ReplayServer;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.JobStatus;
import io.medallion.port.ObjectId;
import io.medallion.port.StoredObject;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three deployed function classes inside the real Functions Framework invoker (the server
 * Cloud Run functions runs), each in its own process with real environment variables and the
 * {@code local} adapter set, fed the HTTP requests Eventarc sends: binary mode, structured mode,
 * and a Pub/Sub push envelope behind ce-* headers.
 *
 * <p>The function runs the way the runtime runs it: the invoker jar alone on the JVM classpath and
 * the function's classpath passed with {@code --classpath}, so the function gets its own class
 * loader that sees only the framework API and CloudEvents from the invoker. (Putting both on one
 * flat classpath would mix the invoker's bundled Jackson 2.15 with ours.)
 *
 * <p>One process at a time: DuckDB lets one process hold the warehouse file, so each function is
 * stopped before the test opens the warehouse to check its effects.
 */
class InvokerTest {

  private static final String PROJECT = "medallion-local";
  private static final String RUN = "inv-1";
  private static final int RECORDS = 300;
  private static final int PAGE_SIZE = 50;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path home;
  @TempDir static Path pushHome;
  @TempDir static Path webhookHome;
  @TempDir static Path apiHome;
  @TempDir static Path logs;
  static ReplayServer replay;

  @BeforeAll
  static void startSource() throws Exception {
    replay = Breweries.serve(RECORDS, 5);
  }

  @AfterAll
  static void stopSource() {
    if (replay != null) {
      replay.close();
    }
  }

  @Test
  void bronzeSilverGoldThroughTheInvoker() throws Exception {
    // ingest: a run request as Eventarc delivers a Pub/Sub message, binary mode.
    try (FunctionProcess ingest = FunctionProcess.start("io.medallion.ingest.IngestFunction")) {
      byte[] request =
          ("{\"source\":\"breweries\",\"run_id\":\"" + RUN + "\"}").getBytes(StandardCharsets.UTF_8);
      String body = messagePublished(request, "run-requests");
      ingest.assert2xx(ingest.post(binary(PUBSUB_TYPE, "run-requests"), "application/json", body));
    }
    Path bronze = home.resolve("buckets").resolve("medallion-bronze").resolve("breweries");
    List<Path> pages = files(bronze, name -> name.startsWith("page-"));
    List<Path> manifests = files(bronze, BronzeLayout.MANIFEST_NAME::equals);
    assertEquals(RECORDS / PAGE_SIZE, pages.size(), "bronze pages: " + pages);
    assertEquals(1, manifests.size(), "manifests: " + manifests);

    // silver: the manifest's finalize event, structured mode.
    String manifestName =
        "breweries/" + bronze.relativize(manifests.get(0)).toString().replace(File.separatorChar, '/');
    StoredObject manifest =
        new DirectoryObjectStore(home.resolve("buckets"))
            .stat(new ObjectId("medallion-bronze", manifestName))
            .orElseThrow();
    try (FunctionProcess silver = FunctionProcess.start("io.medallion.silver.SilverFunction")) {
      String event = structured(StorageEvents.encode(manifest));
      silver.assert2xx(silver.post(Map.of(), "application/cloudevents+json", event));
    }
    Path staging = home.resolve("buckets").resolve("medallion-silver-staging").resolve("breweries");
    List<Path> rowFiles = files(staging, "rows.ndjson"::equals);
    assertEquals(1, rowFiles.size(), "staged rows: " + rowFiles);
    RunEvent silverDone;
    JobStatus load;
    try (DuckDbWarehouse warehouse = warehouse()) {
      silverDone =
          new DuckDbRunLedger(warehouse, "ops").events(RUN).stream()
              .filter(e -> e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no silver succeeded event for " + RUN));
      assertEquals((long) RECORDS, silverDone.rows() + silverDone.rejects(), "rows + rejects");
      assertNotNull(silverDone.jobId(), "silver's load job id");
      load = warehouse.job(silverDone.jobId()).orElseThrow();
      assertEquals(silverDone.rows(), count(warehouse, "silver_brewing.breweries"), "rows in silver_brewing.breweries");
    }

    // gold: the log sink's push envelope behind ce-* headers; then bad events, then the
    // envelope again (a redelivery), which the process must still serve.
    String entry = AuditLogEntries.jobDone(PROJECT, load, List.of(), "medallion-local@localhost");
    try (FunctionProcess gold = FunctionProcess.start("io.medallion.gold.GoldFunction")) {
      Map<String, String> headers = binary(PUBSUB_TYPE, "bq-jobs");
      gold.assert2xx(gold.post(headers, "application/json", pushEnvelope(entry)));
      // A well-formed event whose data is not JSON: the function must answer (whatever the
      // status) rather than hang, and the process must survive it.
      int notJson = gold.post(headers, "application/json", "this is not JSON").statusCode();
      System.out.println("gold answered " + notJson + " to an event whose data is not JSON");
      gold.assertAlive();
      // A structured-mode body that is not JSON at all: the invoker itself answers with an error.
      int garbage = gold.post(Map.of(), "application/cloudevents+json", "{not json").statusCode();
      assertTrue(garbage >= 400, "a structured event that is not JSON got " + garbage);
      gold.assertAlive();
      // The wrong event type: the function logs and acknowledges it (a retry would not help).
      gold.assert2xx(
          gold.post(
              binary("google.cloud.storage.object.v1.finalized", "bq-jobs"), "application/json", "{}"));
      gold.assert2xx(gold.post(headers, "application/json", pushEnvelope(entry)));
    }
    try (DuckDbWarehouse warehouse = warehouse()) {
      for (String table :
          List.of("gold_brewing.dim_breweries", "gold_brewing.breweries_by_location", "gold_brewing.country_summary")) {
        assertTrue(count(warehouse, table) > 0, table + " is empty");
      }
    }
  }

  /**
   * The webhook's entry point inside the invoker: it routes by the request's path and answers JSON
   * ({@code code}, {@code message}); no shipped source declares push yet, so every source is unknown.
   */
  @Test
  void webhookEntryPoint_routesByPath_andAnswersJson() throws Exception {
    try (FunctionProcess webhook = FunctionProcess.start("io.medallion.webhook.WebhookFunction", "http", webhookHome)) {
      HttpResponse<String> unknown = webhook.request("POST", "/v1/sources/breweries/records", Map.of(),
          "application/x-ndjson", "{\"id\": 1}\n");
      assertEquals(404, unknown.statusCode(), unknown.body());
      assertEquals("UNKNOWN_SOURCE", JSON.readTree(unknown.body()).get("code").asText(), unknown.body());
      assertEquals("application/json", unknown.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", ""));
      HttpResponse<String> get = webhook.request("GET", "/v1/sources/breweries/notify", Map.of(), "application/json", "");
      assertEquals(405, get.statusCode(), get.body());
      assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
      HttpResponse<String> elsewhere = webhook.request("POST", "/", Map.of(), "application/json", "{}");
      assertEquals(404, elsewhere.statusCode(), elsewhere.body());
      assertEquals("NOT_FOUND", JSON.readTree(elsewhere.body()).get("code").asText());
    }
  }

  /**
   * The query API's entry point inside the invoker: a gold row the test wrote is found by its key,
   * an escaped key reaches the API decoded once, errors are JSON,
   * and without its page-token key the function answers 503 rather than sign with a guessable one.
   */
  @Test
  void apiEntryPoint_servesGoldRowsAndJsonErrors() throws Exception {
    io.medallion.source.Source breweries = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
    io.medallion.schema.TableSchema schema = breweries.goldSchema("dim_breweries");
    try (DuckDbWarehouse warehouse = warehouse(apiHome)) {
      io.medallion.port.TableId table = new io.medallion.port.TableId("gold_brewing", "dim_breweries");
      warehouse.ensureTable(table, schema);
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      row.put("brewery_id", "b 1 é");
      row.put("name", "Slash & Accent Brewing");
      row.put("country", "Ireland");
      row.put("_run_id", "r1");
      row.put("_source_uri", "gs://b/x");
      row.put("_ingested_at", java.time.Instant.parse("2026-12-01T00:00:00Z"));
      warehouse.appendRow(table, schema, row);
    }
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    try (FunctionProcess api = FunctionProcess.start("io.medallion.api.ApiFunction", "http", apiHome,
        Map.of("MEDALLION_API_TOKEN_KEY", key))) {
      HttpResponse<String> one = api.request("GET", "/v1/breweries/dim_breweries/b%201%20%C3%A9", Map.of(), "application/json", "");
      assertEquals(200, one.statusCode(), one.body() + "\n" + api.output());
      assertEquals("Slash & Accent Brewing", JSON.readTree(one.body()).get("data").get("name").asText());
      HttpResponse<String> list = api.request("GET", "/v1/breweries/dim_breweries?country=Ireland&fields=name", Map.of(),
          "application/json", "");
      assertEquals(200, list.statusCode(), list.body());
      assertEquals("Slash & Accent Brewing", JSON.readTree(list.body()).get("data").get(0).get("name").asText());
      String etag = list.headers().firstValue("ETag").orElseThrow();
      assertEquals(304, api.request("GET", "/v1/breweries/dim_breweries?country=Ireland&fields=name",
          Map.of("If-None-Match", etag), "application/json", "").statusCode());
      HttpResponse<String> bad = api.request("GET", "/v1/breweries/dim_breweries?colour=red", Map.of(), "application/json", "");
      assertEquals(400, bad.statusCode(), bad.body());
      assertEquals("unknown_parameter", JSON.readTree(bad.body()).get("error").get("code").asText());
      // Jetty 12 (the invoker's server) refuses an escaped slash in a path before the function sees
      // it: a key holding '/' is read through the list route (?brewery_id=...), as the README says.
      assertEquals(400, api.request("GET", "/v1/breweries/dim_breweries/b%2F1", Map.of(), "application/json", "").statusCode());
    }
    try (FunctionProcess keyless = FunctionProcess.start("io.medallion.api.ApiFunction", "http", apiHome)) {
      HttpResponse<String> r = keyless.request("GET", "/v1", Map.of(), "application/json", "");
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("unavailable", JSON.readTree(r.body()).get("error").get("code").asText());
      assertTrue(keyless.output().contains("MEDALLION_API_TOKEN_KEY"), keyless.output());
    }
  }

  /**
   * The deployed entry points (the *PushFunction classes Terraform names) with the HTTP signature,
   * fed the raw bodies Pub/Sub push subscriptions send: a run request, the bronze bucket's
   * OBJECT_FINALIZE notification of the manifest, and the log sink's audit entry.
   */
  @Test
  void pushEntryPoints_runBronzeSilverGoldFromRawPushBodies() throws Exception {
    String run = "inv-push";
    byte[] request = ("{\"source\":\"breweries\",\"run_id\":\"" + run + "\"}").getBytes(StandardCharsets.UTF_8);
    try (FunctionProcess ingest = FunctionProcess.start("io.medallion.ingest.IngestPushFunction", "http", pushHome)) {
      ingest.assert2xx(ingest.post(Map.of(), "application/json", messagePublished(request, "run-requests-ingest")));
      // A body that is no push envelope: 400, which Pub/Sub retries and then dead-letters.
      assertEquals(400, ingest.post(Map.of(), "application/json", "{\"hello\":1}").statusCode());
    }
    Path bronze = pushHome.resolve("buckets").resolve("medallion-bronze").resolve("breweries");
    List<Path> manifests = files(bronze, BronzeLayout.MANIFEST_NAME::equals);
    assertEquals(1, manifests.size(), "manifests: " + manifests);
    String manifestName =
        "breweries/" + bronze.relativize(manifests.get(0)).toString().replace(File.separatorChar, '/');
    StoredObject manifest =
        new DirectoryObjectStore(pushHome.resolve("buckets")).stat(new ObjectId("medallion-bronze", manifestName)).orElseThrow();
    try (FunctionProcess silver = FunctionProcess.start("io.medallion.silver.SilverPushFunction", "http", pushHome)) {
      io.medallion.port.OutboundMessage notification = StorageEvents.notification(manifest);
      silver.assert2xx(silver.post(Map.of(), "application/json", JSON.writeValueAsString(Map.of(
          "message", Map.of(
              "data", Base64.getEncoder().encodeToString(notification.data()),
              "attributes", notification.attributes(),
              "messageId", "3003",
              "publishTime", Instant.now().toString()),
          "subscription", "projects/" + PROJECT + "/subscriptions/bronze-notifications-silver"))));
    }
    JobStatus load;
    try (DuckDbWarehouse warehouse = warehouse(pushHome)) {
      RunEvent silverDone = new DuckDbRunLedger(warehouse, "ops").events(run).stream()
          .filter(e -> e.stage() == Stage.SILVER && e.status() == Status.SUCCEEDED)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no silver succeeded event for " + run));
      assertEquals((long) RECORDS, silverDone.rows() + silverDone.rejects(), "rows + rejects");
      load = warehouse.job(silverDone.jobId()).orElseThrow();
    }
    String entry = AuditLogEntries.jobDone(PROJECT, load, List.of(), "medallion-local@localhost");
    try (FunctionProcess gold = FunctionProcess.start("io.medallion.gold.GoldPushFunction", "http", pushHome)) {
      gold.assert2xx(gold.post(Map.of(), "application/json", pushEnvelope(entry)));
    }
    try (DuckDbWarehouse warehouse = warehouse(pushHome)) {
      assertTrue(count(warehouse, "gold_brewing.country_summary") > 0, "gold_brewing.country_summary is empty");
    }
  }

  private static final String PUBSUB_TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

  /** The ce-* headers Eventarc sends in binary mode (the body is the event data). */
  private static Map<String, String> binary(String type, String topic) {
    return Map.of(
        "ce-id", UUID.randomUUID().toString(),
        "ce-source", "//pubsub.googleapis.com/projects/" + PROJECT + "/topics/" + topic,
        "ce-type", type,
        "ce-specversion", "1.0",
        "ce-time", Instant.now().toString());
  }

  /** MessagePublishedData JSON, as in fixture 02. */
  private static String messagePublished(byte[] data, String subscription) throws IOException {
    return JSON.writeValueAsString(Map.of(
        "message", Map.of(
            "data", Base64.getEncoder().encodeToString(data),
            "messageId", "1001",
            "publishTime", Instant.now().toString()),
        "subscription", "projects/" + PROJECT + "/subscriptions/" + subscription));
  }

  /**
   * The raw push envelope a log sink's push subscription sends, as in fixture 04c, with both
   * spellings of the message id and publish time that real push envelopes carry.
   */
  private static String pushEnvelope(String logEntry) throws IOException {
    String published = Instant.now().toString();
    return JSON.writeValueAsString(Map.of(
        "message", Map.of(
            "attributes", Map.of("logging.googleapis.com/timestamp", published),
            "data", Base64.getEncoder().encodeToString(logEntry.getBytes(StandardCharsets.UTF_8)),
            "messageId", "2002",
            "message_id", "2002",
            "publishTime", published,
            "publish_time", published),
        "subscription", "projects/" + PROJECT + "/subscriptions/bq-jobs-gold-push"));
  }

  /** A CloudEvent in structured JSON mode; its JSON data is inlined as the spec requires. */
  private static String structured(CloudEvent event) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("specversion", event.getSpecVersion().toString());
    o.put("id", event.getId());
    o.put("source", event.getSource().toString());
    o.put("type", event.getType());
    if (event.getSubject() != null) {
      o.put("subject", event.getSubject());
    }
    if (event.getTime() != null) {
      o.put("time", event.getTime().toString());
    }
    o.put("datacontenttype", "application/json");
    for (String name : event.getExtensionNames()) {
      o.put(name, String.valueOf(event.getExtension(name)));
    }
    o.set("data", JSON.readTree(event.getData().toBytes()));
    return JSON.writeValueAsString(o);
  }

  private static DuckDbWarehouse warehouse() throws IOException {
    return warehouse(home);
  }

  private static DuckDbWarehouse warehouse(Path home) throws IOException {
    return new DuckDbWarehouse(
        home.resolve("warehouse").resolve("medallion.duckdb"),
        id -> {
          throw new UnsupportedOperationException("the test runs no load job");
        },
        (job, sources) -> {});
  }

  private static long count(DuckDbWarehouse warehouse, String table) throws IOException {
    return ((Number) warehouse.read("SELECT count(*) FROM " + table, Map.of()).scalar()).longValue();
  }

  private static List<Path> files(Path dir, java.util.function.Predicate<String> name) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).filter(p -> name.test(p.getFileName().toString())).sorted().toList();
    }
  }

  /** One function served by the invoker in a child JVM, logging to a file. */
  private static final class FunctionProcess implements AutoCloseable {
    private final String target;
    private final Process process;
    private final int port;
    private final long startedNanos;
    private final Path log;
    private boolean answered;

    private FunctionProcess(String target, Process process, int port, long startedNanos, Path log) {
      this.target = target;
      this.process = process;
      this.port = port;
      this.startedNanos = startedNanos;
      this.log = log;
    }

    static FunctionProcess start(String target) throws Exception {
      return start(target, "cloudevent", home);
    }

    static FunctionProcess start(String target, String signatureType, Path home) throws Exception {
      return start(target, signatureType, home, Map.of());
    }

    static FunctionProcess start(String target, String signatureType, Path home, Map<String, String> extraEnv)
        throws Exception {
      String[] classpath = System.getProperty("java.class.path").split(File.pathSeparator);
      String invoker = null;
      List<String> function = new ArrayList<>();
      for (String entry : classpath) {
        if (Path.of(entry).getFileName().toString().startsWith("java-function-invoker-")) {
          invoker = entry;
        } else {
          function.add(entry);
        }
      }
      assertNotNull(invoker, "java-function-invoker is not on the test classpath");
      int port = freePort();
      Path log = logs.resolve(target.substring(target.lastIndexOf('.') + 1) + ".log");
      List<String> command = List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", // a short-lived server: C1 only, as a cold instance mostly is
          "-cp", invoker,
          "com.google.cloud.functions.invoker.runner.Invoker",
          "--port", Integer.toString(port),
          "--target", target,
          "--classpath", String.join(File.pathSeparator, function));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.put("MEDALLION_ADAPTERS", "local");
      env.put("MEDALLION_HOME", home.toString());
      env.put("MEDALLION_SOURCE_URL", replay.baseUrl().toString());
      env.put("MEDALLION_PAGE_SIZE", Integer.toString(PAGE_SIZE));
      env.put("FUNCTION_SIGNATURE_TYPE", signatureType);
      env.putAll(extraEnv);
      long started = System.nanoTime();
      FunctionProcess p = new FunctionProcess(target, builder.start(), port, started, log);
      p.awaitPort();
      return p;
    }

    private void awaitPort() throws Exception {
      long deadline = startedNanos + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          fail(target + " exited with " + process.exitValue() + ":\n" + output());
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
          System.out.printf(
              "%s: %d ms from process start to listening%n",
              target, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
          return;
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      fail(target + " did not listen on " + port + " within " + START_TIMEOUT + ":\n" + output());
    }

    HttpResponse<String> post(Map<String, String> headers, String contentType, String body) throws Exception {
      return request("POST", "/", headers, contentType, body);
    }

    HttpResponse<String> request(String method, String path, Map<String, String> headers, String contentType, String body)
        throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", contentType)
              .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      headers.forEach(request::header);
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (!answered) {
        answered = true;
        // Printed, not asserted: the input of a later cold-start measurement.
        System.out.printf(
            "%s: %d ms from process start to its first event answered%n",
            target, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
      }
      return response;
    }

    void assert2xx(HttpResponse<String> response) throws IOException {
      int status = response.statusCode();
      if (status / 100 != 2) {
        fail(target + " answered " + status + " " + response.body() + "\n" + output());
      }
    }

    void assertAlive() throws IOException {
      if (!process.isAlive()) {
        fail(target + " exited with " + process.exitValue() + ":\n" + output());
      }
    }

    String output() throws IOException {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    }

    /** Stops the server and waits, so that DuckDB's file lock is released. */
    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      // Kept in the surefire report: what the function logged, for whoever reads a failure.
      System.out.println("---- " + target + " output ----\n" + output());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
