package io.medallion.local.bigquery;

import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.RunLedger;
import io.medallion.port.TableId;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run ledger as a table of the local warehouse, {@code <ops>.run_ledger}, created from the same
 * schema file as the BigQuery table and sharing the warehouse's connection.
 */
public final class DuckDbRunLedger implements RunLedger {

  /** The columns of schemas/bigquery/ops/run_ledger.json, in RunEvent's component order. */
  private static final String COLUMNS =
      "\"event_id\", \"run_id\", \"source\", \"stage\", \"status\", \"page\", \"records\","
          + " \"rows\", \"rejects\", \"bytes\", \"job_id\", \"object_uri\", \"error\","
          + " \"watermark\", \"recorded_at\", \"unknown_fields\", \"bytes_processed\", \"bytes_billed\","
          + " \"slot_ms\", \"gcs_bytes_written\", \"instance_ms\"";

  /** Columns added after the first release, each nullable: an older ledger read read-only lacks them. */
  private static final List<String> ADDED_COLUMNS = List.of("watermark", "unknown_fields", "bytes_processed", "bytes_billed",
      "slot_ms", "gcs_bytes_written", "instance_ms");

  private final DuckDbWarehouse warehouse;
  private final String table;
  /** {@link #COLUMNS} as this ledger's table can answer them: NULL for an added column it lacks. */
  private final String selected;

