package io.medallion.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The push front door: what it accepts, publishes once and answers 2xx; what it refuses with a reason and publishes nothing. */
class PushReceiverTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

  private final List<OutboundMessage> published = new ArrayList<>();
  private final Set<String> remembered = new HashSet<>();
  private boolean busDown;

  private final MessageBus bus = new MessageBus() {
    @Override
    public String publish(String topic, OutboundMessage message) throws IOException {
      if (busDown) {
        throw new IOException("the bus is down");
      }
      published.add(message);
      return "m" + published.size();
    }
  };

  private PushReceiver receiver() {
    return new PushReceiver(Map.of(
        "invoices", new PushReceiver.Door("push-invoices", SECRET, 1000),
        "open", new PushReceiver.Door("push-open", null, 1000),
        "unset", new PushReceiver.Door("push-unset", null, 1000, "UNSET_SECRET")), bus,
        new PushReceiver.IdempotencyKeys() {
          @Override
          public boolean seen(String source, String key) {
            return remembered.contains(source + "/" + key);
          }

          @Override
          public void remember(String source, String key) {
            remembered.add(source + "/" + key);
          }
        }, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private PushReceiver.Answer post(String source, Map<String, String> headers, byte[] body) throws IOException {
    return receiver().receive(new PushReceiver.Push(source, headers, new ByteArrayInputStream(body)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSignedArray_isPublishedOnceAsNdjson_andAnsweredOnlyThen() throws Exception {
    byte[] body = bytes("[{\"access_key\":\"1\"}, {\"access_key\":\"2\"}]");
    PushReceiver.Answer a = post("invoices", Map.of(Signature.HEADER, Signature.sign(SECRET, NOW, body)), body);
    assertEquals(202, a.status(), a.toString());
    assertEquals(1, published.size());
    assertEquals("{\"access_key\":\"1\"}\n{\"access_key\":\"2\"}\n", new String(published.get(0).data(), StandardCharsets.UTF_8));
    assertEquals("2", published.get(0).attributes().get("records"));
  }

  @Test
  void badSignatures_stalePushes_andUnknownSources_areRefused_andPublishNothing() throws Exception {
    byte[] body = bytes("{\"a\":1}\n");
    assertEquals(401, post("invoices", Map.of(), body).status());
    assertEquals(401, post("invoices", Map.of(Signature.HEADER, Signature.sign(bytes("other"), NOW, body)), body).status());
    assertEquals(401, post("invoices", Map.of(Signature.HEADER, Signature.sign(SECRET, NOW.minusSeconds(301), body)), body).status(),
        "a replay beyond the tolerance");
    assertEquals(401, post("invoices", Map.of(Signature.HEADER, Signature.sign(SECRET, NOW, body)), bytes("{\"a\":2}\n")).status(),
        "a body that is not the one signed");
    assertEquals(401, post("invoices", Map.of(Signature.HEADER, "t=abc,v1=zz"), body).status());
    assertEquals(404, post("nope", Map.of(), body).status());
    assertEquals(503, post("unset", Map.of(), body).status(), "a declared secret with no value accepts nothing unsigned");
    assertEquals(0, published.size());
  }

  @Test
  void oversizedBodies_gzipBombs_andNonRecords_areRefusedWithTheirReason() throws Exception {
    assertEquals(413, post("open", Map.of(), new byte[1001]).status());
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      gz.write(new byte[1_000_000]);
    }
    PushReceiver.Answer a = post("open", Map.of("Content-Encoding", "gzip"), bomb.toByteArray());
    assertEquals(413, a.status(), "inflating stops at the limit: " + a);
    assertEquals(400, post("open", Map.of("Content-Encoding", "gzip"), bytes("not gzip")).status());
    PushReceiver.Answer notJson = post("open", Map.of(), bytes("{\"a\":1}\n{\"a\":"));
    assertEquals(400, notJson.status());
    assertTrue(notJson.body().get("message").toString().contains("record 2"), notJson.toString());
    assertEquals(400, post("open", Map.of(), bytes("[1, 2]")).status());
    assertEquals(400, post("open", Map.of(), bytes("")).status());
    assertEquals(0, published.size());
  }

  @Test
  void aRetryWithTheSameIdempotencyKey_publishesNothingAgain_butAFailedPublishIsNotRemembered() throws Exception {
    byte[] body = bytes("{\"a\":1}\n");
    busDown = true;
    try {
      post("open", Map.of("Idempotency-Key", "k1"), body);
    } catch (IOException expected) {
      // the sender sees a 5xx and retries
    }
    busDown = false;
    assertEquals(202, post("open", Map.of("Idempotency-Key", "k1"), body).status(), "nothing remembered before it was published");
    assertEquals(200, post("open", Map.of("Idempotency-Key", "k1"), body).status());
    assertEquals(1, published.size());
    assertEquals("k1", published.get(0).attributes().get("idempotency_key"));
  }

  @Test
  void numbers_arePublishedAsSent_neverRoundedThroughADouble() throws Exception {
    String records = "{\"amount\":12345678901234567.89,\"rate\":0.1000000000000000055511,\"n\":-0,"
        + "\"big\":123456789012345678901234567890,\"e\":1.5E+300,\"nested\":{\"list\":[1.10,null,true,\"x\\\"y\"]}}\n";
    PushReceiver.Answer a = post("open", Map.of(), bytes(records));
    assertEquals(202, a.status(), a.toString());
    assertEquals(records, new String(published.get(0).data(), StandardCharsets.UTF_8));
  }

  @Test
  void aContentLengthThatLies_neitherTruncatesNorLetsABodyPastTheLimit() throws Exception {
    byte[] body = bytes("{\"a\":1}\n{\"a\":2}\n");
    assertEquals(202, post("open", Map.of("Content-Length", "3"), body).status(), "longer than declared: all of it read");
    assertEquals("{\"a\":1}\n{\"a\":2}\n", new String(published.get(0).data(), StandardCharsets.UTF_8));
    assertEquals(413, post("open", Map.of("Content-Length", "10"), new byte[1001]).status(), "past the limit whatever it says");
    assertEquals(202, post("open", Map.of("Content-Length", "500"), body).status(), "shorter than declared");
    assertEquals(2, published.size());
  }

  @Test
  void signatures_signTheTimeWithTheBody() {
    byte[] body = bytes("x");
    assertNull(Signature.refusal(Signature.sign(SECRET, NOW, body), SECRET, NOW.plusSeconds(299), body));
    assertTrue(Signature.refusal(Signature.sign(SECRET, NOW, body), SECRET, NOW.plusSeconds(301), body).contains("minutes from now"));
  }
}
