package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import io.medallion.port.TableId;
import io.medallion.port.TablePartitioning;
import io.medallion.port.TablePartitioning.Granularity;
import io.medallion.repartition.RepartitionScript;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The script {@code medallion repartition} prints to move a silver table on BigQuery is BigQuery
 * SQL: ZetaSQL analyzes it, with the analyzer and catalog of {@link GoldSqlIsBigQuerySqlTest}, for
 * every shipped silver table and every kind of partition column (TIMESTAMP, DATE, DATETIME) by day
 * and by month, with and without clustering and expiration.
 */
class RepartitionScriptIsBigQuerySqlTest {

  @org.junit.jupiter.api.BeforeAll
  static void analyzer() {
    GoldSqlIsBigQuerySqlTest.analyzer();
  }

  /**
   * Analyzes a script. The toolkit's catalog adds the tables a script creates but does not follow
   * ALTER TABLE ... RENAME TO, so after the renames {@code t__before_repartition} (the old table,
   * renamed) is looked up as {@code t__repartitioned}, which the catalog knows with the same columns.
   */
  private static List<ResolvedStatement> analyze(List<String> script) {
    List<String> asTheCatalogSeesIt = new java.util.ArrayList<>();
    boolean renamed = false;
    for (String statement : script) {
      asTheCatalogSeesIt.add(renamed ? statement.replace("__before_repartition`", "__repartitioned`") : statement);
      renamed |= statement.startsWith("ALTER TABLE") && statement.contains(" RENAME TO ");
    }
    return GoldSqlIsBigQuerySqlTest.analyzeScript(asTheCatalogSeesIt);
  }

  /** Every shipped silver table, with its source. */
  static Stream<String[]> tables() {
    return SourceRegistry.standard().all().stream()
        .flatMap(s -> s.silverTables().stream().map(t -> new String[] {s.name(), t}));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("tables")
  void theScriptForEveryShippedTable_asDeclared_isBigQuerySql(String sourceName, String table) {
    Source source = SourceRegistry.standard().find(sourceName).orElseThrow();
    List<String> script = RepartitionScript.statements(new TableId("silver", table), source.silverSchema(table),
        source.partitioning(table), RepartitionScript.TableOptions.silver(sourceName, table, "medallion"));
    List<ResolvedStatement> resolved = analyze(script);
    assertEquals(script.size(), resolved.size());
  }

  /** TIMESTAMP and DATE partition columns, each by day and by month, clustered or not, expiring or not. */
  static Stream<TablePartitioning> partitionings() {
    return Stream.of(
        new TablePartitioning("_ingested_at", Granularity.MONTH, 400, List.of("issue_id", "state")),
        new TablePartitioning("created_at", Granularity.DAY, null, List.of()),
        new TablePartitioning("data_venda", Granularity.DAY, 30, List.of("id_marca")),
        new TablePartitioning("data_venda", Granularity.MONTH, null, List.of("id_marca", "id_linha", "data_venda", "marca")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partitionings")
  void everyKindOfPartitionColumnAndGranularity_isBigQuerySql(TablePartitioning partitioning) {
    String table = partitioning.column().equals("data_venda") ? "sales" : "github_issues";
    Source source = SourceRegistry.standard().find(table).orElseThrow();
    io.medallion.schema.TableSchema schema = source.silverSchema(table);
    assertTrue(schema.indexOf(partitioning.column()) >= 0, partitioning.column() + " in " + schema.names());
    List<String> script = RepartitionScript.statements(new TableId("silver", table), schema, partitioning,
        RepartitionScript.TableOptions.silver(source.name(), table, "medallion"));
    assertEquals(script.size(), analyze(script).size());
    assertEquals(partitioning.expirationDays() != null, script.get(script.size() - 1).contains("partition_expiration_days = "),
        "the expiration is set last, after the checks");
  }

  /**
   * No shipped table has a DATETIME column, so the table is made with one: the github issues'
   * created_at declared DATETIME, and selected as one, for the CREATE TABLE statement alone.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.EnumSource(Granularity.class)
  void aDatetimePartitionColumn_isBigQuerySql(Granularity granularity) {
    Source source = SourceRegistry.standard().find("github_issues").orElseThrow();
    List<io.medallion.schema.Field> fields = new java.util.ArrayList<>();
    for (io.medallion.schema.Field f : source.silverSchema("github_issues").fields()) {
      fields.add(f.name().equals("created_at")
          ? new io.medallion.schema.Field(f.name(), io.medallion.schema.FieldType.DATETIME, f.mode(), f.description()) : f);
    }
    String create = RepartitionScript.statements(new TableId("silver", "github_issues"), new io.medallion.schema.TableSchema(fields),
        new TablePartitioning("created_at", granularity, null, List.of()),
        RepartitionScript.TableOptions.silver("github_issues", "github_issues", "medallion")).get(0);
    assertTrue(create.contains("PARTITION BY DATETIME_TRUNC(`created_at`, " + granularity + ")"), create);
    String selectingADatetime = create.replace(", `created_at`, ", ", DATETIME(`created_at`) AS `created_at`, ");
    assertEquals(1, analyze(List.of(selectingADatetime)).size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partitionings")
  void aScriptNamingAColumnTheTableLacks_failsTheAnalysis(TablePartitioning ignored) {
    Source source = SourceRegistry.standard().find("breweries").orElseThrow();
    io.medallion.schema.TableSchema schema = source.silverSchema("breweries");
    List<io.medallion.schema.Field> fields = new java.util.ArrayList<>(schema.fields());
    fields.add(new io.medallion.schema.Field("not_in_the_table", io.medallion.schema.FieldType.STRING, false, ""));
    List<String> script = RepartitionScript.statements(new TableId("silver", "breweries"), new io.medallion.schema.TableSchema(fields),
        source.partitioning("breweries"), RepartitionScript.TableOptions.silver("breweries", "breweries", "medallion"));
    Exception e = assertThrows(Exception.class, () -> analyze(script));
    assertTrue(e.getMessage().contains("not_in_the_table"), e.getMessage());
  }
}
