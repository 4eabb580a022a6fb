package io.medallion.port;

import java.util.regex.Pattern;

/**
 * A warehouse table, {@code dataset.table}. Both parts are validated identifiers, so a TableId can
 * be written into SQL without quoting tricks: nothing from a message reaches SQL unchecked.
 */
public record TableId(String dataset, String table) {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,1023}");

  public TableId {
    requireIdentifier(dataset, "dataset");
    requireIdentifier(table, "table");
  }

  /** Throws unless {@code value} is a plain SQL identifier (letters, digits, underscore). */
  public static String requireIdentifier(String value, String what) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + what + " name '" + value + "': letters, digits and underscore only");
    }
    return value;
  }

  /** {@code dataset.table}, the form both BigQuery (default project) and DuckDB accept. */
  public String sql() {
    return dataset + "." + table;
  }

  @Override
  public String toString() {
    return sql();
  }
}
