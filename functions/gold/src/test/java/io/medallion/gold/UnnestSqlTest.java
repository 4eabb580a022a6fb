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
import com.google.zetasql.toolkit.ZetaSQLToolkitAnalyzer;
import com.google.zetasql.toolkit.catalog.bigquery.BigQueryCatalog;
import com.google.zetasql.toolkit.catalog.bigquery.LocalBigQueryResourceProvider;
import com.google.zetasql.toolkit.catalog.io.CatalogResources;
import com.google.zetasql.toolkit.options.BigQueryLanguageOptions;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gold SQL over a REPEATED column: the forms of UNNEST that sql/README.md recommends run on the
 * local warehouse (DuckDB, the column a LIST) and are BigQuery SQL (ZetaSQL, BigQuery's analyzer,
 * the column an ARRAY), and the forms it warns against fail on one of the two.
 */
class UnnestSqlTest {

  private static final String PROJECT = "medallion-project";

  /** A silver table with a REPEATED column, loaded from NDJSON as silver writes it. */
  private static final TableSchema ISSUES =
      TableSchema.parse(
          "[{\"name\":\"issue_id\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
              + "{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"}]");

  @TempDir Path dir;

  private DuckDbWarehouse loaded() throws Exception {
    Path file = dir.resolve("rows.ndjson");
    Files.writeString(file,
        "{\"issue_id\":1,\"label_names\":[\"bug\",\"ui\"]}\n{\"issue_id\":2,\"label_names\":[]}\n{\"issue_id\":3,\"label_names\":[\"bug\"]}\n");
    DuckDbWarehouse duck = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> file, (job, sources) -> {});
    JobStatus job = duck.load(new LoadJob("load_1", List.of(new ObjectId("staging-bucket", "rows.ndjson")), new TableId("silver", "t"), ISSUES, Map.of()));
    assertTrue(job.succeeded(), job::error);
    return duck;
  }

  /** Analyzes {@code sql} as BigQuery would, against silver.t as an ARRAY<STRING> column; throws if it is not BigQuery SQL. */
  private static void analyzeAsBigQuery(String sql) {
    String name = PROJECT + ".silver.t";
    List<SimpleColumn> columns = new ArrayList<>();
    for (Field f : ISSUES.fields()) {
      Type type = TypeFactory.createSimpleType(switch (f.type()) {
        case STRING -> TypeKind.TYPE_STRING;
        case INT64 -> TypeKind.TYPE_INT64;
        default -> throw new IllegalArgumentException(f.type().name());
      });
      columns.add(new SimpleColumn(name, f.name(), f.repeated() ? TypeFactory.createArrayType(type) : type));
    }
    BigQueryCatalog catalog = new BigQueryCatalog(PROJECT, new LocalBigQueryResourceProvider(
        new CatalogResources(List.of(new SimpleTable(name, columns)), List.of(), List.of(), List.of())));
    catalog.addTables(List.of(name));
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(BigQueryLanguageOptions.get());
    new ZetaSQLToolkitAnalyzer(options).analyzeStatements(sql, catalog, true).forEachRemaining(s -> s.getResolvedStatement().orElseThrow());
  }

  @Test
  void commaAndCrossJoinUnnest_runOnDuckDbAndAreBigQuerySql() throws Exception {
    List<List<Object>> perLabel = List.of(List.of(1L, "bug"), List.of(1L, "ui"), List.of(3L, "bug"));
    String[] portable = {
      "select t.issue_id, label from silver.t as t, unnest(t.label_names) as label order by t.issue_id, label",
      "select t.issue_id, label from silver.t as t cross join unnest(t.label_names) as label order by t.issue_id, label",
    };
    try (DuckDbWarehouse duck = loaded()) {
      for (String sql : portable) {
        assertEquals(perLabel, duck.read(sql).rows(), sql);
      }
      // Rows with an empty array kept, their label NULL.
      String keepEmpty = "select t.issue_id, label from silver.t as t left join unnest(t.label_names) as label on true"
          + " order by t.issue_id, label";
      assertEquals(List.of(List.of(1L, "bug"), List.of(1L, "ui"), Arrays.asList(2L, null), List.of(3L, "bug")),
          duck.read(keepEmpty).rows());
      String count = "select t.issue_id, array_length(t.label_names) as labels from silver.t as t order by t.issue_id";
      assertEquals(List.of(List.of(1L, 2L), List.of(2L, 0L), List.of(3L, 1L)), duck.read(count).rows());
      String contains = "select t.issue_id from silver.t as t where exists (select 1 from unnest(t.label_names) as label where label = 'ui')";
      assertEquals(List.of(List.of(1L)), duck.read(contains).rows());
      for (String sql : new String[] {portable[0], portable[1], keepEmpty, count, contains}) {
        analyzeAsBigQuery(sql);
      }
    }
  }

  @Test
  void formsOfOneDialectOnly_failOnTheOther() throws Exception {
    try (DuckDbWarehouse duck = loaded()) {
      // Without "as t" the analyzer finds no t (it names the table by its full path): always alias the table.
      String noAlias = "select x from silver.t, unnest(t.label_names) as x";
      assertEquals(3, duck.read(noAlias).rows().size());
      assertTrue(assertThrows(RuntimeException.class, () -> analyzeAsBigQuery(noAlias)).getMessage().contains("Unrecognized name: t"));
      // DuckDB's UNNEST in the select list: BigQuery refuses it.
      String duckOnly = "select issue_id, unnest(label_names) as label from silver.t";
      assertEquals(3, duck.read(duckOnly).rows().size());
      String refusal = assertThrows(RuntimeException.class, () -> analyzeAsBigQuery(duckOnly)).getMessage();
      assertTrue(refusal.contains("got keyword UNNEST"), refusal);
      // BigQuery's WITH OFFSET and its membership test: DuckDB refuses them.
      String[][] bigQueryOnly = {
          {"select t.issue_id, label, i from silver.t as t, unnest(t.label_names) as label with offset as i",
              "syntax error at or near \"with\""},
          {"select t.issue_id from silver.t as t where 'ui' in unnest(t.label_names)", "UNNEST not supported here"}};
      for (String[] c : bigQueryOnly) {
        analyzeAsBigQuery(c[0]);
        String e = assertThrows(java.io.IOException.class, () -> duck.read(c[0]), c[0]).getMessage();
        assertTrue(e.contains(c[1]), e);
      }
    }
  }
}
