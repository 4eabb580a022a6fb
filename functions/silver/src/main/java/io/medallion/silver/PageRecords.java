package io.medallion.silver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The records of an API page whose records are not the whole body ({@code "data_selector":
 * "shows.items"}): the bytes of the array at that path, as they are in bronze, for the splitter to
 * read. Bronze keeps the whole response; silver reads only the records in it.
 */
final class PageRecords {

  /** An API page larger than this is no page: refused rather than held in memory. */
  static final int MAX_PAGE_BYTES = 256 << 20;

  private PageRecords() {}

  /**
   * The records array at {@code selector} ({@code $} for the whole body).
   *
   * @throws MalformedBronzeException when the path does not lead to an array (a JSON null there is
   *     an empty page)
   */
  static InputStream select(InputStream page, String selector, String uri, JsonFactory json)
      throws IOException, MalformedBronzeException {
    if (selector == null || selector.equals("$")) {
      return page;
    }
    byte[] body = page.readNBytes(MAX_PAGE_BYTES + 1);
    if (body.length > MAX_PAGE_BYTES) {
      throw new MalformedBronzeException(uri + " is more than " + (MAX_PAGE_BYTES >> 20) + " MiB: not an API page", null);
    }
    String[] path = selector.split("\\.");
    try (JsonParser p = json.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedBronzeException(uri + ": expected a JSON object holding the records at " + selector, null);
      }
      for (int depth = 0; depth < path.length; depth++) {
        String want = path[depth];
        boolean found = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (!name.equals(want)) {
            p.skipChildren();
            continue;
          }
          found = true;
          boolean last = depth == path.length - 1;
          if (last && value == JsonToken.VALUE_NULL) {
            return new ByteArrayInputStream(new byte[] {'[', ']'});
          }
          if (last && value == JsonToken.START_ARRAY) {
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getByteOffset();
            return new ByteArrayInputStream(body, start, end - start);
          }
          if (last || value != JsonToken.START_OBJECT) {
            throw new MalformedBronzeException(uri + ": " + String.join(".", java.util.Arrays.copyOf(path, depth + 1))
                + " is " + value.asString() + ", not the " + (last ? "array of records" : "object") + " the data selector "
                + selector + " expects", null);
          }
          break;
        }
        if (!found) {
          throw new MalformedBronzeException(uri + " has no " + String.join(".", java.util.Arrays.copyOf(path, depth + 1))
              + " (data selector " + selector + ")", null);
        }
      }
      throw new MalformedBronzeException(uri + " has no records at " + selector, null);
    } catch (JsonProcessingException e) {
      throw new MalformedBronzeException(uri + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
