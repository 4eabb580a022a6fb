package io.medallion.local.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the silver layer must make of one generated record: a {@link Clean} row, or a {@link
 * Reject} with the reason and the field at fault. The rules are the silver contract (README
 * "Silver rules", and this package's README).
 */
public sealed interface Expected permits Expected.Clean, Expected.Reject {

  /** True for a row silver loads. */
  default boolean isClean() {
    return this instanceof Clean;
  }

  /**
   * A row silver loads: the typed value of each of its silver table's columns that a record fills
   * (every column but the lineage ones), as silver types them: {@code STRING} a stripped String or
   * null, {@code FLOAT64} a Double, {@code INT64} a Long, {@code BOOL} a Boolean, {@code TIMESTAMP}
   * an {@link java.time.Instant}, {@code DATE} a {@link java.time.LocalDate}.
   *
   * @param row column to value, in the table's column order, nulls included
   * @param fieldColumns the API field (a dot path, as the declaration's renames name it) of each column
   */
  record Clean(Map<String, Object> row, Map<String, String> fieldColumns) implements Expected {

    public Clean {
      row = Collections.unmodifiableMap(new LinkedHashMap<>(row));
      fieldColumns = Map.copyOf(fieldColumns);
    }

    /** The value of silver column {@code column} (null when null or not a column). */
    public Object value(String column) {
      return row.get(column);
    }

    /** The value silver must give the API field {@code field} (e.g. {@code id}, {@code user.login}). */
    public Object field(String field) {
      String column = fieldColumns.get(field);
      return column == null ? null : row.get(column);
    }

    /** The value of {@code column} as text: a String column's value, null otherwise or when null. */
    public String string(String column) {
      return row.get(column) instanceof String s ? s : null;
    }
  }

  /**
   * A record silver must reject.
   *
   * @param reason the silver reject reason's name ({@code MISSING_REQUIRED}, {@code WRONG_TYPE},
   *     {@code NOT_A_NUMBER}, {@code OUT_OF_RANGE}, {@code DUPLICATE_KEY})
   * @param field the API field at fault ({@code id}, {@code name}, {@code latitude}, ...)
   */
  record Reject(String reason, String field) implements Expected {
    public Reject {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(field, "field");
    }
  }
}
