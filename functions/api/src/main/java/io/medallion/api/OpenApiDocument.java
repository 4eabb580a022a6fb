package io.medallion.api;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The query API's OpenAPI 3.0.3 document, built from {@link ApiRoutes} (the declarations'
 * {@code gold.api} blocks and the gold schemas), so that the document, the routes and the gateway
 * configuration cannot drift apart. {@code GET /openapi.json} serves it; {@link GatewayDocument}
 * adds API Gateway's extensions to it.
 *
 * <p>What each published table gets:
 *
 * <ul>
 *   <li>{@code GET /v1/<source>/<table>}, operationId {@code list_<source>_<table>}: one query
 *       parameter per filterable column ({@link ApiRoute#filterable()}: key, period, declared
 *       filters), an array in form style with explode, so {@code col=a&col=b} is a list; {@code
 *       from}/{@code to} typed as the period column when the table has one (both inclusive);
 *       {@code fields} and {@code order_by} as comma-separated arrays (form style, no explode)
 *       whose items are enumerated; {@code page_size} bounded by the declared maximum, default
 *       {@code min(100, max)}; {@code page_token}, opaque.
 *   <li>{@code GET /v1/<source>/<table>/{k1}/.../{kN}}, operationId {@code get_<source>_<table>}:
 *       one path parameter per key column, typed; 404 when no row has that key.
 *   <li>a row schema {@code components/schemas/<source>.<table>}: one property per gold column,
 *       {@code nullable} unless REQUIRED, NUMERIC and BIGNUMERIC as strings (exact decimals, a
 *       pattern bounding the scale), descriptions from the gold schema. No column is listed as
 *       required, because {@code fields} may leave any out.
 * </ul>
 *
 * <p>Types of parameters and columns: STRING is a string, INT64 an int64 integer, FLOAT64 a
 * double, NUMERIC/BIGNUMERIC a string of a decimal, BOOL a boolean, DATE a string in format date,
 * TIMESTAMP one in format date-time, DATETIME a string with a pattern (a civil date and time, no
 * zone), TIME a string, BYTES a string in format byte; JSON is any value, RECORD an object, REPEATED
 * an array.
 *
 * <p><b>Example requests.</b> Each list and get operation carries an extension {@code
 * x-medallion-examples}: a list of requests that a contract test can run, unchanged, against the
 * gold tables any run of the local pipeline produces, whatever rows they hold. Each example is an
 * object with
 *
 * <ul>
 *   <li>{@code summary}: what it shows;
 *   <li>{@code query}: query parameters, each name to a list of string values as they go on the
 *       URL (absent: none);
 *   <li>{@code path}: for a get, each key column to its value, to substitute into the path
 *       template; or instead {@code path_from}: the operationId of the list operation whose first
 *       example's first row gives the key values (an empty table gives no such request; skip it);
 *   <li>{@code status}: the status the answer must have; for a 400, {@code parameter} names the
 *       parameter the error body must name.
 * </ul>
 *
 * Values taken from the data cannot be written into the document, hence {@code path_from}: the
 * "no such row" and "page too large" examples are fixed, since their answer does not depend on
 * the rows. OpenAPI's own {@code example} on a parameter is set on {@code page_size} only.
 */
public final class OpenApiDocument {

  /** The OpenAPI version written (API Gateway takes 3.0.x and 3.1.x). */
  public static final String OPENAPI_VERSION = "3.0.3";
  /** The document's title: what an API key's API restriction shows in the console. */
  public static final String TITLE = "medallion gold query API";
  /** The extension that carries each operation's example requests. */
  public static final String EXAMPLES = "x-medallion-examples";
  /** The page size a request gets when it names none, unless the table's maximum is smaller. */
  public static final int DEFAULT_PAGE_SIZE = 100;
  /** The page size of the example requests: small, so that a page boundary is crossed early. */
  static final int EXAMPLE_PAGE_SIZE = 2;

  private static final String ERROR = "Error";
  private static final String INDEX = "Index";
  private static final String IDENTIFIER_LIST = "^[a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*)*$";
  /** A civil date and time as BigQuery writes it in JSON (T or a space between date and time). */
  private static final String DATETIME_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?$";

  private OpenApiDocument() {}

  /** The document as pretty-printed JSON; the same routes give the same text, byte for byte. */
  public static String json(ApiRoutes routes) {
    return toJson(document(routes));
  }

  /** The document as a tree, for {@link GatewayDocument} to extend. */
  static JsonObject document(ApiRoutes routes) {
    JsonObject doc = new JsonObject();
    doc.addProperty("openapi", OPENAPI_VERSION);
    JsonObject info = new JsonObject();
    info.addProperty("title", TITLE);
    info.addProperty("version", "1");
    info.addProperty("description", "Read-only routes over the gold tables the sources publish (gold.api in "
        + "schemas/sources/<source>.json), generated from those declarations and the gold schemas. JSON or CSV "
        + "(Accept), keyset pagination with opaque page tokens, ETag and Cache-Control from the table's last change.");
    doc.add("info", info);

    JsonObject paths = new JsonObject();
    paths.add("/openapi.json", item(openApiOperation()));
    paths.add("/v1", item(indexOperation()));
    JsonObject schemas = new JsonObject();
    schemas.add(ERROR, errorSchema());
    schemas.add(INDEX, indexSchema());
    for (ApiRoute route : routes.all()) {
      paths.add(route.path(), item(listOperation(route)));
      paths.add(route.keyPathTemplate(), item(getOperation(route)));
      schemas.add(rowSchemaName(route), rowSchema(route));
    }
    doc.add("paths", paths);

    JsonObject components = new JsonObject();
    components.add("schemas", schemas);
    components.add("parameters", sharedParameters());
    components.add("headers", sharedHeaders());
    components.add("responses", sharedResponses());
    doc.add("components", components);
    return doc;
  }

  static String toJson(JsonElement tree) {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(tree) + "\n";
  }

  /** The list operation's id: {@code list_<source>_<table>}. */
  public static String listOperationId(ApiRoute route) {
    return "list_" + route.source() + "_" + route.table();
  }

  /** The single-row operation's id: {@code get_<source>_<table>}. */
  public static String getOperationId(ApiRoute route) {
    return "get_" + route.source() + "_" + route.table();
  }

  /** The row schema's name under {@code components/schemas}: {@code <source>.<table>}. */
  public static String rowSchemaName(ApiRoute route) {
    return route.source() + "." + route.table();
  }

  /** {@code page_size}'s default: 100, or the table's maximum when that is smaller. */
  public static int defaultPageSize(ApiRoute route) {
    return Math.min(DEFAULT_PAGE_SIZE, route.published().maxPageSize());
  }

  // --- operations ---

  private static JsonObject item(JsonObject get) {
    JsonObject item = new JsonObject();
    item.add("get", get);
    return item;
  }

  private static JsonObject openApiOperation() {
    JsonObject op = operation("openapi", "This document", "The OpenAPI document of this API, generated from the declarations.");
    JsonObject ok = response("The OpenAPI 3.0 document.");
    ok.add("content", content("application/json", object("type", "object")));
    op.add("responses", responses("200", ok));
    return op;
  }

  private static JsonObject indexOperation() {
    JsonObject op = operation("index", "The published tables",
        "Every gold table this API serves, with its list route.");
    JsonObject ok = response("The published tables, by source then declaration order.");
    ok.add("content", content("application/json", ref(INDEX)));
    op.add("responses", responses("200", ok));
    return op;
  }

  private static JsonObject listOperation(ApiRoute route) {
    JsonObject op = operation(listOperationId(route), "List " + route.source() + "." + route.table(),
        "Rows of the gold table " + route.table() + " (source " + route.source() + "), filtered by equality on "
            + names(route.filterable()) + (route.period().isPresent() ? " and by period (from/to on "
            + route.period().get().name() + ")" : "") + ", in pages ordered by order_by then the key ("
            + String.join(", ", route.key()) + ").");
    op.add("tags", tags(route));
    JsonArray parameters = new JsonArray();
    for (Field f : route.filterable()) {
      JsonObject p = parameter(f.name(), "query", false,
          "Rows whose " + f.name() + " equals one of these values (repeat the parameter for a list: "
              + f.name() + "=a&" + f.name() + "=b)." + describe(f));
      p.addProperty("style", "form");
      p.addProperty("explode", true);
      p.add("schema", array(scalar(f, "filter " + f.name())));
      parameters.add(p);
    }
    route.period().ifPresent(period -> {
      for (String bound : List.of("from", "to")) {
        JsonObject p = parameter(bound, "query", false, "Rows whose " + period.name() + " is "
            + (bound.equals("from") ? "at or after" : "at or before") + " this value (inclusive).");
        p.add("schema", scalar(period, bound));
        parameters.add(p);
      }
    });
    parameters.add(fieldsParameter(route));
    parameters.add(orderByParameter(route));
    parameters.add(pageSizeParameter(route));
    parameters.add(ref("parameters", "page_token"));
    parameters.add(ref("parameters", "If-None-Match"));
    op.add("parameters", parameters);

    JsonObject page = new JsonObject();
    page.addProperty("type", "object");
    page.add("required", strings(List.of("data")));
    JsonObject props = new JsonObject();
    props.add("data", array(ref(rowSchemaName(route))));
    JsonObject next = object("type", "string");
    next.addProperty("description", "The page_token of the next page; absent on the last page.");
    props.add("next_page_token", next);
    page.add("properties", props);
    page.addProperty("additionalProperties", false);
    op.add("responses", dataResponses(page, "A page of rows (JSON: data and next_page_token; CSV: a header row, "
        + "then the rows; the next page is in the Link header)."));
    op.add(EXAMPLES, listExamples(route));
    return op;
  }

  private static JsonObject getOperation(ApiRoute route) {
    JsonObject op = operation(getOperationId(route), "Get one row of " + route.source() + "." + route.table(),
        "The row of " + route.table() + " whose key (" + String.join(", ", route.key()) + ") has these values.");
    op.add("tags", tags(route));
    JsonArray parameters = new JsonArray();
    for (String k : route.key()) {
      Field f = route.field(k);
      JsonObject p = parameter(k, "path", true, "The row's " + k + "." + describe(f));
      p.add("schema", scalar(f, "key " + k));
      parameters.add(p);
    }
    parameters.add(fieldsParameter(route));
    parameters.add(ref("parameters", "If-None-Match"));
    op.add("parameters", parameters);
    JsonObject one = new JsonObject();
    one.addProperty("type", "object");
    one.add("required", strings(List.of("data")));
    JsonObject props = new JsonObject();
    props.add("data", ref(rowSchemaName(route)));
    one.add("properties", props);
    one.addProperty("additionalProperties", false);
    op.add("responses", dataResponses(one, "The row (JSON: data; CSV: a header row, then the row)."));
    op.add(EXAMPLES, getExamples(route));
    return op;
  }

  private static JsonObject operation(String id, String summary, String description) {
    JsonObject op = new JsonObject();
    op.addProperty("operationId", id);
    op.addProperty("summary", summary);
    op.addProperty("description", description);
    return op;
  }

  private static JsonArray tags(ApiRoute route) {
    return strings(List.of(route.source()));
  }

  // --- parameters ---

  private static JsonObject fieldsParameter(ApiRoute route) {
    JsonObject p = parameter("fields", "query", false, "The columns to return, comma-separated (default: all), "
        + "any of: " + String.join(", ", route.columns()) + ".");
    p.addProperty("style", "form");
    p.addProperty("explode", false);
    JsonObject item = object("type", "string");
    item.add("enum", strings(route.columns()));
    p.add("schema", array(item));
    return p;
  }

  private static JsonObject orderByParameter(ApiRoute route) {
    List<String> allowed = new ArrayList<>();
    for (String c : route.orderable()) {
      allowed.add(c);
      allowed.add("-" + c);
    }
    JsonObject p = parameter("order_by", "query", false, "The order of the rows, comma-separated, each one of "
        + String.join(", ", route.orderable()) + ", prefixed with - for descending; the key ("
        + String.join(", ", route.key()) + ") always orders last, so that pages never overlap.");
    p.addProperty("style", "form");
    p.addProperty("explode", false);
    JsonObject item = object("type", "string");
    item.add("enum", strings(allowed));
    p.add("schema", array(item));
    return p;
  }

  private static JsonObject pageSizeParameter(ApiRoute route) {
    int max = route.published().maxPageSize();
    JsonObject p = parameter("page_size", "query", false, "Rows per page, 1 to " + max + ".");
    JsonObject s = object("type", "integer");
    s.addProperty("format", "int32");
    s.addProperty("minimum", 1);
    s.addProperty("maximum", max);
    s.addProperty("default", defaultPageSize(route));
    p.add("schema", s);
    p.addProperty("example", Math.min(EXAMPLE_PAGE_SIZE, max));
    return p;
  }

  private static JsonObject sharedParameters() {
    JsonObject params = new JsonObject();
    JsonObject token = parameter("page_token", "query", false,
        "The next_page_token of the previous page, as given: opaque, signed and expiring; only valid with the "
            + "same filters, fields and order.");
    token.add("schema", object("type", "string"));
    params.add("page_token", token);
    JsonObject ifNoneMatch = parameter("If-None-Match", "header", false,
        "An ETag of an earlier answer: 304, no body, when the table has not changed since.");
    ifNoneMatch.add("schema", object("type", "string"));
    params.add("If-None-Match", ifNoneMatch);
    return params;
  }

  private static JsonObject parameter(String name, String in, boolean required, String description) {
    JsonObject p = new JsonObject();
    p.addProperty("name", name);
    p.addProperty("in", in);
    p.addProperty("required", required);
    p.addProperty("description", description);
    return p;
  }

  // --- responses ---

  private static JsonObject dataResponses(JsonObject jsonSchema, String description) {
    JsonObject ok = response(description);
    JsonObject headers = new JsonObject();
    for (String h : List.of("ETag", "Last-Modified", "Cache-Control", "Link")) {
      headers.add(h, ref("headers", h));
    }
    ok.add("headers", headers);
    JsonObject content = content("application/json", jsonSchema);
    JsonObject csv = object("type", "string");
    csv.addProperty("description", "RFC 4180 CSV: a header row of the selected columns, then one line per row.");
    content.add("text/csv", media(csv));
    ok.add("content", content);
    JsonObject notModified = response("Not modified: the table has not changed since the If-None-Match ETag.");
    JsonObject h304 = new JsonObject();
    h304.add("ETag", ref("headers", "ETag"));
    h304.add("Cache-Control", ref("headers", "Cache-Control"));
    notModified.add("headers", h304);
    JsonObject all = responses("200", ok);
    all.add("304", notModified);
    for (String status : List.of("400", "404", "406")) {
      all.add(status, ref("responses", status));
    }
    return all;
  }

  private static JsonObject sharedResponses() {
    JsonObject responses = new JsonObject();
    Map<String, String> descriptions = Map.of(
        "400", "A parameter is unknown or its value is not allowed (wrong type, unknown column, page size over the "
            + "limit, forged or expired page token, from after to, a query over the cost guard).",
        "404", "No such table, or no row with this key.",
        "406", "The Accept header asks for neither application/json nor text/csv.");
    for (String status : List.of("400", "404", "406")) {
      JsonObject r = response(descriptions.get(status));
      r.add("content", content("application/json", ref(ERROR)));
      responses.add(status, r);
    }
    return responses;
  }

  private static JsonObject sharedHeaders() {
    JsonObject headers = new JsonObject();
    headers.add("ETag", header("The version of the answer, from the table's last change and the request."));
    headers.add("Last-Modified", header("When the table last changed (HTTP date)."));
    headers.add("Cache-Control", header("How long a client or proxy may keep the answer (the table's cache_seconds)."));
    headers.add("Link", header("The next page, as <url>; rel=\"next\"; absent on the last page."));
    return headers;
  }

  private static JsonObject header(String description) {
    JsonObject h = new JsonObject();
    h.addProperty("description", description);
    h.add("schema", object("type", "string"));
    return h;
  }

  private static JsonObject response(String description) {
    JsonObject r = new JsonObject();
    r.addProperty("description", description);
    return r;
  }

  private static JsonObject responses(String status, JsonObject response) {
    JsonObject r = new JsonObject();
    r.add(status, response);
    return r;
  }

  private static JsonObject content(String mediaType, JsonObject schema) {
    JsonObject c = new JsonObject();
    c.add(mediaType, media(schema));
    return c;
  }

  private static JsonObject media(JsonObject schema) {
    JsonObject m = new JsonObject();
    m.add("schema", schema);
    return m;
  }

  // --- schemas ---

  private static JsonObject errorSchema() {
    JsonObject detail = new JsonObject();
    detail.addProperty("type", "object");
    detail.add("required", strings(List.of("code", "message")));
    JsonObject props = new JsonObject();
    props.add("code", described(object("type", "string"), "A stable, machine-readable reason."));
    props.add("message", described(object("type", "string"), "What was wrong, for a person."));
    props.add("parameter", described(object("type", "string"), "The offending parameter, when one is."));
    props.add("allowed", described(array(object("type", "string")), "The values the parameter allows, when a list."));
    detail.add("properties", props);
    JsonObject error = new JsonObject();
    error.addProperty("type", "object");
    error.add("required", strings(List.of("error")));
    JsonObject errorProps = new JsonObject();
    errorProps.add("error", detail);
    error.add("properties", errorProps);
    return error;
  }

  private static JsonObject indexSchema() {
    JsonObject table = new JsonObject();
    table.addProperty("type", "object");
    table.add("required", strings(List.of("source", "table", "path")));
    JsonObject props = new JsonObject();
    props.add("source", object("type", "string"));
    props.add("table", object("type", "string"));
    props.add("path", described(object("type", "string"), "The list route, /v1/<source>/<table>."));
    table.add("properties", props);
    JsonObject index = new JsonObject();
    index.addProperty("type", "object");
    index.add("required", strings(List.of("data")));
    JsonObject indexProps = new JsonObject();
    indexProps.add("data", array(table));
    index.add("properties", indexProps);
    return index;
  }

  private static JsonObject rowSchema(ApiRoute route) {
    JsonObject row = new JsonObject();
    row.addProperty("type", "object");
    row.addProperty("description", "A row of " + route.table() + " (only the selected fields when fields is given).");
    JsonObject props = new JsonObject();
    for (Field f : route.schema().fields()) {
      props.add(f.name(), column(f));
    }
    row.add("properties", props);
    row.addProperty("additionalProperties", false);
    return row;
  }

  /** A column's value in a JSON row: its type, nullable unless REQUIRED, described as in the gold schema. */
  private static JsonObject column(Field f) {
    JsonObject s;
    if (f.repeated()) {
      s = array(value(f));
    } else {
      s = value(f);
      if (!f.required()) {
        s.addProperty("nullable", true);
      }
    }
    if (!f.description().isEmpty()) {
      s.addProperty("description", f.description());
    }
    return s;
  }

  /** One value of a column's type, whatever its mode. */
  private static JsonObject value(Field f) {
    if (f.isRecord()) {
      JsonObject record = object("type", "object");
      JsonObject props = new JsonObject();
      f.fields().forEach(sub -> props.add(sub.name(), column(sub)));
      record.add("properties", props);
      record.addProperty("additionalProperties", false);
      return record;
    }
    if (f.type() == FieldType.JSON) {
      // Any JSON value: OpenAPI 3.0 has no "any type" keyword but the empty schema.
      JsonObject any = new JsonObject();
      any.addProperty("description", "Any JSON value, as stored.");
      return any;
    }
    return scalarOf(f);
  }

  /** A parameter's schema: a scalar column's type; RECORD, JSON and REPEATED columns take no parameter. */
  private static JsonObject scalar(Field f, String what) {
    if (f.isRecord() || f.repeated() || f.type() == FieldType.JSON) {
      throw new IllegalArgumentException(what + ": column " + f.name() + " is " + f.mode() + " " + f.type()
          + ", which no query or path parameter can hold (only scalar columns filter or key a route)");
    }
    return scalarOf(f);
  }

  private static JsonObject scalarOf(Field f) {
    JsonObject s = new JsonObject();
    switch (f.type()) {
      case STRING -> s.addProperty("type", "string");
      case INT64 -> {
        s.addProperty("type", "integer");
        s.addProperty("format", "int64");
      }
      case FLOAT64 -> {
        s.addProperty("type", "number");
        s.addProperty("format", "double");
      }
      case NUMERIC, BIGNUMERIC -> {
        // A string, so that no JSON reader rounds it through a double.
        int scale = f.effectiveScale();
        s.addProperty("type", "string");
        s.addProperty("pattern", scale == 0 ? "^-?[0-9]+$" : "^-?[0-9]+(\\.[0-9]{1," + scale + "})?$");
      }
      case BOOL -> s.addProperty("type", "boolean");
      case DATE -> {
        s.addProperty("type", "string");
        s.addProperty("format", "date");
      }
      case TIMESTAMP -> {
        s.addProperty("type", "string");
        s.addProperty("format", "date-time");
      }
      case DATETIME -> {
        s.addProperty("type", "string");
        s.addProperty("pattern", DATETIME_PATTERN);
      }
      case TIME -> s.addProperty("type", "string");
      case BYTES -> {
        s.addProperty("type", "string");
        s.addProperty("format", "byte");
      }
      default -> throw new IllegalArgumentException("column " + f.name() + ": no scalar schema for " + f.type());
    }
    return s;
  }

  /** The gold schema's description of a column and its BigQuery type, as a sentence to append. */
  private static String describe(Field f) {
    String type = f.typeName() + (f.type().isDecimal() ? ", an exact decimal written as a string" : "");
    return f.description().isEmpty() ? " Type " + type + "." : " " + f.description() + " (" + type + ")";
  }

  // --- examples ---

  private static JsonArray listExamples(ApiRoute route) {
    JsonArray examples = new JsonArray();
    int pageSize = Math.min(EXAMPLE_PAGE_SIZE, route.published().maxPageSize());
    JsonObject first = new JsonObject();
    first.addProperty("summary", "the first page of " + pageSize + " rows");
    JsonObject q = new JsonObject();
    q.add("page_size", strings(List.of(Integer.toString(pageSize))));
    first.add("query", q);
    first.addProperty("status", 200);
    examples.add(first);

    String by = route.orderable().get(0);
    JsonObject ordered = new JsonObject();
    ordered.addProperty("summary", "the key columns only, by " + by + " descending");
    JsonObject q2 = new JsonObject();
    q2.add("fields", strings(List.of(String.join(",", route.key()))));
    q2.add("order_by", strings(List.of("-" + by)));
    q2.add("page_size", strings(List.of(Integer.toString(pageSize))));
    ordered.add("query", q2);
    ordered.addProperty("status", 200);
    examples.add(ordered);

    long tooLarge = (long) route.published().maxPageSize() + 1;
    JsonObject refused = new JsonObject();
    refused.addProperty("summary", "a page larger than the table allows");
    JsonObject q3 = new JsonObject();
    q3.add("page_size", strings(List.of(Long.toString(tooLarge))));
    refused.add("query", q3);
    refused.addProperty("status", 400);
    refused.addProperty("parameter", "page_size");
    examples.add(refused);
    return examples;
  }

  private static JsonArray getExamples(ApiRoute route) {
    JsonArray examples = new JsonArray();
    JsonObject first = new JsonObject();
    first.addProperty("summary", "the first row the list returns, by its key");
    first.addProperty("path_from", listOperationId(route));
    first.addProperty("status", 200);
    examples.add(first);
    JsonObject absent = absentKey(route);
    if (absent != null) {
      JsonObject missing = new JsonObject();
      missing.addProperty("summary", "a key no row has");
      missing.add("path", absent);
      missing.addProperty("status", 404);
      examples.add(missing);
    }
    return examples;
  }

  /**
   * Key values no row can have: at least one column takes a value outside anything a pipeline
   * writes (a string no source produces, the smallest INT64, year 1); the others a valid value of
   * their type. Null when no key column has such a value.
   */
  private static JsonObject absentKey(ApiRoute route) {
    JsonObject path = new JsonObject();
    boolean impossible = false;
    for (String k : route.key()) {
      Field f = route.field(k);
      String value;
      switch (f.type()) {
        case STRING -> {
          value = "medallion-no-such-row";
          impossible = true;
        }
        case INT64 -> {
          value = Long.toString(Long.MIN_VALUE);
          impossible = true;
        }
        case DATE -> {
          value = "0001-01-01";
          impossible = true;
        }
        case TIMESTAMP -> {
          value = "0001-01-01T00:00:00Z";
          impossible = true;
        }
        case DATETIME -> {
          value = "0001-01-01T00:00:00";
          impossible = true;
        }
        case NUMERIC, BIGNUMERIC -> {
          value = f.decimalMax().negate().toPlainString();
          impossible = true;
        }
        case BOOL -> value = "false";
        case TIME -> value = "00:00:00";
        default -> value = "0";
      }
      path.addProperty(k, value);
    }
    return impossible ? path : null;
  }

  // --- small builders ---

  private static String names(List<Field> fields) {
    return String.join(", ", fields.stream().map(Field::name).toList());
  }

  private static JsonObject ref(String schema) {
    return ref("schemas", schema);
  }

  private static JsonObject ref(String section, String name) {
    return object("$ref", "#/components/" + section + "/" + name);
  }

  private static JsonObject object(String key, String value) {
    JsonObject o = new JsonObject();
    o.addProperty(key, value);
    return o;
  }

  private static JsonObject described(JsonObject schema, String description) {
    schema.addProperty("description", description);
    return schema;
  }

  private static JsonObject array(JsonObject items) {
    JsonObject a = object("type", "array");
    a.add("items", items);
    return a;
  }

  private static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(v -> a.add(new JsonPrimitive(v)));
    return a;
  }
}
