package io.medallion.api;

import io.medallion.schema.Field;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One list request, checked against its route and turned into a parameterized statement.
 *
 * <p>Parameters: each filterable column by equality ({@code col=a}, or {@code col=a&col=b} for a
 * list), {@code from} and {@code to} on the period column (both inclusive; a date as {@code to} of an
 * instant column includes that whole day), {@code fields}, {@code
 * order_by} ({@code col} or {@code -col}, comma-separated), {@code page_size}, {@code page_token}.
 * Anything else is refused, naming what is accepted. Column names in the statement come from the
 * gold schema, never from the request; every value is a {@code @parameter}.
 *
 * <p>Pages are keyset pages: ordered by the requested columns then the key (a total order), a page
 * is the rows after the previous page's last row, so rows written between two pages neither repeat
 * nor shift the next page as an offset would.
 */
final class ListQuery {

  /** Page size when none is asked for (or the table's maximum, when smaller). */
  static final int DEFAULT_PAGE_SIZE = 100;
  /** Values of one filter list: bounded, as each is a query parameter. */
  static final int MAX_LIST_VALUES = 100;

  private static final List<String> CONTROLS = List.of("fields", "order_by", "page_size", "page_token");

  private final ApiRoute route;
  private final List<Field> fields;
  private final List<Field> order;
  private final List<Boolean> descending;
  private final int pageSize;
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final StringBuilder where = new StringBuilder();
  private String fingerprint;

  private ListQuery(ApiRoute route, List<Field> fields, List<Field> order, List<Boolean> descending, int pageSize) {
    this.route = route;
    this.fields = fields;
    this.order = order;
    this.descending = descending;
    this.pageSize = pageSize;
  }

  /**
   * The request's parameters checked and typed.
   *
   * @throws ApiError 400 for an unknown parameter, a repeated control, a value of the wrong type, a
   *     page size out of range, {@code from} after {@code to}, a bad page token
   */
  static ListQuery parse(ApiRoute route, Map<String, List<String>> query, PageTokens tokens) {
    Map<String, Field> filterable = new LinkedHashMap<>();
    route.filterable().forEach(f -> filterable.put(f.name(), f));
    List<String> accepted = new ArrayList<>(filterable.keySet());
    if (route.period().isPresent()) {
      accepted.addAll(List.of("from", "to"));
    }
    accepted.addAll(CONTROLS);
    for (Map.Entry<String, List<String>> p : query.entrySet()) {
      String name = p.getKey();
      if (!accepted.contains(name)) {
        throw ApiError.badRequest("unknown_parameter", GoldApi.shown(name) + " is not a parameter of "
            + route.path(), name, accepted);
      }
      if (!filterable.containsKey(name) && p.getValue().size() > 1) {
        throw ApiError.badRequest("repeated_parameter", name + " is given " + p.getValue().size()
            + " times; it takes one value", name);
      }
    }
    List<Field> fields = fields(route, query);
    List<Field> order = new ArrayList<>();
    List<Boolean> descending = new ArrayList<>();
    String orderBy = one(query, "order_by");
    if (orderBy != null) {
      for (String item : orderBy.split(",", -1)) {
        String name = item.trim();
        boolean desc = name.startsWith("-");
        if (desc) {
          name = name.substring(1);
        }
        if (!route.orderable().contains(name)) {
          throw ApiError.badRequest("invalid_order_by", "order_by " + GoldApi.shown(item) + " is not an order "
              + route.table() + " accepts (a column, or -column for descending)", "order_by", route.orderable());
        }
        Field f = route.field(name);
        if (!order.contains(f)) {
          order.add(f);
          descending.add(desc);
        }
      }
    }
    for (String k : route.key()) {
      Field f = route.field(k);
      if (!order.contains(f)) {
        order.add(f);
        descending.add(false);
      }
    }
    int max = route.published().maxPageSize();
    int pageSize = Math.min(DEFAULT_PAGE_SIZE, max);
    String size = one(query, "page_size");
    if (size != null) {
      try {
        pageSize = Integer.parseInt(size.trim());
      } catch (NumberFormatException e) {
        throw ApiError.badRequest("invalid_value", "page_size must be an integer from 1 to " + max + ", not "
            + GoldApi.shown(size), "page_size");
      }
      if (pageSize < 1 || pageSize > max) {
        throw ApiError.badRequest(pageSize > max ? "page_size_too_large" : "invalid_value", "page_size must be from 1 to "
            + max + " for " + route.table() + ", not " + pageSize, "page_size");
      }
    }
    // The fingerprint names the rows and their order: a page token is valid only for the same ones.
    StringBuilder canonical = new StringBuilder(route.path());
    for (int i = 0; i < order.size(); i++) {
      canonical.append("|o:").append(descending.get(i) ? "-" : "").append(order.get(i).name());
    }
    ListQuery q = new ListQuery(route, fields, order, descending, pageSize);
    for (Field f : filterable.values()) {
      List<String> values = query.get(f.name());
      if (values == null) {
        continue;
      }
      if (values.size() > MAX_LIST_VALUES) {
        throw ApiError.badRequest("too_many_values", f.name() + " lists " + values.size() + " values; at most "
            + MAX_LIST_VALUES, f.name());
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        String name = "f_" + f.name() + "_" + i;
        q.parameters.put(name, ColumnValues.parse(f, values.get(i), f.name()));
        names.add("@" + name);
        canonical.append("|f:").append(f.name()).append('=').append(values.get(i).length()).append(':')
            .append(values.get(i));
      }
      q.and(names.size() == 1 ? f.name() + " = " + names.get(0) : f.name() + " IN (" + String.join(", ", names) + ")");
    }
    route.period().ifPresent(period -> {
      String from = one(query, "from");
      String to = one(query, "to");
      Object lower = from == null ? null : ColumnValues.parse(period, from, "from");
      Object upper = to == null ? null : ColumnValues.parse(period, to, "to");
      // A day as the end of an instant range means all of that day: up to the next day, excluded.
      boolean wholeDay = upper instanceof java.time.Instant && to.trim().length() == 10;
      if (wholeDay) {
        upper = ((java.time.Instant) upper).plus(java.time.Duration.ofDays(1));
      }
      if (lower != null && upper != null && compare(lower, upper) > (wholeDay ? -1 : 0)) {
        throw ApiError.badRequest("from_after_to", "from (" + from.trim() + ") is after to (" + to.trim()
            + "): no row could match", "from");
      }
      if (lower != null) {
        q.parameters.put("from", lower);
        q.and(period.name() + " >= @from");
        canonical.append("|from:").append(ColumnValues.text(period, lower));
      }
      if (upper != null) {
        q.parameters.put("to", upper);
        q.and(period.name() + (wholeDay ? " < @to" : " <= @to"));
        canonical.append("|to:").append(ColumnValues.text(period, upper));
      }
    });
    q.fingerprint = HexFormat.of().formatHex(GoldApi.sha256(canonical.toString()), 0, 16);
    String token = one(query, "page_token");
    if (token != null) {
      q.after(tokens.read(token.trim(), q.fingerprint, order.size()));
    }
    q.parameters.put("page_limit", (long) pageSize + 1);
    return q;
  }

