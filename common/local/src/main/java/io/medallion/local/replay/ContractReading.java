package io.medallion.local.replay;

import io.medallion.local.replay.JsonValues.Num;
import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 *   <li>{@code TIMESTAMP}: ISO-8601 text with seconds, at most six fractional digits and a zone
 *       ({@code Z} or {@code ±hh:mm}, at most 18 hours), a real day and time, in the years 0001
 *       to 9999 once in UTC; otherwise {@code INVALID_TIMESTAMP}. {@code DATE}: {@code
 *       YYYY-MM-DD}, a real day; otherwise {@code INVALID_DATE}. A number is neither.
 *   <li>A nested field ({@code user.login}): null under a null or missing object, {@code
 *       WRONG_TYPE} under anything else.
 *   <li>{@code REPEATED}: a list, empty for a null or missing array; an element that is null (or
 *       whose field is) {@code MISSING_REQUIRED}, one that is not an object where a field of each
 *       element is read, or a value that is not a scalar, {@code WRONG_TYPE}; the field named is the
 *       declared path ({@code labels[].name}).
 *   <li>A {@code REQUIRED} column that ends up null: {@code MISSING_REQUIRED}.
 *   <li>Where silver is {@code distinct}: the same typed values as an earlier clean record of
 *       the same load: {@code DUPLICATE_ROW}, whose field is {@code *} (the whole record).
 *   <li>A key seen on an earlier clean record of the same load: {@code DUPLICATE_KEY}.
 *   <li>Lineage columns ({@code _run_id}, ...) are not the record's; {@code _parent_<f>} columns
 *       take field {@code f} of the parent record.
 * </ul>
 */
final class ContractReading {

