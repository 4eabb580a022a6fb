package io.medallion.local.replay;

import io.medallion.local.replay.JsonValues.Num;
import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The silver contract applied to a record a generator made, to say what silver must make of it
 * (README "Silver rules"): columns are read in the table's order and the first that breaks a rule
 * names the reject. This is a second reading of the contract, written apart from silver's own, so
 * that a test comparing the two proves something.
 *
 * <ul>
 *   <li>An object or array where a scalar belongs: {@code WRONG_TYPE}.
 *   <li>{@code STRING}: a string is stripped, blank is null; a number or boolean becomes its JSON
 *       text (a decimal in plain notation); lowercased when the mapping says so.
 *   <li>{@code FLOAT64}: a number, or a string holding a decimal number ({@code NaN}, {@code
 *       Infinity}, a decimal comma are not); blank is null; otherwise {@code NOT_A_NUMBER}; outside
 *       the declared range {@code OUT_OF_RANGE}. {@code INT64} likewise, whole numbers only.
 *   <li>{@code BOOL}: a boolean, or the text true/false in any case; otherwise {@code WRONG_TYPE}.
 *   <li>{@code TIMESTAMP} / {@code DATE}: ISO-8601 text; otherwise {@code WRONG_TYPE}.
 *   <li>{@code REPEATED}: a JSON array of the column's type ({@code languages}) or a field of each
 *       element of an array of objects ({@code labels[].name}); no array is an empty list, a null
 *       element {@code MISSING_REQUIRED}.
 *   <li>A {@code REQUIRED} column that ends up null: {@code MISSING_REQUIRED}.
 *   <li>A key seen on an earlier clean record of the same load: {@code DUPLICATE_KEY}.
 *   <li>Lineage columns ({@code _run_id}, ...) are not the record's; {@code _parent_<f>} columns
 *       take field {@code f} of the parent record.
 * </ul>
 */
final class ContractReading {

  /** A reject, as the reading found it. */
  record Fault(String reason, String field) {}

  /** The columns a resource's expectations fill, shared by all of them. */
  record Columns(List<String> names, Map<String, String> fieldColumns, Map<String, Integer> index) {
    Columns(List<String> names, Map<String, String> fieldColumns) {
      this(List.copyOf(names), Map.copyOf(fieldColumns), indexOf(names));
    }

