package io.medallion.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.medallion.port.QueryResult;
import java.io.PrintStream;
import java.util.List;

/**
 * How {@code query} prints a result: an aligned table for people, CSV (RFC 4180: every value in
 * full, quotes doubled, NULL as an empty field) or JSON (an array of objects, numbers as numbers)
 * for other programs.
 */
enum ResultFormat {
  TABLE, CSV, JSON;

  void print(QueryResult result, PrintStream out) {
    switch (this) {
      case TABLE -> TablePrinter.print(result, out);
      case CSV -> csv(result, out);
      case JSON -> json(result, out);
    }
  }

  private static void csv(QueryResult result, PrintStream out) {
    out.print(String.join(",", result.columns().stream().map(ResultFormat::csvField).toList()) + "\r\n");
    for (List<Object> row : result.rows()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          line.append(',');
        }
        line.append(row.get(i) == null ? "" : csvField(String.valueOf(row.get(i))));
      }
      out.print(line + "\r\n");
    }
  }

  private static String csvField(String value) {
    boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0 || !value.equals(value.strip());
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  private static void json(QueryResult result, PrintStream out) {
    JsonArray rows = new JsonArray();
    for (List<Object> row : result.rows()) {
      JsonObject o = new JsonObject();
      for (int i = 0; i < row.size(); i++) {
        Object v = row.get(i);
        o.add(result.columns().get(i), v == null ? JsonNull.INSTANCE
            : v instanceof Number n ? new JsonPrimitive(n)
            : v instanceof Boolean b ? new JsonPrimitive(b)
            : new JsonPrimitive(String.valueOf(v)));
      }
      rows.add(o);
    }
    out.println(new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(rows));
  }
}
