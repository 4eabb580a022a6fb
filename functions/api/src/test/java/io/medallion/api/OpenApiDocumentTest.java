package io.medallion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes a real OpenAPI 3 parser's validation (swagger-parser), and lists
 * every published route with the parameters, types and examples the API contract gives them.
 */
class OpenApiDocumentTest {

  static ApiRoutes routes;
  static String json;
  static OpenAPI api;

  @BeforeAll
  static void generate() {
    routes = ApiRoutes.of(SourceRegistry.standard());
    json = OpenApiDocument.json(routes);
    api = parsedWithoutMessages(json);
  }

  @Test
  void declarations_publishTables_soTheDocumentHasRoutesToCheck() {
    assertTrue(routes.all().size() >= 5, "the shipped declarations publish tables: " + routes.all().size());
  }

  @Test
  void document_isOpenApi303_andSameRoutesGiveTheSameText() {
    assertEquals("3.0.3", api.getOpenapi());
    assertEquals(json, OpenApiDocument.json(ApiRoutes.of(SourceRegistry.standard())), "deterministic");
    assertNotNull(api.getPaths().get("/openapi.json").getGet(), "GET /openapi.json");
    assertEquals("index", api.getPaths().get("/v1").getGet().getOperationId(), "GET /v1");
  }

  @Test
  void everyRoute_hasItsListOperation_withOneParameterPerFilterableColumnAndThePagingOnes() {
    for (ApiRoute route : routes.all()) {
      Operation list = get(route.path());
      assertEquals("list_" + route.source() + "_" + route.table(), list.getOperationId());
      List<String> expected = new ArrayList<>(route.filterable().stream().map(Field::name).toList());
      if (route.period().isPresent()) {
        expected.addAll(List.of("from", "to"));
      }
      expected.addAll(List.of("fields", "order_by", "page_size", "page_token", "If-None-Match"));
      assertEquals(expected, names(list), route.path());
      for (Field f : route.filterable()) {
        Parameter p = parameter(list, f.name());
        assertEquals("query", p.getIn());
        assertEquals(Parameter.StyleEnum.FORM, p.getStyle(), f.name());
        assertTrue(p.getExplode(), f.name() + ": col=a&col=b is a list");
        assertEquals("array", p.getSchema().getType(), f.name());
        assertTyped(f, p.getSchema().getItems(), route.path() + " filter " + f.name());
      }
      route.period().ifPresent(period -> {
        assertTyped(period, parameter(list, "from").getSchema(), route.path() + " from");
        assertTyped(period, parameter(list, "to").getSchema(), route.path() + " to");
      });
      Parameter fields = parameter(list, "fields");
      assertFalse(fields.getExplode(), "fields is comma-separated");
      assertEquals(route.columns(), fields.getSchema().getItems().getEnum());
      List<String> orders = new ArrayList<>();
      route.orderable().forEach(c -> orders.addAll(List.of(c, "-" + c)));
      assertEquals(orders, parameter(list, "order_by").getSchema().getItems().getEnum());
      Schema<?> pageSize = parameter(list, "page_size").getSchema();
      assertEquals(1, pageSize.getMinimum().intValue());
      assertEquals(route.published().maxPageSize(), pageSize.getMaximum().intValue());
      assertEquals(Math.min(100, route.published().maxPageSize()), ((Number) pageSize.getDefault()).intValue());
      assertEquals(Set.of("200", "304", "400", "404", "406"), list.getResponses().keySet(), route.path());
      var ok = list.getResponses().get("200");
      assertEquals(Set.of("application/json", "text/csv"), ok.getContent().keySet());
      assertEquals(Set.of("ETag", "Last-Modified", "Cache-Control", "Link"), ok.getHeaders().keySet());
    }
  }

