package io.medallion.gcp.bigquery;

import com.google.cloud.RetryOption;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.FormatOptions;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobConfiguration;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.JobStatistics;
import com.google.cloud.bigquery.JobStatistics.LoadStatistics;
import com.google.cloud.bigquery.JobStatistics.QueryStatistics;
import com.google.cloud.bigquery.LegacySQLTypeName;
import com.google.cloud.bigquery.LoadJobConfiguration;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import com.google.cloud.bigquery.TableResult;
import io.medallion.port.CostGuardExceeded;
import io.medallion.port.GuardedRead;
import io.medallion.port.JobStatus;
import io.medallion.port.JobStatus.JobState;
import io.medallion.port.JobStatus.JobType;
import io.medallion.port.Labels;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The {@link Warehouse} port on BigQuery.
 *
 * <p>Jobs are created with the caller's deterministic id in the configured location. BigQuery
 * refuses a second job with the same id (HTTP 409, reason {@code duplicate}); that means an earlier
 * attempt created it, so the existing job is fetched and returned. The client library sometimes
 * does this itself and hands back a job holding only its statistics; such a job is fetched again
 * in full.
 *
 * <p>Load jobs are returned as soon as BigQuery accepts them: their completion audit-log entry,
 * routed to Pub/Sub, triggers the next step. Query jobs are waited for, up to a bounded time.
 * Loads append to a table that must exist ({@code CREATE_NEVER}): Terraform creates it.
 *
 * <p>A job that BigQuery ran and failed is not an exception: it comes back DONE with {@link
 * JobStatus#error()} set. {@link IOException} means BigQuery could not be reached or refused the
 * request itself.
 */
public final class BigQueryWarehouse implements Warehouse {

  /** How long {@link #query} waits by default; below the 9 minutes of a 1st-gen function. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofMinutes(8);

  private static final Logger LOG = Logger.getLogger(BigQueryWarehouse.class.getName());

  private final BigQuery bigquery;
  private final String location;
  private final Duration queryTimeout;

  /**
   * @param bigquery a client for the project that holds the datasets
   * @param location where jobs run and are looked up, e.g. {@code US} or {@code europe-west1}
   */
  public BigQueryWarehouse(BigQuery bigquery, String location) {
    this(bigquery, location, DEFAULT_QUERY_TIMEOUT);
  }

  /** @param queryTimeout how long {@link #query} waits for a job before giving up */
  public BigQueryWarehouse(BigQuery bigquery, String location, Duration queryTimeout) {
    this.bigquery = Objects.requireNonNull(bigquery, "bigquery");
    this.location = Objects.requireNonNull(location, "location");
    this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
  }

  @Override
  public JobStatus load(LoadJob job) throws IOException {
    List<String> uris = job.sources().stream().map(ObjectId::uri).toList();
    LoadJobConfiguration config =
        LoadJobConfiguration.newBuilder(tableId(job.destination()), uris, FormatOptions.json())
            .setSchema(schema(job.schema()))
            .setWriteDisposition(JobInfo.WriteDisposition.WRITE_APPEND)
            // Terraform owns the tables. CREATE_IF_NEEDED would need bigquery.tables.create on the
            // dataset even when the table exists, which silver (table-level dataEditor) lacks.
            .setCreateDisposition(JobInfo.CreateDisposition.CREATE_NEVER)
            .setIgnoreUnknownValues(true)
            // A column (or RECORD field) the schema file adds is added by the load, older rows
            // reading NULL, and a REQUIRED one it relaxes is relaxed; anything else fails the
            // job ("Provided Schema does not match Table"), which silver refuses before submitting
            // (SchemaDiff). Both options work with WRITE_APPEND, and CREATE_NEVER does not
            // restrict them: "Schema update options are supported in two cases: when
            // writeDisposition is WRITE_APPEND; when writeDisposition is WRITE_TRUNCATE and the
            // destination table is a partition" (JobConfigurationLoad.schemaUpdateOptions,
            // https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad;
            // https://cloud.google.com/bigquery/docs/managing-table-schemas#add_columns_in_a_load_append_job).
            .setSchemaUpdateOptions(List.of(
                JobInfo.SchemaUpdateOption.ALLOW_FIELD_ADDITION, JobInfo.SchemaUpdateOption.ALLOW_FIELD_RELAXATION))
            .setLabels(job.labels())
            // job.partitioning() is deliberately not set (setTimePartitioning, setClustering): the
            // table is Terraform's, created partitioned and clustered as declared. The load's
            // timePartitioning and clustering are "specification[s] for the destination table"
            // (JobConfigurationLoad, https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobConfigurationLoad),
            // and the documentation does not say that a spec equal to an existing table's is
            // accepted on an append, and a different one fails the job (a user's report of setting
            // it on an existing unpartitioned table: https://github.com/googleapis/python-bigquery/pull/1059).
            // A load that cannot change the table has no reason to risk failing on it: a table
            // partitioned otherwise is moved by `medallion repartition`, not by a load.
            .build();
    // Not waited for: the job's completion event starts the next step.
    return toStatus(submit(job.jobId(), config, "load"));
  }

  /**
   * Types a big CSV file where it lies: each statement reads the file through a temporary external
   * table definition (every column STRING, the declared delimiter, quote, encoding and header rows;
   * https://cloud.google.com/bigquery/docs/external-data-cloud-storage#temporary-tables), types it
   * with the generated SQL in BigQuery's dialect, and {@code EXPORT DATA} writes the rows and the
   * rejects as JSON into the staging bucket (https://cloud.google.com/bigquery/docs/reference/standard-sql/other-statements#export_data_statement).
   * Three jobs, each scanning the file: rows, rejects, counts. An external CSV has no row order, so
   * rows carry record number 0 and a repeated key keeps an arbitrary one of its rows.
   * Not run against BigQuery from here: the SQL is checked by ZetaSQL (GoldSqlIsBigQuerySqlTest).
   */
  @Override
  public io.medallion.port.TypingJob.Result typeFile(io.medallion.port.TypingJob job) throws IOException {
    io.medallion.typing.TypingSql.unsupported(job.schema(), job.mapping(), job.format()).ifPresent(why -> {
      throw new IllegalArgumentException("Cannot type " + job.file().uri() + " in the warehouse: " + why);
    });
    List<com.google.cloud.bigquery.Field> fields = new ArrayList<>();
    for (int i = 0; i < job.header().size(); i++) {
      fields.add(com.google.cloud.bigquery.Field.of("c" + (i + 1), com.google.cloud.bigquery.StandardSQLTypeName.STRING));
    }
    com.google.cloud.bigquery.CsvOptions csv = com.google.cloud.bigquery.CsvOptions.newBuilder()
        .setFieldDelimiter(String.valueOf(job.format().delimiter()))
        .setQuote(String.valueOf(job.format().quote()))
        .setSkipLeadingRows(job.format().headerRow())
        .setEncoding(job.format().encoding().name())
        .setAllowQuotedNewLines(true)
        .setAllowJaggedRows(false)
        .build();
    com.google.cloud.bigquery.ExternalTableDefinition raw = com.google.cloud.bigquery.ExternalTableDefinition
        .newBuilder(job.file().uri(), com.google.cloud.bigquery.Schema.of(fields), csv).build();
    String body = io.medallion.typing.TypingSql.bigQueryWith(job.schema(), job.mapping(), job.format(), job.header(), "raw_file");
    String columns = String.join(", ", job.schema().names().stream().map(n -> "`" + n + "`").toList());
    Map<String, Object> lineage = new java.util.LinkedHashMap<>();
    lineage.put("run_id", job.runId());
    lineage.put("source_uri", job.file().uri());
    lineage.put("source_generation", job.generation());
    lineage.put("ingested_at", job.ingestedAt());
    lineage.put("file_key", job.fileKey() == null ? "" : job.fileKey());
    String rows = "EXPORT DATA OPTIONS (uri = '" + job.rowsPrefix().uri() + "-*.json', format = 'JSON', overwrite = true) AS\n"
        + body + "\nSELECT " + columns + " FROM typed_final WHERE _reason IS NULL";
    String rejects = "EXPORT DATA OPTIONS (uri = '" + job.rejectsPrefix().uri() + "-*.json', format = 'JSON', overwrite = true) AS\n"
        + body + "\nSELECT @source_uri AS source_uri, @source_generation AS source_generation, _source_record AS source_record,"
        + " _reason AS reason, _message AS message, PARSE_JSON(_record) AS record FROM typed_final WHERE _reason IS NOT NULL";
    String counts = body + "\nSELECT _reason, COUNT(*) AS n FROM typed_final GROUP BY _reason";
    Map<String, Long> byReason = new java.util.TreeMap<>();
    long records = 0;
    long kept = 0;
    int step = 0;
    for (String sql : List.of(rows, rejects, counts)) {
      QueryJobConfiguration.Builder config = QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false)
          .setLabels(job.labels()).addTableDefinition("raw_file", raw);
      for (String name : SqlParameters.names(sql)) {
        config.addNamedParameter(name, parameter(name, lineage.get(name)));
      }
      Job submitted = submit(job.jobId() + "_" + (++step), config.build(), "query");
      try {
        Job done = submitted.waitFor(
            RetryOption.initialRetryDelayDuration(Duration.ofMillis(500)),
            RetryOption.maxRetryDelayDuration(Duration.ofSeconds(10)),
            RetryOption.totalTimeoutDuration(queryTimeout));
        if (done == null || done.getStatus().getError() != null) {
          throw new IOException("Typing " + job.file().uri() + " in BigQuery failed in job " + job.jobId() + "_" + step + ": "
              + (done == null ? "the job vanished" : done.getStatus().getError()));
        }
        if (sql == counts) {
          for (FieldValueList row : done.getQueryResults().iterateAll()) {
            long n = row.get(1).getLongValue();
            records += n;
            if (row.get(0).isNull()) {
              kept = n;
            } else {
              byReason.put(row.get(0).getStringValue(), n);
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw interrupted("typing job " + job.jobId(), e);
      } catch (BigQueryException e) {
        throw new IOException("Typing " + job.file().uri() + " in BigQuery failed: " + e.getMessage(), e);
      }
    }
    return new io.medallion.port.TypingJob.Result(records, kept, byReason, List.of(), List.of());
  }

  @Override
  public JobStatus query(QueryJob job) throws IOException {
    QueryJobConfiguration.Builder builder =
        QueryJobConfiguration.newBuilder(job.sql())
            .setUseLegacySql(false)
            .setLabels(job.labels());
    for (String name : SqlParameters.names(job.sql())) {
      if (!job.parameters().containsKey(name)) {
        throw new IllegalArgumentException("No value for query parameter @" + name + " of job " + job.jobId());
      }
      builder.addNamedParameter(name, parameter(name, job.parameters().get(name)));
    }
    QueryJobConfiguration config = builder.build();
    Job submitted = submit(job.jobId(), config, "query");
    if (submitted.getStatus().getState() == com.google.cloud.bigquery.JobStatus.State.DONE) {
      return toStatus(submitted);
    }
    Job done;
    try {
      done =
          submitted.waitFor(
              RetryOption.initialRetryDelayDuration(Duration.ofMillis(500)),
              RetryOption.maxRetryDelayDuration(Duration.ofSeconds(10)),
              RetryOption.totalTimeoutDuration(queryTimeout));
    } catch (BigQueryException e) {
      // jobs.getQueryResults answers a failed job with the job's error as an HTTP error, which
      // waitFor throws. The job itself then says whether it ended (DONE with errorResult) or
      // whether BigQuery really was unreachable.
      done = fetchAfterWaitFailure(job.jobId(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("query job " + job.jobId(), e);
    }
    if (done == null) {
      throw new IOException("Query job " + job.jobId() + " vanished while waiting for it");
    }
    JobStatus status = toStatus(done);
    if (status.state() != JobState.DONE) {
      // The job goes on running; a retry with the same id finds it through the 409 path.
      throw new IOException(
          "Query job " + job.jobId() + " not done after " + queryTimeout + ": " + status.state());
    }
    return status;
  }

  /** {@inheritDoc} Read with {@code tables.get}, which shows a schema change at once. */
  @Override
  public Optional<TableSchema> tableSchema(TableId table) throws IOException {
    com.google.cloud.bigquery.Table found;
    try {
      found = bigquery.getTable(tableId(table));
    } catch (BigQueryException e) {
      throw new IOException("Cannot read the schema of " + table + ": " + e.getMessage(), e);
    }
    if (found == null) {
      return Optional.empty();
    }
    Schema schema = found.getDefinition() == null ? null : found.getDefinition().getSchema();
    if (schema == null) {
      return Optional.of(new TableSchema(List.of()));
    }
    try {
      return Optional.of(new TableSchema(portFields(schema.getFields())));
    } catch (IllegalArgumentException e) {
      throw new IOException("Cannot read the schema of " + table + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<io.medallion.schema.SchemaDiff> schemaDiff(TableId table, TableSchema declared) throws IOException {
    return tableSchema(table).map(live -> io.medallion.schema.SchemaDiff.between(declared, live));
  }

  @Override
  public Optional<JobStatus> job(String jobId) throws IOException {
    try {
      return Optional.ofNullable(bigquery.getJob(jobId(jobId))).map(BigQueryWarehouse::toStatus);
    } catch (BigQueryException e) {
      throw new IOException("Cannot look up BigQuery job " + jobId + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Parameters may be String, Long, Integer, Double, Boolean, {@link Instant} (TIMESTAMP) and
   * {@link LocalDate} (DATE). Values come back as String, Long (INT64), Double (FLOAT64), Boolean,
   * Instant (TIMESTAMP) and LocalDate (DATE); other types as BigQuery's string form.
   *
   * @throws IllegalArgumentException before anything is sent, when a placeholder has no value, a
   *     value no placeholder, or a value is null or of another type
   */
  @Override
  public QueryResult read(String sql, Map<String, Object> parameters) throws IOException {
    QueryJobConfiguration.Builder config = readConfiguration(sql, parameters, "read");
    TableResult result;
    try {
      // A JobId with only the location: the client may then use the faster jobs.query call.
      result = bigquery.query(config.build(), JobId.newBuilder().setLocation(location).build());
    } catch (BigQueryException e) {
      throw new IOException("Read failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("read", e);
    }
    return rows(result);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Parameters as {@link #read}'s, and also BigDecimal (NUMERIC, or BIGNUMERIC when NUMERIC
   * cannot hold it), LocalDateTime (DATETIME) and LocalTime (TIME). The read runs with {@code
   * maximumBytesBilled}, so BigQuery itself refuses one that would bill more, before reading
   * anything, and with the query cache, which bills nothing for a repeated read of unchanged
   * tables. {@code bytesBilled} is the job's {@code totalBytesBilled} (0 when the cache answered),
   * read with one more call (jobs.get, statistics only).
   *
   * @throws CostGuardExceeded when BigQuery refused the read for its limit ({@code wouldBill} from
   *     its message, -1 when the message does not say)
   */
  @Override
  public GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled)
      throws IOException {
    QueryJobConfiguration config = readConfiguration(sql, parameters, "api")
        .setMaximumBytesBilled(maximumBytesBilled)
        .setUseQueryCache(true)
        .build();
    TableResult result;
    try {
      result = bigquery.query(config, JobId.newBuilder().setLocation(location).build());
    } catch (BigQueryException e) {
      if (isBytesBilledLimit(e.getReason(), e.getErrors())) {
        throw costGuardExceeded(maximumBytesBilled, e);
      }
      throw new IOException("Read failed: " + e.getMessage(), e);
    } catch (com.google.cloud.bigquery.JobException e) {
      // The client's slower path (a job waited for) ends so when the job failed.
      if (isBytesBilledLimit(null, e.getErrors())) {
        throw costGuardExceeded(maximumBytesBilled, e);
      }
      throw new IOException("Read failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("read", e);
    }
    QueryResult rows = rows(result);
    return new GuardedRead(rows, bytesBilled(result.getJobId()), false);
  }

  /**
   * The reason BigQuery gives a query refused for its {@code maximumBytesBilled}, with a message
   * such as "Query exceeded limit for bytes billed: 1000000. 10485760 or higher required." (the
   * reason column of https://cloud.google.com/bigquery/docs/error-messages is ErrorProto.reason).
   * It comes as the error of the jobs.query call (seen as HTTP 400 and as 500) or as the job's
   * errorResult, which the client throws from waiting for the job: either way the exception's
   * errors carry it.
   */
  static final String BYTES_BILLED_LIMIT_EXCEEDED = "bytesBilledLimitExceeded";

  private static final java.util.regex.Pattern HIGHER_REQUIRED =
      java.util.regex.Pattern.compile("(\\d+) or higher required");

  private static boolean isBytesBilledLimit(String reason, List<BigQueryError> errors) {
    if (BYTES_BILLED_LIMIT_EXCEEDED.equals(reason)) {
      return true;
    }
    return errors != null && errors.stream().anyMatch(error -> BYTES_BILLED_LIMIT_EXCEEDED.equals(error.getReason()));
  }

  private static CostGuardExceeded costGuardExceeded(long limit, RuntimeException e) {
    long wouldBill = -1;
    String message = String.valueOf(e.getMessage());
    if (e instanceof com.google.cloud.bigquery.JobException job && job.getErrors() != null) {
      message = job.getErrors().stream().map(error -> String.valueOf(error.getMessage())).toList().toString();
    }
    java.util.regex.Matcher required = HIGHER_REQUIRED.matcher(message);
    if (required.find()) {
      try {
        wouldBill = Long.parseLong(required.group(1));
      } catch (NumberFormatException tooLong) {
        // left unknown
      }
    }
    CostGuardExceeded refused = new CostGuardExceeded(limit, wouldBill);
    refused.initCause(e);
    return refused;
  }

  /** The read job's {@code totalBytesBilled}: 0 when absent, which is what a cache hit bills. */
  private long bytesBilled(JobId readJob) throws IOException {
    if (readJob == null || readJob.getJob() == null) {
      // Only a stateless jobs.query (JOB_CREATION_OPTIONAL, not asked for here) has no job.
      LOG.warning("A guarded read ran without a job: its bytes billed are unknown, counted as 0");
      return 0;
    }
    Job job;
    try {
      job = bigquery.getJob(readJob, BigQuery.JobOption.fields(BigQuery.JobField.STATISTICS));
    } catch (BigQueryException e) {
      throw new IOException("Cannot read the statistics of read job " + readJob.getJob() + ": " + e.getMessage(), e);
    }
    if (job == null) {
      throw new IOException("Read job " + readJob.getJob() + " vanished before its statistics were read");
    }
    Long billed = job.getStatistics() instanceof QueryStatistics qs ? qs.getTotalBytesBilled() : null;
    return billed == null ? 0 : billed;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The table's {@code lastModifiedTime} from tables.get.
   */
  @Override
  public Optional<Instant> lastModified(TableId table) throws IOException {
    com.google.cloud.bigquery.Table found;
    try {
      found = bigquery.getTable(tableId(table),
          BigQuery.TableOption.fields(BigQuery.TableField.LAST_MODIFIED_TIME));
    } catch (BigQueryException e) {
      throw new IOException("Cannot read when " + table + " last changed: " + e.getMessage(), e);
    }
    if (found == null) {
      return Optional.empty();
    }
    if (found.getLastModifiedTime() == null) {
      throw new IOException("BigQuery did not say when " + table + " last changed");
    }
    return Optional.of(Instant.ofEpochMilli(found.getLastModifiedTime()));
  }

  /** A read's job configuration, its parameters bound; reads are jobs too, labelled with {@code layer}. */
  private static QueryJobConfiguration.Builder readConfiguration(String sql, Map<String, Object> parameters, String layer) {
    // Labelled, so INFORMATION_SCHEMA.JOBS can tell them from anyone else's.
    QueryJobConfiguration.Builder config =
        QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false)
            .setLabels(Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, layer));
    Set<String> used = SqlParameters.names(sql);
    for (String name : used) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException("No value for query parameter @" + name);
      }
    }
    Set<String> unused = new HashSet<>(parameters.keySet());
    unused.removeAll(used);
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("Query parameters not in the statement: " + unused);
    }
    for (String name : used) {
      config.addNamedParameter(name, parameter(name, parameters.get(name)));
    }
    return config;
  }

  /** A read's rows as the port's types. */
  private static QueryResult rows(TableResult result) {
    FieldList fields = result.getSchema() == null ? null : result.getSchema().getFields();
    List<String> columns = new ArrayList<>();
    if (fields != null) {
      fields.forEach(f -> columns.add(f.getName()));
    }
    List<List<Object>> rows = new ArrayList<>();
    for (FieldValueList row : result.iterateAll()) {
      List<Object> values = new ArrayList<>(columns.size());
      for (int i = 0; i < columns.size(); i++) {
        com.google.cloud.bigquery.Field field = fields.get(i);
        FieldValue v = row.get(i);
        if (field.getMode() == com.google.cloud.bigquery.Field.Mode.REPEATED && v != null && !v.isNull()) {
          // An ARRAY column: a List of its elements' values, as the local warehouse gives it.
          List<Object> list = new ArrayList<>();
          for (FieldValue element : v.getRepeatedValue()) {
            list.add(value(field.getType(), element));
          }
          values.add(java.util.Collections.unmodifiableList(list));
        } else {
          values.add(value(field.getType(), v));
        }
      }
      rows.add(values);
    }
    return new QueryResult(columns, rows);
  }

  // ---- submitting

  /** Creates the job, or returns the existing one when its id is taken. */
  private Job submit(String id, JobConfiguration config, String kind) throws IOException {
    JobId jobId = jobId(id);
    Job job;
    try {
      job = bigquery.create(JobInfo.of(jobId, config));
    } catch (BigQueryException e) {
      if (!isDuplicate(e)) {
        throw new IOException(
            "Cannot create BigQuery " + kind + " job " + id + ": " + e.getMessage(), e);
      }
      LOG.info(() -> "BigQuery job " + id + " exists already; returning it");
      job = null;
    }
    if (job == null || job.getStatus() == null || job.getConfiguration() == null) {
      // Duplicate id: either we caught the 409, or the client caught it and fetched only the
      // job's statistics. Either way the whole job is needed.
      try {
        job = bigquery.getJob(jobId);
      } catch (BigQueryException e) {
        throw new IOException("Cannot fetch existing BigQuery job " + id + ": " + e.getMessage(), e);
      }
      if (job == null) {
        throw new IOException("BigQuery job " + id + " exists but cannot be found in " + location);
      }
    }
    return job;
  }

  private Job fetchAfterWaitFailure(String id, BigQueryException cause) throws IOException {
    Job job;
    try {
      job = bigquery.getJob(jobId(id));
    } catch (BigQueryException e) {
      e.addSuppressed(cause);
      throw new IOException("Cannot wait for BigQuery query job " + id + ": " + e.getMessage(), e);
    }
    if (job == null || job.getStatus() == null
        || job.getStatus().getState() != com.google.cloud.bigquery.JobStatus.State.DONE) {
      throw new IOException(
          "Cannot wait for BigQuery query job " + id + ": " + cause.getMessage(), cause);
    }
    return job;
  }

  /** 409 on jobs.insert only ever means the id is taken; the reason says so too. */
  private static boolean isDuplicate(BigQueryException e) {
    return e.getCode() == 409 || "duplicate".equals(e.getReason());
  }

  private JobId jobId(String id) {
    return JobId.newBuilder().setJob(id).setLocation(location).build();
  }

  private static IOException interrupted(String what, InterruptedException e) {
    InterruptedIOException io = new InterruptedIOException("Interrupted waiting for " + what);
    io.initCause(e);
    return io;
  }

  // ---- mapping

  private static com.google.cloud.bigquery.TableId tableId(TableId table) {
    return com.google.cloud.bigquery.TableId.of(table.dataset(), table.table());
  }

  static Schema schema(TableSchema schema) {
    return Schema.of(fields(schema.fields()));
  }

  private static List<com.google.cloud.bigquery.Field> fields(List<Field> fields) {
    List<com.google.cloud.bigquery.Field> out = new ArrayList<>();
    for (Field f : fields) {
      com.google.cloud.bigquery.Field.Builder b =
          f.isRecord()
              ? com.google.cloud.bigquery.Field.newBuilder(
                  f.name(), StandardSQLTypeName.STRUCT,
                  com.google.cloud.bigquery.FieldList.of(fields(f.fields())))
              : com.google.cloud.bigquery.Field.newBuilder(f.name(), sqlType(f));
      b.setMode(com.google.cloud.bigquery.Field.Mode.valueOf(f.mode().name()));
      if (f.precision() > 0) {
        b.setPrecision((long) f.precision());
      }
      if (f.scale() >= 0) {
        b.setScale((long) f.scale());
      }
      if (f.description() != null && !f.description().isEmpty()) {
        b.setDescription(f.description());
      }
      out.add(b.build());
    }
    return out;
  }

  /** BigQuery's fields as the port's, RECORDs to any depth: the reverse of {@link #fields}. */
  static List<Field> portFields(FieldList fields) {
    List<Field> out = new ArrayList<>();
    for (com.google.cloud.bigquery.Field f : fields) {
      // The API's legacy names (INTEGER, FLOAT, BOOLEAN, RECORD) and standard ones alike.
      io.medallion.schema.FieldType type = io.medallion.schema.FieldType.parse(f.getType().name());
      Field.Mode mode = f.getMode() == null ? Field.Mode.NULLABLE : Field.Mode.valueOf(f.getMode().name());
      out.add(new Field(
          f.getName(), type, mode, f.getDescription(),
          type == io.medallion.schema.FieldType.RECORD ? portFields(f.getSubFields()) : List.of(),
          f.getPrecision() == null ? 0 : f.getPrecision().intValue(),
          f.getScale() == null ? -1 : f.getScale().intValue()));
    }
    return out;
  }

  private static StandardSQLTypeName sqlType(Field f) {
    return switch (f.type()) {
      case STRING -> StandardSQLTypeName.STRING;
      case INT64 -> StandardSQLTypeName.INT64;
      case FLOAT64 -> StandardSQLTypeName.FLOAT64;
      case NUMERIC -> StandardSQLTypeName.NUMERIC;
      case BIGNUMERIC -> StandardSQLTypeName.BIGNUMERIC;
      case BOOL -> StandardSQLTypeName.BOOL;
      case TIMESTAMP -> StandardSQLTypeName.TIMESTAMP;
      case DATE -> StandardSQLTypeName.DATE;
      case DATETIME -> StandardSQLTypeName.DATETIME;
      case TIME -> StandardSQLTypeName.TIME;
      case BYTES -> StandardSQLTypeName.BYTES;
      case JSON -> StandardSQLTypeName.JSON;
      case RECORD -> StandardSQLTypeName.STRUCT;
    };
  }

  /** A job as the port reports it. Package-private for the tests. */
  static JobStatus toStatus(Job job) {
    String id = job.getJobId().getJob();
    JobConfiguration config = job.getConfiguration();
    JobType type;
    Map<String, String> labels;
    TableId destination = null;
    long outputRows = -1;
    Long bytesProcessed = null;
    Long bytesBilled = null;
    JobStatistics stats = job.getStatistics();
    if (config instanceof LoadJobConfiguration load) {
      type = JobType.IMPORT;
      labels = load.getLabels();
      destination = portTable(load.getDestinationTable());
      if (stats instanceof LoadStatistics ls && ls.getOutputRows() != null) {
        outputRows = ls.getOutputRows();
      }
    } else if (config instanceof QueryJobConfiguration query) {
      type = JobType.QUERY;
      labels = query.getLabels();
      if (stats instanceof QueryStatistics qs) {
        // Only a DDL statement names a real table; a SELECT's destination is anonymous.
        destination = portTable(qs.getDdlTargetTable());
        if (qs.getNumDmlAffectedRows() != null) {
          outputRows = qs.getNumDmlAffectedRows();
        }
        // What the job cost: JobStatistics2.totalBytesProcessed and totalBytesBilled, the latter
        // with the on-demand minimums applied (0 under capacity pricing); absent until the job ends
        // (https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobStatistics2).
        bytesProcessed = qs.getTotalBytesProcessed();
        bytesBilled = qs.getTotalBytesBilled();
      }
    } else {
      throw new IllegalStateException(
          "BigQuery job " + id + " is a " + (config == null ? "?" : config.getType())
              + " job; only load and query jobs are the pipeline's");
    }
    com.google.cloud.bigquery.JobStatus status = job.getStatus();
    JobState state =
        switch (status.getState().name()) {
          case "PENDING" -> JobState.PENDING;
          case "RUNNING" -> JobState.RUNNING;
          default -> JobState.DONE;
        };
    return new JobStatus(
        id,
        type,
        state,
        errorMessage(status.getError()),
        labels == null ? Map.of() : labels,
        destination,
        outputRows,
        stats == null ? null : instant(stats.getCreationTime()),
        stats == null ? null : instant(stats.getEndTime()),
        bytesProcessed,
        bytesBilled,
        // Slot time, load and query jobs alike: JobStatistics.totalSlotMs
        // (https://cloud.google.com/bigquery/docs/reference/rest/v2/Job#JobStatistics).
        stats == null ? null : stats.getTotalSlotMs());
  }

  private static String errorMessage(BigQueryError error) {
    if (error == null) {
      return null;
    }
    String message = error.getMessage();
    return message == null || message.isEmpty() ? String.valueOf(error.getReason()) : message;
  }

  /** Null unless the table is one the port can name (BigQuery allows more in table names). */
  private static TableId portTable(com.google.cloud.bigquery.TableId table) {
    if (table == null) {
      return null;
    }
    try {
      return new TableId(table.getDataset(), table.getTable());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant instant(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
  }

  private static QueryParameterValue parameter(String name, Object value) {
    if (value instanceof String s) {
      return QueryParameterValue.string(s);
    } else if (value instanceof Long l) {
      return QueryParameterValue.int64(l);
    } else if (value instanceof Integer i) {
      return QueryParameterValue.int64(i);
    } else if (value instanceof Double d) {
      return QueryParameterValue.float64(d);
    } else if (value instanceof Boolean b) {
      return QueryParameterValue.bool(b);
    } else if (value instanceof Instant t) {
      // Microseconds, BigQuery's TIMESTAMP precision (nanoseconds beyond are dropped).
      return QueryParameterValue.timestamp(
          Math.addExact(
              Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L));
    } else if (value instanceof LocalDate d) {
      return QueryParameterValue.date(d.toString());
    } else if (value instanceof java.time.LocalDateTime t) {
      return QueryParameterValue.dateTime(t.format(DATETIME));
    } else if (value instanceof java.time.LocalTime t) {
      return QueryParameterValue.time(t.format(TIME));
    } else if (value instanceof java.math.BigDecimal d) {
      return numeric(name, d);
    }
    throw new IllegalArgumentException(
        "Query parameter @" + name + " is "
            + (value == null ? "null, whose type BigQuery cannot tell" : "a " + value.getClass().getName())
            + "; use String, Long, Integer, Double, Boolean, Instant, LocalDate, LocalDateTime, LocalTime or BigDecimal");
  }

  /** DATETIME and TIME parameters as the client validates them: microseconds, BigQuery's precision. */
  private static final java.time.format.DateTimeFormatter DATETIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

  /**
   * NUMERIC when it holds the value exactly (precision 38, scale 9: 29 digits before the point,
   * 9 after), else BIGNUMERIC (76 digits, 38 after the point); refused beyond that rather than
   * rounded (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#decimal_types).
   */
  private static QueryParameterValue numeric(String name, java.math.BigDecimal value) {
    java.math.BigDecimal d = value.scale() < 0 ? value.setScale(0) : value;
    int integerDigits = d.precision() - d.scale();
    if (d.scale() <= 9 && integerDigits <= 29) {
      return QueryParameterValue.numeric(d);
    } else if (d.scale() <= 38 && integerDigits <= 38) {
      return QueryParameterValue.bigNumeric(d);
    }
    throw new IllegalArgumentException("Query parameter @" + name + " = " + value
        + " fits neither NUMERIC nor BIGNUMERIC (at most 38 digits before the point and 38 after)");
  }

  /** A cell as the port's types: the same Java classes the DuckDB warehouse returns. */
  private static Object value(LegacySQLTypeName type, FieldValue v) {
    if (v == null || v.isNull()) {
      return null;
    }
    StandardSQLTypeName t = type.getStandardType();
    return switch (t) {
      case INT64 -> v.getLongValue();
      case FLOAT64 -> v.getDoubleValue();
      case BOOL -> v.getBooleanValue();
      case TIMESTAMP -> v.getTimestampInstant();
      case DATE -> LocalDate.parse(v.getStringValue());
      case NUMERIC, BIGNUMERIC -> v.getNumericValue();
      default -> v.getValue() instanceof String s ? s : v.getValue();
    };
  }
}
