package io.medallion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.toolkit.AnalyzedStatement;
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.bigquery.LocalBigQueryResourceProvider;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import io.medallion.schema.Field;
import io.medallion.source.SourceRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statements the API sends BigQuery, analyzed by ZetaSQL with BigQuery's language options: for
 * every published table, a first page (every filter, a list, from/to, a descending order) and the
 * page after it (the keyset condition), with each parameter typed as the Java value the API binds.
 */
class ApiSqlIsBigQuerySqlTest {

  private static final String PROJECT = "medallion-project";
  private static final ApiRoutes ROUTES = ApiRoutes.of(SourceRegistry.standard());

  static Stream<String> routes() {
    return ROUTES.all().stream().map(r -> r.source() + "/" + r.table());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void everyListStatement_firstPageAndNext_isBigQuerySql(String name) {
    ApiRoute route = ROUTES.find(name.split("/")[0], name.split("/")[1]).orElseThrow();
    Map<String, List<String>> query = new LinkedHashMap<>();
    List<Field> filterable = route.filterable();
    for (int i = 0; i < filterable.size(); i++) {
      Field f = filterable.get(i);
      query.put(f.name(), i == 0 ? List.of(sample(f), sample(f)) : List.of(sample(f)));
    }
    route.period().ifPresent(p -> {
      query.put("from", List.of(sample(p)));
      query.put("to", List.of(sample(p)));
    });
    query.put("order_by", List.of("-" + route.orderable().get(0)));
    PageTokens tokens = new PageTokens(PageTokens.randomKey(), PageTokens.DEFAULT_TTL, Clock.systemUTC());
    ListQuery first = ListQuery.parse(route, query, tokens);
    analyze(route, first.sql("gold"), first.parameters());

    List<String> columns = new ArrayList<>();
    List<Object> row = new ArrayList<>();
    for (Field f : route.schema().fields()) {
      columns.add(f.name());
      row.add(f.repeated() ? List.of(sample(f)) : ColumnValues.parse(f, sample(f), f.name()));
    }
    Map<String, List<String>> next = new LinkedHashMap<>(query);
    next.put("page_token", List.of(first.tokenAfter(row, columns, tokens)));
    ListQuery second = ListQuery.parse(route, next, tokens);
    assertTrue(second.sql("gold").contains("@k0"), second.sql("gold"));
    analyze(route, second.sql("gold"), second.parameters());
  }

  @Test
  void everyPublishedTableIsChecked() {
    assertTrue(ROUTES.all().size() >= 9, ROUTES.all().toString());
  }

  /** A valid text of the field's type. */
  private static String sample(Field f) {
    return switch (f.type()) {
      case INT64 -> "2024";
      case FLOAT64 -> "1.5";
      case NUMERIC, BIGNUMERIC -> "12.34";
      case BOOL -> "true";
      case DATE -> "2024-01-02";
      case DATETIME -> "2024-01-02T03:04:05";
      case TIME -> "03:04:05";
      case TIMESTAMP -> "2024-01-02T03:04:05Z";
      default -> "text";
    };
  }

  private static void analyze(ApiRoute route, String sql, Map<String, Object> parameters) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    parameters.forEach((name, value) -> options.addQueryParameter(name, TypeFactory.createSimpleType(kind(value))));
    String table = PROJECT + ".gold." + route.table();
    List<SimpleColumn> columns = new ArrayList<>();
    for (Field f : route.schema().fields()) {
      Type type = TypeFactory.createSimpleType(kind(f));
      columns.add(new SimpleColumn(table, f.name(), f.repeated() ? TypeFactory.createArrayType(type) : type));
    }
    BigQueryCatalog catalog = new BigQueryCatalog(PROJECT, new LocalBigQueryResourceProvider(
        new CatalogResources(List.of(new SimpleTable(table, columns)), List.of(), List.of(), List.of())));
    catalog.addTables(List.of(table));
    Iterator<AnalyzedStatement> it = new ZetaSQLToolkitAnalyzer(options).analyzeStatements(sql, catalog, true);
    int analyzed = 0;
    while (it.hasNext()) {
      assertTrue(it.next().getResolvedStatement().isPresent(), sql);
      analyzed++;
    }
    assertEquals(1, analyzed, sql);
  }

  /** How BigQuery's client types each Java value the API binds (BigQueryWarehouse's mapping). */
  private static TypeKind kind(Object value) {
    if (value instanceof String) {
      return TypeKind.TYPE_STRING;
    } else if (value instanceof Long) {
      return TypeKind.TYPE_INT64;
    } else if (value instanceof Double) {
      return TypeKind.TYPE_DOUBLE;
    } else if (value instanceof BigDecimal) {
      return TypeKind.TYPE_NUMERIC;
    } else if (value instanceof Boolean) {
      return TypeKind.TYPE_BOOL;
    } else if (value instanceof LocalDate) {
      return TypeKind.TYPE_DATE;
    } else if (value instanceof LocalDateTime) {
      return TypeKind.TYPE_DATETIME;
    } else if (value instanceof LocalTime) {
      return TypeKind.TYPE_TIME;
    } else if (value instanceof Instant) {
      return TypeKind.TYPE_TIMESTAMP;
    }
    throw new AssertionError("the API binds no " + value.getClass());
  }

  private static TypeKind kind(Field f) {
    return switch (f.type()) {
      case STRING -> TypeKind.TYPE_STRING;
      case INT64 -> TypeKind.TYPE_INT64;
      case FLOAT64 -> TypeKind.TYPE_DOUBLE;
      case NUMERIC -> TypeKind.TYPE_NUMERIC;
      case BIGNUMERIC -> TypeKind.TYPE_BIGNUMERIC;
      case BOOL -> TypeKind.TYPE_BOOL;
      case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
      case DATE -> TypeKind.TYPE_DATE;
      case DATETIME -> TypeKind.TYPE_DATETIME;
      case TIME -> TypeKind.TYPE_TIME;
      case BYTES -> TypeKind.TYPE_BYTES;
      case JSON -> TypeKind.TYPE_JSON;
      case RECORD -> throw new IllegalStateException();
    };
  }
}
