package io.medallion.gcp.bigquery;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the named parameters ({@code @name}) of a GoogleSQL statement.
 *
 * <p>String and bytes literals (single, double and triple quoted, raw or not), backtick-quoted
 * identifiers and comments ({@code --}, {@code #}, {@code /* *}{@code /}) are skipped, so an
 * {@code @} inside them is not a parameter; nor is a system variable ({@code @@name}). The rules
 * are BigQuery's, not DuckDB's: a backslash escapes the next character in a non-raw literal.
 */
final class SqlParameters {

  private SqlParameters() {}

  /** The distinct parameter names in order of first use. */
  static Set<String> names(String sql) {
    Set<String> names = new LinkedHashSet<>();
    int n = sql.length();
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = quotedEnd(sql, i, c != '`' && isRawPrefix(sql, i));
      } else if (sql.startsWith("--", i) || c == '#') {
        int newline = sql.indexOf('\n', i);
        i = newline < 0 ? n : newline + 1;
      } else if (sql.startsWith("/*", i)) {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '@' && i + 1 < n && sql.charAt(i + 1) == '@') {
        // @@system_variable: skip it whole, so its name is not read as a parameter.
        i += 2;
        while (i < n && isNamePart(sql.charAt(i))) {
          i++;
        }
      } else if (c == '@' && i + 1 < n && isNameStart(sql.charAt(i + 1))) {
        int end = i + 2;
        while (end < n && isNamePart(sql.charAt(end))) {
          end++;
        }
        names.add(sql.substring(i + 1, end));
        i = end;
      } else if (isNamePart(c)) {
        // Skip whole words, so that "x@y" style tokens and prefixes are read left to right.
        while (i < n && isNamePart(sql.charAt(i))) {
          i++;
        }
      } else {
        i++;
      }
    }
    return names;
  }

  /** Whether the word right before the quote at {@code quote} is a raw prefix: r, rb or br. */
  private static boolean isRawPrefix(String sql, int quote) {
    int start = quote;
    while (start > 0 && isNamePart(sql.charAt(start - 1))) {
      start--;
    }
    String prefix = sql.substring(start, quote).toLowerCase(java.util.Locale.ROOT);
    return prefix.equals("r") || prefix.equals("rb") || prefix.equals("br");
  }

  /** Index just past the literal starting at {@code start}, or the end of an unclosed one. */
  private static int quotedEnd(String sql, int start, boolean raw) {
    char q = sql.charAt(start);
    String triple = String.valueOf(new char[] {q, q, q});
    boolean isTriple = q != '`' && sql.startsWith(triple, start);
    int i = start + (isTriple ? 3 : 1);
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && !raw) {
        i += 2;
      } else if (isTriple ? sql.startsWith(triple, i) : c == q) {
        return i + (isTriple ? 3 : 1);
      } else {
        i++;
      }
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
