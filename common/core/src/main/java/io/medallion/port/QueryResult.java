package io.medallion.port;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Rows of a read query, values as JDBC/BigQuery give them (String, Long, Double, Boolean, ...). */
public record QueryResult(List<String> columns, List<List<Object>> rows) {

  public QueryResult {
    columns = List.copyOf(columns);
    List<List<Object>> copy = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copy);
  }

  /** The single value of a one-row, one-column result. */
  public Object scalar() {
    if (rows.size() != 1 || columns.size() != 1) {
      throw new IllegalStateException("Expected one value, got " + rows.size() + " rows");
    }
    return rows.get(0).get(0);
  }
}