  @Test
  void everyRoute_hasItsGetOperation_withOneTypedPathParameterPerKeyColumn() {
    for (ApiRoute route : routes.all()) {
      Operation one = get(route.keyPathTemplate());
      assertEquals("get_" + route.source() + "_" + route.table(), one.getOperationId());
      List<Parameter> path = one.getParameters().stream().filter(p -> p.getIn().equals("path")).toList();
      assertEquals(route.key(), path.stream().map(Parameter::getName).toList(), route.keyPathTemplate());
      for (Parameter p : path) {
        assertTrue(p.getRequired(), p.getName());
        assertTyped(route.field(p.getName()), p.getSchema(), route.keyPathTemplate() + " " + p.getName());
      }
      assertTrue(one.getResponses().containsKey("404"), "404 when no row has the key");
    }
  }

  @Test
  void operationIds_areUnique() {
    List<String> ids = new ArrayList<>();
    api.getPaths().values().forEach(item -> item.readOperations().forEach(op -> ids.add(op.getOperationId())));
    assertEquals(2 + 2 * routes.all().size(), ids.size(), "index, openapi, and a list and a get per route");
    assertEquals(ids.size(), new HashSet<>(ids).size(), "duplicate operationIds: " + ids);
  }

  @Test
  void rowSchemas_typeEveryGoldColumn_nullableUnlessRequired_describedAsTheGoldSchema() {
    for (ApiRoute route : routes.all()) {
      Schema<?> row = api.getComponents().getSchemas().get(route.source() + "." + route.table());
      assertNotNull(row, route.path());
      assertEquals(route.columns(), new ArrayList<>(row.getProperties().keySet()), "every column, in schema order");
      for (Field f : route.schema().fields()) {
        Schema<?> column = row.getProperties().get(f.name());
        assertTyped(f, column, route.path() + " column " + f.name());
        // NULLABLE may be null; REQUIRED never is, nor REPEATED (an empty array instead).
        assertEquals(f.mode() == Field.Mode.NULLABLE ? Boolean.TRUE : null, column.getNullable(), f.name() + " nullable per mode");
        assertEquals(f.description().isEmpty() ? null : f.description(), column.getDescription(), f.name());
      }
    }
  }

  @Test
  void everyListAndGet_carriesExampleRequests_aContractTestCanRun() {
    JsonObject paths = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("paths");
    for (ApiRoute route : routes.all()) {
      JsonArray list = examples(paths, route.path());
      assertTrue(list.size() >= 1, route.path());
      JsonObject first = list.get(0).getAsJsonObject();
      assertEquals(200, first.get("status").getAsInt());
      Set<String> known = new HashSet<>(names(get(route.path())));
      for (JsonElement e : list) {
        e.getAsJsonObject().getAsJsonObject("query").keySet()
            .forEach(name -> assertTrue(known.contains(name), route.path() + ": example names unknown parameter " + name));
      }
      JsonObject refused = list.asList().stream().map(JsonElement::getAsJsonObject)
          .filter(x -> x.get("status").getAsInt() == 400).findFirst().orElseThrow();
      assertEquals(String.valueOf(route.published().maxPageSize() + 1),
          refused.getAsJsonObject("query").getAsJsonArray("page_size").get(0).getAsString());
      assertEquals("page_size", refused.get("parameter").getAsString());

      JsonArray one = examples(paths, route.keyPathTemplate());
      assertEquals("list_" + route.source() + "_" + route.table(), one.get(0).getAsJsonObject().get("path_from").getAsString());
      JsonObject absent = one.get(1).getAsJsonObject();
      assertEquals(404, absent.get("status").getAsInt());
      assertEquals(route.key(), new ArrayList<>(absent.getAsJsonObject("path").keySet()), "a value per key column");
    }
  }

