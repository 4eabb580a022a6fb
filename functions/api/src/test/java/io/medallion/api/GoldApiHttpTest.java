package io.medallion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API as a client sees it: a real HTTP client against {@link LocalApiServer} over DuckDB
 * gold tables whose rows the test wrote, so every answer is checked against an independent
 * computation over those rows.
 */
class GoldApiHttpTest {

  @TempDir static Path dir;
  static DuckDbWarehouse warehouse;
  static LocalApiServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.parse("2026-12-04T12:00:00Z"));
  /** Every statement the API sent to the warehouse. */
  static final List<String> STATEMENTS = new CopyOnWriteArrayList<>();
  static final List<Audience> AUDIENCE = new ArrayList<>();

  record Audience(String signal, LocalDate date, String program, String name, double audience) {}

  static final Clock CLOCK = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return NOW.get();
    }
  };

  @BeforeAll
  static void start() throws Exception {
    warehouse = new DuckDbWarehouse(dir.resolve("warehouse.duckdb"), id -> {
      throw new IllegalStateException("no loads here");
    }, (job, sources) -> {});
    SourceRegistry registry = SourceRegistry.standard();
    TableSchema audience = schema(registry, "audience", "expected_audience");
    TableId audienceTable = new TableId("gold_media", "expected_audience");
    warehouse.ensureTable(audienceTable, audience);
    String[] names = {"Morning News", "Quiz, \"the\" Show", "Late\nNight", "Novela das 8", "x'); DROP TABLE gold_media.expected_audience; --"};
    for (int s = 1; s <= 3; s++) {
      for (int d = 1; d <= 10; d++) {
        for (int p = 1; p <= 5; p++) {
          Audience a = new Audience("S" + s, LocalDate.of(2024, 1, d), "P" + p, names[p - 1], (s * 7 + d * 3 + p * 11) % 23 + 0.5);
          AUDIENCE.add(a);
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("signal", a.signal());
          row.put("broadcast_date", a.date());
          row.put("program_code", a.program());
          row.put("program_name", a.name());
          row.put("expected_audience", a.audience());
          row.put("exhibitions", 4L);
          row.put("last_exhibition_date", a.date().minusDays(7));
          row.put("available_seconds", 600L);
          warehouse.appendRow(audienceTable, audience, row);
        }
      }
    }
    TableSchema revenue = schema(registry, "invoices", "revenue_by_issuer_day");
    TableId revenueTable = new TableId("gold_finance", "revenue_by_issuer_day");
    warehouse.ensureTable(revenueTable, revenue);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("issued_on", LocalDate.of(2024, 3, 1));
    row.put("issuer_cnpj", "12345678000190");
    row.put("issuer_name", "Exact Money Ltda");
    row.put("invoice_count", 2L);
    row.put("item_count", 3L);
    row.put("revenue_amount", new BigDecimal("12345678901234567.123456789"));
    warehouse.appendRow(revenueTable, revenue, row);
    AUDIENCE.sort(Comparator.comparing(Audience::signal).thenComparing(Audience::date).thenComparing(Audience::program));

    ApiRoutes routes = ApiRoutes.of(registry);
    List<ApiRoute> withGuarded = new ArrayList<>(routes.all());
    // The same table under a guard lower than any read: what a too-costly query meets.
    ApiRoute audienceRoute = routes.find("audience", "expected_audience").orElseThrow();
    Source.Published p = audienceRoute.published();
    withGuarded.add(new ApiRoute("guarded", "expected_audience", audienceRoute.schema(),
        new Source.Published(p.key(), p.period(), p.filters(), p.orderBy(), p.maxPageSize(), 1, p.cacheSeconds())));
    // Each route reads its source's gold dataset; the guarded copy reads audience's table.
    io.medallion.config.MedallionConfig config = io.medallion.config.MedallionConfig.defaults();
    GoldApi api = new GoldApi(new ApiRoutes(withGuarded), recording(warehouse),
        s -> config.goldDataset(registry.find(s.equals("guarded") ? "audience" : s).orElseThrow()),
        new PageTokens(PageTokens.randomKey(), Duration.ofHours(1), CLOCK), CLOCK);
    server = LocalApiServer.start(api, 0);
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (warehouse != null) {
      warehouse.close();
    }
  }

  static TableSchema schema(SourceRegistry registry, String source, String table) {
    return TableSchema.parse(registry.find(source).orElseThrow().files()
        .read("schemas/bigquery/gold/" + table + ".json").orElseThrow());
  }

  /** The warehouse, with every statement the API sends it recorded. */
  static Warehouse recording(Warehouse inner) {
    return (Warehouse) Proxy.newProxyInstance(Warehouse.class.getClassLoader(), new Class<?>[] {Warehouse.class},
        (proxy, method, args) -> {
          if (method.getName().equals("readGuarded")) {
            STATEMENTS.add((String) args[0]);
          }
          try {
            return method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  // ---------------------------------------------------------------- client helpers

  static String url(String path, String... params) {
    StringBuilder b = new StringBuilder("http://127.0.0.1:" + server.port() + path);
    for (int i = 0; i < params.length; i += 2) {
      b.append(i == 0 ? '?' : '&').append(enc(params[i])).append('=').append(enc(params[i + 1]));
    }
    return b.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static HttpResponse<String> get(String url, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static JsonObject error(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    JsonObject e = json(r).getAsJsonObject("error");
    assertEquals(code, e.get("code").getAsString(), r.body());
    assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
    return e;
  }

  static List<String> keys(JsonObject page) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : page.getAsJsonArray("data")) {
      JsonObject o = e.getAsJsonObject();
      out.add(o.get("signal").getAsString() + "/" + o.get("broadcast_date").getAsString() + "/"
          + o.get("program_code").getAsString());
    }
    return out;
  }

  static String key(Audience a) {
    return a.signal() + "/" + a.date() + "/" + a.program();
  }

  /** Every page of a list route, following next_page_token. */
  static List<String> allPages(String path, String... params) throws Exception {
    List<String> all = new ArrayList<>();
    String token = null;
    for (int pages = 0; pages < 1000; pages++) {
      List<String> p = new ArrayList<>(List.of(params));
      if (token != null) {
        p.add("page_token");
        p.add(token);
      }
      HttpResponse<String> r = get(url(path, p.toArray(String[]::new)));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject page = json(r);
      all.addAll(keys(page));
      if (!page.has("next_page_token")) {
        return all;
      }
      token = page.get("next_page_token").getAsString();
    }
    throw new AssertionError("more than 1000 pages");
  }

  // ---------------------------------------------------------------- routes and pages

  @Test
  void pagesCoverEveryRowOnceInKeyOrder() throws Exception {
    List<String> expected = AUDIENCE.stream().map(GoldApiHttpTest::key).toList();
    assertEquals(expected, allPages("/v1/audience/expected_audience", "page_size", "7"));
    HttpResponse<String> first = get(url("/v1/audience/expected_audience"));
    assertEquals(100, json(first).getAsJsonArray("data").size(), "the default page size");
    assertTrue(first.headers().firstValue("Link").orElseThrow().contains("rel=\"next\""));
  }

  @Test
  void filtersByListAndPeriodMatchAnIndependentFilter() throws Exception {
    List<String> expected = AUDIENCE.stream()
        .filter(a -> (a.program().equals("P2") || a.program().equals("P4")) && !a.date().isBefore(LocalDate.of(2024, 1, 3))
            && !a.date().isAfter(LocalDate.of(2024, 1, 5)) && a.signal().equals("S1"))
        .map(GoldApiHttpTest::key).toList();
    assertEquals(6, expected.size());
    assertEquals(expected, allPages("/v1/audience/expected_audience", "program_code", "P2", "program_code", "P4",
        "from", "2024-01-03", "to", "2024-01-05", "signal", "S1", "page_size", "4"));
  }

  @Test
  void ordersDescendingWithTheKeyBreakingTiesAcrossPages() throws Exception {
    List<String> expected = AUDIENCE.stream()
        .sorted(Comparator.comparingDouble(Audience::audience).reversed().thenComparing(Audience::signal)
            .thenComparing(Audience::date).thenComparing(Audience::program))
        .map(GoldApiHttpTest::key).toList();
    assertEquals(expected, allPages("/v1/audience/expected_audience", "order_by", "-expected_audience", "page_size", "11"));
  }

  @Test
  void fieldsSelectColumnsAndAKeyRouteGetsOneRow() throws Exception {
    JsonObject page = json(get(url("/v1/audience/expected_audience", "fields", "program_name,signal", "page_size", "1")));
    JsonObject row = page.getAsJsonArray("data").get(0).getAsJsonObject();
    assertEquals(List.of("signal", "program_name"), List.copyOf(row.keySet()), "schema order, only those");

    HttpResponse<String> one = get(url("/v1/audience/expected_audience/S2/2024-01-04/P3"));
    assertEquals(200, one.statusCode(), one.body());
    JsonObject data = json(one).getAsJsonObject("data");
    Audience a = AUDIENCE.stream().filter(x -> key(x).equals("S2/2024-01-04/P3")).findFirst().orElseThrow();
    assertEquals(a.audience(), data.get("expected_audience").getAsDouble());
    assertEquals(a.name(), data.get("program_name").getAsString());
    assertEquals(4, data.get("exhibitions").getAsLong());

    error(get(url("/v1/audience/expected_audience/S2/2024-01-04/P9")), 404, "row_not_found");
    JsonObject arity = error(get(url("/v1/audience/expected_audience/S2/2024-01-04")), 404, "unknown_path");
    assertTrue(arity.getAsJsonArray("allowed").toString().contains("{program_code}"));
    error(get(url("/v1/audience/expected_audience/S2/not-a-date/P3")), 400, "invalid_value");
  }

  @Test
  void numericValuesStayExact() throws Exception {
    JsonObject row = json(get(url("/v1/invoices/revenue_by_issuer_day/2024-03-01/12345678000190")))
        .getAsJsonObject("data");
    assertEquals("12345678901234567.123456789", row.get("revenue_amount").getAsString());
    assertTrue(row.get("revenue_amount").getAsJsonPrimitive().isString(), "NUMERIC is a string, as BigQuery's API gives it");
  }

  @Test
  void anUnchangedTableAnswersARevalidationWith304AndAChangedOneDoesNot() throws Exception {
    String u = url("/v1/audience/expected_audience", "signal", "S3", "page_size", "5");
    HttpResponse<String> first = get(u);
    String etag = first.headers().firstValue("ETag").orElseThrow();
    assertTrue(first.headers().firstValue("Cache-Control").orElseThrow().contains("max-age=60"));
    assertNotNull(first.headers().firstValue("Last-Modified").orElse(null));
    int statements = STATEMENTS.size();
    HttpResponse<String> again = get(u, "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
    assertEquals(statements, STATEMENTS.size(), "a 304 reads no table");
    assertNotEquals(etag, get(url("/v1/audience/expected_audience", "signal", "S2", "page_size", "5"))
        .headers().firstValue("ETag").orElseThrow(), "another query, another ETag");

    // A write to gold moves the table's last change: the same request is answered anew.
    TableSchema revenue = schema(SourceRegistry.standard(), "invoices", "revenue_by_issuer_day");
    Thread.sleep(5);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("issued_on", LocalDate.of(2024, 3, 2));
    row.put("issuer_cnpj", "99999999000199");
    row.put("invoice_count", 1L);
    row.put("revenue_amount", new BigDecimal("1.00"));
    warehouse.appendRow(new TableId("gold_finance", "revenue_by_issuer_day"), revenue, row);
    HttpResponse<String> changed = get(u, "If-None-Match", etag);
    assertEquals(200, changed.statusCode());
    assertNotEquals(etag, changed.headers().firstValue("ETag").orElseThrow());
  }

  @Test
  void csvWhenAskedWithRfc4180QuotingAndTheNextTokenInAHeader() throws Exception {
    HttpResponse<String> r = get(url("/v1/audience/expected_audience", "signal", "S1", "broadcast_date", "2024-01-01",
        "fields", "program_code,program_name", "page_size", "3"), "Accept", "text/csv");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
    assertEquals("program_code,program_name\r\nP1,Morning News\r\nP2,\"Quiz, \"\"the\"\" Show\"\r\nP3,\"Late\nNight\"\r\n",
        r.body());
    String token = r.headers().firstValue("Next-Page-Token").orElseThrow();
    HttpResponse<String> next = get(url("/v1/audience/expected_audience", "signal", "S1", "broadcast_date", "2024-01-01",
        "fields", "program_code,program_name", "page_size", "3", "page_token", token), "Accept", "text/csv; q=1, application/json; q=0.5");
    assertTrue(next.body().startsWith("program_code,program_name\r\nP4,Novela das 8\r\nP5,"), next.body());
    assertTrue(next.headers().firstValue("Next-Page-Token").isEmpty(), "the last page");
  }

  // ---------------------------------------------------------------- refusals

  @Test
  void unknownTablesColumnsAndParametersAreNamedWithWhatExists() throws Exception {
    JsonObject table = error(get(url("/v1/audience/nosuch")), 404, "unknown_table");
    assertTrue(table.getAsJsonArray("allowed").toString().contains("/v1/sales/sales_by_brand_year_month"));
    JsonObject unbuilt = error(get(url("/v1/sales/sales_by_year_month")), 404, "not_built");
    assertTrue(unbuilt.get("message").getAsString().contains("run the pipeline of sales"), unbuilt.toString());
    JsonObject param = error(get(url("/v1/audience/expected_audience", "colour", "red")), 400, "unknown_parameter");
    assertEquals("colour", param.get("parameter").getAsString());
    assertTrue(param.getAsJsonArray("allowed").toString().contains("program_code"));
    JsonObject field = error(get(url("/v1/audience/expected_audience", "fields", "signal,nosuch")), 400, "unknown_field");
    assertTrue(field.getAsJsonArray("allowed").toString().contains("available_seconds"));
    error(get(url("/v1/audience/expected_audience", "order_by", "program_name")), 400, "invalid_order_by");
    error(get(url("/v1/sales/sales_by_brand_year_month", "year", "twenty")), 400, "invalid_value");
    error(get(url("/v1/audience/expected_audience", "page_size", "1001")), 400, "page_size_too_large");
    error(get(url("/v1/audience/expected_audience", "page_size", "0")), 400, "invalid_value");
    JsonObject range = error(get(url("/v1/audience/expected_audience", "from", "2024-02-01", "to", "2024-01-01")), 400,
        "from_after_to");
    assertEquals("from", range.get("parameter").getAsString());
    error(get(url("/v1/audience/expected_audience", "page_size", "2", "page_size", "3")), 400, "repeated_parameter");
    error(get(url("/v1/audience/expected_audience"), "Accept", "application/xml"), 406, "not_acceptable");
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/audience/expected_audience")))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    error(post, 405, "method_not_allowed");
    assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
  }

  @Test
  void forgedEditedForeignAndExpiredTokensAreRefused() throws Exception {
    String token = json(get(url("/v1/audience/expected_audience", "page_size", "2"))).get("next_page_token").getAsString();
    error(get(url("/v1/audience/expected_audience", "page_size", "2", "page_token", "forged")), 400, "invalid_page_token");
    String edited = token.substring(0, 5) + (token.charAt(5) == 'A' ? 'B' : 'A') + token.substring(6);
    error(get(url("/v1/audience/expected_audience", "page_size", "2", "page_token", edited)), 400, "invalid_page_token");
    error(get(url("/v1/audience/expected_audience", "page_size", "2", "signal", "S1", "page_token", token)), 400,
        "invalid_page_token");
    assertEquals(200, get(url("/v1/audience/expected_audience", "page_size", "3", "page_token", token)).statusCode(),
        "another page size continues the same rows");
    Instant before = NOW.get();
    NOW.set(before.plus(Duration.ofHours(2)));
    try {
      error(get(url("/v1/audience/expected_audience", "page_size", "2", "page_token", token)), 400, "expired_page_token");
    } finally {
      NOW.set(before);
    }
  }

  @Test
  void aQueryOverTheCostGuardIsRefusedBeforeItRuns() throws Exception {
    JsonObject e = error(get(url("/v1/guarded/expected_audience", "signal", "S1")), 400, "over_cost_guard");
    assertTrue(e.get("message").getAsString().contains("guard of 1"), e.toString());
  }

  /** Hostile text: the strings silver's hostile-file test loads, and classic injection payloads. */
  static final List<String> HOSTILE = List.of(
      "x'); drop table silver_brewing.breweries; --",
      "x'); DROP TABLE gold_media.expected_audience; --",
      "' OR '1'='1",
      "' OR 1=1 --",
      "1; DELETE FROM gold_media.expected_audience",
      "\" OR \"\"=\"",
      "S1' UNION SELECT * FROM gold_finance.revenue_by_issuer_day --",
      "@from",
      "{\"$ne\":1}",
      "\u0000",
      "Caf\u00e9 \u202e \ud83c\udf7a",
      "%27%20OR%201%3D1",
      "../../etc/passwd",
      "`gold`.`expected_audience`",
      "$$; SELECT 1; $$");

  @Test
  void hostileTextNeverReachesSqlAndChangesNothing() throws Exception {
    int rowsBefore = allPages("/v1/audience/expected_audience", "page_size", "1000").size();
    for (String h : HOSTILE) {
      // As a filter value: a string column matches nothing (or exactly the row holding that text).
      HttpResponse<String> asValue = get(url("/v1/audience/expected_audience", "program_code", h));
      assertEquals(200, asValue.statusCode(), h + ": " + asValue.body());
      assertEquals(0, json(asValue).getAsJsonArray("data").size(), h);
      HttpResponse<String> asName = get(url("/v1/audience/expected_audience", "program_name", h));
      assertTrue(asName.statusCode() == 200 || asName.statusCode() == 400, h);
      // As a typed value, a parameter name, an order, a field list, a token, a path segment: refused.
      error(get(url("/v1/sales/sales_by_brand_year_month", "year", h)), 400, "invalid_value");
      error(get(url("/v1/audience/expected_audience", "from", h)), 400, "invalid_value");
      error(get(url("/v1/audience/expected_audience", h, "1")), 400, "unknown_parameter");
      error(get(url("/v1/audience/expected_audience", "order_by", h)), 400, "invalid_order_by");
      error(get(url("/v1/audience/expected_audience", "fields", h)), 400, "unknown_field");
      error(get(url("/v1/audience/expected_audience", "page_token", h)), 400, "invalid_page_token");
      HttpResponse<String> asPath = get("http://127.0.0.1:" + server.port() + "/v1/audience/" + enc(h).replace("+", "%20"));
      assertEquals(404, asPath.statusCode(), h);
      HttpResponse<String> asKey = get("http://127.0.0.1:" + server.port() + "/v1/audience/expected_audience/S1/2024-01-01/"
          + enc(h).replace("+", "%20"));
      assertEquals(404, asKey.statusCode(), h + ": " + asKey.body());
    }
    // The one row whose name is an injection payload is found by it, as data.
    HttpResponse<String> bobby = get(url("/v1/audience/expected_audience", "program_name",
        "x'); DROP TABLE gold_media.expected_audience; --", "signal", "S1", "broadcast_date", "2024-01-01"));
    assertEquals(List.of("S1/2024-01-01/P5"), keys(json(bobby)));
    assertEquals(rowsBefore, allPages("/v1/audience/expected_audience", "page_size", "1000").size());
    for (String statement : STATEMENTS) {
      for (String h : HOSTILE) {
        if (h.length() > 3 && !h.equals("@from")) { // @from is the API's own parameter
          assertFalse(statement.contains(h), "caller text in SQL: " + statement);
        }
      }
      assertFalse(statement.contains("'"), "no literal in any statement: " + statement);
    }
  }

  @Test
  void theIndexListsEveryPublishedTable() throws Exception {
    JsonObject index = json(get(url("/v1")));
    List<String> paths = new ArrayList<>();
    index.getAsJsonArray("tables").forEach(t -> paths.add(t.getAsJsonObject().get("path").getAsString()));
    assertTrue(paths.containsAll(List.of("/v1/audience/expected_audience", "/v1/sales/sales_by_brand_year_month",
        "/v1/invoices/revenue_by_issuer_day")), paths.toString());
    assertNull(index.get("error"));
  }
}
