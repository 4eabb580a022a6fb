package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedColumnDefinition;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateTableAsSelectStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import com.google.zetasql.toolkit.AnalyzedStatement;
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.bigquery.LocalBigQueryResourceProvider;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.breweries.BreweriesSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every gold model is analyzed by ZetaSQL, BigQuery's own analyzer, offline, against the silver
 * schema from {@code schemas/}: an unknown column or a function BigQuery lacks fails the build.
 * Each model's output columns must also equal its {@code schemas/bigquery/gold/} file. (DuckDB
 * tests prove the results; this proves the dialect.)
 */
class GoldSqlIsBigQuerySqlTest {

  private static final String PROJECT = "medallion-project";
  private static AnalyzerOptions options;

  @BeforeAll
  static void analyzer() {
    options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
  }

  private static BigQueryCatalog catalog() {
    String silver = PROJECT + ".silver.breweries";
    SimpleTable table = new SimpleTable(silver, columns(silver, TableSchema.forTable("silver", "breweries")));
    BigQueryCatalog catalog =
        new BigQueryCatalog(PROJECT, new LocalBigQueryResourceProvider(new CatalogResources(List.of(table), List.of(), List.of(), List.of())));
    catalog.addTables(List.of(silver));
    return catalog;
  }

  private static List<SimpleColumn> columns(String table, TableSchema schema) {
    List<SimpleColumn> columns = new ArrayList<>();
    for (Field f : schema.fields()) {
      columns.add(new SimpleColumn(table, f.name(), zetaType(f.type())));
    }
    return columns;
  }

  private static Type zetaType(FieldType type) {
    return TypeFactory.createSimpleType(switch (type) {
      case STRING -> TypeKind.TYPE_STRING;
      case INT64 -> TypeKind.TYPE_INT64;
      case FLOAT64 -> TypeKind.TYPE_DOUBLE;
      case BOOL -> TypeKind.TYPE_BOOL;
      case TIMESTAMP -> TypeKind.TYPE_TIMESTAMP;
      case DATE -> TypeKind.TYPE_DATE;
    });
  }

  /** Analyzes the models in order, each seeing the tables the earlier ones created. */
  private static List<ResolvedStatement> analyze(List<GoldModels.Model> models) {
    String script = String.join(";\n", models.stream().map(GoldModels.Model::sql).toList());
    Iterator<AnalyzedStatement> it = new ZetaSQLToolkitAnalyzer(options).analyzeStatements(script, catalog(), true);
    List<ResolvedStatement> resolved = new ArrayList<>();
    it.forEachRemaining(s -> resolved.add(s.getResolvedStatement().orElseThrow()));
    return resolved;
  }

  @Test
  void everyModel_isValidBigQuerySqlAndMatchesItsSchemaFile() {
    List<GoldModels.Model> models = GoldModels.forSource(new BreweriesSource(), "silver", "gold");
    List<ResolvedStatement> statements = analyze(models);
    assertEquals(models.size(), statements.size());
    for (int i = 0; i < models.size(); i++) {
      ResolvedCreateTableAsSelectStmt create = (ResolvedCreateTableAsSelectStmt) statements.get(i);
      Map<String, String> actual = new LinkedHashMap<>();
      for (ResolvedColumnDefinition c : create.getColumnDefinitionList()) {
        actual.put(c.getName(), c.getType().typeName(com.google.zetasql.ZetaSQLOptions.ProductMode.PRODUCT_EXTERNAL));
      }
      Map<String, String> expected = new LinkedHashMap<>();
      for (Field f : TableSchema.forTable("gold", models.get(i).name()).fields()) {
        expected.put(f.name(), zetaType(f.type()).typeName(com.google.zetasql.ZetaSQLOptions.ProductMode.PRODUCT_EXTERNAL));
      }
      assertEquals(expected, actual, "columns of " + models.get(i).name() + " vs schemas/bigquery/gold/" + models.get(i).name() + ".json");
    }
  }

  @Test
  void unknownColumnOrNonBigQueryFunction_failsTheAnalysis() {
    String unknownColumn = "create or replace table gold.x as select no_such_column from silver.breweries";
    Exception e = assertThrows(Exception.class, () -> analyze(List.of(new GoldModels.Model("x", null, unknownColumn))));
    assertTrue(e.getMessage().contains("Unrecognized name"), e.getMessage());
    String duckdbOnly = "create or replace table gold.x as select list_value(name) as l from silver.breweries";
    e = assertThrows(Exception.class, () -> analyze(List.of(new GoldModels.Model("x", null, duckdbOnly))));
    assertTrue(e.getMessage().contains("Function not found"), e.getMessage());
  }
}
