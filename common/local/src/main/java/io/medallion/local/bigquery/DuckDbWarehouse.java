package io.medallion.local.bigquery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.medallion.port.CostGuardExceeded;
import io.medallion.port.GuardedRead;
import io.medallion.port.JobStatus;
import io.medallion.port.JobStatus.JobState;
import io.medallion.port.JobStatus.JobType;
import io.medallion.port.LoadJob;
import io.medallion.port.NamedParameters;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.schema.Field;
import io.medallion.schema.SchemaDiff;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The local stand-in for BigQuery: one DuckDB database file in which datasets are schemas.
 *
 * <p>Jobs run synchronously. Each is recorded in {@code _medallion.jobs} in the same transaction as
 * the data it wrote, so a job id exists exactly when its effect does, and a redelivered event that
 * derives the same job id gets the first job back (BigQuery answers 409 and the caller fetches the
 * job). A failed job is recorded too, DONE with its error, like BigQuery's {@code errorResult}.
 *
 * <p>After a new job commits, the {@link CompletionListener} hears of it: the local counterpart of
 * the completion audit-log entry that Cloud Logging routes to Pub/Sub on GCP.
 *
 * <p>BigQuery functions gold SQL may use that DuckDB lacks are installed on open, in the database
 * so that the DuckDB CLI sees them too: {@code safe_divide(a, b)}, {@code format_date(format,
 * date)} and the type name {@code FLOAT64}. See {@link #DIALECT}.
 *
 * <p>A load evolves its table as a BigQuery load with {@code ALLOW_FIELD_ADDITION} and {@code
 * ALLOW_FIELD_RELAXATION} does, in the transaction of its rows: {@code ALTER TABLE ... ADD COLUMN}
 * for a new column (a REPEATED one {@code NOT NULL DEFAULT []}, so older rows hold an empty list)
 * and for a new field of a STRUCT ({@code ADD COLUMN r.f}; {@code items.element.f} inside a list of
 * them), {@code DROP NOT NULL} for a relaxed one. A breaking change fails the job and changes
 * nothing, as BigQuery's "Provided Schema does not match Table" does.
 *
 * <p>One JDBC connection serves everything, guarded by this object's monitor: DuckDB allows one
 * writing process, and the whole local pipeline runs in one JVM. The query API's reads ({@link
 * #readGuarded}, {@link #lastModified}) are the exception: they run on a small pool of duplicated
 * connections to the same database, outside the monitor, concurrently with each other and with a
 * job (DuckDB's MVCC gives each read the data committed when it began).
 */
public final class DuckDbWarehouse implements Warehouse, AutoCloseable {

  /** Hears of each job when it has committed, once per job id. */
  @FunctionalInterface
  public interface CompletionListener {
    /**
     * @param job the DONE job, failed or not
     * @param sourceUris the objects a load job read; empty for queries
     */
    void jobDone(JobStatus job, List<ObjectId> sourceUris);
  }

  /** Work on the shared connection, for {@link DuckDbRunLedger}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final Logger LOG = Logger.getLogger(DuckDbWarehouse.class.getName());

  /**
   * The name the database file is attached under. DuckDB would otherwise name the catalog after
   * the file, and a file called {@code silver.duckdb} would make {@code silver.t} ambiguous.
   */
  private static final String CATALOG = "medallion_warehouse";

  /** Names that would be ambiguous with a catalog in {@code dataset.table}. */
  private static final Set<String> RESERVED_DATASETS = Set.of(CATALOG, "temp", "system");

  private static final String JOBS = "_medallion.jobs";

  /**
   * BigQuery functions and types that DuckDB lacks. Only exact equivalents belong here; what
   * needs rewriting (SAFE_CAST, TIMESTAMP_TRUNC(ts, DAY), DATE_TRUNC(d, MONTH)) does not.
   */
  private static final List<String> DIALECT =
      List.of(
          // SAFE_DIVIDE: NULL instead of an error for a zero or NULL divisor. DuckDB's "/" is
          // already floating-point division on integers, as BigQuery's is.
          "CREATE OR REPLACE MACRO safe_divide(a, b) AS"
              + " CASE WHEN b = 0 OR b IS NULL THEN NULL ELSE a / b END",
          // FORMAT_DATE takes the format first; the common elements (%Y %m %d %B %b %A %a %j)
          // mean the same to strftime.
          "CREATE OR REPLACE MACRO format_date(fmt, d) AS strftime(d, fmt)",
          // UNIX_SECONDS(timestamp): whole seconds since the epoch, as BigQuery's.
          "CREATE OR REPLACE MACRO unix_seconds(ts) AS CAST(floor(epoch(ts)) AS BIGINT)",
          // GENERATE_ARRAY(start, end): the integers from start to end, both included, as an
          // array to UNNEST (the step argument is not supplied).
          "CREATE OR REPLACE MACRO generate_array(a, b) AS generate_series(a, b)",
          // TIMESTAMP_SUB(ts, INTERVAL n unit): DuckDB subtracts an interval from a timestamp.
          "CREATE OR REPLACE MACRO timestamp_sub(ts, i) AS ts - i",
          // TIMESTAMP_SECONDS(n): the TIMESTAMP n whole seconds after the epoch, as BigQuery's.
          "CREATE OR REPLACE MACRO timestamp_seconds(s) AS make_timestamp(CAST(s AS BIGINT) * 1000000)",
          // CAST(x AS FLOAT64); INT64, STRING and BOOL are already DuckDB type names.
          "CREATE TYPE IF NOT EXISTS float64 AS DOUBLE");

  /** The table a CREATE [OR REPLACE] TABLE|VIEW statement makes, after any leading comments. */
  private static final Pattern CREATE_TARGET =
      Pattern.compile(
          "(?is)(?:\\s|--[^\\n]*|/\\*.*?\\*/)*create\\s+(?:or\\s+replace\\s+)?(?:table|view)\\s+"
              + "(?:if\\s+not\\s+exists\\s+)?([A-Za-z_]\\w*)\\s*\\.\\s*([A-Za-z_]\\w*)");

  private static final JsonFactory JSON = new JsonFactory();

  private final Connection connection;
  private final QueryCostEstimator estimator = new QueryCostEstimator(CATALOG);
  /** Whether query jobs get a cost estimate; see {@link #estimateCosts}. */
  private volatile boolean estimatingCosts = true;
  private final Function<ObjectId, Path> objectFiles;
  private final CompletionListener listener;
  private final boolean readOnly;

  /**
   * Connections for the query API's reads: as many as the API has request threads, so that none
   * waits for a connection while DuckDB shares the cores among the running reads.
   */
  static final int READERS = 8;
  private final Semaphore readerSlots = new Semaphore(READERS);
  private final Deque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
  private final Set<Connection> openReaders = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * The instant of this instance's latest write, strictly increasing; at open, the database file's
   * last change. What {@link #lastModified} answers for every table.
   */
  private final AtomicReference<Instant> lastWrite;

  /** A table's column sizes (null: no such table), as measured while the data was at {@code lastWrite}. */
  private record MeasuredTable(Instant lastWrite, QueryCostEstimator.TableSizes sizes) {}

  private final Map<TableId, MeasuredTable> measuredTables = new ConcurrentHashMap<>();

  /**
   * Opens (creating if absent, parent directories too) the database file.
   *
   * @param objectFiles the local file that holds a gs:// object (the local object store is a
   *     directory)
   * @throws WarehouseBusyException when another process holds the file
   * @throws IOException when the file cannot be opened otherwise
   */
  public DuckDbWarehouse(
      Path databaseFile, Function<ObjectId, Path> objectFiles, CompletionListener listener)
      throws IOException {
    this(databaseFile, objectFiles, listener, false);
  }

  private DuckDbWarehouse(
      Path databaseFile, Function<ObjectId, Path> objectFiles, CompletionListener listener, boolean readOnly)
      throws IOException {
    this.objectFiles = Objects.requireNonNull(objectFiles, "objectFiles");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.readOnly = readOnly;
    Path file = databaseFile.toAbsolutePath();
    if (!readOnly && file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    this.connection = open(file, readOnly);
    this.lastWrite = new AtomicReference<>(lastChanged(file));
  }

  /**
   * When the database file (or its write-ahead log, which a writer that stopped short leaves
   * behind) last changed: the data's last change as far as a process that just opened it can know.
   */
  private static Instant lastChanged(Path file) throws IOException {
    Instant changed = Files.getLastModifiedTime(file).toInstant();
    Path wal = file.resolveSibling(file.getFileName() + ".wal");
    if (Files.exists(wal)) {
      Instant walChanged = Files.getLastModifiedTime(wal).toInstant();
      changed = walChanged.isAfter(changed) ? walChanged : changed;
    }
    return changed.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Records that this instance has just written: the stamp moves forward even within one
   * microsecond, so that a read that began before the write never shares the stamp of the data
   * after it.
   */
  private void wrote() {
    if (readOnly) {
      return;
    }
    Instant now = now();
    lastWrite.accumulateAndGet(now, (previous, candidate) ->
        candidate.isAfter(previous) ? candidate : previous.plus(1, ChronoUnit.MICROS));
  }

  /**
   * Opens an existing database file read-only: nothing can be written through it, and any number
   * of read-only processes may have the file open at once (but none while a writer has it).
   *
   * @throws WarehouseBusyException when a writing process holds the file
   */
  public static DuckDbWarehouse openReadOnly(Path databaseFile) throws IOException {
    return new DuckDbWarehouse(databaseFile,
        id -> {
          throw new IllegalStateException("a read-only warehouse loads nothing");
        },
        (job, sources) -> {},
        true);
  }

  /** Another process has the database file open for writing (DuckDB allows one such process). */
  public static final class WarehouseBusyException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Long pid;

    WarehouseBusyException(Path file, Long pid, SQLException cause) {
      super("the warehouse " + file + " is in use by another process" + (pid == null ? "" : " (pid " + pid + ")"), cause);
      this.pid = pid;
    }

    /** The process holding the file, when DuckDB said. */
    public Optional<Long> pid() {
      return Optional.ofNullable(pid);
    }
  }

  private static final Pattern LOCK_HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

  private static Connection open(Path file, boolean readOnly) throws IOException {
    Connection c = null;
    try {
      c = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement st = c.createStatement()) {
        st.execute("ATTACH '" + file.toString().replace("'", "''") + "' AS " + CATALOG + (readOnly ? " (READ_ONLY)" : ""));
        st.execute("USE " + CATALOG);
        st.execute("DETACH memory");
        // Naive TIMESTAMP columns hold UTC, as BigQuery's TIMESTAMP does; casts follow this zone.
        st.execute("SET TimeZone = 'UTC'");
        if (!readOnly) {
          for (String statement : DIALECT) {
            st.execute(statement);
          }
          st.execute("CREATE SCHEMA IF NOT EXISTS _medallion");
          st.execute(
              "CREATE TABLE IF NOT EXISTS "
                  + JOBS
                  + " (job_id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, state VARCHAR NOT NULL,"
                  + " error VARCHAR, labels VARCHAR NOT NULL, destination VARCHAR,"
                  + " output_rows BIGINT NOT NULL, source_uris VARCHAR NOT NULL, sql VARCHAR,"
                  + " created_at TIMESTAMP NOT NULL, ended_at TIMESTAMP)");
          DuckDbPartitioning.createMetadata(st);
          // A query job's cost estimate, so that a job looked up again carries it (added later:
          // a warehouse from before gains the columns, its jobs' costs unknown).
          st.execute("ALTER TABLE " + JOBS + " ADD COLUMN IF NOT EXISTS bytes_processed BIGINT");
          st.execute("ALTER TABLE " + JOBS + " ADD COLUMN IF NOT EXISTS bytes_billed BIGINT");
          st.execute("ALTER TABLE " + JOBS + " ADD COLUMN IF NOT EXISTS rows_read BIGINT");
        }
      }
      return c;
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      String m = String.valueOf(e.getMessage());
      if (m.contains("Could not set lock on file")) {
        Matcher holder = LOCK_HOLDER.matcher(m);
        throw new WarehouseBusyException(file, holder.find() ? Long.valueOf(holder.group(1)) : null, e);
      }
      throw new IOException("Cannot open DuckDB warehouse " + file + ": " + message(e), e);
    }
  }

  /**
   * Runs a person's SQL, only if it is one statement that reads: anything else (DELETE, DROP,
   * COPY, ATTACH, SET, PRAGMA, several statements) is refused before it runs, by DuckDB's own
   * parser (which serializes SELECT statements only). It then runs in a transaction that is rolled
   * back, so that not even a function with a side effect could change the warehouse.
   *
   * @throws ReadOnlyViolation naming what was refused
   */
  public synchronized QueryResult readOnly(String sql) throws IOException {
    String refusal;
    try (PreparedStatement check = connection.prepareStatement("select json_serialize_sql(?)")) {
      check.setString(1, sql);
      try (ResultSet rs = check.executeQuery()) {
        rs.next();
        com.google.gson.JsonObject parsed = com.google.gson.JsonParser.parseString(rs.getString(1)).getAsJsonObject();
        if (parsed.get("error").getAsBoolean()) {
          String why = parsed.has("error_message") ? parsed.get("error_message").getAsString() : "not a query";
          refusal = why.startsWith("Only SELECT statements")
              ? "only a single SELECT (or WITH ... SELECT, FROM ..., VALUES, DESCRIBE, SUMMARIZE) may run here"
              : why;
        } else {
          int statements = parsed.getAsJsonArray("statements").size();
          refusal = statements == 1 ? null : "one statement at a time, got " + statements;
        }
      }
    } catch (SQLException e) {
      throw new IOException("Cannot check the statement: " + message(e), e);
    }
    if (refusal != null) {
      throw new ReadOnlyViolation(refusal);
    }
    try {
      connection.setAutoCommit(false);
      try {
        return read(sql, Map.of());
      } finally {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException("Read failed: " + message(e), e);
    }
  }

  /**
   * Whether query jobs carry an estimate of what BigQuery would bill for them ({@link
   * JobStatus#bytesProcessed()}, {@link JobStatus#bytesBilled()}), made by {@link QueryCostEstimator}
   * from DuckDB's profile of the statement. On by default; off, jobs carry an unknown cost and run
   * without the profiler and the size measurements.
   */
  public void estimateCosts(boolean on) {
    this.estimatingCosts = on;
  }

  /** Whether this warehouse was opened read-only. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Whether {@code table} exists. */
  public synchronized boolean tableExists(TableId table) throws IOException {
    try (PreparedStatement st = connection.prepareStatement(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?")) {
      st.setString(1, table.dataset());
      st.setString(2, table.table());
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IOException("Cannot look up table " + table + ": " + message(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read back from DuckDB's column types; what DuckDB keeps alike is in {@link #schemaDiff}.
   */
  @Override
  public synchronized Optional<TableSchema> tableSchema(TableId table) throws IOException {
    try {
      return liveSchema(connection, table);
    } catch (SQLException e) {
      throw new IOException("Cannot read the schema of " + table + ": " + message(e), e);
    } catch (IllegalArgumentException e) {
      throw new IOException("Cannot read the schema of " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Locally DATETIME and TIMESTAMP are both TIMESTAMP, a BIGNUMERIC wider than DuckDB's 38 digits
   * is its text (VARCHAR, read as STRING), NUMERIC without a precision is DECIMAL(38, 9), and a
   * STRUCT's fields are never NOT NULL: the declared schema is compared as it reads back so.
   */
  @Override
  public Optional<SchemaDiff> schemaDiff(TableId table, TableSchema declared) throws IOException {
    return tableSchema(table).map(live -> SchemaDiff.between(DuckDbTypes.asStored(declared), live));
  }

  private static Optional<TableSchema> liveSchema(Connection c, TableId table) throws SQLException {
    List<Field> fields = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(
        "select column_name, data_type, is_nullable from information_schema.columns"
            + " where table_schema = ? and table_name = ? order by ordinal_position")) {
      st.setString(1, table.dataset());
      st.setString(2, table.table());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          fields.add(DuckDbTypes.column(rs.getString(1), rs.getString(2), "NO".equals(rs.getString(3))));
        }
      }
    }
    return fields.isEmpty() ? Optional.empty() : Optional.of(new TableSchema(fields));
  }

  /** SQL refused by {@link #readOnly} before it ran. */
  public static final class ReadOnlyViolation extends IOException {
    private static final long serialVersionUID = 1L;

    ReadOnlyViolation(String why) {
      super("Refused, nothing ran: " + why + ". The query command only reads.");
    }
  }

  /** Creates the datasets (schemas) that do not exist yet. */
  public synchronized void ensureDataset(String... datasets) throws IOException {
    if (readOnly) {
      return;
    }
    try {
      for (String dataset : datasets) {
        createSchema(dataset);
      }
    } catch (SQLException e) {
      throw new IOException("Cannot create dataset: " + message(e), e);
    } finally {
      wrote();
    }
  }

  @Override
  public JobStatus load(LoadJob job) throws IOException {
    Outcome outcome = runLoad(job);
    announce(outcome, job.sources());
    return outcome.status();
  }

  /**
   * Types a big CSV file as BigQuery does in the deployment: the file read raw (every column text,
   * in file order: DuckDB keeps a CSV's order, so rows carry their record's number), typed by the
   * same generated SQL in DuckDB's dialect, and the rows and rejects written to staging as files
   * (one each) with {@code COPY}.
   */
  @Override
  public synchronized io.medallion.port.TypingJob.Result typeFile(io.medallion.port.TypingJob job) throws IOException {
    io.medallion.typing.TypingSql.unsupported(job.schema(), job.mapping(), job.format()).ifPresent(why -> {
      throw new IllegalArgumentException("Cannot type " + job.file().uri() + " in the warehouse: " + why);
    });
    Path file = objectFiles.apply(job.file());
    ObjectId rowsId = new ObjectId(job.rowsPrefix().bucket(), job.rowsPrefix().name() + "-000000000000.json");
    ObjectId rejectsId = new ObjectId(job.rejectsPrefix().bucket(), job.rejectsPrefix().name() + "-000000000000.json");
    Path rows = objectFiles.apply(rowsId);
    Path rejects = objectFiles.apply(rejectsId);
    java.nio.file.Files.createDirectories(rows.getParent());
    java.nio.file.Files.createDirectories(rejects.getParent());
    io.medallion.typing.TypingSql.Dialect d = io.medallion.typing.TypingSql.Dialect.DUCKDB;
    StringBuilder columns = new StringBuilder("{");
    for (int i = 0; i < job.header().size(); i++) {
      columns.append(i == 0 ? "" : ", ").append("'c").append(i + 1).append("': 'VARCHAR'");
    }
    columns.append('}');
    String read = "select * from read_csv(" + io.medallion.typing.TypingSql.literal(d, file.toString()) + ", header = true, skip = " + (job.format().headerRow() - 1)
        + ", delim = " + io.medallion.typing.TypingSql.literal(d, String.valueOf(job.format().delimiter()))
        + ", quote = " + io.medallion.typing.TypingSql.literal(d, String.valueOf(job.format().quote()))
        + ", escape = " + io.medallion.typing.TypingSql.literal(d, String.valueOf(job.format().quote()))
        + ", encoding = '" + (job.format().encoding().name().equals("UTF-8") ? "utf-8" : "latin-1") + "'"
        + ", columns = " + columns + ", auto_detect = false, strict_mode = true, null_padding = false)";
    String typed = io.medallion.typing.TypingSql.typed(d, job.schema(), job.mapping(), job.format(), job.header());
    String dedup = io.medallion.typing.TypingSql.deduplicated(d, job.schema(), job.mapping());
    List<String> silverColumns = job.schema().names().stream().map(n -> "\"" + n.replace("\"", "\"\"") + "\"").toList();
    long headerLines = job.format().headerRow();
    try (Statement st = connection.createStatement()) {
      // A base table keeps the file's order in its rowid (DuckDB preserves insertion order).
      st.execute("create or replace temp table raw_file as " + read);
      st.execute("create or replace temp table raw as select (rowid + 1 + " + headerLines + ") as _row, * from raw_file");
      try (PreparedStatement lineage = connection.prepareStatement("create or replace temp table lineage as select"
          + " cast(? as varchar) as run_id, cast(? as varchar) as source_uri, cast(? as bigint) as source_generation,"
          + " cast(? as timestamptz) as ingested_at, cast(? as varchar) as file_key")) {
        lineage.setString(1, job.runId());
        lineage.setString(2, job.file().uri());
        lineage.setLong(3, job.generation());
        lineage.setObject(4, java.time.OffsetDateTime.ofInstant(job.ingestedAt(), ZoneOffset.UTC));
        lineage.setString(5, job.fileKey());
        lineage.execute();
      }
      st.execute("create or replace temp table typed as " + typed);
      st.execute("create or replace temp table typed_final as " + dedup);
      st.execute("copy (select " + String.join(", ", silverColumns) + " from typed_final where _reason is null order by \"_source_record\")"
          + " to " + io.medallion.typing.TypingSql.literal(d, rows.toString()) + " (format json)");
      st.execute("copy (select lineage.source_uri as source_uri, lineage.source_generation as source_generation,"
          + " t._source_record as source_record, t._reason as reason, t._message as message, cast(t._record as json) as record"
          + " from typed_final as t cross join lineage where t._reason is not null order by t._source_record)"
          + " to " + io.medallion.typing.TypingSql.literal(d, rejects.toString()) + " (format json)");
      long records = 0;
      long kept = 0;
      Map<String, Long> byReason = new java.util.TreeMap<>();
      try (ResultSet rs = st.executeQuery("select _reason, count(*) from typed_final group by _reason")) {
        while (rs.next()) {
          long n = rs.getLong(2);
          records += n;
          if (rs.getString(1) == null) {
            kept = n;
          } else {
            byReason.put(rs.getString(1), n);
          }
        }
      }
      st.execute("drop table raw_file; drop table raw; drop table typed; drop table typed_final; drop table lineage");
      return new io.medallion.port.TypingJob.Result(records, kept, byReason, List.of(rowsId), List.of(rejectsId));
    } catch (SQLException e) {
      throw new IOException("Typing " + job.file().uri() + " in the warehouse failed: " + message(e), e);
    }
  }

  @Override
  public JobStatus query(QueryJob job) throws IOException {
    Outcome outcome = runQuery(job);
    announce(outcome, List.of());
    return outcome.status();
  }

  /** A job and whether this call created it (only then is the listener told). */
  private record Outcome(JobStatus status, boolean created) {}

  private synchronized Outcome runLoad(LoadJob job) throws IOException {
    Optional<JobStatus> existing = job(job.jobId());
    if (existing.isPresent()) {
      return new Outcome(existing.get(), false);
    }
    try {
      return new Outcome(loadNew(job), true);
    } finally {
      wrote();
    }
  }

  private JobStatus loadNew(LoadJob job) throws IOException {
    Instant created = now();
    TableId table = job.destination();
    JobStatus done;
    try {
      // Locally nothing creates the tables up front (Terraform does on GCP, where loads run with
      // CREATE_NEVER), so a load creates a missing one: outside the transaction, so that it exists
      // afterwards even when the rows are refused. A table the load creates is partitioned as
      // the load declares, as Terraform would have created it.
      boolean existed = liveSchema(connection, table).isPresent();
      createTable(table, job.schema());
      if (!existed && job.partitioning() != null) {
        DuckDbPartitioning.remember(connection, table, job.partitioning());
      }
      SchemaDiff diff = SchemaDiff.between(DuckDbTypes.asStored(job.schema()), liveSchema(connection, table).orElseThrow());
      if (diff.breaking()) {
        throw new JobFailure("Failed to load " + uris(job.sources()) + " into " + table + ": " + diff.refusal(table.sql()), null);
      }
      String append = appendSql(table, job.schema());
      done =
          inTransaction(
              c -> {
                evolve(c, table, job.schema(), diff);
                long rows = 0;
                for (ObjectId source : job.sources()) {
                  rows += append(c, append, source, table);
                }
                expirePartitions(c, table, job.partitioning(), created);
                JobStatus ok =
                    new JobStatus(
                        job.jobId(), JobType.IMPORT, JobState.DONE, null, job.labels(), table,
                        rows, created, now());
                insertJob(c, ok, job.sources(), null);
                return ok;
              });
      long rows = done.outputRows();
      LOG.info(() -> "Load job " + job.jobId() + ": " + rows + " rows into " + table);
    } catch (SQLException e) {
      String error =
          e instanceof JobFailure
              ? e.getMessage()
              : context("Failed to load " + uris(job.sources()) + " into " + table, e);
      done =
          recordFailure(
              new JobStatus(
                  job.jobId(), JobType.IMPORT, JobState.DONE, error, job.labels(), table, 0,
                  created, now()),
              job.sources(),
              null,
              e);
    }
    return wallSlot(done);
  }

  private synchronized Outcome runQuery(QueryJob job) throws IOException {
    Optional<JobStatus> existing = job(job.jobId());
    if (existing.isPresent()) {
      return new Outcome(existing.get(), false);
    }
    try {
      return new Outcome(queryNew(job), true);
    } finally {
      wrote();
    }
  }

  private JobStatus queryNew(QueryJob job) throws IOException {
    Instant created = now();
    TableId target = createTarget(job.sql());
    JobStatus done;
    boolean estimating = estimatingCosts && !readOnly;
    Optional<QueryCostEstimator.Target> dmlTarget = Optional.empty();
    if (estimating) {
      try {
        dmlTarget = estimator.target(connection, job.sql()); // its size before the statement changes it
        setProfiling(true);
      } catch (SQLException e) {
        LOG.log(Level.WARNING, "No cost estimate for query job " + job.jobId() + ": " + message(e), e);
        estimating = false;
      }
    }
    final boolean profiled = estimating;
    boolean profiling = profiled;
    String[] profile = new String[2]; // the profile and the text DuckDB ran
    try {
      if (target != null) {
        createSchema(target.dataset());
      }
      done =
          inTransaction(
              c -> {
                long rows;
                if (job.parameters().isEmpty()) {
                  try (Statement st = c.createStatement()) {
                    // DuckDB reports the rows a DML statement or CREATE TABLE AS wrote.
                    rows = st.execute(job.sql()) ? -1 : st.getUpdateCount();
                  }
                  profile[1] = job.sql();
                } else {
                  NamedParameters statement = NamedParameters.parse(job.sql());
                  try (PreparedStatement st = c.prepareStatement(statement.sql())) {
                    for (int i = 0; i < statement.names().size(); i++) {
                      String name = statement.names().get(i);
                      if (!job.parameters().containsKey(name)) {
                        throw new SQLException("No value for query parameter @" + name);
                      }
                      st.setObject(i + 1, toSql(job.parameters().get(name)));
                    }
                    rows = st.execute() ? -1 : st.getUpdateCount();
                  }
                  profile[1] = statement.sql();
                }
                if (profiled) {
                  // The statement's own profile: read before anything else runs on the connection.
                  profile[0] = c.unwrap(org.duckdb.DuckDBConnection.class)
                      .getProfilingInformation(org.duckdb.ProfilerPrintFormat.JSON);
                }
                JobStatus ok =
                    new JobStatus(
                        job.jobId(), JobType.QUERY, JobState.DONE, null, job.labels(), target,
                        rows, created, now());
                insertJob(c, ok, List.of(), job.sql());
                return ok;
              });
      LOG.info(() -> "Query job " + job.jobId() + " done");
      if (profiling) {
        profiling = false;
        try {
          setProfiling(false);
        } catch (SQLException e) {
          // The job has committed: a profiler that will not stop costs the estimate, not the job.
          LOG.log(Level.WARNING, "Cannot stop DuckDB's profiler after job " + job.jobId() + ": " + message(e), e);
        }
        done = withCostEstimate(done, profile[0], profile[1], dmlTarget);
      }
    } catch (SQLException e) {
      if (profiling) {
        quietlyStopProfiling(e);
      }
      String error = context("Query job " + job.jobId() + " failed", e);
      done =
          recordFailure(
              new JobStatus(
                  job.jobId(), JobType.QUERY, JobState.DONE, error, job.labels(), target, -1,
                  created, now()),
              List.of(),
              job.sql(),
              e);
    }
    return wallSlot(done);
  }

  /**
   * The job with its slot time as the local warehouse can know it: the statement's measured wall
   * time × 1 slot (DuckDB runs one statement at a time here). An approximation of BigQuery's
   * {@code totalSlotMs}, which sums the slots a job used in parallel; documented as such.
   */
  static JobStatus wallSlot(JobStatus job) {
    if (job.state() != JobState.DONE || job.created() == null || job.ended() == null) {
      return job;
    }
    return job.withSlotMs(Math.max(0, java.time.Duration.between(job.created(), job.ended()).toMillis()));
  }

  private void setProfiling(boolean on) throws SQLException {
    try (Statement st = connection.createStatement()) {
      // no_output: the profile is read through the driver, not printed or written to a file.
      st.execute(on ? "SET enable_profiling = 'no_output'" : "RESET enable_profiling");
      // While profiling, no scan is cut short by what a join, a top-N or a late materialization
      // learns as it runs (a filter derived from the other side's values, or a second scan by
      // rowid): BigQuery prunes only by what the statement's own filters say, so only those
      // should lower the rows a scan reports. Same results, a plan a little slower.
      st.execute(on ? "SET disabled_optimizers = '" + QueryCostEstimator.DISABLED_OPTIMIZERS + "'" : "RESET disabled_optimizers");
    }
  }

  private void quietlyStopProfiling(SQLException failure) {
    try {
      setProfiling(false);
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * The committed job with its estimated cost, also kept in its row of the jobs table. Measuring
   * runs after the commit, so that a failure here can only lose the estimate, never the job.
   */
  private JobStatus withCostEstimate(
      JobStatus done, String profile, String executedSql, Optional<QueryCostEstimator.Target> dmlTarget) {
    try {
      QueryCostEstimator.Cost cost = profile == null ? null : estimator.estimate(connection, profile, executedSql, dmlTarget);
      if (cost == null) {
        LOG.fine(() -> "Query job " + done.jobId() + ": the profile does not account for all it read; cost unknown");
        return done;
      }
      try (PreparedStatement st = connection.prepareStatement(
          "UPDATE " + JOBS + " SET bytes_processed = ?, bytes_billed = ?, rows_read = ? WHERE job_id = ?")) {
        st.setLong(1, cost.bytesProcessed());
        st.setLong(2, cost.bytesBilled());
        st.setLong(3, cost.rowsRead());
        st.setString(4, done.jobId());
        st.executeUpdate();
      }
      return done.withCost(cost.bytesProcessed(), cost.bytesBilled());
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "No cost estimate for query job " + done.jobId() + ": " + e.getMessage(), e);
      return done;
    }
  }

  /**
   * Records a failed job after its transaction rolled back. Failing to record it means the
   * warehouse itself is unusable, which is the one case the caller gets an IOException for.
   */
  private JobStatus recordFailure(
      JobStatus failed, List<ObjectId> sources, String sql, SQLException cause)
      throws IOException {
    try {
      insertJob(connection, failed, sources, sql);
    } catch (SQLException e) {
      e.addSuppressed(cause);
      throw new IOException("Cannot record job " + failed.jobId() + ": " + message(e), e);
    }
    LOG.warning(() -> "Job " + failed.jobId() + " failed: " + failed.error());
    return failed;
  }

  /** Tells the listener outside the lock, so that it may call back into the warehouse. */
  private void announce(Outcome outcome, List<ObjectId> sources) {
    if (!outcome.created()) {
      return;
    }
    try {
      listener.jobDone(outcome.status(), sources);
    } catch (RuntimeException e) {
      // The job has committed and stands; throwing would make the caller retry into the
      // duplicate-id path, which announces nothing either.
      LOG.log(
          Level.SEVERE, "Completion listener failed for job " + outcome.status().jobId(), e);
    }
  }

  /**
   * Brings {@code table}'s remembered partitioning in line with what a load declares, where
   * BigQuery changes a table in place (expiration, clustering), and deletes the rows of the
   * partitions that have expired at the load's time, as BigQuery's partition expiration would.
   */
  private static void expirePartitions(Connection c, TableId table, io.medallion.port.TablePartitioning declared, Instant at)
      throws SQLException {
    Optional<io.medallion.port.TablePartitioning> kept = DuckDbPartitioning.read(c, table);
    if (declared != null) {
      Optional<io.medallion.port.TablePartitioning> was = kept;
      if (was.isEmpty() || declared.repartitions(was.get())) {
        LOG.warning(() -> table + " is " + was.map(Object::toString).orElse("not partitioned") + ", declared " + declared
            + ": run `medallion repartition` to move it (a load does not, as none does on BigQuery)");
      }
      Optional<io.medallion.port.TablePartitioning> updated = DuckDbPartitioning.inPlace(kept, declared);
      if (!updated.equals(kept)) {
        DuckDbPartitioning.remember(c, table, updated.orElseThrow());
      }
      kept = updated;
    }
    if (kept.isPresent()) {
      long expired = DuckDbPartitioning.expire(c, table, kept.get(), at);
      if (expired > 0) {
        LOG.info(() -> "Partition expiration: " + expired + " rows of " + table + " deleted");
      }
    }
  }

  /**
   * The partitioning and clustering {@code table} was created with (or was moved to by {@link
   * #repartition}), with the expiration and clustering its last load declared; empty when the
   * table is not partitioned (created before partitioning was declared) or does not exist.
   */
  public synchronized Optional<io.medallion.port.TablePartitioning> partitioning(TableId table) throws IOException {
    try {
      return DuckDbPartitioning.read(connection, table);
    } catch (SQLException e) {
      throw new IOException("Cannot read the partitioning of " + table + ": " + message(e), e);
    }
  }

  /**
   * What {@link #repartition} did to one table.
   *
   * @param before the partitioning the table had, empty when it had none
   * @param rows the rows the table held, all of them in its new form
   * @param checksum the rows' checksum, equal before and after
   * @param expired the rows the new partitioning's expiration deleted from the table (they are
   *     still in {@link io.medallion.port.TablePartitioning#beforeRepartition})
   */
  public record Repartitioned(TableId table, Optional<io.medallion.port.TablePartitioning> before,
      io.medallion.port.TablePartitioning after, long rows, String checksum, long expired) {}

  /**
   * Moves {@code table} to {@code declared}, keeping every row, as {@code medallion repartition}
   * does on BigQuery: in one transaction, a new table {@code t__repartitioned} is made from {@code
   * schema} (the schema file, as Terraform makes tables) and filled from {@code t} by column name,
   * ordered by the clustering columns; its row count and checksum are compared with {@code t}'s,
   * and only when both are equal is {@code t} renamed {@code t__before_repartition} and the new
   * table {@code t}, partitioned as declared; then its expired partitions go. The old table stays
   * until {@link #dropBeforeRepartition}. Anything unequal or failing rolls everything back.
   *
   * @throws IOException naming the table and why, when nothing was changed
   */
  public synchronized Repartitioned repartition(TableId table, TableSchema schema, io.medallion.port.TablePartitioning declared)
      throws IOException {
    TableId copy = io.medallion.port.TablePartitioning.repartitioned(table);
    TableId before = io.medallion.port.TablePartitioning.beforeRepartition(table);
    String doing = "Cannot repartition " + table;
    try {
      if (liveSchema(connection, table).isEmpty()) {
        throw new IOException(doing + ": it does not exist (the first load creates it, partitioned as declared); nothing changed");
      }
      if (liveSchema(connection, before).isPresent()) {
        throw new IOException(doing + ": " + before + " from an earlier repartition is still there; drop it first"
            + " (medallion repartition --drop-old) once the moved table is checked; nothing changed");
      }
      if (liveSchema(connection, copy).isPresent()) {
        throw new IOException(doing + ": " + copy + " exists (not made by this warehouse's repartition, which leaves"
            + " none behind); drop or rename it; nothing changed");
      }
      Optional<io.medallion.port.TablePartitioning> was = DuckDbPartitioning.read(connection, table);
      List<String> columns = liveSchema(connection, table).orElseThrow().names();
      return inTransaction(c -> {
        createTable(copy, schema);
        StringJoiner order = new StringJoiner(", ");
        declared.clustering().stream().filter(columns::contains).forEach(col -> order.add(quoted(col)));
        try (Statement st = c.createStatement()) {
          st.execute("INSERT INTO " + quoted(copy) + " BY NAME SELECT * FROM " + quoted(table)
              + (order.length() == 0 ? "" : " ORDER BY " + order));
        }
        String[] old = countAndChecksum(c, table, columns);
        String[] moved = countAndChecksum(c, copy, columns);
        if (!old[0].equals(moved[0]) || !old[1].equals(moved[1])) {
          throw new SQLException(doing + ": " + copy + " holds " + moved[0] + " rows (checksum " + moved[1] + "), " + table
              + " " + old[0] + " (checksum " + old[1] + "); nothing changed");
        }
        try (Statement st = c.createStatement()) {
          st.execute("ALTER TABLE " + quoted(table) + " RENAME TO " + quoted(before.table()));
          st.execute("ALTER TABLE " + quoted(copy) + " RENAME TO " + quoted(table.table()));
        }
        DuckDbPartitioning.remember(c, table, declared);
        long expired = DuckDbPartitioning.expire(c, table, declared, now());
        return new Repartitioned(table, was, declared, Long.parseLong(old[0]), old[1], expired);
      });
    } catch (SQLException e) {
      throw new IOException(e.getMessage().startsWith(doing) ? e.getMessage() : doing + ": " + message(e) + "; nothing changed", e);
    }
  }

  /** Row count and checksum (the sum of each row's hash over {@code columns}, so order-blind and duplicate-aware). */
  private static String[] countAndChecksum(Connection c, TableId table, List<String> columns) throws SQLException {
    StringJoiner row = new StringJoiner(", ");
    columns.forEach(col -> row.add(quoted(col)));
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT CAST(count(*) AS VARCHAR), CAST(coalesce(sum(hash(row(" + row + "))), 0) AS VARCHAR)"
            + " FROM " + quoted(table))) {
      rs.next();
      return new String[] {rs.getString(1), rs.getString(2)};
    }
  }

  /**
   * Drops the {@code t__before_repartition} that {@link #repartition} kept of {@code table}.
   *
   * @return false when there is none
   */
  public synchronized boolean dropBeforeRepartition(TableId table) throws IOException {
    TableId before = io.medallion.port.TablePartitioning.beforeRepartition(table);
    try {
      if (liveSchema(connection, before).isEmpty()) {
        return false;
      }
      try (Statement st = connection.createStatement()) {
        st.execute("DROP TABLE " + quoted(before));
      }
      return true;
    } catch (SQLException e) {
      throw new IOException("Cannot drop " + before + ": " + message(e), e);
    }
  }

  /**
   * The rows the table scans of the query jobs with these ids returned, summed (the local
   * measure of what they read, beside the bytes estimate); empty when one has no estimate.
   */
  public synchronized Optional<Long> rowsRead(java.util.Collection<String> jobIds) throws IOException {
    long total = 0;
    try (PreparedStatement st = connection.prepareStatement("SELECT rows_read FROM " + JOBS + " WHERE job_id = ?")) {
      for (String id : jobIds) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next() || rs.getObject(1) == null) {
            return Optional.empty();
          }
          total += rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new IOException("Cannot read the rows jobs read: " + message(e), e);
    }
    return Optional.of(total);
  }

  /**
   * As {@link #rowsRead(java.util.Collection)}, for the query jobs labelled with this run and layer
   * (gold's models: {@code gold}); a {@code DROP TABLE} reads nothing and is left out.
   */
  public synchronized Optional<Long> rowsReadOfRun(String runId, String layer) throws IOException {
    try (PreparedStatement st = connection.prepareStatement("SELECT job_id FROM " + JOBS
        + " WHERE json_extract_string(labels, '$.run_id') = ? AND json_extract_string(labels, '$.layer') = ? AND type = 'QUERY'"
        + " AND NOT regexp_matches(lower(sql), '^\\s*drop\\s+table')")) {
      st.setString(1, runId);
      st.setString(2, layer);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids.isEmpty() ? Optional.empty() : rowsRead(ids);
    } catch (SQLException e) {
      throw new IOException("Cannot list the jobs of run " + runId + ": " + message(e), e);
    }
  }

  @Override
  public synchronized Optional<JobStatus> job(String jobId) throws IOException {
    try (PreparedStatement st =
        connection.prepareStatement(
            "SELECT type, state, error, labels, destination, output_rows, created_at, ended_at, bytes_processed, bytes_billed"
                + " FROM "
                + JOBS
                + " WHERE job_id = ?")) {
      st.setString(1, jobId);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String destination = rs.getString(5);
        LocalDateTime ended = rs.getObject(8, LocalDateTime.class);
        return Optional.of(
            new JobStatus(
                jobId,
                JobType.valueOf(rs.getString(1)),
                JobState.valueOf(rs.getString(2)),
                rs.getString(3),
                labelsFromJson(rs.getString(4)),
                destination == null ? null : tableId(destination),
                rs.getLong(6),
                rs.getObject(7, LocalDateTime.class).toInstant(ZoneOffset.UTC),
                ended == null ? null : ended.toInstant(ZoneOffset.UTC),
                rs.getObject(9) == null ? null : rs.getLong(9),
                rs.getObject(10) == null ? null : rs.getLong(10))).map(DuckDbWarehouse::wallSlot);
      }
    } catch (SQLException e) {
      throw new IOException("Cannot look up job " + jobId + ": " + message(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Values come back as String, Long, Double, Boolean, {@link Instant} (TIMESTAMP, UTC) and
   * {@link LocalDate}; other DuckDB types as the driver gives them.
   *
   * @throws IllegalArgumentException when a placeholder has no parameter or a parameter no
   *     placeholder
   */
  @Override
  public synchronized QueryResult read(String sql, Map<String, Object> parameters)
      throws IOException {
    return select(connection, sql, parameters, false);
  }

  /**
   * Runs a read on {@code c}.
   *
   * @param exactNumeric whether DECIMAL values stay BigDecimal (BigQuery's NUMERIC) rather than
   *     becoming Double as {@link #read} gives them
   */
  private static QueryResult select(Connection c, String sql, Map<String, Object> parameters, boolean exactNumeric)
      throws IOException {
    NamedParameters statement = NamedParameters.parse(sql);
    for (String name : statement.names()) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("No value for query parameter @" + name);
      }
    }
    Set<String> unused = new HashSet<>(parameters.keySet());
    statement.names().forEach(unused::remove);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("Query parameters not in the statement: " + unused);
    }
    try (PreparedStatement st = c.prepareStatement(statement.sql())) {
      for (int i = 0; i < statement.names().size(); i++) {
        st.setObject(i + 1, toSql(parameters.get(statement.names().get(i))));
      }
      try (ResultSet rs = st.executeQuery()) {
        int width = rs.getMetaData().getColumnCount();
        List<String> columns = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          columns.add(rs.getMetaData().getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
          List<Object> row = new ArrayList<>(width);
          for (int i = 1; i <= width; i++) {
            row.add(fromSql(rs, i, exactNumeric));
          }
          rows.add(row);
        }
        return new QueryResult(columns, rows);
      }
    } catch (SQLException e) {
      throw new IOException("Read failed: " + message(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Runs on one of {@link #READERS} connections of its own, never under this warehouse's lock,
   * so that reads run side by side and beside a job. Values come back as {@link #read}'s, except
   * that DECIMAL (NUMERIC, BIGNUMERIC) stays an exact BigDecimal; a DATE is a LocalDate, a
   * TIMESTAMP an Instant, a TIME a LocalTime.
   *
   * <p>{@code bytesBilled} is an estimate of what BigQuery on-demand would bill, made without
   * running anything: BigQuery bills every column a query references, whole, whatever its WHERE
   * keeps (the local tables are not partitioned), so each table named after FROM or JOIN ({@code
   * dataset.table}) counts every column of it whose name appears in the statement as a word (all of
   * them for a {@code *}), with {@link QueryCostEstimator}'s data size rules and its minimums and
   * rounding. Conservative: a word that names a column counts even where it is an alias. Each table's column sizes are measured once (one aggregate over it) and kept until this
   * warehouse next writes ({@link #lastModified}), so a read pays a map lookup.
   *
   * @throws CostGuardExceeded when the estimate is above {@code maximumBytesBilled}; nothing ran
   * @throws IllegalArgumentException as {@link #read}, for a missing or unused parameter
   */
  @Override
  public GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled)
      throws IOException {
    Connection reader = borrowReader();
    try {
      long estimate;
      try {
        estimate = estimateBilled(reader, sql);
      } catch (SQLException e) {
        throw new IOException("Cannot estimate what the read would bill: " + message(e), e);
      }
      if (estimate > maximumBytesBilled) {
        throw new CostGuardExceeded(maximumBytesBilled, estimate);
      }
      return new GuardedRead(select(reader, sql, parameters, true), estimate, true);
    } finally {
      returnReader(reader);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Locally the same instant for every table: the latest write through this instance (a load or
   * query job, failed or not, an appended row, a table or dataset made, the ledger's and meters'
   * work), or when it has written nothing, the database file's last change when it was opened
   * (which is all a read-only warehouse, such as the query API's, can know: no process writes the
   * file while it is open read-only). Coarse, as any table's write moves it, but never stale: once
   * a write has returned, the instant differs from every one answered before it. Cheap: a table's
   * existence is looked up once per instant.
   */
  @Override
  public Optional<Instant> lastModified(TableId table) throws IOException {
    Instant stamp = lastWrite.get();
    KnownTable known = knownTables.get(table);
    if (known == null || !known.lastWrite().equals(stamp)) {
      Connection reader = borrowReader();
      try (PreparedStatement st = reader.prepareStatement("select count(*) from information_schema.tables"
          + " where table_catalog = ? and table_schema = ? and table_name = ?")) {
        st.setString(1, CATALOG);
        st.setString(2, table.dataset());
        st.setString(3, table.table());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          known = new KnownTable(stamp, rs.getLong(1) > 0);
        }
      } catch (SQLException e) {
        throw new IOException("Cannot look up table " + table + ": " + message(e), e);
      } finally {
        returnReader(reader);
      }
      knownTables.put(table, known);
    }
    return known.exists() ? Optional.of(stamp) : Optional.empty();
  }

  /** Whether a table existed while the data was at {@code lastWrite}. */
  private record KnownTable(Instant lastWrite, boolean exists) {}

  private final Map<TableId, KnownTable> knownTables = new ConcurrentHashMap<>();

  /** A table a statement reads: {@code dataset.table} after FROM or JOIN, each part quoted or not. */
  private static final Pattern READ_TABLE =
      Pattern.compile("(?i)\\b(?:from|join)\\s+(\"?)([A-Za-z_]\\w*)\\1\\s*\\.\\s*(\"?)([A-Za-z_]\\w*)\\3");

  /** A word of a statement: an identifier, quoted or not, or a parameter ({@code @name}). */
  private static final Pattern WORD = Pattern.compile("\"((?:[^\"]|\"\")+)\"|@?[A-Za-z_]\\w*");

  /** {@code select *}, {@code , *} or {@code t.*}: every column of the table (not {@code count(*)}). */
  private static final Pattern ALL_COLUMNS = Pattern.compile("(?i)(?:\\bselect\\s+(?:distinct\\s+)?|,\\s*|\\.)\\*");

  /** String literals and comments, which name no column. */
  private static final Pattern LITERALS_AND_COMMENTS = Pattern.compile("(?s)'(?:[^']|'')*'|--[^\\n]*|/\\*.*?\\*/");

  /** What BigQuery would bill for {@code sql}, as {@link #readGuarded} says. */
  private long estimateBilled(Connection reader, String sql) throws SQLException, IOException {
    String text = LITERALS_AND_COMMENTS.matcher(sql).replaceAll(" ");
    Set<String> words = new HashSet<>();
    Matcher word = WORD.matcher(text);
    while (word.find()) {
      if (word.group(1) != null) {
        words.add(word.group(1).replace("\"\"", "\"").toLowerCase(Locale.ROOT));
      } else if (!word.group().startsWith("@")) {
        words.add(word.group().toLowerCase(Locale.ROOT));
      }
    }
    boolean allColumns = ALL_COLUMNS.matcher(text).find();
    Map<TableId, Long> bytesByTable = new java.util.LinkedHashMap<>();
    Matcher read = READ_TABLE.matcher(text);
    while (read.find()) {
      TableId table = new TableId(read.group(2), read.group(4));
      if (bytesByTable.containsKey(table)) {
        continue;
      }
      QueryCostEstimator.TableSizes sizes = measured(reader, table);
      if (sizes == null) {
        continue; // no such table: the read itself fails, saying so
      }
      for (String column : sizes.unsizable()) {
        if (allColumns || words.contains(column.toLowerCase(Locale.ROOT))) {
          throw new IOException("Cannot estimate what reading " + table + "." + column + " would bill: its type has no BigQuery size here");
        }
      }
      long bytes = 0;
      for (Map.Entry<String, Long> column : sizes.columnBytes().entrySet()) {
        boolean topLevel = !column.getKey().contains(".");
        if (topLevel && (allColumns || words.contains(column.getKey().toLowerCase(Locale.ROOT)))) {
          bytes += column.getValue();
        }
      }
      bytesByTable.put(table, bytes);
    }
    return QueryCostEstimator.billed(bytesByTable.values());
  }

  /**
   * The table's column sizes as the data is now (null when it does not exist), measured once per
   * {@link #lastWrite}: concurrent reads of a table wait for one measurement rather than each
   * making their own. Measured after the instant is read, so a write during the measurement leaves
   * it under the older instant, measured again by the next read.
   */
  private QueryCostEstimator.TableSizes measured(Connection reader, TableId table) throws SQLException {
    Instant stamp = lastWrite.get();
    MeasuredTable known = measuredTables.get(table);
    if (known != null && known.lastWrite().equals(stamp)) {
      return known.sizes();
    }
    try {
      return measuredTables.compute(table, (key, previous) -> {
        if (previous != null && previous.lastWrite().equals(stamp)) {
          return previous;
        }
        try {
          return new MeasuredTable(stamp, estimator.measure(reader, key));
        } catch (SQLException e) {
          throw new MeasurementFailed(e);
        }
      }).sizes();
    } catch (MeasurementFailed e) {
      throw e.cause;
    }
  }

  /** Carries a measurement's SQLException out of {@link ConcurrentHashMap#compute}. */
  private static final class MeasurementFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient SQLException cause;

    MeasurementFailed(SQLException cause) {
      super(cause);
      this.cause = cause;
    }
  }

  /** A reader connection, waiting while all {@link #READERS} are in use; duplicated on first need. */
  private Connection borrowReader() throws IOException {
    try {
      readerSlots.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted waiting for a warehouse reader connection");
    }
    Connection reader = idleReaders.pollFirst();
    if (reader != null) {
      return reader;
    }
    try {
      if (closed) {
        throw new IOException("The warehouse is closed");
      }
      // A connection to the same database instance: it sees the attached file, read-only when it
      // is, and the settings made on open (TimeZone is global); USE is the connection's own.
      reader = connection.unwrap(DuckDBConnection.class).duplicate();
      try (Statement st = reader.createStatement()) {
        st.execute("USE " + CATALOG);
      }
      openReaders.add(reader);
      return reader;
    } catch (SQLException | IOException | RuntimeException e) {
      if (reader != null) {
        try {
          reader.close();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      readerSlots.release();
      if (e instanceof IOException io) {
        throw io;
      }
      throw new IOException("Cannot open a reader connection to the warehouse: "
          + (e instanceof SQLException sql ? message(sql) : e.getMessage()), e);
    }
  }

  private void returnReader(Connection reader) {
    if (closed) {
      closeQuietly(reader);
    } else {
      idleReaders.addFirst(reader); // the most recently used first: the others may stay unopened
    }
    readerSlots.release();
  }

  private void closeQuietly(Connection reader) {
    openReaders.remove(reader);
    try {
      reader.close();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "Cannot close a reader connection: " + message(e), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    // Reader connections first: one in use is closed under its read, which then fails.
    for (Connection reader : List.copyOf(openReaders)) {
      closeQuietly(reader);
    }
    idleReaders.clear();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("Cannot close DuckDB warehouse: " + message(e), e);
    }
  }

  /** Tables {@link #appendRow} has made sure of in this process. */
  private final Set<TableId> appendedTables = new HashSet<>();

  /**
   * Appends one row, as BigQuery's Storage Write API does for a Pub/Sub BigQuery subscription: no
   * job, no completion entry; the table is created from {@code schema} when it does not exist.
   * Values are Java values of their column's type (String, Long, Double, BigDecimal, Boolean,
   * {@link Instant}, {@link LocalDate}, {@code java.time.LocalDateTime}, {@code LocalTime}, byte[]),
   * a JSON column's the JSON text; a column not in {@code row} is NULL.
   */
  public synchronized void appendRow(TableId table, TableSchema schema, Map<String, Object> row) throws IOException {
    StringJoiner columns = new StringJoiner(", ");
    StringJoiner values = new StringJoiner(", ");
    List<Object> bound = new ArrayList<>();
    for (Field f : schema.fields()) {
      if (row.containsKey(f.name())) {
        columns.add(quoted(f.name()));
        values.add(f.type() == io.medallion.schema.FieldType.JSON ? "CAST(? AS JSON)" : "?");
        bound.add(toSql(row.get(f.name())));
      }
    }
    try {
      if (!appendedTables.contains(table)) {
        createTable(table, schema); // once per table and process: a statement per row would double its cost
        appendedTables.add(table);
      }
      try (PreparedStatement st = connection.prepareStatement(
          "INSERT INTO " + quoted(table) + " (" + columns + ") VALUES (" + values + ")")) {
        for (int i = 0; i < bound.size(); i++) {
          st.setObject(i + 1, bound.get(i));
        }
        st.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IOException("Cannot append a row to " + table + ": " + message(e), e);
    } finally {
      wrote();
    }
  }

  // ---- shared with DuckDbRunLedger

  /** Runs {@code work} on the shared connection, in auto-commit mode, under the lock. */
  synchronized <T> T withConnection(SqlWork<T> work) throws SQLException {
    try {
      return work.run(connection);
    } finally {
      wrote(); // the ledger's and meters' work may write: counted as a write whether it did or not
    }
  }

  /** Creates {@code table} (and its dataset) from {@code schema} unless it exists, as Terraform does before a subscription writes it. */
  public synchronized void ensureTable(TableId table, TableSchema schema) throws IOException {
    ensureTable(table, schema, null);
  }

  /**
   * {@link #ensureTable(TableId, TableSchema)}, a table it creates partitioned as {@code
   * partitioning} (null: not partitioned), as Terraform creates a stream source's table.
   */
  public synchronized void ensureTable(TableId table, TableSchema schema, io.medallion.port.TablePartitioning partitioning)
      throws IOException {
    if (readOnly) {
      return; // the writer made it; a read of a missing table says so
    }
    try {
      boolean existed = liveSchema(connection, table).isPresent();
      createTable(table, schema);
      if (!existed && partitioning != null) {
        DuckDbPartitioning.remember(connection, table, partitioning);
      }
    } catch (SQLException e) {
      throw new IOException("Cannot create table " + table + ": " + message(e), e);
    } finally {
      wrote();
    }
  }

  /** {@code "dataset"."table"}: quoted, since column and table names may be DuckDB keywords. */
  static String quoted(TableId table) {
    return quoted(table.dataset()) + "." + quoted(table.table());
  }

  static String quoted(String identifier) {
    return '"' + TableId.requireIdentifier(identifier, "identifier") + '"';
  }

  /** DuckDB's message without the echo of the statement ("LINE 1: ...") it appends. */
  static String message(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int line = m.indexOf("\nLINE ");
    return (line < 0 ? m : m.substring(0, line)).strip().replaceAll("\\s+", " ");
  }

  // ---- internals

  /** A load's failure on one source, with the message its JobStatus carries. */
  private static final class JobFailure extends SQLException {
    JobFailure(String message, SQLException cause) {
      super(message, cause == null ? null : cause.getSQLState(), cause);
    }
  }

  private static String context(String doing, SQLException e) {
    return doing + ": " + message(e);
  }

  private <T> T inTransaction(SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private void createSchema(String dataset) throws SQLException {
    TableId.requireIdentifier(dataset, "dataset");
    if (RESERVED_DATASETS.contains(dataset.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "Dataset name '" + dataset + "' is reserved by the local warehouse");
    }
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS " + quoted(dataset));
    }
  }

  private void createTable(TableId table, TableSchema schema) throws SQLException {
    createSchema(table.dataset());
    StringJoiner columns = new StringJoiner(", ");
    for (Field f : schema.fields()) {
      // A REPEATED column is a LIST, never NULL, as BigQuery's ARRAY column (empty for no values).
      columns.add(quoted(f.name()) + " " + DuckDbTypes.stored(f) + (f.required() || f.repeated() ? " NOT NULL" : ""));
    }
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + quoted(table) + " (" + columns + ")");
    }
  }

  /**
   * Makes the additions and relaxations of {@code diff} (never a breaking one) to {@code table}:
   * older rows read NULL in a new column or field, an empty list in a new REPEATED column.
   */
  private static void evolve(Connection c, TableId table, TableSchema declared, SchemaDiff diff) throws SQLException {
    try (Statement st = c.createStatement()) {
      for (SchemaDiff.Change change : diff.changes()) {
        String[] path = change.path().split("\\.");
        if (change.kind() == SchemaDiff.Kind.ADDED) {
          Field added = fieldAt(declared, path);
          StringJoiner column = new StringJoiner(".");
          List<Field> level = declared.fields();
          for (int i = 0; i < path.length; i++) {
            column.add(quoted(path[i]));
            Field f = find(level, path[i]);
            if (i < path.length - 1) {
              if (f.repeated()) {
                column.add("element"); // DuckDB names a list's element so in a nested ALTER
              }
              level = f.fields();
            }
          }
          st.execute("ALTER TABLE " + quoted(table) + " ADD COLUMN " + column + " " + DuckDbTypes.stored(added)
              + (path.length == 1 && added.repeated() ? " NOT NULL DEFAULT []" : ""));
        } else if (change.kind() == SchemaDiff.Kind.RELAXED && path.length == 1) {
          // A STRUCT's fields carry no NOT NULL locally: only a column's is dropped.
          st.execute("ALTER TABLE " + quoted(table) + " ALTER COLUMN " + quoted(path[0]) + " DROP NOT NULL");
        }
      }
    }
  }

  private static Field fieldAt(TableSchema schema, String[] path) {
    List<Field> level = schema.fields();
    Field f = null;
    for (String name : path) {
      f = find(level, name);
      level = f.fields();
    }
    return f;
  }

  private static Field find(List<Field> fields, String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no field " + name));
  }

  /**
   * INSERT ... SELECT of one NDJSON file (the single parameter), columns in schema order and
   * typed exactly; JSON fields the schema does not name are ignored, absent ones are NULL, and an
   * absent or null array of a REPEATED column is empty, as BigQuery loads it.
   */
  private static String appendSql(TableId table, TableSchema schema) {
    StringJoiner columns = new StringJoiner(", ");
    StringJoiner values = new StringJoiner(", ");
    StringJoiner types = new StringJoiner(", ");
    for (Field f : schema.fields()) {
      String column = quoted(f.name());
      columns.add(column);
      types.add("'" + f.name() + "': '" + DuckDbTypes.read(f).replace("'", "''") + "'");
      String value = DuckDbTypes.convert(column, f);
      values.add(f.repeated() ? "COALESCE(" + value + ", CAST([] AS " + DuckDbTypes.stored(f) + "))" : value);
    }
    return "INSERT INTO " + quoted(table) + " (" + columns + ") SELECT " + values
        + " FROM read_json(?, format = 'newline_delimited', columns = {" + types + "})";
  }

  private long append(Connection c, String appendSql, ObjectId source, TableId table)
      throws SQLException {
    String doing = "Failed to load " + source.uri() + " into " + table;
    Path file = objectFiles.apply(source);
    if (!Files.isRegularFile(file)) {
      throw new JobFailure(doing + ": no such object (" + file + ")", null);
    }
    try (PreparedStatement st = c.prepareStatement(appendSql)) {
      st.setString(1, file.toString());
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new JobFailure(context(doing, e), e);
    }
  }

  private void insertJob(Connection c, JobStatus job, List<ObjectId> sources, String sql)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("INSERT INTO " + JOBS + " (job_id, type, state, error, labels, destination, output_rows,"
            + " source_uris, sql, created_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      st.setString(1, job.jobId());
      st.setString(2, job.type().name());
      st.setString(3, job.state().name());
      st.setString(4, job.error());
      st.setString(5, labelsToJson(job.labels()));
      st.setString(6, job.destination() == null ? null : job.destination().sql());
      st.setLong(7, job.outputRows());
      st.setString(8, urisToJson(sources));
      st.setString(9, sql);
      st.setObject(10, toSql(job.created()));
      st.setObject(11, job.ended() == null ? null : toSql(job.ended()));
      st.executeUpdate();
    }
  }

  private static String uris(List<ObjectId> sources) {
    StringJoiner s = new StringJoiner(", ");
    sources.forEach(source -> s.add(source.uri()));
    return s.toString();
  }

  private static TableId createTarget(String sql) {
    Matcher m = CREATE_TARGET.matcher(sql);
    return m.lookingAt() ? new TableId(m.group(1), m.group(2)) : null;
  }

  private static TableId tableId(String datasetDotTable) {
    int dot = datasetDotTable.indexOf('.');
    return new TableId(datasetDotTable.substring(0, dot), datasetDotTable.substring(dot + 1));
  }

  /** Truncated to DuckDB's precision, so a job read back equals the one first returned. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  /** The driver binds no Instant; a naive UTC timestamp matches the TIMESTAMP columns. */
  private static Object toSql(Object value) {
    return value instanceof Instant i ? LocalDateTime.ofInstant(i, ZoneOffset.UTC) : value;
  }

  /**
   * Java values as BigQuery's client gives them: INT64 as Long, FLOAT64 as Double; an ARRAY (a
   * DuckDB LIST) as a List of them.
   */
  private static Object fromSql(ResultSet rs, int column, boolean exactNumeric) throws SQLException {
    Object v = rs.getObject(column);
    if (v instanceof Timestamp) {
      // The driver's Timestamp goes through the JVM zone; LocalDateTime is the stored value.
      return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    } else if (v instanceof java.sql.Array array) {
      Object[] elements = (Object[]) array.getArray();
      List<Object> list = new ArrayList<>(elements.length);
      for (Object element : elements) {
        list.add(fromSql(element, exactNumeric));
      }
      return java.util.Collections.unmodifiableList(list);
    }
    return fromSql(v, exactNumeric);
  }

  private static Object fromSql(Object v, boolean exactNumeric) {
    if (v instanceof Timestamp t) {
      // An element of a TIMESTAMP list: the driver made it from the stored (UTC) value in the JVM zone.
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    } else if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    } else if (v instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    } else if (v instanceof java.sql.Date d) {
      return d.toLocalDate();
    } else if (v instanceof BigInteger i) {
      return i.longValueExact(); // SUM of BIGINT is HUGEINT in DuckDB, INT64 in BigQuery
    } else if (v instanceof BigDecimal d) {
      return exactNumeric ? d : d.doubleValue(); // DuckDB's 1.5 literal is DECIMAL, BigQuery's FLOAT64

    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    } else if (v instanceof Float f) {
      return f.doubleValue();
    }
    return v;
  }

  private static String labelsToJson(Map<String, String> labels) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String urisToJson(List<ObjectId> sources) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (ObjectId source : sources) {
        g.writeString(source.uri());
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Map<String, String> labelsFromJson(String json) throws SQLException {
    Map<String, String> labels = new TreeMap<>();
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new SQLException("Labels are not a JSON object: " + json);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.getCurrentName();
        p.nextToken();
        labels.put(key, p.getText());
      }
    } catch (IOException e) {
      throw new SQLException("Unreadable job labels " + json, e);
    }
    return labels;
  }
}
