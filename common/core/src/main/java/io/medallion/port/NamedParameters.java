package io.medallion.port;

import java.util.ArrayList;
import java.util.List;

/**
 * A statement with BigQuery named parameters ({@code @name}) rewritten to JDBC positional ones.
 *
 * <p>Used by the local warehouse to bind a statement's values, and by gold to pass a model only the
 * parameters its SQL names. String literals, quoted identifiers and comments are copied untouched, so an {@code @} inside
 * them is not a parameter. Quotes follow DuckDB's rules (a doubled quote escapes, a backslash does
 * not), since DuckDB runs the statement.
 *
 * @param sql the statement with each placeholder replaced by {@code ?}
 * @param names the parameter name of each {@code ?}, in order; a name used twice appears twice
 */
public record NamedParameters(String sql, List<String> names) {

  public NamedParameters {
    names = List.copyOf(names);
  }

  public static NamedParameters parse(String sql) {
    StringBuilder out = new StringBuilder(sql.length());
    List<String> names = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'' || c == '"' || c == '`') {
        end = quotedEnd(sql, i);
      } else if (sql.startsWith("--", i)) {
        int newline = sql.indexOf('\n', i);
        end = newline < 0 ? n : newline;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        end = close < 0 ? n : close + 2;
      } else if (c == '@' && i + 1 < n && isNameStart(sql.charAt(i + 1))) {
        end = i + 2;
        while (end < n && isNamePart(sql.charAt(end))) {
          end++;
        }
        names.add(sql.substring(i + 1, end));
        out.append('?');
        i = end;
        continue;
      } else {
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return new NamedParameters(out.toString(), names);
  }

  /** Index just past the quoted text starting at {@code start}, or the end of an unclosed one. */
  private static int quotedEnd(String sql, int start) {
    char quote = sql.charAt(start);
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static boolean isNameStart(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }
}
