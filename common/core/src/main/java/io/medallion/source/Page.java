package io.medallion.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * One page of a paginated source, as it came over the wire.
 *
 * <p>{@code body} is kept byte for byte as the source returned it: bronze stores raw bytes, and
 * whatever silver later finds odd must still be there to find. The array is copied in and out.
 *
 * @param number the 1-based page number
 * @param body the response body, a JSON array of records
 * @param recordCount the number of top-level elements of that array
 */
public record Page(int number, byte[] body, int recordCount) {

  // Thread-safe once configured; parsers are cheap, factories are not.
  private static final JsonFactory JSON = new JsonFactory();

  public Page {
    if (number < 1) {
      throw new IllegalArgumentException("Page numbers start at 1, got " + number);
    }
    if (recordCount < 0) {
      throw new IllegalArgumentException("Negative record count " + recordCount);
    }
    body = body.clone();
  }

  /**
   * Counts the records of a page body by streaming it: the body must be exactly one JSON array,
   * whose top-level elements are counted, never built into trees.
   *
   * @throws IOException whose message says what is wrong: empty, not an array (and what it is
   *     instead), not valid or truncated JSON (and at which byte), or trailing data after the array
   */
  public static int countRecords(byte[] json) throws IOException {
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IOException("the body is empty");
      }
      if (first != JsonToken.START_ARRAY) {
        throw new IOException("the body is " + describe(first) + ", not an array");
      }
      int count = 0;
      // nextToken() throws on truncated input rather than returning null, so the loop ends.
      while (p.nextToken() != JsonToken.END_ARRAY) {
        count++;
        p.skipChildren();
      }
      if (p.nextToken() != null) {
        throw new IOException(
            "trailing data after the array at byte " + p.currentTokenLocation().getByteOffset());
      }
      return count;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
      throw new IOException(
          "the body is not valid JSON (" + e.getOriginalMessage() + where + ")", e);
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_OBJECT:
        return "a JSON object";
      case VALUE_STRING:
        return "a JSON string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a JSON number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a JSON boolean";
      case VALUE_NULL:
        return "JSON null";
      default:
        return "JSON " + token;
    }
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /** A page past the end of the data: the source returned {@code []}. */
  public boolean isEmpty() {
    return recordCount == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Page p
        && number == p.number
        && recordCount == p.recordCount
        && Arrays.equals(body, p.body);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * number + recordCount) + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "Page[number="
        + number
        + ", recordCount="
        + recordCount
        + ", bytes="
        + body.length
        + "]";
  }
}
