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
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedInsertStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import com.google.zetasql.toolkit.AnalyzedStatement;
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.bigquery.LocalBigQueryResourceProvider;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import java.time.Instant;
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

  /** silver.breweries and the ops tables, from their schema files. */
  private static BigQueryCatalog catalog() {
    List<SimpleTable> tables = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String[] t : List.of(new String[] {"silver", "breweries"}, new String[] {"ops", "run_ledger"},
        new String[] {"ops", "dq_results"})) {
      String name = PROJECT + "." + t[0] + "." + t[1];
      tables.add(new SimpleTable(name, columns(name, TableSchema.forTable(t[0], t[1]))));
      names.add(name);
    }
    BigQueryCatalog catalog =
        new BigQueryCatalog(PROJECT, new LocalBigQueryResourceProvider(new CatalogResources(tables, List.of(), List.of(), List.of())));
    catalog.addTables(names);
    return catalog;
  }

  private static List<SimpleColumn> columns(String table, TableSchema schema) {
    List<SimpleColumn> columns = new ArrayList<>();
    for (Field f : schema.fields()) {
      Type type = zetaType(f.type());
      columns.add(new SimpleColumn(table, f.name(), f.repeated() ? TypeFactory.createArrayType(type) : type));
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
    return analyzeScript(models.stream().map(GoldModels.Model::sql).toList());
  }

  private static List<ResolvedStatement> analyzeScript(List<String> statements) {
    String script = String.join(";\n", statements);
    Iterator<AnalyzedStatement> it = new ZetaSQLToolkitAnalyzer(options).analyzeStatements(script, catalog(), true);
    List<ResolvedStatement> resolved = new ArrayList<>();
    it.forEachRemaining(s -> resolved.add(s.getResolvedStatement().orElseThrow()));
    return resolved;
  }

  @Test
  void everyModel_isValidBigQuerySqlAndMatchesItsSchemaFile() {
    List<GoldModels.Model> models = GoldModels.forSource(io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow(), "silver", "gold");
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
  void everyDataQualityCheck_andTheStatementThatRecordsIt_isValidBigQuerySql() {
    io.medallion.source.Source source = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    List<GoldModels.Check> checks = GoldModels.checksFor(source, "silver", "gold", "ops", "run-1", at);
    assertEquals(source.checks().size(), checks.size());
    List<String> script = new ArrayList<>(GoldModels.forSource(source, "silver", "gold").stream().map(GoldModels.Model::sql).toList());
    for (GoldModels.Check check : checks) {
      script.add(check.sql());
      // The toolkit's catalog finds a DML target only by its full name (BigQuery itself resolves
      // ops.dq_results in the job's project): qualify it for the analysis, nothing else changes.
      script.add(check.insertInto(new TableId("ops", "dq_results"), "run-1", "breweries", "load_1", "dq_1", at)
          .replaceFirst("^insert into ops\\.dq_results ", "insert into `" + PROJECT + ".ops.dq_results` "));
    }
    List<ResolvedStatement> resolved = analyzeScript(script);
    assertEquals(script.size(), resolved.size());
    for (int i = 0; i < checks.size(); i++) {
      assertTrue(resolved.get(source.goldModels().size() + 2 * i) instanceof ResolvedQueryStmt, checks.get(i).name());
      assertTrue(resolved.get(source.goldModels().size() + 2 * i + 1) instanceof ResolvedInsertStmt, checks.get(i).name());
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
