package io.medallion.schema;

import java.util.Locale;

/** The BigQuery column types the pipeline uses, with their legacy aliases. */
public enum FieldType {
  STRING,
  INT64,
  FLOAT64,
  BOOL,
  TIMESTAMP,
  DATE;

  /** Whether values are numbers (a declared range applies). */
  public boolean isNumeric() {
    return this == INT64 || this == FLOAT64;
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
      case "BOOLEAN":
      case "BOOL":
        return BOOL;
      case "TIMESTAMP":
        return TIMESTAMP;
      case "DATE":
        return DATE;
      default:
        throw new IllegalArgumentException("Unsupported BigQuery type " + name);
    }
  }
}