    private static Map<String, Integer> indexOf(List<String> names) {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        index.put(names.get(i), i);
      }
      return Map.copyOf(index);
    }
  }

  private record Column(String name, String field, String[] path, boolean each, String[] eachPath, Field schema,
      double[] range, boolean lowercase, String parentField) {}

  private final List<Column> columns = new ArrayList<>();
  private final Map<String, Column> byField = new HashMap<>();
  private final Map<String, String> fieldColumns = new LinkedHashMap<>();
  private final Column key;
  private final Columns shared;

  ContractReading(TableSchema schema, SilverMapping mapping) {
    Column keyColumn = null;
    for (Field f : schema.fields()) {
      boolean parent = f.name().startsWith("_parent_");
      if (f.name().startsWith("_") && !parent) {
        continue; // lineage: silver fills it from where the record came from
      }
      String field = parent ? f.name() : mapping.sourceField(f.name());
      int each = field.indexOf("[].");
      String[] path = (each < 0 ? field : field.substring(0, each)).split("\\.");
      String[] eachPath = each < 0 ? null : field.substring(each + 3).split("\\.");
      Column c = new Column(f.name(), field, path, each >= 0, eachPath, f, mapping.ranges().get(f.name()),
          mapping.lowercase().contains(f.name()), parent ? f.name().substring("_parent_".length()) : null);
      columns.add(c);
      byField.put(field, c);
      fieldColumns.put(field, f.name());
      if (f.name().equals(mapping.keyColumn())) {
        keyColumn = c;
      }
    }
    this.key = keyColumn;
    this.shared = new Columns(columns.stream().map(Column::name).toList(), fieldColumns);
  }

  /** Each API field a column reads, to its column. */
  Map<String, String> fieldColumns() {
    return shared.fieldColumns();
  }

  /** The columns, shared by every expectation of the resource. */
  Columns columns() {
    return shared;
  }

  /**
   * What silver makes of {@code record}: the typed values in column order, or a {@link Fault}. {@code parent} is the
   * parent record of a child resource's record (null otherwise); {@code seenKeys} the keys of the
   * earlier clean records of the load, to which a clean record's key is added.
   */
  Object read(Map<String, Object> record, Map<String, Object> parent, Set<String> seenKeys) {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      Column c = columns.get(i);
      Object raw = c.parentField() != null
          ? (parent == null ? JsonValues.ABSENT : JsonValues.at(parent, c.parentField().split("\\.")))
          : JsonValues.at(record, c.path());
      Object value;
      if (c.each()) {
        value = readEach(c, raw);
      } else if (c.schema().repeated()) {
        value = readArray(c, raw);
      } else {
        value = type(c, raw);
      }
      if (value instanceof Fault f) {
        return f;
      }
      if (value == null && c.schema().required()) {
        return new Fault("MISSING_REQUIRED", c.field());
      }
      row[i] = value;
    }
    if (key != null && seenKeys != null) {
      Object k = row[columns.indexOf(key)];
      if (k != null && !seenKeys.add(k.toString())) {
        return new Fault("DUPLICATE_KEY", key.field());
      }
    }
    return row;
  }

  /**
   * A {@code list[].field} column: the field of each element, as a list. No array is an empty one;
   * an element that is not an object is {@code WRONG_TYPE}, one whose field is null (or missing) is
   * {@code MISSING_REQUIRED}: a BigQuery array holds no NULL.
   */
  private Object readEach(Column c, Object raw) {
    if (raw == null || raw == JsonValues.ABSENT) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      return new Fault("WRONG_TYPE", c.field());
    }
    List<Object> out = new ArrayList<>();
    for (Object element : list) {
      if (element != null && !(element instanceof Map)) {
        return new Fault("WRONG_TYPE", c.field());
      }
      Object v = element == null ? null : type(c, JsonValues.at(element, c.eachPath()));
      if (v instanceof Fault f) {
        return f;
      }
      if (v == null) {
        return new Fault("MISSING_REQUIRED", c.field());
      }
      out.add(v);
    }
    return out;
  }

  /**
   * A REPEATED column fed by a JSON array of its type ({@code languages}): each element typed as a
   * scalar of the column. No array is an empty one; a null (or blank) element is {@code
   * MISSING_REQUIRED}: a BigQuery array holds no NULL.
   */
  private static Object readArray(Column c, Object raw) {
    if (raw == null || raw == JsonValues.ABSENT) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      return new Fault("WRONG_TYPE", c.field());
    }
    List<Object> out = new ArrayList<>();
    for (Object element : list) {
      Object v = type(c, element);
      if (v instanceof Fault f) {
        return f;
      }
      if (v == null) {
        return new Fault("MISSING_REQUIRED", c.field());
      }
      out.add(v);
    }
    return out;
  }

  /** The typed value of one field for a reference in a generator ({@code $field}): null when it would be rejected. */
  Object value(String field, Object raw) {
    Column c = byField.get(field);
    if (c == null || c.each() || c.schema().repeated()) {
      return raw == JsonValues.ABSENT ? null : raw;
    }
    Object v = type(c, raw);
    return v instanceof Fault ? null : v;
  }

  private static Object type(Column c, Object raw) {
    if (raw == null || raw == JsonValues.ABSENT) {
      return null;
    }
    if (raw instanceof Map || raw instanceof List) {
      return new Fault("WRONG_TYPE", c.field());
    }
    boolean textual = raw instanceof String;
    String text = JsonValues.scalarText(raw);
    switch (c.schema().type()) {
      case STRING -> {
        String s = textual ? text.strip() : numberText(raw);
        if (s.isEmpty()) {
          return null;
        }
        return c.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
      }
      case FLOAT64 -> {
        if (textual && text.isBlank()) {
          return null;
        }
        String s = text.strip();
        if (raw instanceof Boolean || !isDecimal(s)) {
          return new Fault("NOT_A_NUMBER", c.field());
        }
        double d = Double.parseDouble(s);
        if (c.range() != null && (d < c.range()[0] || d > c.range()[1])) {
          return new Fault("OUT_OF_RANGE", c.field());
        }
        return d;
      }
      case INT64 -> {
        if (textual && text.isBlank()) {
          return null;
        }
        long v;
        try {
          v = new BigDecimal(text.strip()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
          return new Fault("NOT_A_NUMBER", c.field());
        }
        if (c.range() != null && (v < c.range()[0] || v > c.range()[1])) {
          return new Fault("OUT_OF_RANGE", c.field());
        }
        return v;
      }
      case BOOL -> {
        if (raw instanceof Boolean b) {
          return b;
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
          return null;
        }
        if (s.equals("true") || s.equals("false")) {
          return Boolean.valueOf(s);
        }
        return new Fault("WRONG_TYPE", c.field());
      }
      case TIMESTAMP -> {
        String s = text.strip();
        if (s.isEmpty()) {
          return null;
        }
        try {
          return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
          return new Fault("WRONG_TYPE", c.field());
        }
      }
      case DATE -> {
        String s = text.strip();
        if (s.isEmpty()) {
          return null;
        }
        try {
          return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
          return new Fault("WRONG_TYPE", c.field());
        }
      }
      default -> throw new IllegalStateException("No reading for " + c.schema().type());
    }
  }

  /** A number or boolean as the text a string column keeps: a decimal in plain notation. */
  private static String numberText(Object raw) {
    if (raw instanceof Num n) {
      String t = n.text();
      if (t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) {
        return new BigDecimal(t).toPlainString();
      }
      return t.equals("-0") ? "0" : t;
    }
    return String.valueOf(raw);
  }

  /**
   * {@code [+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?} in ASCII digits: what a decimal number is. Java's
   * parser also takes NaN, Infinity, hex and a type suffix, none of which is one.
   */
  static boolean isDecimal(String s) {
    return DECIMAL.matcher(s).matches();
  }

  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
}
