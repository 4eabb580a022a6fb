package io.medallion.local.bigquery;

import io.medallion.port.TablePartitioning;
import io.medallion.port.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The partitioning and clustering DuckDB keeps for each table, in {@code _medallion.partitioning}:
 * DuckDB has no partitions, so a table's declared partitioning is remembered beside it, and its
 * partition expiration is done by deleting, after each load, the rows whose partition has expired
 * as BigQuery's would. What a table was created with is what it keeps: as on BigQuery, where only
 * the expiration and the clustering of an existing table change in place (Terraform updates them)
 * and a new column or granularity takes {@code medallion repartition}.
 */
final class DuckDbPartitioning {

  static final String TABLE = "_medallion.partitioning";

  private DuckDbPartitioning() {}

  /** Creates the metadata table, on a writable warehouse's open. */
  static void createMetadata(Statement st) throws SQLException {
    st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (table_id VARCHAR PRIMARY KEY, column_name VARCHAR NOT NULL,"
        + " granularity VARCHAR NOT NULL, expiration_days INTEGER, clustering VARCHAR NOT NULL)");
  }

  /** The partitioning remembered for {@code table}; empty for a table created unpartitioned (or none). */
  static Optional<TablePartitioning> read(Connection c, TableId table) throws SQLException {
    try (PreparedStatement exists = c.prepareStatement("select count(*) from information_schema.tables"
        + " where table_schema = '_medallion' and table_name = 'partitioning'")) {
      try (ResultSet rs = exists.executeQuery()) {
        rs.next();
        if (rs.getLong(1) == 0) {
          return Optional.empty(); // a warehouse from before partitioning, opened read-only
        }
      }
    }
    try (PreparedStatement st = c.prepareStatement(
        "SELECT column_name, granularity, expiration_days, clustering FROM " + TABLE + " WHERE table_id = ?")) {
      st.setString(1, table.sql());
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        int days = rs.getInt(3);
        Integer expiration = rs.wasNull() ? null : days;
        String clustering = rs.getString(4);
        return Optional.of(new TablePartitioning(rs.getString(1), TablePartitioning.Granularity.valueOf(rs.getString(2)),
            expiration, clustering.isEmpty() ? List.of() : Arrays.asList(clustering.split(","))));
      }
    }
  }

  /** Remembers {@code partitioning} as {@code table}'s, replacing what was. */
  static void remember(Connection c, TableId table, TablePartitioning partitioning) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?, ?)")) {
      st.setString(1, table.sql());
      st.setString(2, partitioning.column());
      st.setString(3, partitioning.granularity().name());
      st.setObject(4, partitioning.expirationDays());
      st.setString(5, String.join(",", partitioning.clustering()));
      st.executeUpdate();
    }
  }

  /** Forgets {@code table}'s partitioning (the table is gone). */
  static void forget(Connection c, TableId table) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + TABLE + " WHERE table_id = ?")) {
      st.setString(1, table.sql());
      st.executeUpdate();
    }
  }

  /**
   * What a load declaring {@code declared} makes of an existing table's remembered partitioning,
   * as {@code terraform apply} would of the table: the expiration and the clustering follow the
   * declaration, the column and the granularity stay (changing them replaces a BigQuery table).
   * Empty when nothing is remembered: the table was created unpartitioned, and stays so until
   * {@code medallion repartition}.
   */
  static Optional<TablePartitioning> inPlace(Optional<TablePartitioning> remembered, TablePartitioning declared) {
    return remembered.map(r -> new TablePartitioning(r.column(), r.granularity(), declared.expirationDays(), declared.clustering()));
  }

  /**
   * Deletes the rows of {@code table} whose partition has expired at {@code now}: a partition's
   * start (the day or month of its column's value, UTC) plus the expiration days before {@code
   * now}. A NULL value is in no dated partition and never expires, as BigQuery's {@code __NULL__}
   * partition does not. Returns the rows deleted.
   */
  static long expire(Connection c, TableId table, TablePartitioning partitioning, Instant now) throws SQLException {
    Optional<Instant> keptFrom = partitioning.keptFrom(now);
    if (keptFrom.isEmpty()) {
      return 0;
    }
    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + DuckDbWarehouse.quoted(table) + " WHERE CAST(date_trunc('"
        + partitioning.granularity().name().toLowerCase(java.util.Locale.ROOT) + "', " + DuckDbWarehouse.quoted(partitioning.column())
        + ") AS TIMESTAMP) < ?")) {
      st.setObject(1, LocalDateTime.ofInstant(keptFrom.get(), ZoneOffset.UTC));
      return st.executeUpdate();
    }
  }
}
