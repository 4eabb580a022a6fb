package io.medallion.silver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one bronze record into typed silver values, or says why it cannot. The rules are the
 * silver contract (see README "Silver rules"):
 *
 * <ul>
 *   <li>strings are trimmed and a blank string is NULL; a number or boolean in a string column
 *       becomes its JSON text; an object or array is {@link RejectReason#WRONG_TYPE};
 *   <li>numbers may come as JSON numbers or numeric strings; other text is {@link
 *       RejectReason#NOT_A_NUMBER}; values outside the mapping's range are {@link
 *       RejectReason#OUT_OF_RANGE};
 *   <li>REQUIRED columns must end up non-NULL ({@link RejectReason#MISSING_REQUIRED});
 *   <li>fields the schema does not name are ignored.
 * </ul>
 *
 * Columns whose names start with {@code _} are lineage, filled by the transform, not the record.
 *
 * <p>The record is read from a streaming parser, no tree built: a first pass keeps each column's
 * token and text (the last of repeated fields wins, as in a JSON object), then the columns are
 * checked in schema order, so a record with two faults always gets the first column's reason.
 * Thread-safe: one typer serves every worker.
 */
final class RecordTyper {

  /** A typed record or a reject. */
  record Typed(Object[] values, RejectReason reason, String message) {
    boolean rejected() {
      return reason != null;
    }
  }

  /**
   * A string value still as its UTF-8 bytes in the input: one the output can take as it is. Made
   * only for a string with no escapes, no 4-byte character (which Jackson's writer would escape),
   * and a first and last byte that are visible ASCII (so strip() would change nothing and it is
   * not blank), in a column that is not lowercased: copying it gives the bytes decoding and
   * encoding would, without either.
   */
  record Utf8(byte[] bytes, int offset, int length) {
    @Override
    public String toString() {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
  }

  private record Column(int index, String sourceField, Field field, double[] range, boolean lowercase) {
    /** Whether a plain string of this column can be copied as its input bytes ({@link Utf8}). */
    boolean copiesPlainStrings() {
      return field.type() == FieldType.STRING && !lowercase;
    }
  }

  private final Column[] columns;
  private final Map<String, Integer> bySourceField = new HashMap<>();

  /**
   * The column of the field seen at each position of earlier records ({@code -1}: not a column):
   * records of one source mostly list their fields in the same order, and Jackson hands out the
   * same interned name each time, so a hit costs one comparison instead of a map lookup. Shared
   * by the worker threads: each slot is one immutable pair, replaced whole, checked on use.
   */
  private final FieldAt[] fieldAt = new FieldAt[64];

  private record FieldAt(String name, int column) {}

  /** Jackson's limit on a string's length, which it checks only when it decodes one. */
  private final int maxStringLength;

  RecordTyper(TableSchema schema, SilverMapping mapping, int maxStringLength) {
    this.maxStringLength = maxStringLength;
    List<Column> list = new java.util.ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.fields().get(i);
      if (f.name().startsWith("_")) {
        continue;
      }
      if (f.type() == FieldType.TIMESTAMP || f.type() == FieldType.DATE) {
        throw new IllegalArgumentException(
            "Source column " + f.name() + ": type " + f.type() + " is not supported in silver yet");
      }
      bySourceField.put(mapping.sourceField(f.name()), list.size());
      list.add(
          new Column(
              i, mapping.sourceField(f.name()), f, mapping.ranges().get(f.name()),
              mapping.lowercase().contains(f.name())));
    }
    this.columns = list.toArray(Column[]::new);
  }

  /**
   * Reads the record the parser's current token starts and fills the source columns of a row of
   * {@code width} values. Leaves the parser on the record's last token. {@code source} is the byte
   * array the parser reads, from {@code sourceOffset} on: plain strings become {@link Utf8} slices
   * of it.
   */
  Typed type(JsonParser p, int width, byte[] source, int sourceOffset) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      skipValue(p);
      return reject(RejectReason.NOT_AN_OBJECT, "record is a JSON " + kind(t) + ", not an object");
    }
    JsonToken[] tokens = new JsonToken[columns.length];
    String[] texts = new String[columns.length];
    Utf8[] plain = new Utf8[columns.length];
    int position = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      int c = column(p.currentName(), position++);
      JsonToken value = p.nextToken();
      if (c < 0) {
        skipValue(p);
        continue;
      }
      tokens[c] = value;
      plain[c] = null;
      if (value.isStructStart()) {
        texts[c] = null;
        skipValue(p);
      } else if (value == JsonToken.VALUE_STRING && columns[c].copiesPlainStrings()
          && (plain[c] = plainString(source, sourceOffset, p.currentTokenLocation().getByteOffset(), maxStringLength)) != null) {
        // Left undecoded: the parser still steps over it and checks its UTF-8.
        texts[c] = null;
      } else {
        texts[c] = value == JsonToken.VALUE_NULL ? null : p.getText();
      }
    }
    Object[] values = new Object[width];
    for (int i = 0; i < columns.length; i++) {
      Column c = columns[i];
      JsonToken token = tokens[i];
      Object value;
      if (token == null || token == JsonToken.VALUE_NULL) {
        value = null;
      } else if (plain[i] != null) {
        value = plain[i];
      } else if (token.isStructStart()) {
        return reject(
            RejectReason.WRONG_TYPE,
            c.sourceField() + ": expected a " + c.field().type().name().toLowerCase(Locale.ROOT)
                + ", got a JSON " + kind(token));
      } else {
        Object typed = convert(c, token, texts[i]);
        if (typed instanceof Typed rejected) {
          return rejected;
        }
        value = typed;
      }
      if (value == null && c.field().required()) {
        return reject(RejectReason.MISSING_REQUIRED, c.sourceField() + " is required");
      }
      values[c.index()] = value;
    }
    return new Typed(values, null, null);
  }

  /** The column of source field {@code name}, or -1; {@code position} is its place in the record. */
  private int column(String name, int position) {
    if (position >= fieldAt.length) {
      Integer c = bySourceField.get(name);
      return c == null ? -1 : c;
    }
    FieldAt seen = fieldAt[position];
    if (seen != null && (seen.name() == name || seen.name().equals(name))) {
      return seen.column();
    }
    Integer c = bySourceField.get(name);
    int column = c == null ? -1 : c;
    fieldAt[position] = new FieldAt(name, column);
    return column;
  }

  /**
   * The string whose opening quote is at {@code quoteInParser} (as the parser that starts at
   * {@code sourceOffset} counts; negative when unknown) as a {@link Utf8} slice, or null when it
   * must be decoded: escapes, a 4-byte character, empty, a first or last byte that is not visible
   * ASCII (whitespace to strip, or a non-ASCII character that may be), or more than {@code
   * maxLength} bytes (decoding checks the parser's limit, which counts characters).
   */
  static Utf8 plainString(byte[] source, int sourceOffset, long quoteInParser, int maxLength) {
    long quote = sourceOffset + quoteInParser;
    if (quoteInParser < 0 || quote >= source.length || source[(int) quote] != '"') {
      return null;
    }
    int start = (int) quote + 1;
    int i = start;
    while (i < source.length) {
      int b = source[i] & 0xFF;
      if (b == '"') {
        break;
      }
      if (b == '\\' || b >= 0xF0) {
        return null;
      }
      i++;
    }
    if (i == start || i == source.length || i - start > maxLength
        || !visibleAscii(source[start]) || !visibleAscii(source[i - 1])) {
      return null;
    }
    return new Utf8(source, start, i - start);
  }

  private static boolean visibleAscii(byte b) {
    return b > 0x20 && b < 0x7F;
  }

  /**
   * Steps over the value the parser is on. Jackson checks the UTF-8 of the strings it skips, so
   * bytes that are not UTF-8 fail the object wherever they are, as a full parse would.
   */
  static void skipValue(JsonParser p) throws IOException {
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    }
  }

  private static Object convert(Column c, JsonToken token, String text) {
    boolean textual = token == JsonToken.VALUE_STRING;
    switch (c.field().type()) {
      case STRING:
        {
          String s = textual ? text.strip() : numberText(token, text);
          if (s.isEmpty()) {
            return null;
          }
          return c.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
        }
      case FLOAT64:
        {
          Double d = toDouble(token, text);
          if (d == null) {
            return textual && text.isBlank()
                ? null
                : reject(RejectReason.NOT_A_NUMBER, c.sourceField() + ": " + quoted(token, text) + " is not a number");
          }
          double[] r = c.range();
          if (r != null && (d < r[0] || d > r[1])) {
            return reject(
                RejectReason.OUT_OF_RANGE,
                c.sourceField() + ": " + quoted(token, text) + " is outside [" + fmt(r[0]) + ", " + fmt(r[1]) + "]");
          }
          return d;
        }
      case INT64:
        {
          if (textual && text.isBlank()) {
            return null;
          }
          try {
            long v = token == JsonToken.VALUE_NUMBER_INT ? Long.parseLong(text) : new BigDecimal(text.strip()).longValueExact();
            double[] r = c.range();
            if (r != null && (v < r[0] || v > r[1])) {
              return reject(RejectReason.OUT_OF_RANGE, c.sourceField() + ": " + v + " is out of range");
            }
            return v;
          } catch (NumberFormatException | ArithmeticException e) {
            return reject(RejectReason.NOT_A_NUMBER, c.sourceField() + ": " + quoted(token, text) + " is not an integer");
          }
        }
      case BOOL:
        {
          if (token.isBoolean()) {
            return token == JsonToken.VALUE_TRUE;
          }
          String s = text.strip().toLowerCase(Locale.ROOT);
          if (s.isEmpty()) {
            return null;
          }
          if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
          }
          return reject(RejectReason.WRONG_TYPE, c.sourceField() + ": " + quoted(token, text) + " is not a boolean");
        }
      default:
        throw new IllegalStateException("Unsupported type " + c.field().type());
    }
  }

  private static Double toDouble(JsonToken token, String text) {
    if (token.isNumeric()) {
      return NumberInput.parseDouble(text, true);
    }
    if (token != JsonToken.VALUE_STRING) {
      return null;
    }
    String s = text.strip();
    if (!isDecimal(s)) {
      return null;
    }
    return NumberInput.parseDouble(s, true);
  }

  /**
   * {@code [+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?}: Double.parseDouble also takes "NaN",
   * "Infinity", hex floats and a type suffix, none of which is a coordinate.
   */
  static boolean isDecimal(String s) {
    int n = s.length();
    int start = skipSign(s, 0);
    int intEnd = skipDigits(s, start);
    boolean point = intEnd < n && s.charAt(intEnd) == '.';
    int end = point ? skipDigits(s, intEnd + 1) : intEnd;
    if (intEnd == start && (!point || end == intEnd + 1)) {
      return false; // no digit before or after the point
    }
    if (end < n && (s.charAt(end) == 'e' || s.charAt(end) == 'E')) {
      int exponent = skipSign(s, end + 1);
      end = skipDigits(s, exponent);
      if (end == exponent) {
        return false;
      }
    }
    return end == n;
  }

  private static int skipSign(String s, int i) {
    return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
  }

  private static int skipDigits(String s, int i) {
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** ASCII digits only, as the pattern's \\d. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A JSON number or boolean as text: plain notation, as a decimal's string form would be. */
  private static String numberText(JsonToken token, String text) {
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      return new BigDecimal(text).toPlainString();
    }
    // "-0" is the only integer JSON spells in two ways.
    return token == JsonToken.VALUE_NUMBER_INT && text.equals("-0") ? "0" : text;
  }

  private static String quoted(JsonToken token, String text) {
    String s = token == JsonToken.VALUE_STRING ? "'" + text + "'" : text;
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }

  private static Typed reject(RejectReason reason, String message) {
    return new Typed(null, reason, message);
  }
}
