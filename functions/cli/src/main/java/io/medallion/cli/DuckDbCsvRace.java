package io.medallion.cli;

import io.medallion.local.bigquery.DuckDbTypes;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import io.medallion.source.SourceDeclarations;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * DuckDB's side of the bench's CSV race: one {@code read_csv} with the file's declared options
 * (delimiter, quote, header, decimal separator, date and timestamp patterns) and the silver
 * schema's types as its explicit {@code columns}, no sniffing, doing what silver does to the
 * typed values (trimming, blank-to-NULL, lowercasing, the lineage columns) and writing the rows
 * as NDJSON, as {@link DuckDbRace} does for JSON records. It keeps no rejects (a row it cannot
 * type is skipped), checks no ranges and keys, and writes no {@code _source_record}.
 */
final class DuckDbCsvRace {
  private final TableSchema schema;
  private final SilverMapping mapping;
  private final FileFormat format;

  DuckDbCsvRace(TableSchema schema, SilverMapping mapping, FileFormat format) {
    if (format.type() != FileFormat.Type.CSV) {
      throw new IllegalArgumentException("a CSV race needs a CSV format, got " + format.type());
    }
    this.schema = schema;
    this.mapping = mapping;
    this.format = format;
  }

  /** The statement that writes the rows of the CSV file at {@code csv} to {@code rows} as NDJSON. */
  String copy(Path csv, Path rows) {
    return "COPY (" + select(csv) + ") TO " + literal(rows.toString()) + " (FORMAT json)";
  }

  /** The query of the rows of the CSV file at {@code csv}, as {@link #copy} writes them. */
  String select(Path csv) {
    StringJoiner select = new StringJoiner(", ");
    StringJoiner columns = new StringJoiner(", ", "{", "}");
    for (Field f : schema.fields()) {
      String value = switch (f.name()) {
        case "_run_id" -> "'bench'";
        case "_source_uri" -> literal(csv.toUri().toString());
        case "_source_generation" -> "1";
        case "_source_record" -> null; // silver's row number; not computed here
        case "_ingested_at" -> "TIMESTAMP '2026-01-01 00:00:00'";
        default -> {
          String header = mapping.sourceField(f.name());
          columns.add(literal(header) + ": " + literal(csvType(f)));
          yield expression(f, quoted(header));
        }
      };
      if (value != null) {
        select.add(value + " AS " + quoted(f.name()));
      }
    }
    if (!SourceDeclarations.LINEAGE_COLUMNS.stream().allMatch(c -> schema.indexOf(c) >= 0)) {
      throw new IllegalArgumentException("the schema lacks lineage columns " + SourceDeclarations.LINEAGE_COLUMNS);
    }
    StringBuilder options = new StringBuilder()
        .append(", columns = ").append(columns)
        .append(", delim = ").append(literal(String.valueOf(format.delimiter())))
        .append(", quote = ").append(literal(String.valueOf(format.quote())))
        .append(", escape = ").append(literal(String.valueOf(format.quote())))
        .append(", header = true, skip = ").append(format.headerRow() - 1)
        .append(", auto_detect = false, ignore_errors = true");
    if (format.decimal() != '.') {
      options.append(", decimal_separator = ").append(literal(String.valueOf(format.decimal())));
    }
    if (format.dateFormat() != null) {
      options.append(", dateformat = ").append(literal(strftime(format.dateFormat())));
    }
    if (format.datetimeFormat() != null) {
      options.append(", timestampformat = ").append(literal(strftime(format.datetimeFormat())));
    }
    return "SELECT " + select + " FROM read_csv(" + literal(csv.toString()) + options + ")";
  }

  /**
   * The type a column is read as: the local warehouse's, except that a TIMESTAMP is read as one
   * (with {@code timestampformat} when declared), as a CSV's text carries no zone to convert from.
   */
  private static String csvType(Field f) {
    if (f.repeated() || f.type() == FieldType.RECORD) {
      throw new IllegalArgumentException("a CSV column is flat: " + f.name() + " is " + f.typeName());
    }
    return f.type() == FieldType.TIMESTAMP ? "TIMESTAMP" : DuckDbTypes.read(f);
  }

  private String expression(Field f, String column) {
    if (f.type() != FieldType.STRING) {
      return f.type() == FieldType.TIMESTAMP ? column : DuckDbTypes.convert(column, f);
    }
    String value = "nullif(trim(" + column + "), '')";
    return mapping.lowercase().contains(f.name()) ? "lower(" + value + ")" : value;
  }

  /**
   * A {@link java.time.format.DateTimeFormatter} pattern of the kinds a file declares ({@code
   * dd/MM/yyyy HH:mm:ss}) as DuckDB's strftime pattern.
   *
   * @throws IllegalArgumentException for a letter this does not translate
   */
  static String strftime(String pattern) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      int run = 1;
      while (i + run < pattern.length() && pattern.charAt(i + run) == c) {
        run++;
      }
      String letters = String.valueOf(c).repeat(run);
      if (Character.isLetter(c)) {
        out.append(switch (letters) {
          case "yyyy", "uuuu" -> "%Y";
          case "MM" -> "%m";
          case "dd" -> "%d";
          case "HH" -> "%H";
          case "mm" -> "%M";
          case "ss" -> "%S";
          default -> throw new IllegalArgumentException("no strftime for " + letters + " in " + pattern);
        });
      } else {
        out.append(letters.replace("%", "%%"));
      }
      i += run;
    }
    return out.toString();
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
