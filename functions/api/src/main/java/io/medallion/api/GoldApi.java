package io.medallion.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.medallion.port.CostGuardExceeded;
import io.medallion.port.GuardedRead;
import io.medallion.port.Lazy;
import io.medallion.port.QueryResult;
import io.medallion.schema.Sensitivity;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.schema.Field;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The query API over gold, whatever carries its requests ({@link ApiFunction} on GCP, {@link
 * LocalApiServer} locally): read-only routes generated from the sources' {@code gold.api}
 * declarations ({@link ApiRoutes}).
 *
 * <ul>
 *   <li>{@code GET /v1}: the published tables.
 *   <li>{@code GET /v1/<source>/<table>}: a page of rows ({@link ListQuery}: filters, {@code
 *       from}/{@code to}, {@code fields}, {@code order_by}, {@code page_size}, {@code page_token}).
 *   <li>{@code GET /v1/<source>/<table>/<key values>}: one row.
 *   <li>{@code GET /openapi.json}: the OpenAPI document of these routes.
 * </ul>
 *
 * <p>Values reach SQL only as query parameters; column and table names only from the declarations.
 * Every read runs under the table's cost guard ({@code max_bytes_billed}) and its bytes billed are
 * logged. Answers carry an {@code ETag} made of the table's last change and the request, so an
 * unchanged table answers a revalidation with 304 without reading it. Refusals are 4xx with a JSON
 * body {@code {"error": {"code", "message", "parameter", "allowed"}}}; nothing answers a stack trace.
 */
public final class GoldApi {

  /** Where the OpenAPI document is served. */
  public static final String OPENAPI_PATH = "/openapi.json";

  private static final Logger LOG = Logger.getLogger(GoldApi.class.getName());
  private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  static final String JSON = "application/json";
  static final String CSV = "text/csv";

  private final ApiRoutes routes;
  private final Warehouse warehouse;
  /** The gold dataset of a source (by name): its domain's, {@code gold_<domain>}. */
  private final java.util.function.Function<String, String> goldDataset;
  private final PageTokens tokens;
  private final Clock clock;
  /** The OpenAPI document: the routes never change while the API runs, so it is made once. */
  private final Lazy<byte[]> openApi;
  /** Whether policy-tagged columns are answered in clear ({@link #UNMASKED}); by default they are masked. */
  private final boolean unmasked;

  /**
   * {@code MEDALLION_UNMASKED=true}: answer policy-tagged columns in clear. By default a column a
   * gold schema file marks {@code "sensitive": {"policy_tag": ...}} without masking in silver (a
   * recipient's document, a GitHub login) is answered as {@link Sensitivity#last4}: on GCP the
   * API's service account may read the tag, its callers are not the domain's sensitive readers.
   */
  public static final String UNMASKED = "MEDALLION_UNMASKED";

  /** Whether {@code env} asks for policy-tagged columns in clear. */
  public static boolean unmasked(Map<String, String> env) {
    return "true".equalsIgnoreCase(env.getOrDefault(UNMASKED, "false").trim());
  }

  /**
   * @param goldDataset the gold dataset of each source, by the source's name (its domain's, {@code
   *     MedallionConfig.goldDataset(Source)}): each published table is read where its source's
   *     gold models write it
   */
  public GoldApi(ApiRoutes routes, Warehouse warehouse, java.util.function.Function<String, String> goldDataset,
      PageTokens tokens, Clock clock) {
    this(routes, warehouse, goldDataset, tokens, clock, false);
  }

  /** @param unmasked answer policy-tagged columns in clear ({@link #UNMASKED}) */
  public GoldApi(ApiRoutes routes, Warehouse warehouse, java.util.function.Function<String, String> goldDataset,
      PageTokens tokens, Clock clock, boolean unmasked) {
    this.unmasked = unmasked;
    this.routes = routes;
    this.warehouse = warehouse;
    this.goldDataset = source -> TableId.requireIdentifier(goldDataset.apply(source), "gold dataset of " + source);
    this.tokens = tokens;
    this.clock = clock;
    this.openApi = Lazy.of(() -> OpenApiDocument.json(routes).getBytes(StandardCharsets.UTF_8));
  }

