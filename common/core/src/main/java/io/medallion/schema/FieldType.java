package io.medallion.schema;

import java.util.Locale;

/**
 * The BigQuery column types a silver or gold schema may name, with their legacy aliases. The table
 * of how each is read, stored locally and rejected is in {@code functions/silver/README.md}.
 */
public enum FieldType {
  STRING,
  INT64,
  FLOAT64,
  /** An exact decimal: precision 38, scale 9 unless the column declares less. */
  NUMERIC,
  /** An exact decimal: precision 76.76, scale 38 unless the column declares less. */
  BIGNUMERIC,
  BOOL,
  TIMESTAMP,
  DATE,
  /** A civil date and time, no zone. */
  DATETIME,
  /** A time of day, no zone. */
  TIME,
  /** Bytes, base64 in JSON. */
  BYTES,
  /** Any JSON value, kept as it came. */
  JSON,
  /** A nested record (STRUCT) of the column's {@link Field#fields()}. */
  RECORD;

  /** Whether values are numbers (a declared range applies). */
  public boolean isNumeric() {
    return this == INT64 || this == FLOAT64 || isDecimal();
  }

  /** NUMERIC or BIGNUMERIC: exact, with a precision and a scale. */
  public boolean isDecimal() {
    return this == NUMERIC || this == BIGNUMERIC;
  }

  /** Accepts both standard SQL and legacy names, as {@code bq} schema files do. */
  public static FieldType parse(String name) {
    switch (name.toUpperCase(Locale.ROOT)) {
      case "STRING":
        return STRING;
      case "INTEGER":
      case "INT64":
        return INT64;
      case "FLOAT":
      case "FLOAT64":
        return FLOAT64;
      case "NUMERIC":
      case "DECIMAL":
        return NUMERIC;
      case "BIGNUMERIC":
      case "BIGDECIMAL":
        return BIGNUMERIC;
      case "BOOLEAN":
      case "BOOL":
        return BOOL;
      case "TIMESTAMP":
        return TIMESTAMP;
      case "DATE":
        return DATE;
      case "DATETIME":
        return DATETIME;
      case "TIME":
        return TIME;
      case "BYTES":
        return BYTES;
      case "JSON":
        return JSON;
      case "RECORD":
      case "STRUCT":
        return RECORD;
      default:
        throw new IllegalArgumentException("Unsupported BigQuery type " + name + " (STRING, INT64, FLOAT64, NUMERIC,"
            + " BIGNUMERIC, BOOL, TIMESTAMP, DATE, DATETIME, TIME, BYTES, JSON or RECORD)");
    }
  }
}
