package io.medallion.gcp.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.Labels;
import io.medallion.port.QueryResult;
import io.medallion.port.RunLedger;
import io.medallion.port.TableId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run ledger in BigQuery ({@code <ops>.run_ledger}, {@code schemas/bigquery/ops/run_ledger.json}).
 *
 * <p>{@link #record} is one DML statement that inserts unless the event id is there already, so a
 * redelivered event adds nothing; every value travels as a typed query parameter (NULLs too), never
 * in the SQL text. Two concurrent first writes of one id could both insert (BigQuery DML runs
 * under snapshot isolation); {@link #events} therefore keeps the first row per id.
 *
 * <p>Cost note: one DML statement per event (about a second each). Fine for the ledger's volume of
 * tens of events per run; the Storage Write API would be the step up.
 */
public final class BigQueryRunLedger implements RunLedger {

  private final BigQuery bigquery;
  private final BigQueryWarehouse reader;
  private final TableId table;
  private final String location;

  public BigQueryRunLedger(BigQuery bigquery, TableId table, String location) {
    this.bigquery = bigquery;
    this.reader = new BigQueryWarehouse(bigquery, location);
    this.table = table;
    this.location = location;
  }

  /** Every column quoted: {@code rows} is a reserved word in BigQuery. */
  private static final String COLUMNS = "`event_id`, `run_id`, `source`, `stage`, `status`, `page`, `records`, `rows`, `rejects`, `bytes`, `job_id`, `object_uri`, `error`, `watermark`, `recorded_at`, `unknown_fields`, `bytes_processed`, `bytes_billed`, `slot_ms`, `gcs_bytes_written`, `instance_ms`";

  @Override
  public void record(RunEvent e) throws IOException {
    String sql =
        "insert into `" + table.sql() + "` (" + COLUMNS + ")\n"
            + "select @v_event_id, @v_run_id, @v_source, @v_stage, @v_status, @v_page, @v_records, @v_rows,"
            + " @v_rejects, @v_bytes, @v_job_id, @v_object_uri, @v_error, @v_watermark, @v_recorded_at, @v_unknown_fields,"
            + " @v_bytes_processed, @v_bytes_billed, @v_slot_ms, @v_gcs_bytes_written, @v_instance_ms\n"
            + "from (select 1)\n"
            + "where not exists (select 1 from `" + table.sql() + "` where event_id = @v_event_id)";
    // Parameter names are prefixed so none is a reserved word (@rows would be).
    Map<String, QueryParameterValue> p = new LinkedHashMap<>();
    p.put("v_event_id", QueryParameterValue.string(e.eventId()));
    p.put("v_run_id", QueryParameterValue.string(e.runId()));
    p.put("v_source", QueryParameterValue.string(e.source()));
    p.put("v_stage", QueryParameterValue.string(e.stage().label()));
    p.put("v_status", QueryParameterValue.string(e.status().label()));
    p.put("v_page", QueryParameterValue.int64(e.page()));
    p.put("v_records", QueryParameterValue.int64(e.records()));
    p.put("v_rows", QueryParameterValue.int64(e.rows()));
    p.put("v_rejects", QueryParameterValue.int64(e.rejects()));
    p.put("v_bytes", QueryParameterValue.int64(e.bytes()));
    p.put("v_job_id", QueryParameterValue.string(e.jobId()));
    p.put("v_object_uri", QueryParameterValue.string(e.objectUri()));
    p.put("v_error", QueryParameterValue.string(e.error()));
    p.put("v_watermark", QueryParameterValue.string(e.watermark()));
    p.put("v_recorded_at", QueryParameterValue.timestamp(micros(e.recordedAt())));
    p.put("v_unknown_fields", QueryParameterValue.string(e.unknownFields()));
    p.put("v_bytes_processed", QueryParameterValue.int64(e.bytesProcessed()));
    p.put("v_bytes_billed", QueryParameterValue.int64(e.bytesBilled()));
    p.put("v_slot_ms", QueryParameterValue.int64(e.slotMs()));
    p.put("v_gcs_bytes_written", QueryParameterValue.int64(e.gcsBytesWritten()));
    p.put("v_instance_ms", QueryParameterValue.int64(e.instanceMs()));
    // The run's labels too, so INFORMATION_SCHEMA.JOBS lists the ledger writes of a run; a value
    // BigQuery would refuse as a label (a dropped file's odd source name) is left off, not sent.
    Map<String, String> labels = new LinkedHashMap<>(Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "ops"));
    if (Labels.isValidValue(e.runId())) {
      labels.put("run_id", e.runId());
    }
    if (Labels.isValidValue(e.source())) {
      labels.put("source", e.source());
    }
    QueryJobConfiguration config =
        QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false).setNamedParameters(p)
            .setLabels(labels).build();
    try {
      // The statement is idempotent by itself, so a fresh job id per attempt is safe.
      bigquery.query(config, JobId.newBuilder().setLocation(location).build());
    } catch (BigQueryException ex) {
      throw new IOException("Failed to record ledger event " + e.eventId() + " in " + table + ": " + ex.getMessage(), ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted recording ledger event " + e.eventId());
    }
  }

  @Override
  public List<RunEvent> sourceEvents(String source, Stage stage, Status status, Instant since) throws IOException {
    // recorded_at is the partitioning column: the filter on it prunes the older partitions.
    return toEvents(reader.read(
        "select " + COLUMNS + " from `" + table.sql() + "`"
            + " where source = @source and stage = @stage and status = @status and recorded_at >= @since"
            + " qualify row_number() over (partition by event_id order by recorded_at) = 1"
            + " order by recorded_at, event_id",
        Map.of("source", source, "stage", stage.label(), "status", status.label(), "since", since)));
  }

  @Override
  public List<RunEvent> events(String runId) throws IOException {
    return toEvents(reader.read(
        "select " + COLUMNS + " from `" + table.sql() + "` where run_id = @run_id"
            + " qualify row_number() over (partition by event_id order by recorded_at) = 1"
            + " order by recorded_at, event_id",
        Map.of("run_id", runId)));
  }

  private static List<RunEvent> toEvents(QueryResult result) {
    List<RunEvent> events = new ArrayList<>();
    for (List<Object> r : result.rows()) {
      events.add(new RunEvent(
          (String) r.get(0), (String) r.get(1), (String) r.get(2),
          Stage.valueOf(((String) r.get(3)).toUpperCase(Locale.ROOT)),
          Status.valueOf(((String) r.get(4)).toUpperCase(Locale.ROOT)),
          (Long) r.get(5), (Long) r.get(6), (Long) r.get(7), (Long) r.get(8), (Long) r.get(9),
          (String) r.get(10), (String) r.get(11), (String) r.get(12), (String) r.get(13), (Instant) r.get(14),
          r.size() > 15 ? (String) r.get(15) : null,
          r.size() > 16 ? (Long) r.get(16) : null,
          r.size() > 17 ? (Long) r.get(17) : null,
          r.size() > 18 ? (Long) r.get(18) : null,
          r.size() > 19 ? (Long) r.get(19) : null,
          r.size() > 20 ? (Long) r.get(20) : null));
    }
    return events;
  }

  /**
   * One query job for all of them, the rows as an ARRAY of STRUCT parameter (struct fields may be
   * NULL, array elements may not), each inserted unless its id is there: a page per job would cost
   * a job, and seconds, per page.
   */
  @Override
  public void recordAll(List<RunEvent> events) throws IOException {
    if (events.size() <= 1) {
      for (RunEvent e : events) {
        record(e);
      }
      return;
    }
    List<QueryParameterValue> rows = new ArrayList<>();
    for (RunEvent e : events) {
      Map<String, QueryParameterValue> f = new LinkedHashMap<>();
      f.put("event_id", QueryParameterValue.string(e.eventId()));
      f.put("run_id", QueryParameterValue.string(e.runId()));
      f.put("source", QueryParameterValue.string(e.source()));
      f.put("stage", QueryParameterValue.string(e.stage().label()));
      f.put("status", QueryParameterValue.string(e.status().label()));
      f.put("page", QueryParameterValue.int64(e.page()));
      f.put("records", QueryParameterValue.int64(e.records()));
      f.put("rows", QueryParameterValue.int64(e.rows()));
      f.put("rejects", QueryParameterValue.int64(e.rejects()));
      f.put("bytes", QueryParameterValue.int64(e.bytes()));
      f.put("job_id", QueryParameterValue.string(e.jobId()));
      f.put("object_uri", QueryParameterValue.string(e.objectUri()));
      f.put("error", QueryParameterValue.string(e.error()));
      f.put("watermark", QueryParameterValue.string(e.watermark()));
      f.put("recorded_at", QueryParameterValue.timestamp(micros(e.recordedAt())));
      f.put("unknown_fields", QueryParameterValue.string(e.unknownFields()));
      f.put("bytes_processed", QueryParameterValue.int64(e.bytesProcessed()));
      f.put("bytes_billed", QueryParameterValue.int64(e.bytesBilled()));
      f.put("slot_ms", QueryParameterValue.int64(e.slotMs()));
      f.put("gcs_bytes_written", QueryParameterValue.int64(e.gcsBytesWritten()));
      f.put("instance_ms", QueryParameterValue.int64(e.instanceMs()));
      rows.add(QueryParameterValue.struct(f));
    }
    QueryParameterValue array = QueryParameterValue.newBuilder()
        .setType(com.google.cloud.bigquery.StandardSQLTypeName.ARRAY)
        .setArrayType(com.google.cloud.bigquery.StandardSQLTypeName.STRUCT)
        .setArrayValues(rows)
        .build();
    String sql =
        "insert into `" + table.sql() + "` (" + COLUMNS + ")\n"
            + "select e.* from unnest(@v_events) as e\n"
            + "where e.event_id not in (select event_id from `" + table.sql() + "` where run_id in (select run_id from unnest(@v_events)))\n"
            + "qualify row_number() over (partition by e.event_id) = 1";
    RunEvent first = events.get(0);
    Map<String, String> labels = new LinkedHashMap<>(Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "ops"));
    if (Labels.isValidValue(first.runId())) {
      labels.put("run_id", first.runId());
    }
    if (Labels.isValidValue(first.source())) {
      labels.put("source", first.source());
    }
    QueryJobConfiguration config = QueryJobConfiguration.newBuilder(sql).setUseLegacySql(false)
        .setNamedParameters(Map.of("v_events", array)).setLabels(labels).build();
    try {
      bigquery.query(config, JobId.newBuilder().setLocation(location).build());
    } catch (BigQueryException ex) {
      throw new IOException("Failed to record " + events.size() + " ledger events of run " + first.runId() + " in " + table
          + ": " + ex.getMessage(), ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted recording ledger events of run " + first.runId());
    }
  }

  @Override
  public java.util.Optional<String> watermark(String source, String resource) throws IOException {
    QueryResult result = reader.read(
        "select w.watermark from `" + table.sql() + "` as w\n"
            + "where w.source = @source and w.stage = 'ingest' and w.status = 'checkpoint'\n"
            + "  and w.event_id = concat(w.run_id, @suffix) and w.watermark is not null\n"
            + "  and exists (select 1 from `" + table.sql() + "` as g where g.run_id = w.run_id and g.stage = 'gold' and g.status = 'succeeded')\n"
            + "  and not exists (select 1 from `" + table.sql() + "` as d where d.run_id = w.run_id and d.stage = 'dq' and d.status = 'failed')\n"
            + "order by w.recorded_at desc limit 1",
        Map.of("source", source, "suffix", "/ingest/checkpoint/watermark-" + resource));
    return result.rows().isEmpty() ? java.util.Optional.empty() : java.util.Optional.ofNullable((String) result.rows().get(0).get(0));
  }

  @Override
  public List<String> recentRuns(int limit) throws IOException {
    QueryResult result = reader.read(
        "select run_id from `" + table.sql() + "` group by run_id"
            + " order by max(recorded_at) desc, run_id desc limit @max_runs",
        Map.of("max_runs", (long) limit));
    return result.rows().stream().map(r -> (String) r.get(0)).toList();
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
  }
}
