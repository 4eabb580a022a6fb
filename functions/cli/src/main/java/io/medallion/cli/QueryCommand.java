package io.medallion.cli;

import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.QueryResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion query "select ..."}: SQL against the local warehouse, read-only. A statement
 * that would write is refused before it runs; the warehouse is opened read-only too (or, while
 * {@code serve} runs, the query runs there in a transaction that is rolled back).
 */
@Command(name = "query", mixinStandardHelpOptions = true,
    description = "Run one read-only SQL statement against the local warehouse (DuckDB) and print a table.")
final class QueryCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "SQL", description = "The statement, e.g. \"select * from gold.country_summary\".")
  String sql;

  @picocli.CommandLine.Option(names = "--format", defaultValue = "table",
      description = "table (default), csv or json.")
  String format;

  @Override
  public Integer call() throws Exception {
    ResultFormat how;
    try {
      how = ResultFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--format must be table, csv or json, got '" + format + "'");
    }
    try (Reading reading = Reading.open(main)) {
      QueryResult result = reading.warehouse().readOnly(sql);
      how.print(result, main.out());
      return 0;
    } catch (DuckDbWarehouse.ReadOnlyViolation e) {
      throw new Main.UserError(e.getMessage());
    } catch (DuckDbWarehouse.WarehouseBusyException e) {
      throw e;
    } catch (IOException e) {
      main.err().println("medallion: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Opens the warehouse a run left, read-only, or explains that there is none yet.
   *
   * @throws DuckDbWarehouse.WarehouseBusyException when a run (not serve) is writing to it
   */
  static DuckDbWarehouse open(Main main) throws IOException {
    Path file = new LocalPipeline.Layout(main.home()).warehouseFile();
    if (!Files.exists(file)) {
      throw new Main.UserError("no local warehouse at " + file + ": run ./medallion run first");
    }
    return DuckDbWarehouse.openReadOnly(file);
  }

  /** The warehouse to read: serve's (left open), or one opened read-only for this command. */
  record Reading(DuckDbWarehouse warehouse, boolean owned) implements AutoCloseable {
    static Reading open(Main main) throws IOException {
      if (main.served().isPresent()) {
        return new Reading(main.served().get().pipeline().warehouse(), false);
      }
      return new Reading(QueryCommand.open(main), true);
    }

    @Override
    public void close() throws IOException {
      if (owned) {
        warehouse.close();
      }
    }
  }
}