  /**
   * The columns to answer with: {@code fields} (comma-separated), else all, in the schema's order.
   *
   * @throws ApiError 400 naming an unknown column and listing the table's columns
   */
  static List<Field> fields(ApiRoute route, Map<String, List<String>> query) {
    String asked = one(query, "fields");
    if (asked == null) {
      return route.schema().fields();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String item : asked.split(",", -1)) {
      String name = item.trim();
      if (route.column(name).isEmpty()) {
        throw ApiError.badRequest("unknown_field", GoldApi.shown(item) + " is not a column of " + route.table(),
            "fields", route.columns());
      }
      names.add(name);
    }
    return route.schema().fields().stream().filter(f -> names.contains(f.name())).toList();
  }

  private static String one(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    if (values == null) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiError.badRequest("repeated_parameter", name + " is given " + values.size() + " times; it takes one value",
          name);
    }
    return values.get(0);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  private void and(String condition) {
    where.append(where.length() == 0 ? " WHERE " : " AND ").append(condition);
  }

  /**
   * Keeps the rows after a position in the page's order: {@code (o1 > @k0) OR (o1 = @k0 AND o2 >
   * @k1) ...}, each comparison turned for a descending column.
   */
  private void after(List<String> position) {
    List<String> alternatives = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      Field f = order.get(i);
      Object value;
      try {
        value = ColumnValues.parse(f, position.get(i), "page_token");
      } catch (ApiError e) {
        throw ApiError.badRequest("invalid_page_token", "page_token was issued for another version of "
            + route.table(), "page_token");
      }
      parameters.put("k" + i, value);
      StringBuilder alt = new StringBuilder("(");
      for (int j = 0; j < i; j++) {
        alt.append(order.get(j).name()).append(" = @k").append(j).append(" AND ");
      }
      alt.append(f.name()).append(descending.get(i) ? " < @k" : " > @k").append(i).append(')');
      alternatives.add(alt.toString());
    }
    and("(" + String.join(" OR ", alternatives) + ")");
  }

  /** The statement: the answer's columns and the order's (for the next token), one row past the page. */
  String sql(String goldDataset) {
    Set<String> select = new LinkedHashSet<>();
    fields.forEach(f -> select.add(f.name()));
    order.forEach(f -> select.add(f.name()));
    List<String> orderBy = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      orderBy.add(order.get(i).name() + (descending.get(i) ? " DESC" : ""));
    }
    return "SELECT " + String.join(", ", select) + " FROM " + goldDataset + "." + route.table() + where
        + " ORDER BY " + String.join(", ", orderBy) + " LIMIT @page_limit";
  }

  Map<String, Object> parameters() {
    return parameters;
  }

  List<Field> fields() {
    return fields;
  }

  int pageSize() {
    return pageSize;
  }

  /** The token of the position after {@code row}: its values in the order columns. */
  String tokenAfter(List<Object> row, List<String> columns, PageTokens tokens) {
    List<String> position = new ArrayList<>();
    for (Field f : order) {
      position.add(ColumnValues.text(f, row.get(columns.indexOf(f.name()))));
    }
    return tokens.issue(fingerprint, position);
  }
}
