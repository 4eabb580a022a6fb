package io.medallion.local.replay;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
   * an {@link java.time.Instant}, {@code DATE} a {@link java.time.LocalDate}. Kept as an array
   * beside the column names its resource shares, so that a million of them fit in memory.
   */
  final class Clean implements Expected {
    private final ContractReading.Columns columns;
    private final Object[] values;

    Clean(ContractReading.Columns columns, Object[] values) {
      this.columns = columns;
      this.values = values;
    }

    /**
     * A row given by hand.
     *
     * @param row column to value, in the table's column order, nulls included
     * @param fieldColumns the API field (a dot path, as the declaration's renames name it) of each column
     */
    public Clean(Map<String, Object> row, Map<String, String> fieldColumns) {
      this(new ContractReading.Columns(List.copyOf(row.keySet()), fieldColumns), row.values().toArray());
    }

    /** Column to value, in the table's column order, nulls included. */
    public Map<String, Object> row() {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        row.put(columns.names().get(i), values[i]);
      }
      return Collections.unmodifiableMap(row);
    }

    /** The value of silver column {@code column} (null when null or not a column). */
    public Object value(String column) {
      Integer i = columns.index().get(column);
      return i == null ? null : values[i];
    }

    /** The value silver must give the API field {@code field} (e.g. {@code id}, {@code user.login}). */
    public Object field(String field) {
      String column = columns.fieldColumns().get(field);
      return column == null ? null : value(column);
    }

    /** The value of {@code column} as text: a String column's value, null otherwise or when null. */
    public String string(String column) {
      return value(column) instanceof String s ? s : null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Clean c && c.columns.names().equals(columns.names()) && Arrays.equals(c.values, values);
    }

    @Override
    public int hashCode() {
      return 31 * columns.names().hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Clean" + row();
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
