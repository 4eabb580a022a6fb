package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.StructType;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
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
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every gold model and data-quality check of every shipped source is analyzed by ZetaSQL,
 * BigQuery's own analyzer, offline, against the silver schemas from {@code schemas/}: an unknown
 * column or a function BigQuery lacks fails the build. Each model's output columns must also equal
 * its {@code schemas/bigquery/gold/} file (the table Terraform creates). (DuckDB tests prove the
 * results; this proves the dialect.)
 */
class GoldSqlIsBigQuerySqlTest {

  private static final String PROJECT = "medallion-project";
  private static AnalyzerOptions options;

  @BeforeAll
  static void analyzer() {
    options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    // The run-time values every statement gets as query parameters, with their BigQuery types:
    // a statement naming any other @parameter fails the analysis.
    for (String name : List.of("run_id", "source", "check_name", "load_job_id", "job_id")) {
      options.addQueryParameter(name, TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
    }
    for (String name : List.of("since", "until", "as_of", "checked_at")) {
      options.addQueryParameter(name, TypeFactory.createSimpleType(TypeKind.TYPE_TIMESTAMP));
    }
    // The cost roll-up's source -> domain pairs (CostRollup), strings.
    for (String name : CostRollup.statement("ops", SourceRegistry.standard()).parameters().keySet()) {
      options.addQueryParameter(name, TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
    }
  }

  @Test
  void theCostRollUp_isValidBigQuerySql_andMatchesItsSchemaFile() {
    CostRollup.Statement rollup = CostRollup.statement("ops", SourceRegistry.standard());
    List<ResolvedStatement> statements = analyzeScript(List.of(rollup.sql()));
    ResolvedCreateTableAsSelectStmt create = (ResolvedCreateTableAsSelectStmt) statements.get(0);
    Map<String, String> actual = new LinkedHashMap<>();
    for (ResolvedColumnDefinition c : create.getColumnDefinitionList()) {
      actual.put(c.getName(), typeName(c.getType()));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (Field f : TableSchema.forTable("ops", CostRollup.TABLE).fields()) {
      expected.put(f.name(), typeName(zetaType(f)));
    }
    assertEquals(expected, actual, "columns of sql/ops/cost_by_domain_month.sql vs schemas/bigquery/ops/cost_by_domain_month.json");
  }

  /** The shipped sources: every declaration under schemas/sources/. */
  static Stream<String> sources() {
    return SourceRegistry.standard().names().stream().sorted();
  }

  private static Source source(String name) {
    return SourceRegistry.standard().find(name).orElseThrow();
  }

  /** Every source's silver tables and the ops tables, from their schema files. */
  private static BigQueryCatalog catalog() {
    Map<String, TableSchema> schemas = new LinkedHashMap<>();
    for (String name : SourceRegistry.standard().names()) {
      Source s = source(name);
      for (String table : s.silverTables()) {
        schemas.put("silver." + table, s.silverSchema(table));
      }
    }
    for (String table : List.of("run_ledger", "dq_results")) {
      schemas.put("ops." + table, TableSchema.forTable("ops", table));
    }
    List<SimpleTable> tables = new ArrayList<>();
    List<String> names = new ArrayList<>();
    schemas.forEach((table, schema) -> {
      String name = PROJECT + "." + table;
      tables.add(new SimpleTable(name, columns(name, schema)));
      names.add(name);
    });
    BigQueryCatalog catalog =
        new BigQueryCatalog(PROJECT, new LocalBigQueryResourceProvider(new CatalogResources(tables, List.of(), List.of(), List.of())));
    catalog.addTables(names);
    return catalog;
  }

  /** A model's gold schema file, from where its source's files are. */
  private static TableSchema goldSchema(Source source, String model) {
    String path = "schemas/bigquery/gold/" + model + ".json";
    String text = source.files().read(path).orElseThrow(() -> new AssertionError("gold model " + model + " of source "
        + source.name() + " has no schema file " + source.files().describe(path) + " (Terraform creates the table from it)"));
    return TableSchema.parse(text);
  }

  private static List<SimpleColumn> columns(String table, TableSchema schema) {
    List<SimpleColumn> columns = new ArrayList<>();
    for (Field f : schema.fields()) {
      columns.add(new SimpleColumn(table, f.name(), zetaType(f)));
    }
    return columns;
  }

  /** The column's ZetaSQL type: an ARRAY when REPEATED, a STRUCT of its fields when a RECORD. */
  private static Type zetaType(Field f) {
    Type type;
    if (f.isRecord()) {
      List<StructType.StructField> fields = new ArrayList<>();
      for (Field sub : f.fields()) {
        fields.add(new StructType.StructField(sub.name(), zetaType(sub)));
      }
      type = TypeFactory.createStructType(fields);
    } else {
      type = TypeFactory.createSimpleType(switch (f.type()) {
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
      });
    }
    return f.repeated() ? TypeFactory.createArrayType(type) : type;
  }

  private static String typeName(Type type) {
    return type.typeName(ProductMode.PRODUCT_EXTERNAL);
  }

  /** Analyzes the models in order, each seeing the tables the earlier ones created. */
  private static List<ResolvedStatement> analyze(List<GoldModels.Model> models) {
    return analyzeScript(models.stream().map(GoldModels.Model::buildSql).toList());
  }

  static List<ResolvedStatement> analyzeScript(List<String> statements) {
    String script = String.join(";\n", statements);
    Iterator<AnalyzedStatement> it = new ZetaSQLToolkitAnalyzer(options).analyzeStatements(script, catalog(), true);
    List<ResolvedStatement> resolved = new ArrayList<>();
    it.forEachRemaining(s -> resolved.add(s.getResolvedStatement().orElseThrow()));
    return resolved;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void everyModel_isValidBigQuerySqlAndMatchesItsSchemaFile(String name) {
    Source source = source(name);
    List<GoldModels.Model> models = GoldModels.forSource(source, "silver", "gold");
    assertEquals(source.goldModels().size(), models.size());
    List<ResolvedStatement> statements = analyze(models);
    assertEquals(models.size(), statements.size());
    for (int i = 0; i < models.size(); i++) {
      ResolvedCreateTableAsSelectStmt create = (ResolvedCreateTableAsSelectStmt) statements.get(i);
      Map<String, String> actual = new LinkedHashMap<>();
      for (ResolvedColumnDefinition c : create.getColumnDefinitionList()) {
        actual.put(c.getName(), typeName(c.getType()));
      }
      Map<String, String> expected = new LinkedHashMap<>();
      for (Field f : goldSchema(source, models.get(i).name()).fields()) {
        expected.put(f.name(), typeName(zetaType(f)));
      }
      assertEquals(expected, actual, "columns of " + models.get(i).name() + " vs schemas/bigquery/gold/" + models.get(i).name() + ".json");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void everyDataQualityCheck_andTheStatementThatRecordsIt_isValidBigQuerySql(String name) {
    Source source = source(name);
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    List<GoldModels.Check> checks = GoldModels.checksFor(source, "silver", "gold", "ops");
    assertEquals(source.checks().size(), checks.size());
    List<String> script = new ArrayList<>(GoldModels.forSource(source, "silver", "gold").stream().map(GoldModels.Model::buildSql).toList());
    for (GoldModels.Check check : checks) {
      script.add(check.sql());
      // The toolkit's catalog finds a DML target only by its full name (BigQuery itself resolves
      // ops.dq_results in the job's project): qualify it for the analysis, nothing else changes.
      script.add(check.insertInto(new TableId("ops", "dq_results"))
          .replaceFirst("^insert into ops\\.dq_results ", "insert into `" + PROJECT + ".ops.dq_results` "));
    }
    List<ResolvedStatement> resolved = analyzeScript(script);
    assertEquals(script.size(), resolved.size());
    for (int i = 0; i < checks.size(); i++) {
      assertTrue(resolved.get(source.goldModels().size() + 2 * i) instanceof ResolvedQueryStmt, checks.get(i).name());
      assertTrue(resolved.get(source.goldModels().size() + 2 * i + 1) instanceof ResolvedInsertStmt, checks.get(i).name());
    }
  }

  /**
   * Each incremental model's delta, key check and MERGE, and each snapshot's MERGE and late-version
   * read, after the whole build made the tables: all BigQuery SQL.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void everyIncrementalAndSnapshotStatement_isValidBigQuerySql(String name) {
    Source source = source(name);
    List<GoldModels.Model> models = GoldModels.forSource(source, "silver", "gold");
    List<String> script = new ArrayList<>(models.stream().map(GoldModels.Model::buildSql).toList());
    int statements = 0;
    for (GoldModels.Model m : models) {
      if (m.kind() == Source.Materialization.Kind.TABLE) {
        continue;
      }
      script.add(Materializations.delta(m));
      script.add(Materializations.brokenKeys(m));
      // The toolkit's catalog finds a DML target only by its full name (see the checks above).
      String merge = m.kind() == Source.Materialization.Kind.SNAPSHOT ? Materializations.snapshotMerge(m) : Materializations.merge(m);
      script.add(merge.replaceFirst("^merge into gold\\." + m.name() + " ", "merge into `" + PROJECT + ".gold." + m.name() + "` "));
      statements += 3;
      if (m.kind() == Source.Materialization.Kind.SNAPSHOT) {
        script.add(Materializations.lateVersions(m));
        statements++;
      }
    }
    List<ResolvedStatement> resolved = analyzeScript(script);
    assertEquals(models.size() + statements, resolved.size());
  }

  @Test
  void breweriesDeclareAnIncrementalModelAndASnapshot() {
    Source breweries = source("breweries");
    assertEquals(Source.Materialization.Kind.INCREMENTAL, breweries.gold().materialization("dim_breweries").kind());
    assertEquals(Source.Materialization.Kind.SNAPSHOT, breweries.gold().materialization("dim_breweries_history").kind());
  }

  @Test
  void everyShippedSourceIsChecked() {
    assertTrue(sources().toList().containsAll(List.of("breweries", "podcasts")), sources().toList().toString());
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

  /**
   * The SQL that types a big CSV file in BigQuery (io.medallion.typing.TypingSql) is BigQuery SQL:
   * for a table of every type it types (the test source payments_sql's schema, with a key, a range,
   * lowercase, a decimal comma and date patterns) and the distinct rows of sales, read from a raw
   * table of STRING columns with the lineage as query parameters, each select of a typing job.
   */
  @Test
  void theSqlThatTypesABigCsvFileInBigQuery_isBigQuerySql() {
    TableSchema schema = TableSchema.parse(String.join("\n", "[",
        "{\"name\": \"payment_id\", \"type\": \"STRING\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"amount\", \"type\": \"NUMERIC\", \"mode\": \"REQUIRED\", \"precision\": 12, \"scale\": 2},",
        "{\"name\": \"rate\", \"type\": \"FLOAT64\"}, {\"name\": \"installments\", \"type\": \"INT64\"},",
        "{\"name\": \"paid\", \"type\": \"BOOL\"}, {\"name\": \"paid_on\", \"type\": \"DATE\"},",
        "{\"name\": \"at\", \"type\": \"TIME\"}, {\"name\": \"local\", \"type\": \"DATETIME\"},",
        "{\"name\": \"recorded_at\", \"type\": \"TIMESTAMP\"}, {\"name\": \"kind\", \"type\": \"STRING\"},",
        "{\"name\": \"_file_key\", \"type\": \"STRING\"}, {\"name\": \"_run_id\", \"type\": \"STRING\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"_source_uri\", \"type\": \"STRING\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"_source_generation\", \"type\": \"INT64\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"_source_record\", \"type\": \"INT64\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"_ingested_at\", \"type\": \"TIMESTAMP\", \"mode\": \"REQUIRED\"},",
        "{\"name\": \"_extra\", \"type\": \"JSON\"}]"));
    io.medallion.source.SilverMapping mapping = new io.medallion.source.SilverMapping(Map.of("ID", "payment_id"), "payment_id",
        Map.of("installments", new double[] {1, 24}), java.util.Set.of("kind"));
    io.medallion.source.FileFormat csv = new io.medallion.source.FileFormat(io.medallion.source.FileFormat.Type.CSV, ';', '"', 1,
        java.nio.charset.StandardCharsets.ISO_8859_1, ',', "dd/MM/yyyy", "dd/MM/yyyy HH:mm", null, 1, List.of("NA"));
    List<String> header = List.of("ID", "amount", "rate", "installments", "paid", "paid_on", "at", "local", "recorded_at", "kind",
        "NOTE 'quoted' \\ back");
    Source sales = source("sales");
    io.medallion.source.FileFormat salesCsv = new io.medallion.source.FileFormat(io.medallion.source.FileFormat.Type.CSV, ',', '"', 1,
        java.nio.charset.StandardCharsets.UTF_8, '.', null, null, null, 1, List.of());
    List<String> statements = new ArrayList<>();
    for (String with : List.of(
        io.medallion.typing.TypingSql.bigQueryWith(schema, mapping, csv, header, "`" + PROJECT + ".ops.raw_payments`"),
        io.medallion.typing.TypingSql.bigQueryWith(sales.silverSchema("sales"), sales.silverMapping(), salesCsv,
            List.of("ID_MARCA", "MARCA", "ID_LINHA", "LINHA", "DATA_VENDA", "QTD_VENDA"), "`" + PROJECT + ".ops.raw_sales`"))) {
      statements.add(with + "\nSELECT * EXCEPT (_reason, _message, _record) FROM typed_final WHERE _reason IS NULL");
      statements.add(with + "\nSELECT _source_record, _reason, _message, PARSE_JSON(_record) AS record FROM typed_final WHERE _reason IS NOT NULL");
      statements.add(with + "\nSELECT _reason, COUNT(*) AS n FROM typed_final GROUP BY _reason");
    }
    AnalyzerOptions typing = new AnalyzerOptions();
    com.google.zetasql.LanguageOptions language = BigQueryLanguageOptions.get();
    // BigQuery's SAFE. prefix (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-reference#safe_prefix),
    // which the toolkit's BigQuery options leave off.
    language.enableLanguageFeature(com.google.zetasql.ZetaSQLOptions.LanguageFeature.FEATURE_V_1_2_SAFE_FUNCTION_CALL);
    typing.setLanguageOptions(language);
    typing.addQueryParameter("run_id", TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
    typing.addQueryParameter("source_uri", TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
    typing.addQueryParameter("source_generation", TypeFactory.createSimpleType(TypeKind.TYPE_INT64));
    typing.addQueryParameter("ingested_at", TypeFactory.createSimpleType(TypeKind.TYPE_TIMESTAMP));
    typing.addQueryParameter("file_key", TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
    List<SimpleTable> raws = new ArrayList<>();
    for (Map.Entry<String, Integer> raw : Map.of("raw_payments", header.size(), "raw_sales", 6).entrySet()) {
      List<SimpleColumn> columns = new ArrayList<>();
      String name = PROJECT + ".ops." + raw.getKey();
      for (int i = 1; i <= raw.getValue(); i++) {
        columns.add(new SimpleColumn(name, "c" + i, TypeFactory.createSimpleType(TypeKind.TYPE_STRING)));
      }
      raws.add(new SimpleTable(name, columns));
    }
    BigQueryCatalog catalog = new BigQueryCatalog(PROJECT,
        new LocalBigQueryResourceProvider(new CatalogResources(raws, List.of(), List.of(), List.of())));
    catalog.addTables(raws.stream().map(SimpleTable::getName).toList());
    Iterator<AnalyzedStatement> it = new ZetaSQLToolkitAnalyzer(typing).analyzeStatements(String.join(";\n", statements), catalog, true);
    int analyzed = 0;
    while (it.hasNext()) {
      assertTrue(it.next().getResolvedStatement().isPresent());
      analyzed++;
    }
    assertEquals(statements.size(), analyzed);
  }
}
