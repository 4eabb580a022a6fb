package io.medallion.source.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medallion.source.Source;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Where the records are in a response and what a record holds: the records a {@code
 * data_selector} finds ({@code $} for a top-level array, else a dot path such as {@code
 * shows.items}), a field of a record by dot path (a parent's value for a child's path, an
 * incremental cursor), and the highest cursor value of a page.
 *
 * <p>Bodies are parsed strictly: one JSON value, nothing after it. A JSON {@code null} where the
 * records should be is an empty page (some APIs answer so past the end); anything else that is not
 * an array fails with a message saying what was found instead.
 */
public final class Records {

  /** The data selector of a top-level array. */
  public static final String TOP_LEVEL = "$";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonFactory STREAMING = new JsonFactory();

  private Records() {}

  /** The body is not what a declaration says it is; the message says what it is instead. */
  public static final class UnexpectedBodyException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnexpectedBodyException(String message, Throwable cause) {
      super(message, cause);
    }

    public UnexpectedBodyException(String message) {
      super(message);
    }
  }

  /**
   * {@code body} as one JSON value.
   *
   * @throws UnexpectedBodyException when it is empty, not valid JSON (with the byte where it
   *     breaks) or has data after the value
   */
  public static JsonNode parse(byte[] body) throws UnexpectedBodyException {
    if (isBlank(body)) {
      throw new UnexpectedBodyException("the body is empty");
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
      throw new UnexpectedBodyException("the body is not valid JSON (" + e.getOriginalMessage() + where + ")", e);
    } catch (IOException e) {
      throw new UnexpectedBodyException("the body cannot be read as JSON: " + e.getMessage(), e);
    }
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * The records {@code selector} finds in {@code body}: empty for a JSON null.
   *
   * @throws UnexpectedBodyException naming what the selector found instead of an array
   */
  public static List<JsonNode> select(JsonNode body, String selector) throws UnexpectedBodyException {
    JsonNode node = body;
    if (!TOP_LEVEL.equals(selector)) {
      String walked = "";
      for (String step : selector.split("\\.")) {
        if (!node.isObject()) {
          throw new UnexpectedBodyException("data_selector '" + selector + "' found nothing: "
              + (walked.isEmpty() ? "the body" : "'" + walked + "'") + " is " + describe(node) + ", not an object");
        }
        JsonNode next = node.get(step);
        walked = walked.isEmpty() ? step : walked + "." + step;
        if (next == null) {
          throw new UnexpectedBodyException("data_selector '" + selector + "' found nothing: there is no '" + walked
              + "' in " + describe(node));
        }
        node = next;
      }
    }
    if (node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new UnexpectedBodyException("data_selector '" + selector + "' found " + describe(node)
          + ", not an array of records");
    }
    List<JsonNode> out = new ArrayList<>(node.size());
    node.forEach(out::add);
    return out;
  }

  /** The records of {@code body} by {@code selector} (parsing it first). */
  public static List<JsonNode> of(byte[] body, String selector) throws UnexpectedBodyException {
    return select(parse(body), selector);
  }

  /**
   * How many records a top-level array holds, by streaming it (no tree is built: a page of
   * thousands of records costs little). The body is checked as strictly as {@link #parse}.
   */
  public static int countTopLevel(byte[] body) throws UnexpectedBodyException {
    try (JsonParser p = STREAMING.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY || first == JsonToken.VALUE_NULL) {
        int count = 0;
        if (first == JsonToken.START_ARRAY) {
          // nextToken() throws on truncated input rather than returning null, so the loop ends.
          while (p.nextToken() != JsonToken.END_ARRAY) {
            count++;
            p.skipChildren();
          }
        }
        if (p.nextToken() != null) {
          throw new UnexpectedBodyException("the body is not valid JSON (data after the value at byte "
              + p.currentTokenLocation().getByteOffset() + ")");
        }
        return count;
      }
    } catch (JsonProcessingException e) {
      // parse() below says where it breaks.
    } catch (UnexpectedBodyException e) {
      throw e;
    } catch (IOException e) {
      throw new UnexpectedBodyException("the body cannot be read as JSON: " + e.getMessage(), e);
    }
    return select(parse(body), TOP_LEVEL).size();
  }

  /** The value at dot path {@code path} of {@code node}; empty when a step is missing or not an object. */
  public static Optional<JsonNode> at(JsonNode node, String path) {
    JsonNode n = node;
    for (String step : path.split("\\.")) {
      if (n == null || !n.isObject()) {
        return Optional.empty();
      }
      n = n.get(step);
    }
    return Optional.ofNullable(n);
  }

  /**
   * A field of a record as text: a string as it is, a number or boolean as written, an object or
   * array as its JSON. Empty when the field is missing or null.
   */
  public static Optional<String> text(JsonNode record, String path) {
    return at(record, path).filter(n -> !n.isNull()).map(n -> n.isValueNode() ? n.asText() : n.toString());
  }

  /**
   * The highest value of {@code incremental.cursorPath} among {@code records}, as the record wrote
   * it; empty when no record has one. Records without the field are skipped.
   *
   * @throws UnexpectedBodyException when a value does not compare as declared (a timestamp that is
   *     not ISO-8601, a number that is not a number)
   */
  public static Optional<String> maxCursor(List<JsonNode> records, Source.Incremental incremental)
      throws UnexpectedBodyException {
    String best = null;
    Comparable<Object> bestKey = null;
    for (int i = 0; i < records.size(); i++) {
      Optional<String> value = text(records.get(i), incremental.cursorPath());
      if (value.isEmpty()) {
        continue;
      }
      Comparable<Object> key = key(value.get(), incremental.compare(), incremental.cursorPath(), i + 1);
      if (bestKey == null || key.compareTo(bestKey) > 0) {
        best = value.get();
        bestKey = key;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Compares two cursor values as {@code how} says (for the high-water mark of several pages).
   *
   * @throws IllegalArgumentException when either does not compare so
   */
  public static int compare(String a, String b, Source.Incremental.Compare how) {
    try {
      return key(a, how, "a", 0).compareTo(key(b, how, "b", 0));
    } catch (UnexpectedBodyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> key(String value, Source.Incremental.Compare how, String path, int record)
      throws UnexpectedBodyException {
    String where = record > 0 ? "record " + record + ": " + path : path;
    switch (how) {
      case NUMBER:
        try {
          return (Comparable<Object>) (Comparable<?>) new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
          throw new UnexpectedBodyException(where + " is '" + clip(value) + "', not a number (incremental.compare is number)");
        }
      case TEXT:
        return (Comparable<Object>) (Comparable<?>) value;
      case TIMESTAMP:
      default:
        try {
          return (Comparable<Object>) (Comparable<?>) timestamp(value);
        } catch (DateTimeParseException e) {
          throw new UnexpectedBodyException(where + " is '" + clip(value)
              + "', not an ISO-8601 timestamp (incremental.compare is timestamp)");
        }
    }
  }

  /**
   * An ISO-8601 timestamp: with an offset or Z, with or without a fraction of a second; a
   * timestamp without an offset or a bare date is taken as UTC.
   */
  public static Instant timestamp(String value) {
    String v = value.trim();
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(v, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return LocalDate.parse(v, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
    }
  }

  /** What a JSON value is, for messages: its kind, and an object's first field names. */
  public static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      Iterator<String> it = node.fieldNames();
      while (it.hasNext() && names.size() < 8) {
        names.add(it.next());
      }
      String more = node.size() > names.size() ? ", ..." : "";
      return names.isEmpty() ? "an empty JSON object" : "a JSON object with " + String.join(", ", names) + more;
    }
    if (node.isArray()) {
      return "a JSON array";
    }
    if (node.isTextual()) {
      return "a JSON string '" + clip(node.asText()) + "'";
    }
    if (node.isNumber()) {
      return "a JSON number " + node.asText();
    }
    if (node.isBoolean()) {
      return "a JSON boolean " + node.asText();
    }
    if (node.isNull()) {
      return "JSON null";
    }
    return "JSON " + node.getNodeType();
  }

  private static String clip(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
