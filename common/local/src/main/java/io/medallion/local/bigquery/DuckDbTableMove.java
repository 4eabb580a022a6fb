package io.medallion.local.bigquery;

import io.medallion.port.TableId;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a table of the local warehouse to another dataset (schema) without losing a row: the new
 * table is created with the old one's own definition (columns, types, NOT NULL), filled from it,
 * the two row counts compared, the partitioning DuckDB remembers for it carried over, and the old
 * table dropped, all in one transaction: a failure anywhere leaves the warehouse as it was.
 */
public final class DuckDbTableMove {

  private DuckDbTableMove() {}

  /** Where a move stands before it runs. */
  public enum State {
    /** The old table is there, the new one is not: it moves. */
    TO_MOVE,
    /** The old table is gone and the new one there: moved before. */
    MOVED,
    /** Both are there with the same rows (a move stopped before its old table was dropped): the old one goes. */
    COPIED,
    /** Both are there with different rows: refused, nothing changes. */
    CONFLICT,
    /** Neither is there. */
    ABSENT
  }

  /** Where {@code from} → {@code to} stands, and the old table's rows (-1 when it is absent). */
  public record Check(TableId from, TableId to, State state, long rows) {}

  /** Reads where the move of {@code from} to {@code to} stands; changes nothing. */
  public static Check check(DuckDbWarehouse warehouse, TableId from, TableId to) throws IOException {
    try {
      return warehouse.withConnection(c -> {
        boolean old = exists(c, from);
        boolean now = exists(c, to);
        long rows = old ? count(c, from) : -1;
        State state;
        if (old && !now) {
          state = State.TO_MOVE;
        } else if (!old) {
          state = now ? State.MOVED : State.ABSENT;
        } else {
          state = same(c, from, to) ? State.COPIED : State.CONFLICT;
        }
        return new Check(from, to, state, rows);
      });
    } catch (SQLException e) {
      throw new IOException("Cannot compare " + from + " and " + to + ": " + DuckDbWarehouse.message(e), e);
    }
  }

  /**
   * Moves {@code from} to {@code to} as {@link #check} found it: a {@link State#TO_MOVE} table is
   * copied then dropped, a {@link State#COPIED} one dropped; anything else is left alone.
   *
   * @return the rows {@code to} holds afterwards
   * @throws IOException when the counts differ after the copy (the transaction is rolled back) or
   *     the move is a {@link State#CONFLICT}
   */
  public static long move(DuckDbWarehouse warehouse, TableId from, TableId to) throws IOException {
    try {
      return warehouse.withConnection(c -> {
        boolean old = exists(c, from);
        boolean now = exists(c, to);
        if (!old) {
          return now ? count(c, to) : 0L;
        }
        if (now && !same(c, from, to)) {
          throw new java.io.UncheckedIOException(
              new IOException(to + " already exists with rows other than " + from + "'s: nothing moved"));
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
          long before = count(c, from);
          if (!now) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + DuckDbWarehouse.quoted(to.dataset()));
            st.execute(definition(c, from, to));
            st.execute("INSERT INTO " + DuckDbWarehouse.quoted(to) + " SELECT * FROM " + DuckDbWarehouse.quoted(from));
          }
          long after = count(c, to);
          if (after != before) {
            throw new java.io.UncheckedIOException(
                new IOException(to + " holds " + after + " rows after the copy, " + from + " " + before + ": nothing moved"));
          }
          Optional<io.medallion.port.TablePartitioning> partitioning = DuckDbPartitioning.read(c, from);
          if (partitioning.isPresent()) {
            DuckDbPartitioning.remember(c, to, partitioning.get());
          }
          DuckDbPartitioning.forget(c, from);
          st.execute("DROP TABLE " + DuckDbWarehouse.quoted(from));
          c.commit();
          return after;
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      });
    } catch (SQLException e) {
      throw new IOException("Cannot move " + from + " to " + to + ": " + DuckDbWarehouse.message(e), e);
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** The tables of {@code dataset}, by name. */
  public static List<TableId> tables(DuckDbWarehouse warehouse, String dataset) throws IOException {
    try {
      return warehouse.withConnection(c -> {
        List<TableId> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT table_name FROM duckdb_tables()"
            + " WHERE database_name = current_database() AND schema_name = ? ORDER BY table_name")) {
          st.setString(1, dataset);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(new TableId(dataset, rs.getString(1)));
            }
          }
        }
        return out;
      });
    } catch (SQLException e) {
      throw new IOException("Cannot list the tables of " + dataset + ": " + DuckDbWarehouse.message(e), e);
    }
  }

  /** Drops {@code dataset} when no table is left in it; whether it did. */
  public static boolean dropIfEmpty(DuckDbWarehouse warehouse, String dataset) throws IOException {
    if (!tables(warehouse, dataset).isEmpty()) {
      return false;
    }
    try {
      return warehouse.withConnection(c -> {
        try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM duckdb_schemas()"
            + " WHERE database_name = current_database() AND schema_name = ?")) {
          st.setString(1, dataset);
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            if (rs.getLong(1) == 0) {
              return false;
            }
          }
        }
        try (Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA " + DuckDbWarehouse.quoted(dataset)); // RESTRICT: refuses if a view is left
        }
        return true;
      });
    } catch (SQLException e) {
      throw new IOException("Cannot drop the empty dataset " + dataset + ": " + DuckDbWarehouse.message(e), e);
    }
  }

  private static boolean exists(Connection c, TableId t) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM duckdb_tables()"
        + " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?")) {
      st.setString(1, t.dataset());
      st.setString(2, t.table());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  private static long count(Connection c, TableId t) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + DuckDbWarehouse.quoted(t))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Same columns (by position) and the same multiset of rows. */
  private static boolean same(Connection c, TableId a, TableId b) throws SQLException {
    if (count(c, a) != count(c, b)) {
      return false;
    }
    String qa = DuckDbWarehouse.quoted(a);
    String qb = DuckDbWarehouse.quoted(b);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM (SELECT * FROM " + qa + " EXCEPT ALL SELECT * FROM " + qb
            + ")) + (SELECT count(*) FROM (SELECT * FROM " + qb + " EXCEPT ALL SELECT * FROM " + qa + "))")) {
      rs.next();
      return rs.getLong(1) == 0;
    } catch (SQLException e) {
      return false; // columns that do not line up: not the same table
    }
  }

  /** {@code from}'s CREATE TABLE statement, as DuckDB keeps it, naming {@code to} instead. */
  private static String definition(Connection c, TableId from, TableId to) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT sql FROM duckdb_tables()"
        + " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?")) {
      st.setString(1, from.dataset());
      st.setString(2, from.table());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        String sql = rs.getString(1);
        int columns = sql.indexOf('(');
        if (!sql.regionMatches(true, 0, "CREATE TABLE ", 0, 13) || columns < 0) {
          throw new SQLException("unexpected definition of " + from + ": " + sql);
        }
        String body = sql.substring(columns).strip();
        return "CREATE TABLE " + DuckDbWarehouse.quoted(to) + (body.endsWith(";") ? body.substring(0, body.length() - 1) : body);
      }
    }
  }
}
