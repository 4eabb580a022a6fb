package io.medallion.api;

import io.medallion.schema.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Rows as RFC 4180 CSV: a header of column names, CRLF line ends, fields quoted when they must be. */
final class Csv {

  private Csv() {}

  static byte[] write(List<Field> fields, int[] at, List<List<Object>> rows) {
    StringBuilder b = new StringBuilder(64 * (rows.size() + 1));
    for (int i = 0; i < fields.size(); i++) {
      b.append(i == 0 ? "" : ",").append(cell(fields.get(i).name()));
    }
    b.append("\r\n");
    for (List<Object> row : rows) {
      for (int i = 0; i < at.length; i++) {
        Object v = row.get(at[i]);
        // NULL is an empty field; an empty text is a quoted one, so the two stay apart.
        b.append(i == 0 ? "" : ",").append(v == null ? "" : quotedIfEmpty(ColumnValues.text(fields.get(i), v)));
      }
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String quotedIfEmpty(String s) {
    return s.isEmpty() ? "\"\"" : cell(s);
  }

  static String cell(String s) {
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
        || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))));
    return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
