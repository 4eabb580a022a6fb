package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.port.TablePartitioning;
import io.medallion.repartition.RepartitionScript;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion repartition --source NAME}: moves a source's existing silver tables to the
 * partitioning and clustering their declaration says, without losing a row. It prints the
 * BigQuery script that does it on GCP (a copy made as declared, checked by count and checksum,
 * then swapped by renaming; see {@link RepartitionScript}), then does the same to the local
 * warehouse: copy, compare, swap, in one transaction, keeping the old table until {@code
 * --drop-old}. It refuses, writing nothing, while {@code serve} holds the warehouse, for a table
 * that does not exist yet, and when the copy is not the table row for row.
 */
@Command(name = "repartition", mixinStandardHelpOptions = true,
    description = "Move a source's silver tables to their declared partitioning and clustering, keeping every row:"
        + " prints the BigQuery script, then does it locally.")
final class RepartitionCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", required = true, paramLabel = "NAME", description = "The source whose silver tables move.")
  String sourceName;

  @Option(names = "--drop-old", description = "Drop the tables a repartition kept (<table>__before_repartition) once the"
      + " moved ones are checked; moves nothing.")
  boolean dropOld;

  @Option(names = "--script-only", description = "Print the BigQuery script; leave the local warehouse alone.")
  boolean scriptOnly;

  @Option(names = "--name-prefix", defaultValue = "medallion", paramLabel = "PREFIX",
      description = "terraform's var.name_prefix: the script's dataset is <prefix>_<silver dataset> and its labels"
          + " Terraform's (default: ${DEFAULT-VALUE}).")
  String namePrefix;

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    Source source = registry.find(sourceName).orElseThrow(
        () -> new Main.UserError("--source: no source '" + sourceName + "' (one of " + registry.names() + ")"));
    List<TableId> tables = source.silverTables().stream().map(t -> new TableId(config.silverDataset(source), t)).toList();

    if (!dropOld) {
      // The dataset Terraform names: "${local.dataset_prefix}_${local.datasets.silver}_<domain>" (terraform/bigquery.tf).
      String dataset = namePrefix.replace('-', '_') + "_" + config.silverDataset(source);
      for (TableId local : tables) {
        out.print(RepartitionScript.printed(source.name(), new TableId(dataset, local.table()), source.silverSchema(local.table()),
            source.partitioning(local.table()), RepartitionScript.TableOptions.silver(source.name(), local.table(), namePrefix)));
        out.println();
      }
    }
    if (scriptOnly) {
      return 0;
    }
    Optional<ServeControl.Endpoint> serve = ServeClient.endpoint(main.home());
    if (serve.isPresent()) {
      main.err().println("medallion: serve (pid " + serve.get().pid() + ") holds the local warehouse, and a table may not"
          + " move while loads can reach it: stop serve, then run repartition again. Nothing changed locally.");
      return 1;
    }
    Path file = new LocalPipeline.Layout(main.home()).warehouseFile();
    if (!Files.exists(file)) {
      main.err().println("medallion: no local warehouse at " + file + ": no table of " + source.name()
          + " to move (the first run creates them partitioned as declared). Nothing changed locally.");
      return 1;
    }
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(file, id -> {
      throw new IllegalStateException("repartition loads nothing");
    }, (job, sources) -> {})) {
      return dropOld ? dropOld(warehouse, tables, out) : move(warehouse, source, tables, out);
    }
  }

  /** Moves each table not yet partitioned as declared; checks every table exists before moving any. */
  private int move(DuckDbWarehouse warehouse, Source source, List<TableId> tables, PrintStream out) throws Exception {
    List<TableId> missing = new ArrayList<>();
    for (TableId table : tables) {
      if (!warehouse.tableExists(table)) {
        missing.add(table);
      }
    }
    if (!missing.isEmpty()) {
      main.err().println("medallion: " + String.join(", ", missing.stream().map(TableId::sql).toList())
          + (missing.size() == 1 ? " does" : " do") + " not exist yet in the local warehouse: nothing to move (the first load"
          + " creates a table partitioned as declared). Nothing changed locally.");
      return 1;
    }
    out.println("Local warehouse (" + new LocalPipeline.Layout(main.home()).warehouseFile() + "):");
    for (TableId table : tables) {
      TablePartitioning declared = source.partitioning(table.table());
      Optional<TablePartitioning> now = warehouse.partitioning(table);
      if (now.isPresent() && !declared.repartitions(now.get())) {
        TableId before = TablePartitioning.beforeRepartition(table);
        out.println("  " + table + " is already " + now.get() + (warehouse.tableExists(before)
            ? "; its old rows are in " + before + " until --drop-old" : ""));
        continue;
      }
      DuckDbWarehouse.Repartitioned done;
      try {
        done = warehouse.repartition(table, source.silverSchema(table.table()), declared);
      } catch (java.io.IOException e) {
        main.err().println("medallion: " + e.getMessage());
        return 1;
      }
      out.println("  " + table + ": " + done.before().map(Object::toString).orElse("not partitioned") + " -> " + declared);
      out.println("    " + done.rows() + " rows copied, count and checksum (" + done.checksum() + ") equal; the old table is "
          + TablePartitioning.beforeRepartition(table) + " until --drop-old");
      if (done.expired() > 0) {
        out.println("    " + done.expired() + " rows of partitions older than " + declared.expirationDays()
            + " days expired from " + table + " (they are still in the old table)");
      }
    }
    return 0;
  }

  /** Drops the old tables of the moved ones; a table not yet moved keeps its (then current) rows. */
  private int dropOld(DuckDbWarehouse warehouse, List<TableId> tables, PrintStream out) throws Exception {
    for (TableId table : tables) {
      TableId before = TablePartitioning.beforeRepartition(table);
      if (warehouse.dropBeforeRepartition(table)) {
        out.println("Dropped " + before + " (" + table + " is " + warehouse.partitioning(table).map(Object::toString).orElse("?") + ")");
      } else {
        out.println("No " + before + " to drop");
      }
    }
    return 0;
  }
}