  /** Opens the ledger in dataset {@code opsDataset}, creating its table if absent. */
  public DuckDbRunLedger(DuckDbWarehouse warehouse, String opsDataset) throws IOException {
    this.warehouse = warehouse;
    TableId id = new TableId(opsDataset, "run_ledger");
    warehouse.ensureTable(id, TableSchema.forTable("ops", "run_ledger"));
    // The ops dataset's other table: gold's data-quality checks insert into it (on GCP it is
    // created from the same schema file).
    warehouse.ensureTable(new TableId(opsDataset, "dq_results"), TableSchema.forTable("ops", "dq_results"));
    this.table = DuckDbWarehouse.quoted(id);
    // A ledger from before the column existed gains it (BigQuery: terraform adds it, nullable).
    if (!warehouse.readOnly()) {
      try {
        warehouse.withConnection(c -> {
          try (var st = c.createStatement()) {
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"watermark\" VARCHAR");
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"unknown_fields\" VARCHAR");
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"bytes_processed\" BIGINT");
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"bytes_billed\" BIGINT");
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"slot_ms\" BIGINT");
            st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"gcs_bytes_written\" BIGINT");
            return st.execute("ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS \"instance_ms\" BIGINT");
          }
        });
      } catch (SQLException ex) {
        throw new IOException("Cannot add the watermark, unknown_fields and bytes_* columns (and the cost ones) to " + table + ": " + DuckDbWarehouse.message(ex), ex);
      }
      this.selected = COLUMNS;
    } else {
      // Read-only (./medallion status while nothing writes): an older ledger cannot gain the
      // columns, so they read as NULL, which is what the writer's ALTER gives old rows anyway.
      java.util.Set<String> missing = new java.util.HashSet<>(ADDED_COLUMNS);
      try {
        warehouse.withConnection(c -> {
          try (PreparedStatement st = c.prepareStatement(
              "select column_name from information_schema.columns where table_schema = ? and table_name = 'run_ledger'")) {
            st.setString(1, opsDataset);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                missing.remove(rs.getString(1));
              }
            }
          }
          return null;
        });
      } catch (SQLException ex) {
        throw new IOException("Cannot read the columns of " + table + ": " + DuckDbWarehouse.message(ex), ex);
      }
      String columns = COLUMNS;
      for (String column : missing) {
        columns = columns.replace("\"" + column + "\"", "NULL AS \"" + column + "\"");
      }
      this.selected = columns;
    }
  }

  @Override
  public void record(RunEvent e) throws IOException {
    recordAll(List.of(e));
  }

  /** All in one transaction; each statement checks and inserts at once, so no writer can slip between. */
  @Override
  public void recordAll(List<RunEvent> events) throws IOException {
    if (events.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO " + table + " (" + COLUMNS + ")"
            + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"
            + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE event_id = ?)";
    try {
      warehouse.withConnection(
          c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement st = c.prepareStatement(sql)) {
              for (RunEvent e : events) {
                Object[] values = {
                  e.eventId(), e.runId(), e.source(), e.stage().label(), e.status().label(),
                  e.page(), e.records(), e.rows(), e.rejects(), e.bytes(), e.jobId(),
                  e.objectUri(), e.error(), e.watermark(), LocalDateTime.ofInstant(e.recordedAt(), ZoneOffset.UTC),
                  e.unknownFields(), e.bytesProcessed(), e.bytesBilled(),
                  e.slotMs(), e.gcsBytesWritten(), e.instanceMs(),
                  e.eventId()
                };
                for (int i = 0; i < values.length; i++) {
                  st.setObject(i + 1, values[i]);
                }
                st.executeUpdate();
              }
              c.commit();
              return null;
            } catch (SQLException ex) {
              c.rollback();
              throw ex;
            } finally {
              c.setAutoCommit(auto);
            }
          });
    } catch (SQLException ex) {
      throw new IOException(
          "Cannot record ledger event " + events.get(0).eventId() + (events.size() > 1 ? " and " + (events.size() - 1) + " more" : "")
              + ": " + DuckDbWarehouse.message(ex), ex);
    }
  }

  @Override
  public java.util.Optional<String> watermark(String source, String resource) throws IOException {
    String sql =
        "SELECT w.watermark FROM " + table + " w"
            + " WHERE w.source = ? AND w.stage = 'ingest' AND w.status = 'checkpoint' AND w.event_id = w.run_id || ?"
            + " AND w.watermark IS NOT NULL"
            + " AND EXISTS (SELECT 1 FROM " + table + " g WHERE g.run_id = w.run_id AND g.stage = 'gold' AND g.status = 'succeeded')"
            + " AND NOT EXISTS (SELECT 1 FROM " + table + " d WHERE d.run_id = w.run_id AND d.stage = 'dq' AND d.status = 'failed')"
            + " ORDER BY w.recorded_at DESC LIMIT 1";
    try {
      return warehouse.withConnection(c -> {
        try (PreparedStatement st = c.prepareStatement(sql)) {
          st.setString(1, source);
          st.setString(2, "/ingest/checkpoint/watermark-" + resource);
          try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.<String>empty();
          }
        }
      });
    } catch (SQLException ex) {
      throw new IOException("Cannot read the watermark of " + source + "/" + resource + ": " + DuckDbWarehouse.message(ex), ex);
    }
  }

  @Override
  public List<RunEvent> sourceEvents(String source, Stage stage, Status status, java.time.Instant since)
      throws IOException {
    String sql = "SELECT " + COLUMNS + " FROM " + table
        + " WHERE source = ? AND stage = ? AND status = ? AND recorded_at >= ? ORDER BY recorded_at, event_id";
    try {
      return warehouse.withConnection(c -> {
        try (PreparedStatement st = c.prepareStatement(sql)) {
          st.setString(1, source);
          st.setString(2, stage.label());
          st.setString(3, status.label());
          st.setObject(4, LocalDateTime.ofInstant(since, ZoneOffset.UTC));
          List<RunEvent> events = new ArrayList<>();
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              events.add(event(rs));
            }
          }
          return events;
        }
      });
    } catch (SQLException ex) {
      throw new IOException("Cannot read the " + stage.label() + " events of " + source + ": " + DuckDbWarehouse.message(ex), ex);
    }
  }

  @Override
  public List<RunEvent> events(String runId) throws IOException {
    String sql =
        "SELECT " + selected + " FROM " + table + " WHERE run_id = ? ORDER BY recorded_at, event_id";
    try {
      return warehouse.withConnection(
          c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
              st.setString(1, runId);
              List<RunEvent> events = new ArrayList<>();
              try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                  events.add(event(rs));
                }
              }
              return events;
            }
          });
    } catch (SQLException ex) {
      throw new IOException(
          "Cannot read ledger of run " + runId + ": " + DuckDbWarehouse.message(ex), ex);
    }
  }

  @Override
  public List<String> recentRuns(int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("Negative limit " + limit);
    }
    String sql =
        "SELECT run_id FROM " + table
            + " GROUP BY run_id ORDER BY max(recorded_at) DESC, run_id DESC LIMIT ?";
    try {
      return warehouse.withConnection(
          c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
              st.setInt(1, limit);
              List<String> runs = new ArrayList<>();
              try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                  runs.add(rs.getString(1));
                }
              }
              return runs;
            }
          });
    } catch (SQLException ex) {
      throw new IOException("Cannot list recent runs: " + DuckDbWarehouse.message(ex), ex);
    }
  }

  private static RunEvent event(ResultSet rs) throws SQLException {
    return new RunEvent(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        Stage.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)),
        Status.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)),
        longOrNull(rs, 6),
        longOrNull(rs, 7),
        longOrNull(rs, 8),
        longOrNull(rs, 9),
        longOrNull(rs, 10),
        rs.getString(11),
        rs.getString(12),
        rs.getString(13),
        rs.getString(14),
        rs.getObject(15, LocalDateTime.class).toInstant(ZoneOffset.UTC),
        rs.getString(16),
        longOrNull(rs, 17),
        longOrNull(rs, 18),
        longOrNull(rs, 19),
        longOrNull(rs, 20),
        longOrNull(rs, 21));
  }

  private static Long longOrNull(ResultSet rs, int column) throws SQLException {
    Object v = rs.getObject(column);
    return v == null ? null : ((Number) v).longValue();
  }
}
