package io.medallion.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The front door of records pushed to a source: a POST of a JSON array or NDJSON body, optionally
 * gzip-compressed, bounded in size before and after inflating, signed when the source has a
 * secret. An accepted body is published to the source's push topic as one NDJSON message and the
 * answer is sent only once the bus acknowledged it: a 2xx means the records are durable. A body
 * refused (4xx) publishes nothing. An {@code Idempotency-Key} seen before is answered as accepted
 * and publishes nothing again.
 *
 * <p>{@link Webhook} routes HTTP requests here: serve's local webhook and the deployed webhook
 * function ({@code functions/webhook}).
 */
public final class PushReceiver {

  /** What a push asks for. */
  public record Push(String source, Map<String, String> headers, InputStream body) {
    /** A header by name, ignoring case, or null. */
    public String header(String name) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return null;
    }
  }

  /** The answer: an HTTP status and a JSON body ({@code code}, {@code message}, counts). */
  public record Answer(int status, Map<String, Object> body) {}

  /**
   * What the receiver knows of a source that accepts pushes.
   *
   * @param secret the signature's key, or null when pushes are not signed
   * @param unsetSecret the declared secret whose value is not set, or null: then every push is
   *     refused, never accepted unsigned
   * @param perRecord whether each record is its own message (a stream source: a Pub/Sub BigQuery
   *     subscription writes one row per message), not the whole body as one NDJSON message
   * @param mask for a per-record door, what masks a record's masked columns before it is published
   *     (the subscription writes it to silver as it is); null when none is masked
   */
  public record Door(String topic, byte[] secret, long maxBodyBytes, String unsetSecret, boolean perRecord,
      java.util.function.UnaryOperator<byte[]> mask) {
    public Door(String topic, byte[] secret, long maxBodyBytes, String unsetSecret, boolean perRecord) {
      this(topic, secret, maxBodyBytes, unsetSecret, perRecord, null);
    }

    public Door(String topic, byte[] secret, long maxBodyBytes, String unsetSecret) {
      this(topic, secret, maxBodyBytes, unsetSecret, false);
    }

    public Door(String topic, byte[] secret, long maxBodyBytes) {
      this(topic, secret, maxBodyBytes, null, false);
    }
  }

  /**
   * Keys of pushes accepted before. A key is remembered only after its records were published:
   * a push lost between the two is published again by the sender's retry (a duplicate the key, an
   * attribute of both messages, tells apart), never lost by a key remembered too soon.
   */
  public interface IdempotencyKeys {
    boolean seen(String source, String key) throws IOException;

    void remember(String source, String key) throws IOException;
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Door> doors;
  private final MessageBus bus;
  private final IdempotencyKeys keys;
  private final Clock clock;

  public PushReceiver(Map<String, Door> doors, MessageBus bus, IdempotencyKeys keys, Clock clock) {
    this.doors = Map.copyOf(doors);
    this.bus = bus;
    this.keys = keys;
    this.clock = clock;
  }

  public Answer receive(Push push) throws IOException {
    Answer closed = closed(doors, push.source());
    if (closed != null) {
      return closed;
    }
    Door door = doors.get(push.source());
    byte[] raw;
    try {
      raw = bounded(push.body(), door.maxBodyBytes(), contentLength(push));
    } catch (java.io.InterruptedIOException e) {
      return refuse(408, "READ_TIMEOUT", "the body did not arrive in time (" + e.getMessage() + "): nothing published");
    } catch (IOException e) {
      return refuse(400, "BODY_NOT_READ", "the body could not be read (" + e.getMessage() + "): nothing published");
    }
    if (raw == null) {
      return refuse(413, "BODY_TOO_LARGE", "the body is over " + door.maxBodyBytes() + " bytes: send fewer records per post");
    }
    if (door.secret() != null) {
      String why = Signature.refusal(push.header(Signature.HEADER), door.secret(), clock.instant(), raw);
      if (why != null) {
        return refuse(401, "BAD_SIGNATURE", why);
      }
    }
    byte[] body = raw;
    if ("gzip".equalsIgnoreCase(push.header("Content-Encoding"))) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        body = bounded(in, door.maxBodyBytes());
      } catch (IOException e) {
        return refuse(400, "BAD_GZIP", "the body is not gzip: " + e.getMessage());
      }
      if (body == null) {
        return refuse(413, "BODY_TOO_LARGE", "the body inflates past " + door.maxBodyBytes() + " bytes");
      }
    }
    ByteArrayOutputStream ndjson = new ByteArrayOutputStream(body.length);
    long records;
    try {
      records = toNdjson(body, ndjson);
    } catch (NotRecords e) {
      return refuse(400, "NOT_RECORDS", e.getMessage());
    }
    if (records == 0) {
      return refuse(400, "NO_RECORDS", "the body holds no record");
    }
    String key = push.header("Idempotency-Key");
    if (key != null && key.length() > 255) {
      return refuse(400, "BAD_IDEMPOTENCY_KEY", "Idempotency-Key is longer than 255 characters");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("source", push.source());
    attributes.put("records", Long.toString(records));
    attributes.put("received_at", clock.instant().toString());
    if (key != null) {
      attributes.put("idempotency_key", key);
      if (keys.seen(push.source(), key)) {
        return new Answer(200, Map.of("code", "DUPLICATE", "message", "a push with this Idempotency-Key was accepted before:"
            + " nothing published again", "records", records));
      }
    }
    // Only once the bus holds the records does the sender hear they are accepted.
    String id = door.perRecord()
        ? publishEach(door.topic(), ndjson.toByteArray(), attributes, door.mask())
        : bus.publish(door.topic(), new OutboundMessage(ndjson.toByteArray(), attributes));
    if (key != null) {
      keys.remember(push.source(), key);
    }
    return new Answer(202, Map.of("code", "ACCEPTED", "records", records, "message_id", id,
        "message", records + " records accepted: published to " + door.topic()));
  }

  /**
   * Publishes each NDJSON line as a message of its own and returns the first message's id, once
   * the bus acknowledged every one. A failure part way throws (the sender hears 5xx and retries):
   * the records published before it are then published again, duplicates the stream source's
   * gold keeps once by key, never a record lost.
   */
  private String publishEach(String topic, byte[] ndjson, Map<String, String> attributes,
      java.util.function.UnaryOperator<byte[]> mask) throws IOException {
    Map<String, String> each = new LinkedHashMap<>(attributes);
    each.put("records", "1");
    String first = null;
    int start = 0;
    for (int i = 0; i < ndjson.length; i++) {
      if (ndjson[i] == '\n') {
        byte[] record = java.util.Arrays.copyOfRange(ndjson, start, i);
        String id = bus.publish(topic, new OutboundMessage(mask == null ? record : mask.apply(record), each));
        first = first == null ? id : first;
        start = i + 1;
      }
    }
    return first;
  }


  /**
   * Copies the object the parser is at, token by token. Numbers go out as the sender wrote them:
   * Jackson's own copy reads a decimal as a double, which rounds NUMERIC money (and costs more
   * than the parse itself).
   */
  private static void copyRecord(JsonParser p, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
    int depth = 0;
    do {
      switch (p.currentToken()) {
        case START_OBJECT -> {
          g.writeStartObject();
          depth++;
        }
        case END_OBJECT -> {
          g.writeEndObject();
          depth--;
        }
        case START_ARRAY -> {
          g.writeStartArray();
          depth++;
        }
        case END_ARRAY -> {
          g.writeEndArray();
          depth--;
        }
        case FIELD_NAME -> g.writeFieldName(p.getCurrentName());
        case VALUE_STRING -> g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
        case VALUE_TRUE -> g.writeBoolean(true);
        case VALUE_FALSE -> g.writeBoolean(false);
        case VALUE_NULL -> g.writeNull();
        default -> throw new IOException("unexpected JSON token " + p.currentToken());
      }
    } while (depth > 0 && p.nextToken() != null);
  }

  /**
   * The refusal of a request to {@code source}'s door when there is none, or when it cannot check
   * signatures (its secret has no value); null when the door is open. The notify route shares it.
   */
  static Answer closed(Map<String, Door> doors, String source) {
    Door door = doors.get(source);
    if (door == null) {
      return refuse(404, "UNKNOWN_SOURCE", "no source '" + source + "' accepts pushes; those that do: "
          + new java.util.TreeSet<>(doors.keySet()));
    }
    if (door.unsetSecret() != null) {
      return refuse(503, "SECRET_NOT_SET", "source '" + source + "' signs its pushes with the secret "
          + door.unsetSecret() + ", which has no value here: set it, then push again");
    }
    return null;
  }

  static Answer refuse(int status, String code, String message) {
    return new Answer(status, Map.of("code", code, "message", message));
  }

  /** The stream's bytes, or null when it holds more than {@code max}: never more than max + 1 read. */
  static byte[] bounded(InputStream in, long max) throws IOException {
    return bounded(in, max, -1);
  }

  /**
   * The stream's bytes, or null when it holds more than {@code max}: never more than max + 1 read.
   * A declared length within the limit is read into one array of that size (no growing copies);
   * the stream must then end there.
   */
  private static byte[] bounded(InputStream in, long max, long declaredLength) throws IOException {
    if (declaredLength >= 0 && declaredLength <= max) {
      byte[] bytes = new byte[(int) declaredLength];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) {
        return java.util.Arrays.copyOf(bytes, n); // shorter than declared: what arrived is the body
      }
      int next = in.read();
      if (next < 0) {
        return bytes;
      }
      // Longer than declared: read on, still bounded by max.
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(bytes);
      all.write(next);
      all.write(in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1 - all.size())));
      return all.size() > max ? null : all.toByteArray();
    }
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
    return bytes.length > max ? null : bytes;
  }

  /** The Content-Length header, or -1 when absent or not a number. */
  private static long contentLength(Push push) {
    String value = push.header("Content-Length");
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static final class NotRecords extends Exception {
    NotRecords(String message) {
      super(message);
    }
  }

  /**
   * Writes each record of a JSON array or of NDJSON as one compact line; refuses anything that is
   * not JSON objects, naming the record.
   */
  private static long toNdjson(byte[] body, ByteArrayOutputStream out) throws IOException, NotRecords {
    long n = 0;
    // One generator for the whole body: a generator per record cost more than the parse.
    try (JsonParser p = JSON.createParser(body);
        com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out).setRootValueSeparator(null)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return 0;
      }
      boolean array = first == JsonToken.START_ARRAY;
      JsonToken t = array ? p.nextToken() : first;
      while (t != null && t != JsonToken.END_ARRAY) {
        if (t != JsonToken.START_OBJECT) {
          throw new NotRecords("record " + (n + 1) + " is a JSON " + t.asString() + ", not an object");
        }
        copyRecord(p, g);
        g.writeRaw('\n'); // each record ends its line (the root separator is off, below)
        n++;
        t = p.nextToken();
      }
      if (array && p.nextToken() != null) {
        throw new NotRecords("there is more after the array's end");
      }
    } catch (JsonProcessingException e) {
      throw new NotRecords("not JSON at record " + (n + 1) + ": " + e.getOriginalMessage());
    }
    return n;
  }
}
