package io.medallion.silver;

import com.fasterxml.jackson.databind.JsonNode;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 */
final class RecordTyper {

  /** A typed record or a reject. */
  record Typed(Object[] values, RejectReason reason, String message) {
    boolean rejected() {
      return reason != null;
    }
  }

  private final List<Column> columns = new ArrayList<>();

  private record Column(int index, String sourceField, Field field, double[] range, boolean lowercase) {}

  RecordTyper(TableSchema schema, SilverMapping mapping) {
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.fields().get(i);
      if (f.name().startsWith("_")) {
        continue;
      }
      if (f.type() == FieldType.TIMESTAMP || f.type() == FieldType.DATE) {
        throw new IllegalArgumentException(
            "Source column " + f.name() + ": type " + f.type() + " is not supported in silver yet");
      }
      columns.add(
          new Column(
              i, mapping.sourceField(f.name()), f, mapping.ranges().get(f.name()),
              mapping.lowercase().contains(f.name())));
    }
  }

  /** Fills the source columns of a row of {@code width} values. */
  Typed type(JsonNode record, int width) {
    if (!record.isObject()) {
      return reject(RejectReason.NOT_AN_OBJECT, "record is a JSON " + kind(record) + ", not an object");
    }
    Object[] values = new Object[width];
    for (Column c : columns) {
      JsonNode node = record.get(c.sourceField());
      Object value;
      if (node == null || node.isNull()) {
        value = null;
      } else if (node.isContainerNode()) {
        return reject(
            RejectReason.WRONG_TYPE,
            c.sourceField() + ": expected a " + c.field().type().name().toLowerCase(Locale.ROOT)
                + ", got a JSON " + kind(node));
      } else {
        Object typed = convert(c, node);
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

  private static Object convert(Column c, JsonNode node) {
    switch (c.field().type()) {
      case STRING:
        {
          String s = node.isTextual() ? node.textValue().strip() : numberText(node);
          if (s.isEmpty()) {
            return null;
          }
          return c.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
        }
      case FLOAT64:
        {
          Double d = toDouble(node);
          if (d == null) {
            return node.isTextual() && node.textValue().isBlank()
                ? null
                : reject(RejectReason.NOT_A_NUMBER, c.sourceField() + ": " + quoted(node) + " is not a number");
          }
          double[] r = c.range();
          if (r != null && (d < r[0] || d > r[1])) {
            return reject(
                RejectReason.OUT_OF_RANGE,
                c.sourceField() + ": " + quoted(node) + " is outside [" + fmt(r[0]) + ", " + fmt(r[1]) + "]");
          }
          return d;
        }
      case INT64:
        {
          if (node.isTextual() && node.textValue().isBlank()) {
            return null;
          }
          try {
            BigDecimal b = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().strip());
            long v = b.longValueExact();
            double[] r = c.range();
            if (r != null && (v < r[0] || v > r[1])) {
              return reject(RejectReason.OUT_OF_RANGE, c.sourceField() + ": " + v + " is out of range");
            }
            return v;
          } catch (NumberFormatException | ArithmeticException e) {
            return reject(RejectReason.NOT_A_NUMBER, c.sourceField() + ": " + quoted(node) + " is not an integer");
          }
        }
      case BOOL:
        {
          if (node.isBoolean()) {
            return node.booleanValue();
          }
          String s = node.asText().strip().toLowerCase(Locale.ROOT);
          if (s.isEmpty()) {
            return null;
          }
          if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
          }
          return reject(RejectReason.WRONG_TYPE, c.sourceField() + ": " + quoted(node) + " is not a boolean");
        }
      default:
        throw new IllegalStateException("Unsupported type " + c.field().type());
    }
  }

  private static Double toDouble(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (!node.isTextual()) {
      return null;
    }
    String s = node.textValue().strip();
    if (s.isEmpty()) {
      return null;
    }
    // Double.parseDouble accepts "NaN", "Infinity" and hex floats: none is a coordinate.
    if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return null;
    }
    return Double.parseDouble(s);
  }

  private static String numberText(JsonNode node) {
    return node.isNumber() ? node.numberValue() instanceof BigDecimal b ? b.toPlainString() : node.asText() : node.asText();
  }

  private static String quoted(JsonNode node) {
    String s = node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static Typed reject(RejectReason reason, String message) {
    return new Typed(null, reason, message);
  }
}
