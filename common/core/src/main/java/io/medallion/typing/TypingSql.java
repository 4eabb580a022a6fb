package io.medallion.typing;

import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL that types a big CSV file in the warehouse, as silver's typer would type it record by
 * record: the same values, the same reject reasons, the first failing column deciding. A file whose
 * table or format it cannot type exactly is left to the function ({@link #unsupported}).
 *
 * <p>It reads a raw table of the file as it came: {@code _row} (the record's row in the file, where
 * the warehouse keeps file order) and one text column per header column, named {@code c1, c2, ...} by position (a
 * header's names are the sender's text: they never become SQL identifiers, only escaped string
 * literals of the rejects' JSON). It gives one row per record: every silver column typed, in the
 * schema's order, then {@code _reason} (NULL for a row) and {@code _message}.
 *
 * <p>What silver's function does and this does not: text cells only (no RECORD, REPEATED, BYTES or
 * JSON column), no {@code unknown_fields: reject}, and a record spanning several lines is numbered
 * by its position, not its first line. Row numbers exist only where the warehouse keeps file order
 * (DuckDB); BigQuery's external read has none, so there rows carry 0 and a repeated key keeps an
 * arbitrary one of its rows.
 */
public final class TypingSql {

  /** The SQL dialect written. */
  public enum Dialect {
    BIGQUERY,
    DUCKDB
  }

  private TypingSql() {}

  /** Why the table or format cannot be typed by SQL exactly as silver types it, or empty when it can. */
  public static Optional<String> unsupported(TableSchema schema, SilverMapping mapping, FileFormat format) {
    if (format.type() != FileFormat.Type.CSV) {
      return Optional.of("only CSV files are typed in the warehouse, this one is " + format.type());
    }
    // BigQuery SQL has SHA256 but no HMAC (a keyed hash would mean building HMAC from SHA256 over
    // BYTES, and the salt would travel in the query text and the job's history), and the clear
    // value would pass through the raw external table anyway: a masked table is typed by the
    // function, which masks before anything is written.
    for (TableSchema.Marked m : schema.marked()) {
      if (m.field().masking() != null) {
        return Optional.of("column " + m.path() + " is masked (" + m.field().masking().id() + "), which only the function does");
      }
    }
    String encoding = format.encoding().name();
    if (!encoding.equals("UTF-8") && !encoding.equals("ISO-8859-1")) {
      return Optional.of("the warehouses read CSV as UTF-8 or ISO-8859-1, this one is " + encoding);
    }
    if (mapping.unknownFields() == SilverMapping.UnknownFields.REJECT) {
      return Optional.of("unknown_fields: reject is the function's alone");
    }
    if (mapping.timezone() != null) {
      return Optional.of("silver.timezone is the function's alone");
    }
    for (Field f : schema.fields()) {
      if (f.name().startsWith("_")) {
        continue;
      }
      if (f.repeated() || f.isRecord() || f.type() == FieldType.BYTES || f.type() == FieldType.JSON
          || f.type() == FieldType.BIGNUMERIC) {
        return Optional.of("column " + f.name() + " is " + f.typeName() + (f.repeated() ? " REPEATED" : ""));
      }
    }
    for (String pattern : new String[] {format.dateFormat(), format.datetimeFormat()}) {
      if (pattern != null && (strftime(pattern).isEmpty() || !pattern.contains("yyyy") || !pattern.contains("MM")
          || !pattern.contains("dd"))) {
        return Optional.of("the date pattern " + pattern + " has a field SQL cannot parse the same way");
      }
    }
    return Optional.empty();
  }

  /**
   * The typing SELECT over {@code raw} (see the class comment) and the one-row {@code lineage}
   * relation (columns run_id, source_uri, source_generation, ingested_at, file_key), both named as
   * the caller's statement defines them.
   *
   * @param header the file's header, in file order (position i is raw column c(i+1))
   */
  public static String typed(Dialect d, TableSchema schema, SilverMapping mapping, FileFormat format, List<String> header) {
    List<String> selects = new ArrayList<>();
    List<String[]> faults = new ArrayList<>(); // {condition, reason, message}
    List<Integer> extra = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      extra.add(i);
    }
    for (Field f : schema.fields()) {
      if (!f.name().startsWith("_")) {
        extra.remove(Integer.valueOf(indexIgnoringCase(header, mapping.sourceField(f.name()))));
      }
    }
    for (Field f : schema.fields()) {
      String name = f.name();
      if (name.equals(SilverMapping.EXTRA_COLUMN)) {
        selects.add(extra(d, header, extra, mapping) + " as " + ident(d, name));
        continue;
      }
      if (name.startsWith("_")) {
        selects.add(lineage(d, f) + " as " + ident(d, name));
        continue;
      }
      int at = indexIgnoringCase(header, mapping.sourceField(name));
      String raw = at < 0 ? "cast(null as " + sqlType(d, FieldType.STRING) + ")" : "raw.c" + (at + 1);
      String text = nullIf(d, raw, format);
      Column c = column(d, f, text, format, mapping);
      String value = c.value;
      if (mapping.lowercase().contains(name)) {
        value = "lower(" + value + ")";
      }
      selects.add(value + " as " + ident(d, name));
      if (c.fault != null) {
        faults.add(new String[] {c.fault, c.reason, name + ": not " + f.typeName()});
      }
      double[] range = mapping.ranges().get(name);
      if (range != null) {
        faults.add(new String[] {"(" + c.value + ") < " + num(range[0]) + " or (" + c.value + ") > " + num(range[1]),
            "OUT_OF_RANGE", name + ": outside [" + num(range[0]) + ", " + num(range[1]) + "]"});
      }
      if (f.mode() == Field.Mode.REQUIRED) {
        faults.add(new String[] {text + " is null", "MISSING_REQUIRED", name + " is required"});
      }
    }
    // The first failing column decides, in schema order; within a column the type before the range
    // before REQUIRED, as the typer checks them.
    StringBuilder reason = new StringBuilder("case");
    StringBuilder message = new StringBuilder("case");
    for (String[] f : faults) {
      reason.append("\n      when ").append(f[0]).append(" then ").append(f[1].startsWith("case") ? f[1] : "'" + f[1] + "'");
      message.append("\n      when ").append(f[0]).append(" then ").append(literal(d, f[2]));
    }
    reason.append("\n    end");
    message.append("\n    end");
    if (faults.isEmpty()) {
      reason.setLength(0);
      reason.append("cast(null as ").append(sqlType(d, FieldType.STRING)).append(")");
      message.setLength(0);
      message.append(reason);
    }
    StringBuilder record = new StringBuilder(d == Dialect.DUCKDB ? "json_object('_row', raw._row" : "to_json_string(struct(raw._row as _row");
    for (int i = 0; i < header.size(); i++) {
      if (d == Dialect.DUCKDB) {
        record.append(", ").append(literal(d, header.get(i))).append(", raw.c").append(i + 1);
      } else {
        record.append(", raw.c").append(i + 1).append(" as c").append(i + 1);
      }
    }
    record.append(d == Dialect.DUCKDB ? ")" : "))");
    return "select\n  " + String.join(",\n  ", selects) + ",\n  " + reason + " as _reason,\n  " + message
        + " as _message,\n  " + record + " as _record\nfrom raw cross join lineage";
  }

  /**
   * Typed rows marked as repeats: a row whose key (or, for a distinct source, whose every column)
   * an earlier row of the file has is a DUPLICATE_KEY (DUPLICATE_ROW) reject, as the function
   * rejects the later one. {@code typed} is the relation {@link #typed} gives.
   */
  public static String deduplicated(Dialect d, TableSchema schema, SilverMapping mapping) {
    List<String> columns = new ArrayList<>();
    for (Field f : schema.fields()) {
      if (!f.name().startsWith("_")) {
        columns.add(ident(d, f.name()));
      }
    }
    String order = "order by " + ident(d, "_source_record");
    List<String> windows = new ArrayList<>();
    List<String> when = new ArrayList<>();
    List<String> why = new ArrayList<>();
    if (mapping.distinct()) {
      windows.add("row_number() over (partition by " + String.join(", ", columns) + " " + order + ") as _repeat_row");
      when.add("_repeat_row > 1");
      why.add("DUPLICATE_ROW|every column equals an earlier record's");
    }
    if (mapping.keyColumn() != null) {
      String key = ident(d, mapping.keyColumn());
      windows.add("case when " + key + " is null then 1 else row_number() over (partition by " + key + " " + order
          + ") end as _repeat_key");
      when.add("_repeat_key > 1");
      why.add("DUPLICATE_KEY|the key of an earlier record");
    }
    if (windows.isEmpty()) {
      return "select * from typed";
    }
    StringBuilder reason = new StringBuilder("case");
    StringBuilder message = new StringBuilder("case");
    for (int k = 0; k < when.size(); k++) {
      String[] r = why.get(k).split("\\|", 2);
      reason.append(" when ").append(when.get(k)).append(" then '").append(r[0]).append("'");
      message.append(" when ").append(when.get(k)).append(" then ").append(literal(d, r[1]));
    }
    reason.append(" end");
    message.append(" end");
    String helpers = mapping.distinct() && mapping.keyColumn() != null ? "_repeat_row, _repeat_key"
        : mapping.distinct() ? "_repeat_row" : "_repeat_key";
    // Repeats are looked for among rows only (a reject's key was never seen, as in the function);
    // the windows are computed first, BigQuery allowing none inside SELECT * REPLACE.
    return "select * " + (d == Dialect.DUCKDB ? "exclude" : "except") + " (" + helpers + ") replace (" + reason
        + " as _reason, " + message + " as _message)\n"
        + "from (select *, " + String.join(", ", windows) + " from typed where _reason is null) as ok\n"
        + "union all\nselect * from typed where _reason is not null";
  }

  /**
   * The header columns no silver column reads, as a JSON object by header name (kept, as the
   * function keeps unknown fields), or NULL when there are none or the source drops them.
   */
  private static String extra(Dialect d, List<String> header, List<Integer> extra, SilverMapping mapping) {
    List<Integer> kept = extra.stream().filter(i -> !mapping.drop().contains(header.get(i).strip())).toList();
    if (kept.isEmpty() || mapping.unknownFields() != SilverMapping.UnknownFields.KEEP) {
      return "cast(null as JSON)";
    }
    List<String> keys = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (int i : kept) {
      keys.add(literal(d, header.get(i).strip()));
      values.add("raw.c" + (i + 1));
    }
    if (d == Dialect.DUCKDB) {
      List<String> pairs = new ArrayList<>();
      for (int k = 0; k < keys.size(); k++) {
        pairs.add(keys.get(k) + ", " + values.get(k));
      }
      return "json_object(" + String.join(", ", pairs) + ")";
    }
    // JSON_OBJECT is newer than the analyzer the build checks with: the object written out, each
    // key and value escaped by TO_JSON_STRING.
    List<String> parts = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      parts.add((k == 0 ? "'{'" : "','") + ", TO_JSON_STRING(" + keys.get(k) + "), ':', TO_JSON_STRING(" + values.get(k) + ")");
    }
    return "PARSE_JSON(CONCAT(" + String.join(", ", parts) + ", '}'))";
  }

  /**
   * The WITH clause a BigQuery typing statement starts with: the raw file ({@code rawTable}, its
   * columns c1..cN; no row order), the lineage from the query parameters {@code @run_id,
   * @source_uri, @source_generation, @ingested_at, @file_key} ('' for none), the typed records and
   * the repeats marked; the statement then selects from {@code typed_final}.
   */
  public static String bigQueryWith(
      TableSchema schema, SilverMapping mapping, FileFormat format, List<String> header, String rawTable) {
    Dialect d = Dialect.BIGQUERY;
    return "WITH raw AS (SELECT 0 AS _row, * FROM " + rawTable + "),\n"
        + "lineage AS (SELECT @run_id AS run_id, @source_uri AS source_uri, @source_generation AS source_generation,"
        + " @ingested_at AS ingested_at, NULLIF(@file_key, '') AS file_key),\n"
        + "typed AS (" + typed(d, schema, mapping, format, header) + "),\n"
        + "typed_final AS (" + deduplicated(d, schema, mapping) + ")";
  }

  /** A value and, when text can fail to be one, the condition that it does and why. */
  private record Column(String value, String fault, String reason) {}

  private static Column column(Dialect d, Field f, String text, FileFormat format, SilverMapping mapping) {
    String t = text;
    switch (f.type()) {
      case STRING:
        return new Column(t, null, null);
      case INT64: {
        String n = number(d, t, format);
        String ok = matches(d, n, "^[+-]?[0-9]+(\\.0*)?$");
        String value = "case when " + ok + " then " + safeCast(d, n, "INT64_FROM_TEXT") + " end";
        // An integer too long for INT64 is OUT_OF_RANGE, as the typer says; other text NOT_A_NUMBER.
        return new Column(value, t + " is not null and " + value + " is null",
            "case when coalesce(" + ok + ", false) then 'OUT_OF_RANGE' else 'NOT_A_NUMBER' end");
      }
      case FLOAT64: {
        String n = number(d, t, format);
        String ok = matches(d, n, "^[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?$");
        String parsed = safeCast(d, n, "FLOAT64");
        String infinite = d == Dialect.DUCKDB ? "isinf(" + parsed + ")" : "is_inf(" + parsed + ")";
        // 1e-400 would become 0: the typer refuses that, as it refuses 1e400 becoming infinity.
        String vanishes = parsed + " = 0 and not " + matches(d, n, "^[+-]?0*\\.?0*([eE].*)?$");
        String value = "case when " + ok + " and not (" + infinite + ") and not (" + vanishes + ") then " + parsed + " end";
        return new Column(value, t + " is not null and " + value + " is null",
            "case when coalesce(" + ok + ", false) then 'OUT_OF_RANGE' else 'NOT_A_NUMBER' end");
      }
      case NUMERIC: {
        String n = number(d, t, format);
        int scale = f.effectiveScale();
        int integer = (f.precision() == 0 ? 38 : f.precision()) - scale;
        String ok = matches(d, n, "^[+-]?[0-9]+(\\.[0-9]+)?$");
        // Digits beyond the scale (trailing zeros aside) or beyond the precision: OUT_OF_RANGE, never rounded.
        String fits = matches(d, n, "^[+-]?0*[0-9]{0," + integer + "}(\\.[0-9]{0," + scale + "}0*)?$");
        String value = "case when " + ok + " and " + fits + " then " + safeCast(d, n, "NUMERIC(" + (integer + scale) + "," + scale + ")") + " end";
        return new Column(value, t + " is not null and not (coalesce(" + ok + ", false) and coalesce(" + fits + ", false))",
            "case when coalesce(" + ok + ", false) then 'OUT_OF_RANGE' else 'NOT_A_NUMBER' end");
      }
      case BOOL: {
        String l = "lower(" + t + ")";
        return new Column("case when " + l + " = 'true' then true when " + l + " = 'false' then false end",
            t + " is not null and " + l + " not in ('true', 'false')", "WRONG_TYPE");
      }
      case DATE: {
        String iso = matches(d, t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
        String value = "coalesce(case when " + iso + " then " + safeCast(d, t, "DATE") + " end"
            + (format.dateFormat() == null ? "" : ", " + parse(d, "DATE", format.dateFormat(), t)) + ")";
        return new Column(value, t + " is not null and " + value + " is null", "INVALID_DATE");
      }
      case TIME: {
        String ok = matches(d, t, "^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?$");
        String value = "case when " + ok + " then " + safeCast(d, t, "TIME") + " end";
        return new Column(value, t + " is not null and " + value + " is null", "INVALID_TIMESTAMP");
      }
      case DATETIME: {
        String ok = matches(d, t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?$");
        String value = "coalesce(case when " + ok + " then " + safeCast(d, "replace(" + t + ", 'T', ' ')", "DATETIME") + " end"
            + (format.datetimeFormat() == null ? "" : ", " + parse(d, "DATETIME", format.datetimeFormat(), t)) + ")";
        return new Column(value, t + " is not null and " + value + " is null", "INVALID_TIMESTAMP");
      }
      case TIMESTAMP: {
        String ok = matches(d, t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$");
        String value = "case when " + ok + " then " + safeCast(d, t, "TIMESTAMP") + " end";
        return new Column(value, t + " is not null and " + value + " is null", "INVALID_TIMESTAMP");
      }
      default:
        throw new IllegalArgumentException("column " + f.name() + " is " + f.typeName() + ": unsupported() refuses it first");
    }
  }

  /** A number's text: with a decimal comma, {@code 1.234,56} as {@code 1234.56}; otherwise as it is. */
  private static String number(Dialect d, String t, FileFormat format) {
    if (format.decimal() != ',') {
      return t;
    }
    String grouped = matches(d, t, "^[+-]?[0-9]{1,3}(\\.[0-9]{3})+(,[0-9]+)?$");
    String plain = matches(d, t, "^[+-]?[0-9]+(,[0-9]+)?$");
    return "case when " + grouped + " then replace(replace(" + t + ", '.', ''), ',', '.') when " + plain
        + " then replace(" + t + ", ',', '.') else " + t + " end";
  }

  /** The cell's text: trimmed, NULL when blank or one of the declared null values. */
  private static String nullIf(Dialect d, String raw, FileFormat format) {
    String trimmed = "nullif(trim(" + raw + "), '')";
    if (format.nullValues().isEmpty()) {
      return trimmed;
    }
    List<String> values = format.nullValues().stream().map(v -> literal(d, v.strip())).toList();
    return "case when trim(" + raw + ") in (" + String.join(", ", values) + ") then null else " + trimmed + " end";
  }

  private static String matches(Dialect d, String text, String regex) {
    return d == Dialect.DUCKDB ? "regexp_full_match(" + text + ", " + literal(d, regex) + ")"
        : "regexp_contains(" + text + ", r'" + regex + "')"; // the patterns here hold no quote
  }

  private static String safeCast(Dialect d, String text, String type) {
    String t = switch (type) {
      case "INT64_FROM_TEXT" -> d == Dialect.DUCKDB ? "BIGINT" : "INT64";
      case "FLOAT64" -> d == Dialect.DUCKDB ? "DOUBLE" : "FLOAT64";
      case "DATETIME" -> d == Dialect.DUCKDB ? "TIMESTAMP" : "DATETIME";
      case "TIMESTAMP" -> d == Dialect.DUCKDB ? "TIMESTAMPTZ" : "TIMESTAMP";
      default -> type.startsWith("NUMERIC(") && d == Dialect.DUCKDB ? type.replace("NUMERIC", "DECIMAL")
          : type.startsWith("NUMERIC(") ? "BIGNUMERIC" : type;
    };
    if ("INT64_FROM_TEXT".equals(type)) {
      // '12.0' is the integer 12 for the typer; through a decimal first, so no engine rounds '12.5'.
      String wide = d == Dialect.DUCKDB ? "DECIMAL(38,10)" : "BIGNUMERIC";
      return d == Dialect.DUCKDB ? "try_cast(try_cast(" + text + " as " + wide + ") as BIGINT)"
          : "safe_cast(safe_cast(" + text + " as " + wide + ") as INT64)";
    }
    return (d == Dialect.DUCKDB ? "try_cast(" : "safe_cast(") + text + " as " + t + ")";
  }

  /**
   * Text in a declared pattern as a DATE or DATETIME: rewritten to ISO by a regular expression of
   * the pattern (strict: two digits for a day, four for a year, as the function's strict
   * formatter), then cast; anything else NULL. (A cast, not SAFE.PARSE_DATE: both engines have it.)
   */
  private static String parse(Dialect d, String type, String javaPattern, String text) {
    StringBuilder regex = new StringBuilder("^");
    Map<String, Integer> group = new java.util.HashMap<>();
    int i = 0;
    int groups = 0;
    while (i < javaPattern.length()) {
      String field = null;
      for (String k : List.of("yyyy", "MM", "dd", "HH", "mm", "ss")) {
        if (javaPattern.startsWith(k, i)) {
          field = k;
          break;
        }
      }
      if (field != null) {
        regex.append(field.equals("yyyy") ? "([0-9]{4})" : "([0-9]{2})");
        group.put(field, ++groups);
        i += field.length();
      } else {
        char c = javaPattern.charAt(i++);
        regex.append(Character.isLetterOrDigit(c) || c == ' ' ? String.valueOf(c) : "\\" + c);
      }
    }
    regex.append('$');
    String iso = "\\" + group.get("yyyy") + "-\\" + group.get("MM") + "-\\" + group.get("dd");
    if (type.equals("DATETIME")) {
      iso += " " + (group.containsKey("HH") ? "\\" + group.get("HH") : "00") + ":" + (group.containsKey("mm") ? "\\" + group.get("mm") : "00")
          + ":" + (group.containsKey("ss") ? "\\" + group.get("ss") : "00");
    }
    String pattern = regex.toString();
    String rewritten = d == Dialect.DUCKDB
        ? "regexp_replace(" + text + ", " + literal(d, pattern) + ", " + literal(d, iso) + ")"
        : "regexp_replace(" + text + ", r'" + pattern + "', r'" + iso + "')";
    return "case when " + matches(d, text, pattern) + " then " + safeCast(d, rewritten, type) + " end";
  }

  /**
   * A java.time pattern as strftime, when it uses only the fields {@link #parse} rewrites
   * ({@code yyyy MM dd HH mm ss}); empty for any other letter.
   */
  static Optional<String> strftime(String pattern) {
    Map<String, String> fields = Map.of("yyyy", "%Y", "MM", "%m", "dd", "%d", "HH", "%H", "mm", "%M", "ss", "%S");
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      boolean found = false;
      for (String k : List.of("yyyy", "MM", "dd", "HH", "mm", "ss")) {
        if (pattern.startsWith(k, i)) {
          out.append(fields.get(k));
          i += k.length();
          found = true;
          break;
        }
      }
      if (!found) {
        char c = pattern.charAt(i);
        if (Character.isLetter(c) || c == '\'' || c == '%') {
          return Optional.empty();
        }
        out.append(c);
        i++;
      }
    }
    return Optional.of(out.toString());
  }

  private static String lineage(Dialect d, Field f) {
    return switch (f.name()) {
      case "_run_id" -> "lineage.run_id";
      case "_source_uri" -> "lineage.source_uri";
      case "_source_generation" -> "lineage.source_generation";
      case "_source_record" -> "raw._row";
      case "_ingested_at" -> "lineage.ingested_at";
      case "_file_key" -> "lineage.file_key";
      default -> "cast(null as " + sqlType(d, f.type()) + ")";
    };
  }

  private static String sqlType(Dialect d, FieldType t) {
    return switch (t) {
      case STRING -> d == Dialect.DUCKDB ? "VARCHAR" : "STRING";
      case INT64 -> d == Dialect.DUCKDB ? "BIGINT" : "INT64";
      case JSON -> "JSON";
      default -> t.name();
    };
  }

  private static String ident(Dialect d, String name) {
    return d == Dialect.DUCKDB ? "\"" + name.replace("\"", "\"\"") + "\"" : "`" + name.replace("`", "") + "`";
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * A string literal of {@code text}: DuckDB's standard quoting (a quote doubled, backslashes
   * plain), BigQuery's escapes (backslash, quote, control characters).
   */
  public static String literal(Dialect d, String text) {
    if (d == Dialect.DUCKDB) {
      return "'" + text.replace("'", "''") + "'";
    }
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\'' -> out.append("\\'");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('\'').toString();
  }

  private static int indexIgnoringCase(List<String> header, String name) {
    for (int i = 0; i < header.size(); i++) {
      if (header.get(i).strip().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