  /** Every BigQuery type a column can have, with its mode, maps as the contract says. */
  @Test
  void everyColumnType_mapsAsTheContractSays() {
    List<Field> fields = List.of(
        new Field("id", FieldType.STRING, true, "The id"),
        new Field("count", FieldType.INT64, false, ""),
        new Field("ratio", FieldType.FLOAT64, false, ""),
        new Field("amount", FieldType.NUMERIC, Field.Mode.NULLABLE, "", List.of(), 12, 2),
        new Field("whole", FieldType.NUMERIC, Field.Mode.NULLABLE, "", List.of(), 10, 0),
        new Field("huge", FieldType.BIGNUMERIC, false, ""),
        new Field("flag", FieldType.BOOL, false, ""),
        new Field("day", FieldType.DATE, true, ""),
        new Field("at", FieldType.TIMESTAMP, false, ""),
        new Field("civil", FieldType.DATETIME, false, ""),
        new Field("clock", FieldType.TIME, false, ""),
        new Field("raw", FieldType.BYTES, false, ""),
        new Field("doc", FieldType.JSON, false, ""),
        new Field("tags", FieldType.STRING, Field.Mode.REPEATED, ""),
        new Field("where", FieldType.RECORD, Field.Mode.NULLABLE, "",
            List.of(new Field("city", FieldType.STRING, false, "")), 0, -1));
    ApiRoute route = new ApiRoute("s", "t", new TableSchema(fields), new Source.Published(
        List.of("id", "day"), "day", List.of("count", "amount", "flag", "at", "civil", "clock"), List.of("count"),
        50, 1L << 30, 60));
    OpenAPI doc = parsedWithoutMessages(OpenApiDocument.json(new ApiRoutes(List.of(route))));
    Map<String, Schema> row = doc.getComponents().getSchemas().get("s.t").getProperties();
    assertType(row.get("id"), "string", null, null);
    assertType(row.get("count"), "integer", "int64", null);
    assertType(row.get("ratio"), "number", "double", null);
    assertType(row.get("amount"), "string", null, "^-?[0-9]+(\\.[0-9]{1,2})?$");
    assertType(row.get("whole"), "string", null, "^-?[0-9]+$");
    assertType(row.get("huge"), "string", null, "^-?[0-9]+(\\.[0-9]{1,38})?$");
    assertType(row.get("flag"), "boolean", null, null);
    assertType(row.get("day"), "string", "date", null);
    assertType(row.get("at"), "string", "date-time", null);
    assertTrue(row.get("civil").getPattern().matches("\\^.*\\[T \\].*"), "DATETIME: a pattern, T or space");
    assertType(row.get("clock"), "string", null, null);
    assertType(row.get("raw"), "string", "byte", null);
    assertEquals(null, row.get("doc").getType(), "JSON: any value");
    assertEquals("array", row.get("tags").getType());
    assertEquals(null, row.get("tags").getNullable(), "a REPEATED column is an empty array, never null");
    assertEquals("object", row.get("where").getType());
    assertEquals(Boolean.TRUE, row.get("where").getNullable());
    assertEquals(null, row.get("id").getNullable(), "REQUIRED");
    Operation list = doc.getPaths().get("/v1/s/t").getGet();
    assertEquals(List.of("id", "count", "amount", "flag", "day", "at", "civil", "clock", "from", "to", "fields",
        "order_by", "page_size", "page_token", "If-None-Match"), names(list), "filters in schema order, then the rest");
    assertType(parameter(list, "from").getSchema(), "string", "date", null);
    assertEquals(50, parameter(list, "page_size").getSchema().getDefault(), "min(100, max)");
    Operation one = doc.getPaths().get("/v1/s/t/{id}/{day}").getGet();
    assertEquals("get_s_t", one.getOperationId());
  }

