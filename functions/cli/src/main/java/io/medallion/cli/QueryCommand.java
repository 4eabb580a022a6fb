package io.medallion.cli;

import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.QueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code medallion query "select ..."}: SQL against the local warehouse. */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Run SQL against the local warehouse (DuckDB) and print a table.")
final class QueryCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "SQL", description = "The statement, e.g. \"select * from gold.country_summary\".")
  String sql;

  @Override
  public Integer call() throws Exception {
    try (DuckDbWarehouse warehouse = open(main)) {
      QueryResult result = warehouse.read(sql, java.util.Map.of());
      TablePrinter.print(result, System.out);
      return 0;
    } catch (java.io.IOException e) {
      System.err.println("medallion: " + e.getMessage());
      return 1;
    }
  }

  /** Opens the warehouse a run left, or explains that there is none yet. */
  static DuckDbWarehouse open(Main main) throws java.io.IOException {
    Path file = new LocalPipeline.Layout(main.home()).warehouseFile();
    if (!Files.exists(file)) {
      throw new Main.UserError("no local warehouse at " + file + ": run ./medallion run first");
    }
    return new DuckDbWarehouse(file, id -> { throw new IllegalStateException("no loads from the query command"); }, (job, sources) -> {});
  }
}
