package io.medallion.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import io.medallion.schema.Field;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A column's values between text and Java, typed by its gold schema: what a filter's text becomes
 * before it is bound as a query parameter (never SQL text), and how a row's value is written in
 * JSON and CSV.
 */
final class ColumnValues {

  /** Longer values are refused: no column of a gold table is compared with a longer text. */
  static final int MAX_TEXT = 1024;

  private ColumnValues() {}

  /**
   * The value of {@code text} as {@code field}'s type, for binding.
   *
   * @throws ApiError 400 naming {@code parameter} and the expected form
   */
  static Object parse(Field field, String text, String parameter) {
    if (text.length() > MAX_TEXT) {
      throw ApiError.badRequest("invalid_value", parameter + " is " + text.length()
          + " characters long; at most " + MAX_TEXT + " are accepted", parameter);
    }
    try {
      return switch (field.type()) {
        case STRING, JSON -> text;
        case INT64 -> Long.parseLong(text.trim());
        case FLOAT64 -> {
          double d = Double.parseDouble(text.trim());
          if (!Double.isFinite(d)) {
            throw new NumberFormatException("not finite");
          }
          yield d;
        }
        case NUMERIC, BIGNUMERIC -> new BigDecimal(text.trim());
        case BOOL -> switch (text.trim()) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new IllegalArgumentException("not a boolean");
        };
        case DATE -> LocalDate.parse(text.trim());
        case DATETIME -> LocalDateTime.parse(text.trim());
        case TIME -> LocalTime.parse(text.trim());
        case TIMESTAMP -> timestamp(text.trim());
        case BYTES, RECORD -> throw new IllegalArgumentException("not filterable");
      };
    } catch (DateTimeParseException | IllegalArgumentException e) { // NumberFormatException is one too
      throw invalid(field, text, parameter);
    }
  }

  /** An instant with its offset ({@code 2024-05-01T10:00:00Z}), or a date: its start in UTC. */
  private static Instant timestamp(String text) {
    if (text.length() == 10) {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    return OffsetDateTime.parse(text).toInstant();
  }

  private static ApiError invalid(Field field, String text, String parameter) {
    String shown = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return ApiError.badRequest("invalid_value", parameter + " must be " + expected(field) + ", not '"
        + shown.replaceAll("\\p{Cntrl}", "?") + "'", parameter);
  }

  /** The form a value of the field's type takes, for messages and the OpenAPI document. */
  static String expected(Field field) {
    return switch (field.type()) {
      case STRING, JSON -> "a text";
      case INT64 -> "an integer (e.g. 2024)";
      case FLOAT64 -> "a number (e.g. 1.5)";
      case NUMERIC, BIGNUMERIC -> "a decimal number (e.g. 1234.56)";
      case BOOL -> "true or false";
      case DATE -> "a date (YYYY-MM-DD)";
      case DATETIME -> "a date and time (YYYY-MM-DDTHH:MM:SS)";
      case TIME -> "a time (HH:MM:SS)";
      case TIMESTAMP -> "an instant with its offset (2024-05-01T10:00:00Z) or a date (its start in UTC)";
      case BYTES, RECORD -> "not filterable";
    };
  }

  /**
   * A stored value as JSON: INT64 and FLOAT64 as numbers, NUMERIC as a string (exact, as BigQuery's
   * own API gives it), dates and instants in ISO-8601.
   */
  static JsonElement json(Field field, Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (field.repeated() && value instanceof Iterable<?> values) {
      Field element = element(field);
      com.google.gson.JsonArray array = new com.google.gson.JsonArray();
      values.forEach(v -> array.add(json(element, v)));
      return array;
    }
    return switch (field.type()) {
      case INT64 -> new JsonPrimitive(value instanceof Number n ? n.longValue() : Long.parseLong(value.toString()));
      case FLOAT64 -> {
        double d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
        yield Double.isFinite(d) ? new JsonPrimitive(d) : new JsonPrimitive(Double.toString(d));
      }
      case BOOL -> new JsonPrimitive(value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString()));
      default -> new JsonPrimitive(text(field, value));
    };
  }

  /** A repeated column's element: the same type, one value. */
  private static Field element(Field field) {
    return new Field(field.name(), field.type(), true, field.description());
  }

  /** A stored value as text: a CSV cell (a repeated column's as its JSON array), or a page token's position. */
  static String text(Field field, Object value) {
    if (value == null) {
      return "";
    }
    if (field.repeated() && value instanceof Iterable<?>) {
      return json(field, value).toString();
    }
    return switch (field.type()) {
      case NUMERIC, BIGNUMERIC -> value instanceof BigDecimal d ? d.toPlainString() : value.toString();
      case TIMESTAMP -> value instanceof Instant i ? i.toString()
          : value instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC).toString() : value.toString();
      case DATETIME -> value instanceof Instant i ? LocalDateTime.ofInstant(i, ZoneOffset.UTC).toString() : value.toString();
      case FLOAT64 -> value instanceof Number n ? Double.toString(n.doubleValue()) : value.toString();
      default -> value.toString();
    };
  }
}