  @Test
  void aRecordColumnAsAFilter_isRefusedWithTheColumnNamed() {
    Field record = new Field("where", FieldType.RECORD, Field.Mode.NULLABLE, "",
        List.of(new Field("city", FieldType.STRING, false, "")), 0, -1);
    ApiRoute route = new ApiRoute("s", "t", new TableSchema(List.of(new Field("id", FieldType.STRING, true, ""), record)),
        new Source.Published(List.of("id"), null, List.of("where"), List.of(), 10, 1L << 30, 60));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OpenApiDocument.json(new ApiRoutes(List.of(route))));
    assertTrue(e.getMessage().contains("where"), e.getMessage());
  }

  /** The validator is real: a document that breaks the specification gets messages. */
  @Test
  void parser_reportsADocumentThatBreaksTheSpecification() {
    JsonObject broken = JsonParser.parseString(json).getAsJsonObject();
    ApiRoute route = routes.all().get(0);
    JsonObject op = broken.getAsJsonObject("paths").getAsJsonObject(route.keyPathTemplate()).getAsJsonObject("get");
    // A path template variable without its path parameter, and an operation without responses.
    JsonArray params = op.getAsJsonArray("parameters");
    params.remove(0);
    op.remove("responses");
    SwaggerParseResult result = parse(broken.toString());
    assertFalse(result.getMessages() == null || result.getMessages().isEmpty(), "no message for a broken document");
  }

  // --- helpers ---

  static OpenAPI parsedWithoutMessages(String document) {
    SwaggerParseResult result = parse(document);
    assertTrue(result.getMessages() == null || result.getMessages().isEmpty(),
        "the OpenAPI parser reports: " + result.getMessages());
    assertNotNull(result.getOpenAPI());
    return result.getOpenAPI();
  }

  static SwaggerParseResult parse(String document) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setValidateInternalRefs(true);
    return new OpenAPIV3Parser().readContents(document, null, options);
  }

  private static Operation get(String path) {
    PathItem item = api.getPaths().get(path);
    assertNotNull(item, "no path " + path + " in " + api.getPaths().keySet());
    assertNotNull(item.getGet(), "no GET " + path);
    return item.getGet();
  }

  private static List<String> names(Operation op) {
    return op.getParameters().stream().map(p -> p.get$ref() != null ? resolve(p).getName() : p.getName()).toList();
  }

  private static Parameter parameter(Operation op, String name) {
    return op.getParameters().stream().map(OpenApiDocumentTest::resolve).filter(p -> p.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no parameter " + name));
  }

  private static Parameter resolve(Parameter p) {
    if (p.get$ref() == null) {
      return p;
    }
    return api.getComponents().getParameters().get(p.get$ref().substring(p.get$ref().lastIndexOf('/') + 1));
  }

  private static JsonArray examples(JsonObject paths, String path) {
    JsonObject op = paths.getAsJsonObject(path).getAsJsonObject("get");
    assertTrue(op.has(OpenApiDocument.EXAMPLES), path + " has no " + OpenApiDocument.EXAMPLES);
    return op.getAsJsonArray(OpenApiDocument.EXAMPLES);
  }

  /** A column's schema as the contract types it (whatever its mode, the value's type). */
  private static void assertTyped(Field f, Schema<?> schema, String where) {
    Schema<?> value = f.repeated() ? schema.getItems() : schema;
    switch (f.type()) {
      case STRING, TIME -> assertType(value, "string", null, null, where);
      case INT64 -> assertType(value, "integer", "int64", null, where);
      case FLOAT64 -> assertType(value, "number", "double", null, where);
      case NUMERIC, BIGNUMERIC -> {
        assertEquals("string", value.getType(), where);
        assertTrue(value.getPattern() != null && "123".matches(value.getPattern().replace("^", "").replace("$", "")),
            where + ": a decimal pattern " + value.getPattern());
      }
      case BOOL -> assertType(value, "boolean", null, null, where);
      case DATE -> assertType(value, "string", "date", null, where);
      case TIMESTAMP -> assertType(value, "string", "date-time", null, where);
      case DATETIME -> assertEquals("string", value.getType(), where);
      default -> { }
    }
  }

  private static void assertType(Schema<?> s, String type, String format, String pattern) {
    assertType(s, type, format, pattern, "");
  }

  private static void assertType(Schema<?> s, String type, String format, String pattern, String where) {
    assertEquals(type, s.getType(), where + " type");
    assertEquals(format, s.getFormat(), where + " format");
    if (pattern != null) {
      assertEquals(pattern, s.getPattern(), where + " pattern");
    }
  }
}
