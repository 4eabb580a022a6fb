package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedCreateTableAsSelectStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import com.google.zetasql.toolkit.tools.lineage.ColumnEntity;
import com.google.zetasql.toolkit.tools.lineage.ColumnLineage;
import com.google.zetasql.toolkit.tools.lineage.ColumnLineageExtractor;
import io.medallion.lineage.ModelLineage;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each source's {@code sql/<source>/lineage.json} is what ZetaSQL (BigQuery's analyzer, through the
 * toolkit's {@link ColumnLineageExtractor}) derives from its models now: for each model, each output
 * column and the silver/gold columns it is computed from. The gold step reads the file at run time
 * to fill the OpenLineage {@code columnLineage} facet (the analyzer has native code, so it stays
 * out of the deployed functions). A stale file fails here; {@code -Dmedallion.regenerateLineage=true}
 * rewrites it.
 */
class GoldLineageIsCurrentTest {

  /** -Dmedallion.regenerateLineage=true writes the files instead of comparing them. */
  private static final boolean REGENERATE = Boolean.getBoolean("medallion.regenerateLineage");
  private static final String REGENERATE_COMMAND =
      "mvn -B -q -pl functions/gold -am test -Dtest=GoldLineageIsCurrentTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dmedallion.regenerateLineage=true";

  @BeforeAll
  static void analyzer() {
    GoldSqlIsBigQuerySqlTest.analyzer();
  }

  static Stream<String> sources() {
    return GoldSqlIsBigQuerySqlTest.sources();
  }

  /** The lineage of a source's models, as ZetaSQL resolves their build statements in order. */
  static ModelLineage derive(Source source) {
    List<GoldModels.Model> models = GoldModels.forSource(source, "silver", "gold");
    List<ResolvedStatement> resolved =
        GoldSqlIsBigQuerySqlTest.analyzeScript(models.stream().map(GoldModels.Model::buildSql).toList());
    Map<String, ModelLineage.Model> out = new LinkedHashMap<>();
    for (int i = 0; i < models.size(); i++) {
      ResolvedCreateTableAsSelectStmt create = (ResolvedCreateTableAsSelectStmt) resolved.get(i);
      Map<String, Set<ColumnEntity>> parents = new LinkedHashMap<>();
      for (ColumnLineage l : ColumnLineageExtractor.extractColumnLevelLineage(create)) {
        parents.computeIfAbsent(l.target.name, k -> new java.util.HashSet<>()).addAll(l.parents);
      }
      // Where the extractor finds no input column (it does not follow UNNEST), the tracer may.
      ColumnTracer tracer = ColumnTracer.of(create);
      for (var output : create.getOutputColumnList()) {
        Set<ColumnEntity> found = parents.computeIfAbsent(output.getName(), k -> new java.util.HashSet<>());
        if (found.isEmpty()) {
          found.addAll(tracer.sources(output.getColumn()));
        }
      }
      Map<String, List<ModelLineage.Column>> columns = new LinkedHashMap<>();
      Set<ModelLineage.Table> tables = new TreeSet<>();
      // In the table's column order; each column's inputs sorted, so the file is stable.
      for (var definition : create.getColumnDefinitionList()) {
        List<ModelLineage.Column> inputs = new ArrayList<>();
        for (ColumnEntity p : parents.getOrDefault(definition.getName(), Set.of())) {
          ModelLineage.Column c = column(p, source, models.get(i).name());
          inputs.add(c);
          tables.add(c.tableRef());
        }
        inputs.sort(Comparator.comparing(ModelLineage.Column::layer).thenComparing(ModelLineage.Column::table)
            .thenComparing(ModelLineage.Column::column));
        columns.put(definition.getName(), List.copyOf(inputs));
      }
      // A table read only for its rows (count(*)) or in a filter or join still is an input.
      tables.addAll(tablesRead(models.get(i).buildSql(), source));
      out.put(models.get(i).name(), new ModelLineage.Model(List.copyOf(tables), columns));
    }
    return new ModelLineage(source.name(), out);
  }

  /** A ZetaSQL column of {@code project.dataset.table} (or {@code dataset.table}) as layer, table, column. */
  private static ModelLineage.Column column(ColumnEntity e, Source source, String model) {
    String[] parts = e.table.split("\\.");
    if (parts.length < 2) {
      throw new AssertionError(source.name() + "/" + model + ": column " + e.name + " of a table without a dataset: " + e.table);
    }
    return new ModelLineage.Column(parts[parts.length - 2], parts[parts.length - 1], e.name);
  }

