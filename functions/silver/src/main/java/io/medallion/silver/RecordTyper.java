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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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

  /** Double.parseDouble also takes "NaN", "Infinity" and hex floats: none is a coordinate. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private record Column(int index, String sourceField, Field field, double[] range, boolean lowercase) {}

  private final Column[] columns;
  private final Map<String, Integer> bySourceField = new HashMap<>();

  RecordTyper(TableSchema schema, SilverMapping mapping) {
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
   * {@code width} values. Leaves the parser on the record's last token.
   */
  Typed type(JsonParser p, int width) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      skipValue(p);
      return reject(RejectReason.NOT_AN_OBJECT, "record is a JSON " + kind(t) + ", not an object");
    }
    JsonToken[] tokens = new JsonToken[columns.length];
    String[] texts = new String[columns.length];
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Integer c = bySourceField.get(p.currentName());
      JsonToken value = p.nextToken();
      if (c == null) {
        skipValue(p);
        continue;
      }
      tokens[c] = value;
      if (value.isStructStart()) {
        texts[c] = null;
        skipValue(p);
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
    if (s.isEmpty() || !DECIMAL.matcher(s).matches()) {
      return null;
    }
    return NumberInput.parseDouble(s, true);
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
