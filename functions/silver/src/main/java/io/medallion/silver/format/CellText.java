package io.medallion.silver.format;

import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a cell's text becomes the text silver's typer reads, by the type of the column the cell
 * feeds: a number with a decimal comma ({@code 1.234,56}) becomes {@code 1234.56}, a date in the
 * declared pattern an ISO date. Text that does not fit is left as it is, so that the typer rejects
 * it with its usual reason; every other typing rule stays in the typer.
 */
public final class CellText {
  /** ISO text the typer reads: {@code 2024-02-29T13:33:48[.ffffff][+01:00]}. */
  private static final DateTimeFormatter ISO_DATETIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendPattern("HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .toFormatter();
  private static final DateTimeFormatter ISO_OFFSET_DATETIME =
      new DateTimeFormatterBuilder().append(ISO_DATETIME).appendOffsetId().toFormatter();

  private final Map<String, FieldType> typeBySourceField = new HashMap<>();
  private final List<String> sourceFields = new ArrayList<>();
  private final Set<String> nullValues;
  private final boolean decimalComma;
  private final DateTimeFormatter date;
  private final DateTimeFormatter datetime;

  /**
   * @throws IllegalArgumentException when a date pattern is not one (the declaration check refuses
   *     it before)
   */
  public CellText(FileFormat format, TableSchema schema, SilverMapping mapping) {
    for (Field f : schema.fields()) {
      if (f.name().startsWith("_")) {
        continue; // lineage, filled by silver
      }
      String source = mapping.sourceField(f.name());
      sourceFields.add(source);
      typeBySourceField.put(source, f.repeated() ? null : f.type());
    }
    this.nullValues = new HashSet<>();
    for (String v : format.nullValues()) {
      nullValues.add(v.strip());
    }
    this.decimalComma = format.decimal() == ',';
    this.date = strict(format.dateFormat());
    this.datetime = strict(format.datetimeFormat());
  }

  /**
   * A pattern read strictly (no 31/02), with {@code yyyy} meaning the year as people mean it:
   * strict resolving needs an era for year-of-era, and the pattern gives none.
   */
  private static DateTimeFormatter strict(String pattern) {
    return pattern == null
        ? null
        : new DateTimeFormatterBuilder()
            .appendPattern(pattern)
            .parseDefaulting(ChronoField.ERA, 1)
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);
  }

  /** The source fields that feed columns, in schema order: a header must name each. */
  public List<String> sourceFields() {
    return sourceFields;
  }

  /** The type of the column header {@code name} feeds, or null when it feeds none (or a REPEATED one). */
  public FieldType typeOf(String name) {
    return typeBySourceField.get(name);
  }

  /** Whether {@link #convert} may change text of this type: when not, cells are copied as they are. */
  public boolean converts(FieldType type) {
    if (type == null) {
      return false;
    }
    return decimalComma && type.isNumeric()
        || date != null && type == FieldType.DATE
        || datetime != null && (type == FieldType.DATETIME || type == FieldType.TIMESTAMP);
  }

  /** Whether any text is read as NULL besides an empty cell. */
  public boolean hasNullValues() {
    return !nullValues.isEmpty();
  }

  /** Whether {@code text} is one the format reads as NULL. */
  public boolean isNull(String text) {
    return !nullValues.isEmpty() && nullValues.contains(text.strip());
  }

  /** The text the typer reads for a cell of a column of {@code type}: converted, or as it is. */
  public String convert(FieldType type, String text) {
    if (type == null) {
      return text;
    }
    if (decimalComma && type.isNumeric()) {
      return decimalComma(text);
    }
    if (date != null && type == FieldType.DATE) {
      try {
        return LocalDate.from(date.parse(text.strip())).toString();
      } catch (java.time.DateTimeException e) {
        return text;
      }
    }
    if (datetime != null && (type == FieldType.DATETIME || type == FieldType.TIMESTAMP)) {
      try {
        TemporalAccessor t = datetime.parse(text.strip());
        if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
          return ISO_OFFSET_DATETIME.format(OffsetDateTime.from(t));
        }
        ZoneId zone = t.query(TemporalQueries.zoneId());
        if (zone != null) {
          return ISO_OFFSET_DATETIME.format(ZonedDateTime.from(t).toOffsetDateTime());
        }
        return ISO_DATETIME.format(LocalDateTime.from(t));
      } catch (java.time.DateTimeException e) {
        return text;
      }
    }
    return text;
  }

  /** A civil date and time as the typer's ISO text. */
  static String isoDateTime(LocalDateTime t) {
    return ISO_DATETIME.format(t);
  }

  /**
   * {@code 1.234,56} or {@code -1234,5} as {@code 1234.56} and {@code -1234.5}: digits, '.'
   * between groups of three digits, one ',' before the decimals. Anything else is returned as it
   * is (a '.' as a decimal point is not guessed at).
   */
  static String decimalComma(String text) {
    String s = text.strip();
    int n = s.length();
    int i = 0;
    if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      i++;
    }
    StringBuilder out = new StringBuilder(n);
    out.append(s, 0, i);
    int digitsBeforeGroup = 0;
    boolean grouped = false;
    int groupDigits = 0;
    int intStart = i;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(c);
        if (grouped) {
          groupDigits++;
        } else {
          digitsBeforeGroup++;
        }
      } else if (c == '.') {
        if (grouped ? groupDigits != 3 : digitsBeforeGroup < 1 || digitsBeforeGroup > 3) {
          return text;
        }
        grouped = true;
        groupDigits = 0;
      } else {
        break;
      }
    }
    if (i == intStart || grouped && groupDigits != 3) {
      return text;
    }
    if (i < n) {
      if (s.charAt(i) != ',' || i + 1 == n) {
        return text;
      }
      out.append('.');
      for (i++; i < n; i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return text;
        }
        out.append(c);
      }
    }
    return out.toString();
  }
}
