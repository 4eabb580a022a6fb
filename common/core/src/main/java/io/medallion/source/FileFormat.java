package io.medallion.source;

import java.nio.charset.Charset;
import java.util.List;

/**
 * How a dropped file's bytes are records: its format and that format's options, as a file
 * resource declares them ({@code resources[].file.format}). A gzip-compressed file (its first
 * bytes say so) is read through gzip whatever its type.
 *
 * @param type the format
 * @param delimiter CSV: the field separator
 * @param quote CSV: the quote character
 * @param headerRow CSV and xlsx: the 1-based row holding the column names; the records follow it
 * @param encoding CSV: the character set (UTF-8, where a byte order mark is skipped; ISO-8859-1;
 *     windows-1252)
 * @param decimal CSV: the decimal separator of numbers, '.' or ','; with ',' a '.' between digit
 *     groups is a thousands separator ({@code 1.234,56})
 * @param dateFormat text dates in this {@link java.time.format.DateTimeFormatter} pattern
 *     ({@code dd/MM/yyyy}) become ISO dates for DATE columns; null: ISO only
 * @param datetimeFormat the same for DATETIME and TIMESTAMP columns ({@code dd/MM/yyyy HH:mm}); null: ISO only
 * @param sheet xlsx: the sheet's name, or null to take it by {@code sheetIndex}
 * @param sheetIndex xlsx: the 1-based position of the sheet when {@code sheet} is null
 * @param nullValues text read as NULL (besides an empty cell)
 */
public record FileFormat(
    Type type, char delimiter, char quote, int headerRow, Charset encoding, char decimal, String dateFormat,
    String datetimeFormat, String sheet, int sheetIndex, List<String> nullValues) {

  /** The formats a file source may declare. */
  public enum Type {
    /** Delimited text with a header row (RFC 4180 quoting). */
    CSV,
    /** An Office Open XML spreadsheet (.xlsx, and .xlsm whose macros are never run). */
    XLSX,
    /** JSON objects, one per line. */
    NDJSON,
    /** A JSON array of objects (or NDJSON: the same reader takes both). */
    JSON
  }

  public FileFormat {
    nullValues = List.copyOf(nullValues);
    if (headerRow < 1) {
      throw new IllegalArgumentException("header_row starts at 1, got " + headerRow);
    }
    if (decimal != '.' && decimal != ',') {
      throw new IllegalArgumentException("decimal is '.' or ',', got '" + decimal + "'");
    }
  }

  /** The defaults of a format: comma, double quote, header on row 1, UTF-8, decimal point, first sheet. */
  public static FileFormat of(Type type) {
    return new FileFormat(type, ',', '"', 1, java.nio.charset.StandardCharsets.UTF_8, '.', null, null, null, 1, List.of());
  }

  /** Whether records are JSON already (read by silver's JSON reader as they are). */
  public boolean isJson() {
    return type == Type.NDJSON || type == Type.JSON;
  }
}