  /** The {@code silver.x}, {@code gold.x} and {@code ops.x} tables a statement names. */
  private static Set<ModelLineage.Table> tablesRead(String sql, Source source) {
    Set<ModelLineage.Table> tables = new TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\b(?:from|join)\\s+`?(silver|gold|ops)\\.([a-z_][a-z0-9_]*)`?")
        .matcher(sql);
    while (m.find()) {
      tables.add(new ModelLineage.Table(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2)));
    }
    return tables;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void committedLineage_isWhatZetaSqlDerivesFromTheModelsNow(String name) throws IOException {
    Source source = SourceRegistry.standard().find(name).orElseThrow();
    ModelLineage now = derive(source);
    String text = now.toJson(source.goldModels());
    Path file = repositoryRoot().resolve(ModelLineage.path(name));
    if (REGENERATE) {
      Files.writeString(file, text);
    }
    assertTrue(Files.exists(file) && Files.readString(file).equals(text), ModelLineage.path(name)
        + " is not the column lineage ZetaSQL derives from sql/" + name + "/*.sql now; the gold step would"
        + " report stale lineage. Regenerate it with:\n  " + REGENERATE_COMMAND);
  }

  /** The acceptance check: every gold table's every column has lineage, down to input columns where it has any. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void everyGoldColumn_hasLineage_andEveryInputIsASilverOrGoldColumnThatExists(String name) {
    Source source = SourceRegistry.standard().find(name).orElseThrow();
    ModelLineage lineage = derive(source);
    for (String model : source.goldModels()) {
      ModelLineage.Model m = lineage.model(model).orElseThrow(() -> new AssertionError(name + ": no lineage of " + model));
      List<String> schema = source.goldSchema(model).fields().stream().map(io.medallion.schema.Field::name).toList();
      assertEquals(schema, List.copyOf(m.columns().keySet()), name + "/" + model + ": every column of its schema");
      assertFalse(m.inputs().isEmpty(), name + "/" + model + " reads no table?");
      long derived = m.columns().values().stream().filter(l -> !l.isEmpty()).count();
      assertTrue(derived > 0, name + "/" + model + ": no column traced to an input column");
      for (List<ModelLineage.Column> inputs : m.columns().values()) {
        for (ModelLineage.Column c : inputs) {
          List<String> columns = c.layer().equals("silver")
              ? SourceRegistry.standard().names().stream().map(n -> SourceRegistry.standard().find(n).orElseThrow())
                  .filter(s -> s.silverTables().contains(c.table()))
                  .findFirst().orElseThrow(() -> new AssertionError("no silver table " + c.table()))
                  .silverSchema(c.table()).fields().stream().map(io.medallion.schema.Field::name).toList()
              : source.goldSchema(c.table()).fields().stream().map(io.medallion.schema.Field::name).toList();
          // A STRUCT's field is named by its path (issuer.cnpj): its top-level column must exist.
          String top = c.column().contains(".") ? c.column().substring(0, c.column().indexOf('.')) : c.column();
          assertTrue(columns.contains(top), name + "/" + model + ": " + c + " is no column of its table");
        }
      }
    }
  }

  @Test
  void aGoldModelOnAnotherGoldModel_tracesThroughItToSilver() {
    ModelLineage lineage = derive(SourceRegistry.standard().find("breweries").orElseThrow());
    // breweries_by_location groups dim_breweries, which keeps silver's columns.
    assertEquals(List.of(new ModelLineage.Column("gold", "dim_breweries", "country")),
        lineage.model("breweries_by_location").orElseThrow().columns().get("country"));
    assertEquals(List.of(new ModelLineage.Column("silver", "breweries", "country")),
        lineage.model("dim_breweries").orElseThrow().columns().get("country"));
    // A column of an UNNESTed array comes from the array column (the toolkit's extractor alone finds nothing).
    assertEquals(List.of(new ModelLineage.Column("silver", "invoices", "items")),
        derive(SourceRegistry.standard().find("invoices").orElseThrow()).model("fct_invoice_items").orElseThrow()
            .columns().get("quantity"));
    // count(*) is computed from no column: it is listed, with no input column.
    assertEquals(List.of(), lineage.model("breweries_by_location").orElseThrow().columns().get("brewery_count"));
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("terraform")) && Files.isDirectory(dir.resolve("schemas")))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no repository root (with terraform/ and schemas/) above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
