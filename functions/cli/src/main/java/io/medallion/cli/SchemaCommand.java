package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.SchemaDiff;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion schema diff [--source NAME]}: each silver and gold table of the sources, its
 * schema file against the live local table: unchanged, what the next load adds or relaxes, and what
 * it would refuse (exit code 1), or that the table does not exist yet.
 */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Compare the tables' schema files with the live tables.",
    subcommands = SchemaCommand.Diff.class)
final class SchemaCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(main.out());
    return 2;
  }

  /** {@code medallion schema diff}. */
  @Command(name = "diff", mixinStandardHelpOptions = true,
      description = "Each silver and gold table's schema file against the live local table: unchanged, added,"
          + " relaxed, or breaking (a load would be refused: exit code 1).")
  static final class Diff implements Callable<Integer> {

    @ParentCommand SchemaCommand parent;

    @Option(names = "--source", paramLabel = "NAME", description = "Only this source's tables (repeatable). Default: every source.")
    List<String> sources = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Main main = parent.main;
      MedallionConfig config = main.config();
      SourceRegistry registry = LocalPipeline.sources(config);
      List<Source> selected = new ArrayList<>();
      if (sources.isEmpty()) {
        selected.addAll(registry.all());
      }
      for (String name : sources) {
        selected.add(registry.find(name).orElseThrow(
            () -> new Main.UserError("--source: no source '" + name + "' (one of " + registry.names() + ")")));
      }
      PrintStream out = main.out();
      boolean noWarehouse = main.served().isEmpty() && !Files.exists(new LocalPipeline.Layout(main.home()).warehouseFile());
      int breaking = 0;
      try (QueryCommand.Reading reading = noWarehouse ? null : QueryCommand.Reading.open(main)) {
        DuckDbWarehouse warehouse = reading == null ? null : reading.warehouse();
        for (Source source : selected) {
          out.printf("%s%n", source.name());
          for (String table : source.silverTables()) {
            breaking += show(out, warehouse, new TableId(config.silverDataset(source), table), source.silverSchema(table), false);
          }
          for (String model : source.goldModels()) {
            String path = "schemas/bigquery/gold/" + model + ".json";
            Optional<String> file = source.files().read(path);
            TableId id = new TableId(config.goldDataset(source), model);
            if (file.isEmpty()) {
              out.printf("  %-40s no schema file (%s)%n", id.sql(), path);
            } else {
              show(out, warehouse, id, TableSchema.parse(file.get()), true);
            }
          }
        }
      }
      if (breaking > 0) {
        out.printf("%n%d breaking change%s: the next load of %s refused, and nothing loaded, until the schema file"
            + " or the table changes (see functions/silver/README.md, \"Change a schema\")%n",
            breaking, breaking == 1 ? "" : "s", breaking == 1 ? "its table is" : "their tables are");
        return 1;
      }
      return 0;
    }

    /**
     * Prints one table's comparison and returns its breaking changes that a load would refuse (a
     * gold table's count for nothing: every run replaces it).
     */
    private static int show(PrintStream out, DuckDbWarehouse warehouse, TableId table, TableSchema declared, boolean gold)
        throws java.io.IOException {
      // A gold table is made by CREATE TABLE AS: DuckDB gives its columns no NOT NULL, and a
      // decimal the precision and scale its arithmetic makes (a SUM of NUMERIC(15, 2) is
      // DECIMAL(38, 2)), so neither is compared for gold; BigQuery types gold from its SQL alike.
      Optional<SchemaDiff> found = warehouse == null ? Optional.empty()
          : gold ? warehouse.tableSchema(table).map(live -> SchemaDiff.between(
              asGoldIsMade(io.medallion.local.bigquery.DuckDbTypes.asStored(declared)), asGoldIsMade(live)))
          : warehouse.schemaDiff(table, declared);
      if (found.isEmpty()) {
        out.printf("  %-40s table does not exist yet%s%n", table.sql(),
            gold ? " (the next run makes it)" : " (the first load makes it from the schema file)");
        return 0;
      }
      SchemaDiff diff = found.get();
      if (diff.unchanged()) {
        out.printf("  %-40s unchanged%n", table.sql());
        return 0;
      }
      out.printf("  %-40s %s%n", table.sql(), gold
          ? "differs: every run replaces the gold tables (CREATE OR REPLACE), so the next run makes it as its SQL says"
          : summary(diff));
      for (SchemaDiff.Change c : diff.changes()) {
        out.printf("    %-9s %s%n", c.kind().name().toLowerCase(java.util.Locale.ROOT), c.describe());
      }
      return gold ? 0 : diff.of(SchemaDiff.Kind.BREAKING).size();
    }

    private static String summary(SchemaDiff diff) {
      List<String> parts = new ArrayList<>();
      for (SchemaDiff.Kind kind : SchemaDiff.Kind.values()) {
        int n = diff.of(kind).size();
        if (n > 0) {
          parts.add(n + " " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
      }
      return String.join(", ", parts) + (diff.breaking() ? ": the next load is refused" : ": the next load makes them");
    }

    /**
     * The schema as CREATE TABLE AS makes a gold table locally: no REQUIRED, and every NUMERIC or
     * BIGNUMERIC an unparameterized NUMERIC.
     */
    private static TableSchema asGoldIsMade(TableSchema schema) {
      return new TableSchema(asGoldIsMade(schema.fields()));
    }

    private static List<Field> asGoldIsMade(List<Field> fields) {
      List<Field> out = new ArrayList<>();
      for (Field f : fields) {
        Field.Mode mode = f.required() ? Field.Mode.NULLABLE : f.mode();
        out.add(f.type().isDecimal()
            ? new Field(f.name(), io.medallion.schema.FieldType.NUMERIC, mode, f.description(), List.of(), 0, -1)
            : new Field(f.name(), f.type(), mode, f.description(), asGoldIsMade(f.fields()), f.precision(), f.scale()));
      }
      return out;
    }
  }
}
