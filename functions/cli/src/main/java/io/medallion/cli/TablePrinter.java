package io.medallion.cli;

import io.medallion.port.QueryResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Prints query results as an aligned text table, numbers right-aligned. */
final class TablePrinter {

  private static final int MAX_WIDTH = 48;

  private TablePrinter() {}

  static void print(QueryResult result, PrintStream out) {
    List<String> columns = result.columns();
    int[] widths = new int[columns.size()];
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = columns.get(i).length();
    }
    for (List<Object> row : result.rows()) {
      String[] line = new String[columns.size()];
      for (int i = 0; i < line.length; i++) {
        line[i] = cell(row.get(i));
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    StringBuilder rule = new StringBuilder();
    for (int w : widths) {
      rule.append('+').append("-".repeat(w + 2));
    }
    rule.append('+');
    out.println(rule);
    out.println(line(columns.toArray(String[]::new), widths, null));
    out.println(rule);
    for (int r = 0; r < cells.size(); r++) {
      out.println(line(cells.get(r), widths, result.rows().get(r)));
    }
    out.println(rule);
    out.println(result.rows().size() + (result.rows().size() == 1 ? " row" : " rows"));
  }

  private static String line(String[] values, int[] widths, List<Object> raw) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      boolean number = raw != null && raw.get(i) instanceof Number;
      String v = values[i];
      String pad = " ".repeat(widths[i] - v.length());
      b.append("| ").append(number ? pad + v : v + pad).append(' ');
    }
    return b.append('|').toString();
  }

  private static String cell(Object value) {
    if (value == null) {
      return "NULL";
    }
    String s = value.toString().replace('\n', ' ');
    return s.length() > MAX_WIDTH ? s.substring(0, MAX_WIDTH - 1) + "…" : s;
  }
}
