package io.medallion.local.bigquery;

import io.medallion.local.metrics.MeterRow;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The meters of local runs, {@code ops.run_metrics}: what {@code ./medallion run} measured, kept so
 * that {@code ./medallion status RUN_ID} can show it later. Local only: on GCP the same meters are
 * time series in Cloud Monitoring, not a table.
 */
public final class DuckDbMeterTable {

  private static final TableSchema SCHEMA = TableSchema.parse("""
      [
        {"name": "run_id", "type": "STRING", "mode": "REQUIRED"},
        {"name": "meter", "type": "STRING", "mode": "REQUIRED"},
        {"name": "tags", "type": "STRING", "mode": "REQUIRED"},
        {"name": "count", "type": "FLOAT64", "mode": "REQUIRED"},
        {"name": "total_seconds", "type": "FLOAT64", "mode": "NULLABLE"},
        {"name": "max_seconds", "type": "FLOAT64", "mode": "NULLABLE"},
        {"name": "recorded_at", "type": "TIMESTAMP", "mode": "REQUIRED"}
      ]""");

  private final DuckDbWarehouse warehouse;
  private final TableId table;

  public DuckDbMeterTable(DuckDbWarehouse warehouse, String opsDataset) throws IOException {
    this.warehouse = warehouse;
    this.table = new TableId(opsDataset, "run_metrics");
    warehouse.ensureTable(table, SCHEMA);
  }

  /** Replaces what was saved for {@code runId} with {@code rows}. */
  public void save(String runId, List<MeterRow> rows, Instant at) throws IOException {
    String quoted = DuckDbWarehouse.quoted(table);
    try {
      warehouse.withConnection(c -> {
        c.setAutoCommit(false);
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + quoted + " WHERE run_id = ?");
            PreparedStatement insert = c.prepareStatement("INSERT INTO " + quoted + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          delete.setString(1, runId);
          delete.executeUpdate();
          for (MeterRow r : rows) {
            insert.setString(1, runId);
            insert.setString(2, r.meter());
            insert.setString(3, r.tags());
            insert.setDouble(4, r.count());
            insert.setObject(5, r.totalSeconds());
            insert.setObject(6, r.maxSeconds());
            insert.setObject(7, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            insert.executeUpdate();
          }
          c.commit();
          return null;
        } catch (SQLException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      });
    } catch (SQLException e) {
      throw new IOException("Cannot save the meters of run " + runId + " in " + table + ": " + DuckDbWarehouse.message(e), e);
    }
  }

  /** What was saved for {@code runId}, by meter and tags. */
  public List<MeterRow> load(String runId) throws IOException {
    if (!warehouse.tableExists(table)) {
      return List.of(); // no run saved meters yet (a read-only warehouse creates nothing)
    }
    QueryResult result = warehouse.read(
        "select meter, tags, count, total_seconds, max_seconds from " + DuckDbWarehouse.quoted(table)
            + " where run_id = @run_id order by meter, tags",
        Map.of("run_id", runId));
    List<MeterRow> rows = new ArrayList<>();
    for (List<Object> r : result.rows()) {
      rows.add(new MeterRow((String) r.get(0), (String) r.get(1), ((Number) r.get(2)).doubleValue(),
          r.get(3) == null ? null : ((Number) r.get(3)).doubleValue(),
          r.get(4) == null ? null : ((Number) r.get(4)).doubleValue()));
    }
    return rows;
  }
}