  /** The field a {@code DUPLICATE_ROW} names: the whole record. */
  static final String WHOLE_RECORD = "*";

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
  /** Whether silver rejects a record whose typed values repeat an earlier one's ({@code silver.distinct}). */
  private final boolean distinct;
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
    this.distinct = mapping.distinct();
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
    return read(record, parent, seenKeys, null);
  }

  /**
   * As {@link #read(Map, Map, Set)}, and where silver is distinct, {@code seenRows} the typed rows
   * of the earlier clean records, to which a clean record's row is added.
   */
  Object read(Map<String, Object> record, Map<String, Object> parent, Set<String> seenKeys, Set<List<Object>> seenRows) {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      Column c = columns.get(i);
      Object raw = c.parentField() != null
          ? (parent == null ? JsonValues.ABSENT : JsonValues.at(parent, c.parentField().split("\\.")))
          : walk(c, record, c.path());
      Object value;
      if (raw instanceof Fault f) {
        value = f;
      } else if (c.schema().repeated()) {
        value = readRepeated(c, raw);
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
    // As silver: an exact repeat is a DUPLICATE_ROW before its key is looked at.
    if (distinct && seenRows != null && !seenRows.add(java.util.Arrays.asList(row))) {
      return new Fault("DUPLICATE_ROW", WHOLE_RECORD);
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
   * The value at {@code path} under {@code root}: {@link JsonValues#ABSENT} where an object on the
   * way is null or missing, a {@code WRONG_TYPE} fault where it is anything else.
   */
  private static Object walk(Column c, Object root, String[] path) {
    Object v = root;
    for (String step : path) {
      if (v == null || v == JsonValues.ABSENT) {
        return JsonValues.ABSENT;
      }
      if (!(v instanceof Map<?, ?> map)) {
        return new Fault("WRONG_TYPE", c.field());
      }
      v = map.containsKey(step) ? map.get(step) : JsonValues.ABSENT;
    }
    return v;
  }

  /**
   * A REPEATED column: the typed values of an array ({@code languages}) or of a field of each of
   * its elements ({@code labels[].name}); empty for a null or missing array. BigQuery arrays hold
   * no NULL, so a null value is {@code MISSING_REQUIRED}; the first faulty element names the fault.
   */
  private static Object readRepeated(Column c, Object raw) {
    if (raw == null || raw == JsonValues.ABSENT) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      return new Fault("WRONG_TYPE", c.field());
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object element = list.get(i);
      Object v = element;
      if (c.each()) {
        if (element != null && !(element instanceof Map)) {
          return new Fault("WRONG_TYPE", c.field());
        }
        v = walk(c, element, c.eachPath());
        if (v instanceof Fault f) {
          return f;
        }
      }
      // A fault inside a RECORD element is named by its element, as silver names it (items[3].sku).
      Object typed = c.schema().isRecord() && !c.each()
          ? type(c.schema(), c.range(), c.lowercase(), c.field() + "[" + i + "]", v)
          : type(c, v);
      if (typed instanceof Fault f) {
        return f;
      }
      if (typed == null) {
        return new Fault("MISSING_REQUIRED", c.schema().isRecord() && !c.each() ? c.field() + "[" + i + "]" : c.field());
      }
      out.add(typed);
    }
    return out;
  }

  /** The typed value of one field for a reference in a generator ({@code $field}): null when it would be rejected. */
  Object value(String field, Object raw) {
    Column c = byField.get(field);
    if (c == null || c.schema().repeated()) {
      return raw == JsonValues.ABSENT ? null : raw;
    }
    Object v = type(c, raw);
    return v instanceof Fault ? null : v;
  }

  private static Object type(Column c, Object raw) {
    return type(c.schema(), c.range(), c.lowercase(), c.field(), raw);
  }

  /**
   * One value of field {@code f} at {@code where} (its path, element indexes included, as silver
   * names it): a RECORD as a map of its fields' values (a REPEATED one as their list), a NUMERIC
   * as a BigDecimal, DATETIME and TIME as java.time values, JSON as the value itself.
   */
  private static Object type(Field f, double[] range, boolean lowercase, String where, Object raw) {
    if (raw == null || raw == JsonValues.ABSENT) {
      return null;
    }
    if (f.isRecord()) {
      if (!(raw instanceof Map<?, ?> map)) {
        return new Fault("WRONG_TYPE", where);
      }
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      for (Field sub : f.fields()) {
        Object v = map.containsKey(sub.name()) ? map.get(sub.name()) : JsonValues.ABSENT;
        String path = where + "." + sub.name();
        Object typed;
        if (sub.repeated()) {
          if (v == null || v == JsonValues.ABSENT) {
            typed = List.of();
          } else if (!(v instanceof List<?> list)) {
            typed = new Fault("WRONG_TYPE", path);
          } else {
            List<Object> values = new ArrayList<>();
            typed = values;
            for (int i = 0; i < list.size(); i++) {
              Object e = type(new Field(sub.name(), sub.type(), Field.Mode.NULLABLE, "", sub.fields(), sub.precision(), sub.scale()),
                  null, false, path + "[" + i + "]", list.get(i));
              if (e instanceof Fault) {
                typed = e;
                break;
              }
              if (e == null) {
                typed = new Fault("MISSING_REQUIRED", path + "[" + i + "]");
                break;
              }
              values.add(e);
            }
          }
        } else {
          typed = type(sub, null, false, path, v);
        }
        if (typed instanceof Fault) {
          return typed;
        }
        if (typed == null && sub.required()) {
          return new Fault("MISSING_REQUIRED", path);
        }
        out.put(sub.name(), typed);
      }
      return out;
    }
    if (f.type() == io.medallion.schema.FieldType.JSON) {
      return raw;
    }
    if (raw instanceof Map || raw instanceof List) {
      return new Fault("WRONG_TYPE", where);
    }
    boolean textual = raw instanceof String;
    String text = JsonValues.scalarText(raw);
    switch (f.type()) {
      case NUMERIC, BIGNUMERIC -> {
        String s = textual ? text.strip() : text;
        if (s.isEmpty()) {
          return null;
        }
        if (raw instanceof Boolean || !isDecimal(s)) {
          return new Fault("NOT_A_NUMBER", where);
        }
        BigDecimal v = new BigDecimal(s);
        if (Math.max(0, v.stripTrailingZeros().scale()) > f.effectiveScale() || v.abs().compareTo(f.decimalMax()) > 0
            || range != null && (v.doubleValue() < range[0] || v.doubleValue() > range[1])) {
          return new Fault("OUT_OF_RANGE", where);
        }
        return v;
      }
      case DATETIME -> {
        return fromText(textual, text, "INVALID_TIMESTAMP", where, s -> {
          try {
            return java.time.LocalDateTime.parse(s.replace(' ', 'T').replace('t', 'T'));
          } catch (DateTimeException e) {
            return null;
          }
        });
      }
      case TIME -> {
        return fromText(textual, text, "INVALID_TIMESTAMP", where, s -> {
          try {
            return s.length() >= 8 ? LocalTime.parse(s) : null;
          } catch (DateTimeException e) {
            return null;
          }
        });
      }
      case BYTES -> {
        return fromText(textual, text, "WRONG_TYPE", where, s -> {
          try {
            return java.util.Base64.getDecoder().decode(s);
          } catch (IllegalArgumentException e) {
            return null;
          }
        });
      }
      default -> {
        return scalar(f, range, lowercase, where, raw, textual, text);
      }
    }
  }

  /**
   * A value only text holds (a time, a date, base64): anything but text is {@code reason}, blank
   * text is null, and text that {@code parse} makes nothing of (null) is {@code reason} too.
   */
  private static Object fromText(boolean textual, String text, String reason, String where,
      java.util.function.Function<String, Object> parse) {
    if (!textual) {
      return new Fault(reason, where);
    }
    String s = text.strip();
    if (s.isEmpty()) {
      return null;
    }
    Object v = parse.apply(s);
    return v == null ? new Fault(reason, where) : v;
  }

  private static Object scalar(Field f, double[] range, boolean lowercase, String where, Object raw, boolean textual, String text) {
    switch (f.type()) {
      case STRING -> {
        String s = textual ? text.strip() : numberText(raw);
        if (s.isEmpty()) {
          return null;
        }
        return lowercase ? s.toLowerCase(Locale.ROOT) : s;
      }
      case FLOAT64 -> {
        if (textual && text.isBlank()) {
          return null;
        }
        String s = text.strip();
        if (raw instanceof Boolean || !isDecimal(s)) {
          return new Fault("NOT_A_NUMBER", where);
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d) || d == 0 && new BigDecimal(s).signum() != 0) {
          return new Fault("OUT_OF_RANGE", where); // beyond a double, or so small it would become 0
        }
        if (range != null && (d < range[0] || d > range[1])) {
          return new Fault("OUT_OF_RANGE", where);
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
          boolean whole = isDecimal(text.strip()) && new BigDecimal(text.strip()).stripTrailingZeros().scale() <= 0;
          return new Fault(whole ? "OUT_OF_RANGE" : "NOT_A_NUMBER", where);
        }
        if (range != null && (v < range[0] || v > range[1])) {
          return new Fault("OUT_OF_RANGE", where);
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
        return new Fault("WRONG_TYPE", where);
      }
      case TIMESTAMP -> {
        return fromText(textual, text, "INVALID_TIMESTAMP", where, ContractReading::timestamp);
      }
      case DATE -> {
        return fromText(textual, text, "INVALID_DATE", where, ContractReading::date);
      }
      default -> throw new IllegalStateException("No reading for " + f.type());
    }
  }

  /**
   * ISO 8601 as RFC 3339 profiles it, read with java.time: date, {@code T} (or {@code t}, or a
   * space), time with seconds, a fraction of one to six digits, a zone; a day and time that exist;
   * an instant in BigQuery's years 0001 to 9999. Null for anything else.
   */
  static Instant timestamp(String s) {
    Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDate day = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      String fraction = m.group(7) == null ? "" : m.group(7);
      LocalTime time = LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
          fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000").substring(0, 6)) * 1000);
      String zone = m.group(8);
      ZoneOffset offset = zone.equalsIgnoreCase("z") ? ZoneOffset.UTC : ZoneOffset.of(zone);
      Instant instant = OffsetDateTime.of(day, time, offset).toInstant();
      int year = instant.atOffset(ZoneOffset.UTC).getYear();
      return year >= 1 && year <= 9999 ? instant : null;
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** {@code YYYY-MM-DD}, a day of the calendar from year 0001; null otherwise. */
  static LocalDate date(String s) {
    if (!DATE.matcher(s).matches()) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(s);
      return d.getYear() >= 1 ? d : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static final Pattern TIMESTAMP = Pattern.compile(
      "([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,6}))?([Zz]|[+-][0-9]{2}:[0-9]{2})");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

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
