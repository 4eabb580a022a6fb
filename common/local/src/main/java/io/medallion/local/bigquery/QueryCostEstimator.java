package io.medallion.local.bigquery;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Estimates what a query job would cost on BigQuery under on-demand pricing, from what DuckDB's
 * profiler says the statement scanned.
 *
 * <p><b>Bytes processed</b>: for every {@code TABLE_SCAN} of a warehouse table, the rows it
 * returned after the filters DuckDB pushed into it (the local stand-in for BigQuery's partition
 * pruning) times the BigQuery logical size of the columns it read (projected or filtered on). A
 * column's size per row is its average over the whole table, measured once per table and row count
 * with BigQuery's data size rules (https://cloud.google.com/bigquery/pricing#data: INT64, FLOAT64,
 * DATE, DATETIME, TIME, TIMESTAMP 8 bytes; BOOL 1; NUMERIC 16; BIGNUMERIC 32; STRING and BYTES 2 +
 * their length in bytes (UTF-8 for STRING); JSON its text's bytes; STRUCT and ARRAY the sum of
 * their fields and elements; NULL 0). A MERGE with an UPDATE or DELETE clause, an UPDATE and a
 * DELETE add the size of the whole target table before the statement: BigQuery's "q + t" for a
 * non-partitioned table (https://cloud.google.com/bigquery/docs/reference/standard-sql/dml-syntax,
 * "On-demand query size calculation").
 *
 * <p><b>Bytes billed</b>: "rounded up to the nearest MB, with a minimum 10 MB data processed per
 * table referenced by the query, and with a minimum 10 MB data processed per query"
 * (https://cloud.google.com/bigquery/pricing#on_demand_pricing); BigQuery's MB is 2^20 bytes (its
 * smallest bill, 10485760).
 *
 * <p>What it cannot account for is unknown (null), never a guess: several statements in one job
 * (the profile is the last one's), a scan of a file or of a table outside the warehouse (a temp
 * table), a column whose type it cannot size, a profile without the counts.
 *
 * <p>Limits, where the estimate and BigQuery part: every filter of the statement lowers it, while
 * BigQuery prunes only by partition and clustering (a filter on another column still bills the
 * column whole); filters that DuckDB derives as it runs (from a join's other side, a top-N) are
 * switched off while profiling ({@link #DISABLED_OPTIMIZERS}), but one it carries across a join
 * equality ({@code a.id = b.id and a.id > 5} filters b too) still lowers it; a LIMIT that stops a
 * scan early lowers it too (BigQuery bills the whole scan); DuckDB answers some aggregates
 * (COUNT(*)) from metadata and scans nothing, where BigQuery also reads nothing.
 */
final class QueryCostEstimator {

  static final long MIB = 1L << 20;

  /**
   * DuckDB optimizers off while a statement is profiled: each would let a scan return fewer rows
   * than the statement's own filters keep (join_filter_pushdown and statistics_propagation derive
   * filters from the other side of a join; top_n from the rows kept so far; late_materialization
   * scans a table twice).
   */
  static final String DISABLED_OPTIMIZERS = "join_filter_pushdown,statistics_propagation,top_n,late_materialization";

  /** BigQuery's minimum per table referenced and per query. */
  static final long MINIMUM_BILLED = 10 * MIB;

  /** What a statement cost, as a BigQuery job's statistics would say. */
  /** @param rowsRead the rows the statement's table scans returned: what it read locally, row-wise */
  record Cost(long bytesProcessed, long bytesBilled, long rowsRead) {

    Cost(long bytesProcessed, long bytesBilled) {
      this(bytesProcessed, bytesBilled, 0);
    }
  }

  /** A DML statement's target and its whole size before the statement ran. */
  record Target(TableId table, long bytes) {}

  /** The table an UPDATE, DELETE or MERGE changes, after any leading comments. */
  private static final Pattern DML_TARGET =
      Pattern.compile(
          "(?is)(?:\\s|--[^\\n]*|/\\*.*?\\*/)*(?:merge\\s+(?:into\\s+)?|update\\s+|delete\\s+(?:from\\s+)?)"
              + "\"?([A-Za-z_]\\w*)\"?\\s*\\.\\s*\"?([A-Za-z_]\\w*)\"?");

  private static final Pattern LEADING_COMMENTS = Pattern.compile("(?s)(?:\\s|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*");

  private static final Pattern IDENTIFIER = Pattern.compile("\"((?:[^\"]|\"\")+)\"|([A-Za-z_][\\w]*)");

  /** Table functions that read no stored data: BigQuery bills nothing for them either. */
  private static final java.util.Set<String> FREE_FUNCTIONS = java.util.Set.of("RANGE", "GENERATE_SERIES", "UNNEST");

  /**
   * Every column path's total bytes over a table of {@code rows} rows; a path absent: not sizable
   * (its column then in {@code unsizable}).
   */
  record TableSizes(long rows, Map<String, Long> columnBytes, java.util.Set<String> unsizable) {
    long wholeTable() {
      long total = 0;
      for (Map.Entry<String, Long> e : columnBytes.entrySet()) {
        if (!e.getKey().contains(".")) {
          total += e.getValue();
        }
      }
      return total;
    }
  }

  private final String catalog;
  private final Map<TableId, TableSizes> sizes = new HashMap<>();

  /** @param catalog the DuckDB catalog the warehouse's datasets live in */
  QueryCostEstimator(String catalog) {
    this.catalog = catalog;
  }

  /**
   * Before the statement: the target of an UPDATE, DELETE or MERGE and its size now; empty for any
   * other statement (or one whose target does not exist yet).
   */
  Optional<Target> target(Connection c, String sql) throws SQLException {
    Matcher m = DML_TARGET.matcher(sql);
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    TableId table = new TableId(m.group(1), m.group(2));
    TableSizes measured = sizes(c, table);
    return measured == null ? Optional.empty() : Optional.of(new Target(table, measured.wholeTable()));
  }

  /**
   * What the statement just profiled cost, or null when the profile does not account for all of it.
   *
   * @param executedSql the text that ran, as DuckDB received it
   * @param target what {@link #target} said before it ran
   */
  Cost estimate(Connection c, String profileJson, String executedSql, Optional<Target> target) throws SQLException {
    JsonObject profile;
    try {
      profile = JsonParser.parseString(profileJson).getAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
    if (!isWholeJob(profile, executedSql)) {
      return null;
    }
    Map<TableId, Double> bytesByTable = new LinkedHashMap<>();
    Scan scan = new Scan();
    JsonArray operators = profile.getAsJsonArray("operator");
    if (operators == null || !walk(c, operators, bytesByTable, scan)) {
      return null;
    }
    boolean rewritesTarget = scan.merge ? scan.mergeRewrites : scan.updateOrDelete;
    if (rewritesTarget) {
      if (target.isEmpty()) {
        return null; // a DML statement whose target the SQL did not name plainly
      }
      bytesByTable.merge(target.get().table(), (double) target.get().bytes(), Double::sum);
    } else if (scan.merge) {
      // An INSERT-only MERGE is billed as the query alone; the target is still referenced.
      target.ifPresent(t -> bytesByTable.merge(t.table(), 0.0, Double::sum));
    }
    List<Long> bytesPerTable = new ArrayList<>();
    for (double bytes : bytesByTable.values()) {
      bytesPerTable.add((long) Math.ceil(bytes));
    }
    long processed = bytesPerTable.stream().mapToLong(Long::longValue).sum();
    return new Cost(processed, billed(bytesPerTable), scan.rowsRead);
  }

  /**
   * What BigQuery bills for a query that processes these bytes of each table it references: each
   * table at least {@link #MINIMUM_BILLED}, the query too, the sum rounded up to a whole MB.
   */
  static long billed(java.util.Collection<Long> bytesPerTable) {
    long billed = 0;
    for (long table : bytesPerTable) {
      billed += Math.max(table, MINIMUM_BILLED);
    }
    billed = Math.max(billed, MINIMUM_BILLED);
    return (billed + MIB - 1) / MIB * MIB;
  }

  /** What the walk saw of DML. */
  private static final class Scan {
    boolean merge;
    boolean mergeRewrites;
    boolean updateOrDelete;
    long rowsRead;
  }

  /**
   * Whether the profiled statement is all of the job: DuckDB profiles the last statement of a
   * script and records its text without the comments before it.
   */
  private static boolean isWholeJob(JsonObject profile, String executedSql) {
    JsonObject query = profile.getAsJsonObject("query");
    if (query == null || !query.has("sql")) {
      return false;
    }
    String profiled = trimStatement(query.get("sql").getAsString());
    String job = trimStatement(executedSql);
    if (profiled.isEmpty() || !job.endsWith(profiled)) {
      return false;
    }
    String before = job.substring(0, job.length() - profiled.length());
    return LEADING_COMMENTS.matcher(before).matches();
  }

  private static String trimStatement(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  /** Adds every scan's bytes; false when one cannot be accounted for. */
  private boolean walk(Connection c, JsonArray operators, Map<TableId, Double> bytesByTable, Scan scan) throws SQLException {
    for (JsonElement element : operators) {
      JsonObject op = element.getAsJsonObject();
      String type = op.has("type") ? op.get("type").getAsString() : "";
      JsonObject info = op.has("extra_info") && op.get("extra_info").isJsonObject() ? op.getAsJsonObject("extra_info") : new JsonObject();
      switch (type) {
        case "MERGE_INTO" -> scan.merge = true;
        case "MERGE_ACTION_SOURCE" -> {
          String action = info.has("Action") ? info.get("Action").getAsString().toUpperCase(Locale.ROOT) : "";
          if (action.contains("UPDATE") || action.contains("DELETE")) {
            scan.mergeRewrites = true;
          }
        }
        case "UPDATE", "DELETE", "DELETE_OPERATOR" -> scan.updateOrDelete = true;
        case "TABLE_SCAN" -> {
          if (!tableScan(c, op, info, bytesByTable)) {
            return false;
          }
          if (info.has("Table") && op.has("intermediate_rows")) {
            scan.rowsRead += op.get("intermediate_rows").getAsLong();
          }
        }
        default -> {
          // joins, projections, aggregates, CTE and column-data scans read what a scan already counted
        }
      }
      JsonArray children = op.getAsJsonArray("children");
      if (children != null && !walk(c, children, bytesByTable, scan)) {
        return false;
      }
    }
    return true;
  }

  private boolean tableScan(Connection c, JsonObject op, JsonObject info, Map<TableId, Double> bytesByTable) throws SQLException {
    if (!info.has("Table")) {
      String function = info.has("Function") ? info.get("Function").getAsString().toUpperCase(Locale.ROOT) : "";
      return FREE_FUNCTIONS.contains(function); // a file read (READ_JSON, ...) is not the warehouse's to price
    }
    TableId table = scannedTable(info.get("Table").getAsString());
    if (table == null || !op.has("intermediate_rows")) {
      return false;
    }
    long rows = op.get("intermediate_rows").getAsLong();
    TableSizes measured = sizes(c, table);
    if (measured == null) {
      return false;
    }
    java.util.Set<String> columns = new java.util.LinkedHashSet<>();
    for (String projection : strings(info.get("Projections"))) {
      if (!projection.isBlank()) {
        columns.add(unquote(projection.strip()));
      }
    }
    // A column only filtered on is read too, and BigQuery bills it.
    for (String filter : strings(info.get("Filters"))) {
      Matcher m = IDENTIFIER.matcher(withoutLiterals(filter));
      while (m.find()) {
        String name = m.group(1) != null ? m.group(1).replace("\"\"", "\"") : m.group(2);
        if (measured.columnBytes().containsKey(name)) {
          columns.add(name);
        }
      }
    }
    double bytes = 0;
    for (String column : columns) {
      Long total = measured.columnBytes().get(column);
      if (total == null) {
        return false; // a column (or field) it cannot size
      }
      bytes += measured.rows() == 0 ? 0 : (double) rows * total / measured.rows();
    }
    bytesByTable.merge(table, bytes, Double::sum);
    return true;
  }

  /** {@code catalog.schema.table} as the profiler names it; null for a table outside the warehouse. */
  private TableId scannedTable(String qualified) {
    List<String> parts = new ArrayList<>();
    for (String part : qualified.split("\\.")) {
      parts.add(unquote(part));
    }
    if (parts.size() != 3 || !parts.get(0).equals(catalog)) {
      return null;
    }
    try {
      return new TableId(parts.get(1), parts.get(2));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
  }

  /** A filter's text without its string literals, so that a value naming a column is not read as one. */
  private static String withoutLiterals(String filter) {
    return filter.replaceAll("'(?:[^']|'')*'", "''");
  }

  private static List<String> strings(JsonElement e) {
    List<String> out = new ArrayList<>();
    if (e == null || e.isJsonNull()) {
      return out;
    }
    if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
    } else {
      out.add(e.getAsString());
    }
    return out;
  }

  /**
   * The table's column sizes, measured again only when its row count changed (one aggregate over
   * the table; the count itself DuckDB answers from metadata). Null when the table does not exist.
   */
  private TableSizes sizes(Connection c, TableId table) throws SQLException {
    if (!exists(c, table)) {
      return null;
    }
    long rows;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + DuckDbWarehouse.quoted(table))) {
      rs.next();
      rows = rs.getLong(1);
    }
    TableSizes cached = sizes.get(table);
    if (cached != null && cached.rows() == rows) {
      return cached;
    }
    TableSizes measured = measure(c, table, rows);
    sizes.put(table, measured);
    return measured;
  }

  /** Looked up rather than tried: a failed statement would abort the job's transaction. */
  private boolean exists(Connection c, TableId table) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "select count(*) from information_schema.tables where table_catalog = ? and table_schema = ? and table_name = ?")) {
      st.setString(1, catalog);
      st.setString(2, table.dataset());
      st.setString(3, table.table());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  /**
   * Measures the table's column sizes now, with one aggregate over it; null when it does not exist.
   * Caches nothing: for a caller that knows when the table changes (the guarded reads of the query
   * API, on their own connections).
   */
  TableSizes measure(Connection c, TableId table) throws SQLException {
    if (!exists(c, table)) {
      return null;
    }
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select count(*) from " + DuckDbWarehouse.quoted(table))) {
      rs.next();
      return measure(c, table, rs.getLong(1));
    }
  }

  private TableSizes measure(Connection c, TableId table, long rows) throws SQLException {
    java.util.Set<String> unsizable = new java.util.LinkedHashSet<>();
    Map<String, String> expressions = new LinkedHashMap<>();
    try (PreparedStatement st = c.prepareStatement(
        "select column_name, data_type, is_nullable from information_schema.columns"
            + " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position")) {
      st.setString(1, catalog);
      st.setString(2, table.dataset());
      st.setString(3, table.table());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Field f;
          try {
            f = DuckDbTypes.column(rs.getString(1), rs.getString(2), "NO".equals(rs.getString(3)));
          } catch (IllegalArgumentException notSizable) {
            unsizable.add(rs.getString(1));
            continue; // left out: a scan that reads it is unknown
          }
          paths(f, quotedColumn(f.name()), f.name(), expressions);
        }
      }
    }
    Map<String, Long> columnBytes = new LinkedHashMap<>();
    if (!expressions.isEmpty()) {
      StringBuilder sql = new StringBuilder("select ");
      int i = 0;
      for (String expression : expressions.values()) {
        sql.append(i++ == 0 ? "" : ", ").append("coalesce(sum(").append(expression).append("), 0)");
      }
      sql.append(" from ").append(DuckDbWarehouse.quoted(table));
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
        rs.next();
        i = 1;
        for (String path : expressions.keySet()) {
          columnBytes.put(path, ((Number) rs.getObject(i++)).longValue());
        }
      }
    }
    return new TableSizes(rows, columnBytes, java.util.Set.copyOf(unsizable));
  }

  private static String quotedColumn(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** The size expression of a column and of every STRUCT field under it (outside arrays), by path. */
  private static void paths(Field f, String expression, String path, Map<String, String> out) {
    out.put(path, size(f, expression, 0));
    if (f.type() == FieldType.RECORD && !f.repeated()) {
      for (Field child : f.fields()) {
        paths(child, "struct_extract(" + expression + ", '" + child.name().replace("'", "''") + "')",
            path + "." + child.name(), out);
      }
    }
  }

  /** One value's BigQuery logical size, as a DuckDB expression that is never NULL. */
  static String size(Field f, String x, int depth) {
    if (f.repeated()) {
      String e = "e" + depth;
      Field element = new Field(f.name(), f.type(), Field.Mode.NULLABLE, "", f.fields(), f.precision(), f.scale());
      return "coalesce(list_sum(list_transform(" + x + ", lambda " + e + ": " + size(element, e, depth + 1) + ")), 0)";
    }
    return switch (f.type()) {
      case INT64, FLOAT64, DATE, DATETIME, TIME, TIMESTAMP -> fixed(x, 8);
      case BOOL -> fixed(x, 1);
      case NUMERIC -> fixed(x, 16);
      case BIGNUMERIC -> fixed(x, 32);
      case STRING -> "coalesce(2 + strlen(" + x + "), 0)";
      case BYTES -> "coalesce(2 + octet_length(" + x + "), 0)";
      case JSON -> "coalesce(strlen(CAST(" + x + " AS VARCHAR)), 0)";
      case RECORD -> {
        StringBuilder sum = new StringBuilder("(0");
        for (Field child : f.fields()) {
          sum.append(" + ").append(size(child, "struct_extract(" + x + ", '" + child.name().replace("'", "''") + "')", depth));
        }
        yield sum.append(")").toString();
      }
    };
  }

  private static String fixed(String x, int bytes) {
    return "CASE WHEN " + x + " IS NULL THEN 0 ELSE " + bytes + " END";
  }
}
