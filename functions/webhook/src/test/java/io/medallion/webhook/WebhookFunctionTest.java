package io.medallion.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.grpc.Status;
import io.medallion.config.MedallionConfig;
import io.medallion.gcp.secrets.SecretManagerSecrets;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.metrics.Metrics;
import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import io.medallion.port.Ports;
import io.medallion.push.Signature;
import io.medallion.push.StoredIdempotencyKeys;
import io.medallion.run.RunRequest;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployed webhook function at the HTTP level, on the adapters it is deployed with where they
 * run offline: Secret Manager's one call stubbed (SecretManagerSecrets itself reads the secret),
 * idempotency keys as create-only objects in a staging bucket, and a bus that records what was
 * acknowledged. breweries accepts signed pushes here; audience (a file source, nothing to pull)
 * accepts them unsigned.
 */
class WebhookFunctionTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final String SECRET = "whsec-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MedallionConfig CONFIG = MedallionConfig.from(Map.of(
      MedallionConfig.PUSH_TOPIC_PREFIX, "medallion-push-", MedallionConfig.RUN_REQUESTS_TOPIC, "medallion-run-requests"));

  @TempDir Path buckets;

  private final Map<String, List<OutboundMessage>> published = new LinkedHashMap<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger secretReads = new AtomicInteger();
  private final AtomicInteger flushes = new AtomicInteger();
  private DirectoryObjectStore objects;
  private WebhookFunction function;

  @BeforeEach
  void setUp() throws Exception {
    objects = new DirectoryObjectStore(buckets);
    MessageBus bus = (topic, message) -> {
      published.computeIfAbsent(topic, t -> new ArrayList<>()).add(message);
      return "m" + published.values().stream().mapToInt(List::size).sum();
    };
    SecretManagerSecrets secrets = new SecretManagerSecrets(CONFIG.project(), name -> {
      secretReads.incrementAndGet();
      if (name.equals("projects/" + CONFIG.project() + "/secrets/BREWERIES_PUSH_SECRET/versions/latest")) {
        return SECRET.getBytes(StandardCharsets.UTF_8);
      }
      throw ApiExceptionFactory.createException(new RuntimeException(name), GrpcStatusCode.of(Status.Code.NOT_FOUND), false);
    });
    Ports ports = new Ports(objects, bus, null, null, Metrics.of(meters), secrets);
    SourceRegistry sources = new SourceRegistry(
        pushed("breweries", new SecretRef("BREWERIES_PUSH_SECRET")), pushed("audience", null),
        SourceRegistry.standard().find("podcasts").orElseThrow());
    function = new WebhookFunction(
        WebhookFunction.webhook(CONFIG, ports, sources, Clock.fixed(NOW, ZoneOffset.UTC)), flushes::incrementAndGet);
  }

  private static Source pushed(String name, SecretRef secret) {
    Source d = SourceRegistry.standard().find(name).orElseThrow();
    return new Source(d.name(), d.domain(), d.description(), d.docs(), d.schedule(), d.client(), d.resources(), d.gold(), d.replay(),
        d.files(), d.file(), d.drops(), new Source.Push(d.resources().get(0).name(), secret, 10_000, 60, 1_000_000,
            Source.Push.Mode.FILES, List.of(), 5));
  }

  @Test
  void signedRecords_arePublishedToTheSourcesPushTopic_andAcceptedOnce_underOneIdempotencyKey() throws Exception {
    byte[] records = "[{\"id\": \"b-1\"}, {\"id\": \"b-2\"}]".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of(Signature.HEADER, sign(records), "Idempotency-Key", "batch-7");

    Reply first = post("/v1/sources/breweries/records", headers, records);
    assertEquals(202, first.status, first.body.toString());
    assertEquals("ACCEPTED", first.body.get("code").asText());
    assertEquals(2, first.body.get("records").asInt());
    assertTrue(first.body.hasNonNull("message"), first.body.toString());
    assertEquals("application/json", first.contentType);
    List<OutboundMessage> onTopic = published.get("medallion-push-breweries");
    assertEquals(1, onTopic.size(), published.toString());
    assertEquals("{\"id\":\"b-1\"}\n{\"id\":\"b-2\"}\n", new String(onTopic.get(0).data(), StandardCharsets.UTF_8));
    // The key is an object in staging, where the local webhook keeps it too.
    assertTrue(objects.stat(new StoredIdempotencyKeys(objects, CONFIG.stagingBucket()).id("breweries", "batch-7")).isPresent());

    Reply retry = post("/v1/sources/breweries/records", headers, records);
    assertEquals(200, retry.status, retry.body.toString());
    assertEquals("DUPLICATE", retry.body.get("code").asText());
    assertEquals(1, published.get("medallion-push-breweries").size(), "the retry publishes nothing");
    assertEquals(0.0, refusals(), "nothing refused");
    assertEquals(1, secretReads.get(), "the secret is read once, when the doors are built");
  }

  @Test
  void aBadSignature_anUnknownSource_aWrongMethod_andAnUnknownRoute_areRefused_counted_andPublishNothing() throws Exception {
    byte[] records = "{\"id\": \"b-1\"}\n".getBytes(StandardCharsets.UTF_8);
    Reply forged = post("/v1/sources/breweries/records",
        Map.of(Signature.HEADER, Signature.sign("guess".getBytes(StandardCharsets.UTF_8), NOW, records)), records);
    assertEquals(401, forged.status);
    assertEquals("BAD_SIGNATURE", forged.body.get("code").asText());
    assertTrue(forged.body.get("message").asText().contains("does not match"), forged.body.toString());

    Reply unsigned = post("/v1/sources/breweries/records", Map.of(), records);
    assertEquals(401, unsigned.status);

    Reply unknown = post("/v1/sources/no_such_source/records", Map.of(), records);
    assertEquals(404, unknown.status);
    assertEquals("UNKNOWN_SOURCE", unknown.body.get("code").asText());

    Reply get = request("GET", "/v1/sources/audience/records", Map.of(), new byte[0]);
    assertEquals(405, get.status);
    assertEquals("METHOD_NOT_ALLOWED", get.body.get("code").asText());
    assertEquals(List.of("POST"), get.headers.get("Allow"));

    Reply nowhere = post("/v1/sources/audience/everything", Map.of(), records);
    assertEquals(404, nowhere.status);
    assertEquals("NOT_FOUND", nowhere.body.get("code").asText());
    assertTrue(nowhere.body.hasNonNull("message"));

    assertTrue(published.isEmpty(), published.toString());
    assertEquals(2.0, refusals("breweries", "BAD_SIGNATURE"));
    // A made-up source name is no meter tag: posts to random names cannot multiply the series.
    assertEquals(1.0, refusals(Metrics.UNKNOWN, "UNKNOWN_SOURCE"));
    assertEquals(1.0, refusals("audience", "METHOD_NOT_ALLOWED"));
    assertEquals(1.0, refusals(Metrics.UNKNOWN, "NOT_FOUND"));
    assertEquals(5, flushes.get(), "each refusal's meters flushed before the answer");
  }

  @Test
  void aNotice_publishesARunRequestForTheDateItNames_underARunIdItsKeyFixes() throws Exception {
    byte[] notice = "{\"ingest_date\": \"2026-12-03\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of(Signature.HEADER, sign(notice), "Idempotency-Key", "ready-2026-12-03");
    Reply accepted = post("/v1/sources/breweries/notify", headers, notice);
    assertEquals(202, accepted.status, accepted.body.toString());
    String runId = accepted.body.get("run_id").asText();
    assertTrue(runId.startsWith("notify-"), runId);
    List<OutboundMessage> requests = published.get("medallion-run-requests");
    assertEquals(1, requests.size(), published.toString());
    RunRequest request = RunRequest.parse(requests.get(0).data());
    assertEquals("breweries", request.source());
    assertEquals(runId, request.runId());
    assertEquals(java.time.LocalDate.parse("2026-12-03"), request.ingestDate());

    Reply again = post("/v1/sources/breweries/notify", headers, notice);
    assertEquals(runId, again.body.get("run_id").asText(), "the same notice again names the same run");

    Reply stale = post("/v1/sources/breweries/notify",
        Map.of(Signature.HEADER, Signature.sign(SECRET.getBytes(StandardCharsets.UTF_8), NOW.minusSeconds(3600), notice)),
        notice);
    assertEquals(401, stale.status, "a replayed notice outside the tolerance");
    Reply badDate = post("/v1/sources/breweries/notify", Map.of(Signature.HEADER, sign("{\"ingest_date\": \"2026-13-01\"}"
        .getBytes(StandardCharsets.UTF_8))), "{\"ingest_date\": \"2026-13-01\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(400, badDate.status);
    assertEquals("BAD_NOTICE", badDate.body.get("code").asText());
    assertEquals(2, published.get("medallion-run-requests").size(), "refused notices publish nothing");
  }

  @Test
  void aNoticeToASourceWithNothingToPull_is409_andANoticeToASourceWithoutPush_is404() throws Exception {
    Reply fileSource = post("/v1/sources/audience/notify", Map.of(), new byte[0]);
    assertEquals(409, fileSource.status, fileSource.body.toString());
    assertEquals("NOTHING_TO_PULL", fileSource.body.get("code").asText());
    assertTrue(fileSource.body.get("message").asText().contains("/v1/sources/audience/records"), fileSource.body.toString());
    Reply notPushed = post("/v1/sources/podcasts/notify", Map.of(), new byte[0]);
    assertEquals(404, notPushed.status);
    assertTrue(published.isEmpty(), published.toString());
    assertEquals(1.0, refusals("audience", "NOTHING_TO_PULL"));
  }

  @Test
  void aPublishPubSubRefuses_is503_keepsNoKey_andNamesNoTopic() throws Exception {
    SourceRegistry sources = new SourceRegistry(pushed("audience", null));
    Ports ports = new Ports(objects, (topic, message) -> {
      throw new java.io.IOException("Failed to publish to projects/p/topics/" + topic + ": UNAVAILABLE");
    }, null, null, Metrics.of(meters), (SecretManagerSecrets) null);
    function = new WebhookFunction(WebhookFunction.webhook(CONFIG, ports, sources, Clock.fixed(NOW, ZoneOffset.UTC)), () -> {});
    Reply down = post("/v1/sources/audience/records", Map.of("Idempotency-Key", "k-1"), "{\"a\": 1}".getBytes(StandardCharsets.UTF_8));
    assertEquals(503, down.status, down.body.toString());
    assertEquals("UNAVAILABLE", down.body.get("code").asText());
    assertTrue(!down.body.get("message").asText().contains("medallion-push"), "no topic name in the answer: " + down.body);
    assertTrue(objects.stat(new StoredIdempotencyKeys(objects, CONFIG.stagingBucket()).id("audience", "k-1")).isEmpty(),
        "a key is kept only once its records are published: the retry must publish them");
    assertEquals(1.0, refusals("audience", "UNAVAILABLE"));
  }

  @Test
  void aDeclaredSecretWithoutAValue_refusesItsSource_andIsReadAgainAMinuteLater() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    Instant[] now = {NOW};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public Instant instant() { return now[0]; }
    };
    SourceRegistry sources = new SourceRegistry(pushed("breweries", new SecretRef("NOT_YET_SET")));
    Ports ports = new Ports(objects, (t, m) -> "m", null, null, Metrics.of(meters), new SecretManagerSecrets(CONFIG.project(),
        name -> {
          builds.incrementAndGet();
          throw ApiExceptionFactory.createException(new RuntimeException(name), GrpcStatusCode.of(Status.Code.NOT_FOUND), false);
        }));
    WebhookFunction.Doors doors = new WebhookFunction.Doors(() -> {
      try {
        return WebhookFunction.webhook(CONFIG, ports, sources, clock);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, clock);
    assertTrue(doors.get().secretUnset());
    assertEquals(1, builds.get());
    now[0] = NOW.plusSeconds(30);
    doors.get();
    assertEquals(1, builds.get(), "not read again within the minute");
    now[0] = NOW.plusSeconds(61);
    doors.get();
    assertEquals(2, builds.get(), "read again after it");
  }

  private double refusals() {
    return meters.find(Metrics.WEBHOOK_REFUSALS).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private double refusals(String source, String reason) {
    var c = meters.find(Metrics.WEBHOOK_REFUSALS).tag("source", source).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  private static String sign(byte[] body) {
    return Signature.sign(SECRET.getBytes(StandardCharsets.UTF_8), NOW, body);
  }

  private Reply post(String path, Map<String, String> headers, byte[] body) throws Exception {
    return request("POST", path, headers, body);
  }

  private record Reply(int status, JsonNode body, String contentType, Map<String, List<String>> headers) {}

  private Reply request(String method, String path, Map<String, String> headers, byte[] body) throws Exception {
    Map<String, List<String>> requestHeaders = new HashMap<>();
    headers.forEach((k, v) -> requestHeaders.put(k, List.of(v)));
    FakeResponse response = new FakeResponse();
    function.service(new FakeRequest(method, path, requestHeaders, body), response);
    return new Reply(response.status, JSON.readTree(response.body.toByteArray()), response.contentType, response.headers);
  }

  /** What the Functions Framework hands the function: only what it reads is meaningful. */
  private record FakeRequest(String method, String path, Map<String, List<String>> headers, byte[] body)
      implements HttpRequest {
    @Override public String getMethod() { return method; }
    @Override public String getUri() { return "https://webhook.example.run.app" + path; }
    @Override public String getPath() { return path; }
    @Override public Optional<String> getQuery() { return Optional.empty(); }
    @Override public Map<String, List<String>> getQueryParameters() { return Map.of(); }
    @Override public Map<String, HttpPart> getParts() { return Map.of(); }
    @Override public Optional<String> getContentType() { return Optional.of("application/json"); }
    @Override public long getContentLength() { return body.length; }
    @Override public Optional<String> getCharacterEncoding() { return Optional.empty(); }
    @Override public InputStream getInputStream() { return new ByteArrayInputStream(body); }
    @Override public BufferedReader getReader() { throw new UnsupportedOperationException("the function reads bytes"); }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
  }

  private static final class FakeResponse implements HttpResponse {
    int status = 200;
    String contentType;
    final Map<String, List<String>> headers = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Override public void setStatusCode(int code) { status = code; }
    @Override public void setStatusCode(int code, String message) { status = code; }
    @Override public void setContentType(String type) { contentType = type; }
    @Override public Optional<String> getContentType() { return Optional.ofNullable(contentType); }
    @Override public void appendHeader(String name, String value) { headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value); }
    @Override public Map<String, List<String>> getHeaders() { return headers; }
    @Override public OutputStream getOutputStream() { return body; }
    @Override public BufferedWriter getWriter() { throw new UnsupportedOperationException("the function writes bytes"); }
  }
}