  public ApiRoutes routes() {
    return routes;
  }

  /** Answers one request; never throws. */
  public ApiResponse handle(ApiRequest request) {
    long started = System.nanoTime();
    Outcome outcome = new Outcome();
    ApiResponse response;
    try {
      response = route(request, outcome);
    } catch (ApiError e) {
      response = error(e);
    } catch (CostGuardExceeded e) {
      response = error(ApiError.badRequest("over_cost_guard", "this query would bill "
          + (e.wouldBill() < 0 ? "more than " + e.limit() : e.wouldBill()) + " bytes, over the table's guard of "
          + e.limit() + " (max_bytes_billed): narrow it with from/to or filters", null));
    } catch (IOException e) {
      LOG.log(Level.WARNING, "api: the warehouse could not answer " + request.path() + ": " + e.getMessage(), e);
      response = json(503, Map.of("Retry-After", "5"), errorBody("warehouse_unavailable",
          "the warehouse could not answer now; try again", null, List.of()));
    } catch (RuntimeException e) {
      String id = UUID.randomUUID().toString();
      LOG.log(Level.SEVERE, "api: internal error " + id + " answering " + request.path(), e);
      response = json(500, Map.of(), errorBody("internal", "an internal error, logged as " + id, null, List.of()));
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    int status = response.status();
    LOG.info(() -> String.format(Locale.ROOT, "api %s %s -> %d, %d rows, %s bytes billed%s, %d ms", request.verb(),
        request.path(), status, outcome.rows, outcome.bytesBilled < 0 ? "no" : Long.toString(outcome.bytesBilled),
        outcome.estimated ? " (estimate)" : "", ms));
    return response;
  }

  /** The answer to a failure no route could answer (a transport's own bug). */
  public static ApiResponse internalError() {
    return json(500, Map.of(), errorBody("internal", "an internal error", null, List.of()));
  }

  /** The answer while the API cannot be built (its transport could not configure it): 503, retry later. */
  public static ApiResponse unavailable(String message) {
    return json(503, Map.of("Retry-After", "30"), errorBody("unavailable", message, null, List.of()));
  }

  /** What one request read, for its log line. */
  private static final class Outcome {
    int rows;
    long bytesBilled = -1;
    boolean estimated;
  }

  private ApiResponse route(ApiRequest request, Outcome outcome) throws IOException {
    String verb = request.verb();
    if (!verb.equals("GET") && !verb.equals("HEAD")) {
      ApiError e = new ApiError(405, "method_not_allowed", verb + " is not served: the API is read-only",
          null, List.of("GET", "HEAD"));
      return withHeaders(error(e), Map.of("Allow", "GET, HEAD"));
    }
    String path = request.path();
    if (path.equals(OPENAPI_PATH)) {
      return new ApiResponse(200, Map.of("Content-Type", JSON), openApi.get());
    }
    if (path.equals("/v1") || path.equals("/v1/")) {
      return index();
    }
    if (!path.startsWith(ApiRoute.PREFIX)) {
      throw ApiError.notFound("unknown_path", "nothing is served at " + shown(path) + "; GET /v1 lists the tables",
          paths());
    }
    String[] raw = path.substring(ApiRoute.PREFIX.length()).split("/", -1);
    List<String> segments = new ArrayList<>(raw.length);
    for (String s : raw) {
      segments.add(decodeSegment(s));
    }
    if (segments.size() < 2) {
      throw ApiError.notFound("unknown_table", "no table is served at " + shown(path), paths());
    }
    ApiRoute route = routes.find(segments.get(0), segments.get(1)).orElseThrow(() -> ApiError.notFound("unknown_table",
        "no published table is named " + shown(segments.get(0) + "/" + segments.get(1)), paths()));
    List<String> keyValues = segments.subList(2, segments.size());
    if (keyValues.isEmpty()) {
      return list(route, request, outcome);
    } else if (keyValues.size() == route.key().size()) {
      return one(route, keyValues, request, outcome);
    }
    throw ApiError.notFound("unknown_path", shown(path) + " is not a route of " + route.table() + ": a row is "
        + route.keyPathTemplate(), List.of(route.path(), route.keyPathTemplate()));
  }

  /** The dataset {@code route}'s table is read from: its source's gold dataset. */
  public String goldDataset(ApiRoute route) {
    return goldDataset.apply(route.source());
  }

  private ApiResponse list(ApiRoute route, ApiRequest request, Outcome outcome) throws IOException {
    ListQuery query = ListQuery.parse(route, request.query(), tokens);
    Revalidation answer = revalidate(route, request);
    if (answer.unchanged()) {
      return new ApiResponse(304, answer.headers(), new byte[0]);
    }
    Format format = answer.format();
    Map<String, String> headers = answer.headers();
    GuardedRead read = warehouse.readGuarded(query.sql(goldDataset.apply(route.source())), query.parameters(),
        route.published().maxBytesBilled());
    record(outcome, read);
    QueryResult result = read.result();
    List<List<Object>> rows = result.rows();
    String next = null;
    if (rows.size() > query.pageSize()) {
      rows = rows.subList(0, query.pageSize());
      next = query.tokenAfter(rows.get(rows.size() - 1), result.columns(), tokens);
      headers.put("Link", "<" + linkTo(request, next) + ">; rel=\"next\"");
    }
    outcome.rows = rows.size();
    List<Field> fields = query.fields();
    int[] at = positions(fields, result.columns());
    rows = masked(fields, at, rows);
    if (format == Format.CSV) {
      if (next != null) {
        headers.put("Next-Page-Token", next);
      }
      return new ApiResponse(200, headers, Csv.write(fields, at, rows));
    }
    JsonArray data = new JsonArray(rows.size());
    for (List<Object> row : rows) {
      data.add(object(fields, at, row));
    }
    JsonObject body = new JsonObject();
    body.add("data", data);
    if (next != null) {
      body.addProperty("next_page_token", next);
    }
    return new ApiResponse(200, headers, GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The rows with every policy-tagged column that silver did not mask shown as {@link
   * Sensitivity#last4}, unless the API answers in clear. Done after the next page's token was
   * made, which keeps the real values of the key and order columns (signed, opaque).
   */
  private List<List<Object>> masked(List<Field> fields, int[] at, List<List<Object>> rows) {
    if (unmasked) {
      return rows;
    }
    List<Integer> tagged = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      Sensitivity s = fields.get(i).sensitivity();
      if (s != null && s.masking() == null && s.policyTag() != null) {
        tagged.add(at[i]);
      }
    }
    if (tagged.isEmpty()) {
      return rows;
    }
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      List<Object> copy = new ArrayList<>(row);
      for (int i : tagged) {
        Object v = copy.get(i);
        copy.set(i, v == null ? null : Sensitivity.last4(String.valueOf(v)));
      }
      out.add(copy);
    }
    return out;
  }

  private ApiResponse one(ApiRoute route, List<String> keyValues, ApiRequest request, Outcome outcome)
      throws IOException {
    for (String name : request.query().keySet()) {
      if (!name.equals("fields")) {
        throw ApiError.badRequest("unknown_parameter", "a row's route takes only fields, not " + shown(name), name,
            List.of("fields"));
      }
    }
    List<Field> fields = ListQuery.fields(route, request.query());
    Map<String, Object> parameters = new LinkedHashMap<>();
    StringBuilder where = new StringBuilder();
    for (int i = 0; i < route.key().size(); i++) {
      Field key = route.field(route.key().get(i));
      parameters.put("k_" + key.name(), ColumnValues.parse(key, keyValues.get(i), key.name()));
      where.append(i == 0 ? " WHERE " : " AND ").append(key.name()).append(" = @k_").append(key.name());
    }
    Revalidation answer = revalidate(route, request);
    if (answer.unchanged()) {
      return new ApiResponse(304, answer.headers(), new byte[0]);
    }
    Format format = answer.format();
    Map<String, String> headers = answer.headers();
    String sql = "SELECT " + String.join(", ", fields.stream().map(Field::name).toList()) + " FROM "
        + goldDataset.apply(route.source()) + "." + route.table() + where + " LIMIT 1";
    GuardedRead read = warehouse.readGuarded(sql, parameters, route.published().maxBytesBilled());
    record(outcome, read);
    if (read.result().rows().isEmpty()) {
      throw ApiError.notFound("row_not_found", route.table() + " has no row with " + String.join(", ",
          route.key()) + " = " + shown(String.join(", ", keyValues)), List.of());
    }
    outcome.rows = 1;
    int[] at = positions(fields, read.result().columns());
    List<Object> row = masked(fields, at, List.of(read.result().rows().get(0))).get(0);
    if (format == Format.CSV) {
      return new ApiResponse(200, headers, Csv.write(fields, at, List.of(row)));
    }
    JsonObject body = new JsonObject();
    body.add("data", object(fields, at, row));
    return new ApiResponse(200, headers, GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private ApiResponse index() {
    JsonArray tables = new JsonArray();
    for (ApiRoute r : routes.all()) {
      JsonObject t = new JsonObject();
      t.addProperty("source", r.source());
      t.addProperty("table", r.table());
      t.addProperty("path", r.path());
      t.addProperty("row_path", r.keyPathTemplate());
      t.add("key", GSON.toJsonTree(r.key()));
      r.period().ifPresent(p -> t.addProperty("period", p.name()));
      t.add("filters", GSON.toJsonTree(r.filterable().stream().map(Field::name).toList()));
      t.add("order_by", GSON.toJsonTree(r.orderable()));
      t.addProperty("max_page_size", r.published().maxPageSize());
      tables.add(t);
    }
    JsonObject body = new JsonObject();
    body.add("tables", tables);
    body.addProperty("openapi", OPENAPI_PATH);
    return new ApiResponse(200, Map.of("Content-Type", JSON), GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What a read answers with, decided before it reads: the format the caller accepts, the headers
   * made of the table's last change, and whether the caller's copy is still current (a 304).
   */
  private record Revalidation(Format format, Map<String, String> headers, boolean unchanged) {}

  private Revalidation revalidate(ApiRoute route, ApiRequest request) throws IOException {
    Format format = Format.of(request);
    Instant changed = lastChange(route);
    String etag = etag(changed, request, format);
    return new Revalidation(format, cacheHeaders(route, changed, etag, format), notModified(request, etag));
  }

  private Instant lastChange(ApiRoute route) throws IOException {
    return warehouse.lastModified(new TableId(goldDataset.apply(route.source()), route.table())).orElseThrow(() -> ApiError.notFound(
        "not_built", route.table() + " is published but was not built yet: run the pipeline of " + route.source(),
        List.of()));
  }

  private static void record(Outcome outcome, GuardedRead read) {
    outcome.bytesBilled = read.bytesBilled();
    outcome.estimated = read.estimated();
  }

  /**
   * A strong validator of this answer: the table's last change, the request's path and query and
   * the format. A change to any table may change it (locally the change is coarse), never the other
   * way: an unchanged ETag always means the same bytes.
   */
  private static String etag(Instant changed, ApiRequest request, Format format) {
    StringBuilder b = new StringBuilder().append(changed.toEpochMilli()).append('|').append(changed.getNano())
        .append('|').append(format).append('|').append(request.path());
    request.query().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append('|').append(e.getKey()).append('=').append(e.getValue()));
    return "\"" + HexFormat.of().formatHex(sha256(b.toString()), 0, 16) + "\"";
  }

  private static boolean notModified(ApiRequest request, String etag) {
    Optional<String> match = request.header("If-None-Match");
    if (match.isEmpty()) {
      return false;
    }
    for (String candidate : match.get().split(",")) {
      String c = candidate.trim();
      if (c.startsWith("W/")) {
        c = c.substring(2); // weak comparison, as RFC 9110 asks of If-None-Match
      }
      if (c.equals("*") || c.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private Map<String, String> cacheHeaders(ApiRoute route, Instant changed, String etag, Format format) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", format.contentType);
    h.put("ETag", etag);
    h.put("Last-Modified", HTTP_DATE.format(changed));
    // private: issue 20 brings per-domain read access, which a shared cache would not know of.
    h.put("Cache-Control", "private, max-age=" + route.published().cacheSeconds());
    h.put("Vary", "Accept");
    return h;
  }

  private static String linkTo(ApiRequest request, String token) {
    StringBuilder b = new StringBuilder(request.path());
    char sep = '?';
    for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
      if (e.getKey().equals("page_token")) {
        continue;
      }
      for (String v : e.getValue()) {
        b.append(sep).append(ApiRoute.escape(e.getKey())).append('=').append(ApiRoute.escape(v));
        sep = '&';
      }
    }
    return b.append(sep).append("page_token=").append(token).toString();
  }

  private static int[] positions(List<Field> fields, List<String> columns) {
    int[] at = new int[fields.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = columns.indexOf(fields.get(i).name());
    }
    return at;
  }

  private static JsonObject object(List<Field> fields, int[] at, List<Object> row) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < at.length; i++) {
      o.add(fields.get(i).name(), ColumnValues.json(fields.get(i), row.get(at[i])));
    }
    return o;
  }

  private List<String> paths() {
    return routes.all().stream().map(ApiRoute::path).toList();
  }

  /** A path segment's text; {@code +} stays a plus (only a query encodes spaces so). */
  private static String decodeSegment(String s) {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_path", "the path has a malformed %-escape: " + shown(s), null);
    }
  }

  /** Caller text as a message quotes it: bounded, control characters replaced. */
  static String shown(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return "'" + t.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static ApiResponse error(ApiError e) {
    return json(e.status, Map.of(), errorBody(e.code, e.getMessage(), e.parameter, e.allowed));
  }

  private static JsonObject errorBody(String code, String message, String parameter, List<String> allowed) {
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    if (parameter != null) {
      error.addProperty("parameter", parameter);
    }
    if (!allowed.isEmpty()) {
      error.add("allowed", GSON.toJsonTree(allowed));
    }
    JsonObject body = new JsonObject();
    body.add("error", error);
    return body;
  }

  private static ApiResponse json(int status, Map<String, String> headers, JsonObject body) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Content-Type", JSON);
    h.put("Cache-Control", "no-store");
    return new ApiResponse(status, h, GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
  }

  private static ApiResponse withHeaders(ApiResponse r, Map<String, String> extra) {
    Map<String, String> h = new LinkedHashMap<>(r.headers());
    h.putAll(extra);
    return new ApiResponse(r.status(), h, r.body());
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The answer's media type, from the Accept header. */
  enum Format {
    JSON_FORMAT(JSON),
    CSV(GoldApi.CSV + "; charset=utf-8");

    final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    /**
     * JSON unless the caller prefers CSV: the accepted types in order of their q values, the first
     * that JSON or CSV satisfies wins.
     *
     * @throws ApiError 406 when the caller accepts neither
     */
    static Format of(ApiRequest request) {
      Optional<String> accept = request.header("Accept");
      if (accept.isEmpty() || accept.get().isBlank()) {
        return JSON_FORMAT;
      }
      List<String[]> ranges = new ArrayList<>();
      for (String part : accept.get().split(",")) {
        String[] pieces = part.trim().split(";");
        double q = 1;
        for (int i = 1; i < pieces.length; i++) {
          String p = pieces[i].trim();
          if (p.startsWith("q=")) {
            try {
              q = Double.parseDouble(p.substring(2));
            } catch (NumberFormatException e) {
              q = 0;
            }
          }
        }
        if (q > 0) {
          ranges.add(new String[] {pieces[0].trim().toLowerCase(Locale.ROOT), Double.toString(q)});
        }
      }
      ranges.sort((a, b) -> Double.compare(Double.parseDouble(b[1]), Double.parseDouble(a[1])));
      for (String[] r : ranges) {
        switch (r[0]) {
          case JSON, "application/*", "*/*" -> {
            return JSON_FORMAT;
          }
          case GoldApi.CSV, "text/*" -> {
            return CSV;
          }
          default -> {
          }
        }
      }
      throw new ApiError(406, "not_acceptable", "answers are application/json or text/csv, not "
          + shown(accept.get()), "Accept", List.of(JSON, GoldApi.CSV));
    }
  }
}
