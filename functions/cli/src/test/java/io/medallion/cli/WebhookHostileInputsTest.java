package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.metrics.Metrics;
import io.medallion.push.Signature;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The door's hostile inputs over HTTP, through serve's webhook: each is refused with a reason,
 * counted in {@value Metrics#WEBHOOK_REFUSALS} by that reason, and publishes nothing; a good post
 * after them is accepted (the refusals are the door's, not a broken setup).
 */
class WebhookHostileInputsTest {

  /**
   * The push secret: an environment variable every test JVM has (the build sets it), since the
   * local pipeline reads push secrets from the environment as ingest reads credentials.
   */
  private static final String SECRET_VARIABLE = "NO_GCE_CHECK";
  private static final int MAX_BODY = 10_000;

  @TempDir Path home;
  @TempDir Path sources;
  private ServeCommand.LocalServer serve;
  private int port;
  private byte[] secret;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    secret = System.getenv(SECRET_VARIABLE).getBytes(StandardCharsets.UTF_8);
    PushedTickets.copy(sources, "{\"secret\": {\"secret\": \"" + SECRET_VARIABLE + "\"}, \"max_body_bytes\": " + MAX_BODY
        + ", \"batch\": {\"max_seconds\": 60}}");
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourcesDirs(List.of(sources))
        .withSourceUrl(new io.medallion.source.SourceOrigin.Replay("tickets", 10, 1).toUri());
    serve = new ServeCommand.LocalServer(config, home, Map.of(), "tickets", Duration.ofMillis(200),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Transport.inProcess(config.project()),
        Map.of(ServeControl.WEBHOOK_READ_SECONDS, "1"));
    port = ServeClient.endpoint(home).orElseThrow().port();
  }

  @AfterEach
  void stop() throws Exception {
    serve.close();
  }

  @Test
  void hostilePosts_areRefusedWithAReason_countedByIt_andPublishNothing() throws Exception {
    byte[] records = PushedTickets.records(1, 3).getBytes(StandardCharsets.UTF_8);

    // A slow client: headers and part of its body, then nothing. Its connection is closed.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/sources/tickets/records HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
          + Signature.HEADER + ": " + Signature.sign(secret, Instant.now(), records) + "\r\n\r\n{\"id\": ")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long sent = System.nanoTime();
      InputStream in = socket.getInputStream();
      try {
        assertEquals(-1, in.read(), "no answer to a body that never arrived, only a closed connection");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("serve kept waiting for the body", e);
      } catch (java.io.IOException reset) {
        // closed under the client: as good as an end of stream
      }
      assertTrue(System.nanoTime() - sent < 10_000_000_000L, "closed after the 1 s read deadline");
    }

    // A gzip bomb: a few kilobytes that inflate to 5 MB of spaces.
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bomb)) {
      byte[] spaces = new byte[1 << 16];
      java.util.Arrays.fill(spaces, (byte) ' ');
      for (int i = 0; i < 80; i++) {
        gzip.write(spaces);
      }
    }
    assertTrue(bomb.size() < MAX_BODY, "the bomb itself is under the limit: " + bomb.size());
    assertRefused(post(bomb.toByteArray(), Instant.now(), Map.of("Content-Encoding", "gzip")), 413, "BODY_TOO_LARGE",
        "inflates past");
    assertRefused(post("{\"id\": \"T-1\",".getBytes(StandardCharsets.UTF_8), Instant.now(), Map.of()), 400, "NOT_RECORDS",
        "not JSON");
    assertRefused(post(PushedTickets.records(1, 200).getBytes(StandardCharsets.UTF_8), Instant.now(), Map.of()), 413,
        "BODY_TOO_LARGE", "over " + MAX_BODY);
    // A signature captured and replayed later: outside the tolerance.
    assertRefused(post(records, Instant.now().minus(Signature.TOLERANCE).minusSeconds(60), Map.of()), 401, "BAD_SIGNATURE",
        "");

    assertEquals(1.0, refusals("READ_TIMEOUT"), "the slow client");
    assertEquals(2.0, refusals("BODY_TOO_LARGE"), "the bomb and the big body");
    assertEquals(1.0, refusals("NOT_RECORDS"));
    assertEquals(1.0, refusals("BAD_SIGNATURE"));
    serve.pipeline().flushPushed();
    assertEquals(List.of(), serve.objects().list(serve.pipeline().config().bronzeBucket(), "tickets/pushed/"),
        "nothing refused reached bronze");

    HttpResponse<String> good = post(records, Instant.now(), Map.of());
    assertEquals(202, good.statusCode(), good.body());
    serve.pipeline().flushPushed();
    assertEquals(1, serve.objects().list(serve.pipeline().config().bronzeBucket(), "tickets/pushed/").size());
  }

  private double refusals(String reason) {
    var counter = serve.pipeline().meters().find(Metrics.WEBHOOK_REFUSALS).tags("source", "tickets", "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private HttpResponse<String> post(byte[] body, Instant signedAt, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sources/tickets/records"))
        .timeout(Duration.ofSeconds(30))
        .header(Signature.HEADER, Signature.sign(secret, signedAt, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertRefused(HttpResponse<String> answer, int status, String code, String says) {
    assertEquals(status, answer.statusCode(), answer.body());
    assertTrue(answer.body().contains("\"code\":\"" + code + "\"") && answer.body().contains(says), answer.body());
  }
}
