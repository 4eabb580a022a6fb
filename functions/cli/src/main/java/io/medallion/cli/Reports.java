package io.medallion.cli;

import io.medallion.event.InvalidEventException;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.metrics.MeterRow;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The end-of-run summary. */
final class Reports {

  private Reports() {}

  /**
   * The end-of-run summary.
   *
   * @param source null when the run names no known source (a file dropped outside any source)
   */
  static void printSummary(RunSummary s, LocalPipeline pipeline, Source source, Duration elapsed, PrintStream out) {
    var config = pipeline.config();
    Path buckets = pipeline.layout().buckets();
    String verdict = s.succeeded() ? "succeeded" : s.state().equals("failed") ? "FAILED" : "did not finish";
    out.printf("Run %s %s in %s%n", s.runId(), verdict, Format.duration(elapsed));
    if (s.isStreamBuild() && source != null && source.streams()) {
      printStreamBuild(s, pipeline, source, out);
      return;
    }
    if (s.isBackfill() && source != null) {
      // A gold build over silver: no bronze, no silver step, no load of its own.
      out.printf("  gold     %-34s %s.{%s}%n",
          String.format("%,d rows in %d table%s", s.goldRows(), source.goldModels().size(), source.goldModels().size() == 1 ? "" : "s"),
          pipeline.config().goldDataset(source), String.join(", ", source.goldModels()));
      out.printf("  stages   gold %s (a backfill: rebuilt from silver, no ingest or load)%n", label(s.gold()));
      out.printf("  quality  %s%n", s.dq() == null ? "-" : s.dq() == Status.SUCCEEDED ? "every data-quality check passed"
          : "FAILED: " + s.dqFailingRows() + " failing rows (./medallion status " + s.runId() + ")");
      for (String error : s.errors()) {
        out.println("  error    " + error);
      }
      return;
    }
    if (s.isDrop()) {
      out.printf("  bronze   %-34s %s%n", String.format("dropped file, %,d records", s.silverRecords()),
          s.droppedObject() == null ? "" : localPath(pipeline, s.droppedObject()));
    } else {
      out.printf("  bronze   %-34s %s%n",
          String.format("%,d records in %,d pages (%s)", s.bronzeRecords(), s.pages(), Format.bytes(s.bronzeBytes())),
          source == null ? "" : buckets.resolve(config.bronzeBucket()).resolve(source.name()));
    }
    if (s.origin() != null) {
      out.printf("  from     %s%n", describeOrigin(source, URI.create(s.origin())));
    }
    if (source == null) {
      out.printf("  stages   ingest %s, silver %s, load %s, gold %s%n",
          label(s.ingest()), label(s.silver()), label(s.load()), label(s.gold()));
      for (String error : s.errors()) {
        out.println("  error    " + error);
      }
      return;
    }
    List<String> tables = source.silverTables();
    out.printf("  silver   %-34s %s.%s in %s%n",
        String.format("%,d rows, %,d rejects", s.silverRows(), s.rejects()), config.silverDataset(source),
        tables.size() == 1 ? tables.get(0) : "{" + String.join(", ", tables) + "}", pipeline.layout().warehouseFile());
    // Fields no column reads: kept in _extra (or dropped, or rejected, as the source declares).
    s.unknownFields().forEach((field, records) -> out.printf("  unknown  new field `%s` in %,d record%s%n", field, records,
        records == 1 ? "" : "s"));
    if (!s.unknownFields().isEmpty()) {
      out.printf("           %s%n", "kept in _extra unless silver.unknown_fields says otherwise; add a column or name it in silver.drop");
    }
    if (s.silver() == Status.SUCCEEDED) {
      out.printf("  rejects  %-34s %s%n", "one reason each",
          buckets.resolve(config.stagingBucket()).resolve(source.name()).resolve("run_id=" + s.runId()) + "/gen=*/rejects.ndjson");
    }
    out.printf("  gold     %-34s %s.{%s}%n",
        String.format("%,d rows in %d table%s", s.goldRows(), source.goldModels().size(), source.goldModels().size() == 1 ? "" : "s"),
        config.goldDataset(source), String.join(", ", source.goldModels()));
    out.printf("  stages   ingest %s, silver %s, load %s, gold %s%n",
        s.isDrop() ? "- (dropped file)" : label(s.ingest()), label(s.silver()), label(s.load()), label(s.gold()));
    out.printf("  check    bronze records = silver rows + rejects: %s%n",
        s.silver() != Status.SUCCEEDED ? "- (silver did not finish)"
            : s.reconciled() ? "yes (" + s.sourceRecords() + " = " + s.silverRows() + " + " + s.rejects() + ")" : "NO: MISMATCH");
    out.printf("  quality  %s%n", s.dq() == null ? "-" : s.dq() == Status.SUCCEEDED ? "every data-quality check passed"
        : "FAILED: " + s.dqFailingRows() + " failing rows (./medallion status " + s.runId() + ")");
    for (String error : s.errors()) {
      out.println("  error    " + error);
    }
  }

  /**
   * A stream source's gold build: no bronze, no silver step, no load; silver is what the BigQuery
   * subscription has written so far, and what it refused is in the source's own dead letters.
   */
  private static void printStreamBuild(RunSummary s, LocalPipeline pipeline, Source source, PrintStream out) {
    var config = pipeline.config();
    String table = source.resource(source.push().resource()).orElseThrow().silverTable();
    String rows;
    try {
      rows = String.format("%,d rows streamed so far", ((Number) pipeline.warehouse().read(
          "select count(*) from " + new io.medallion.port.TableId(config.silverDataset(source), table).sql()).scalar()).longValue());
    } catch (IOException | RuntimeException e) {
      rows = "rows streamed: unknown (" + e.getMessage() + ")";
    }
    out.printf("  silver   %-34s %s.%s (a Pub/Sub BigQuery subscription, no load job)%n", rows, config.silverDataset(source), table);
    pipeline.streamDeadLetters(source.name()).ifPresent(archive -> {
      try {
        out.printf("  refused  %-34s %s%n", String.format("%,d records BigQuery would refuse", archive.list().size()), archive.directory());
      } catch (IOException e) {
        out.printf("  refused  unknown: %s%n", e.getMessage());
      }
    });
    out.printf("  gold     %-34s %s.{%s}%n",
        String.format("%,d rows in %d table%s", s.goldRows(), source.goldModels().size(), source.goldModels().size() == 1 ? "" : "s"),
        config.goldDataset(source), String.join(", ", source.goldModels()));
    out.printf("  stages   gold %s (a scheduled build: ingest, silver and load are the subscription's)%n", label(s.gold()));
    out.printf("  quality  %s%n", s.dq() == null ? "-" : s.dq() == Status.SUCCEEDED ? "every data-quality check passed"
        : "FAILED: " + s.dqFailingRows() + " failing rows (./medallion status " + s.runId() + ")");
    for (String error : s.errors()) {
      out.println("  error    " + error);
    }
  }

  /** A gs:// URI as the local file that holds it; the URI itself when it names none. */
  static String localPath(LocalPipeline pipeline, String uri) {
    if (uri == null || !uri.startsWith("gs://")) {
      return uri;
    }
    try {
      return pipeline.objects().path(io.medallion.port.ObjectId.fromUri(uri)).toString();
    } catch (IllegalArgumentException | IOException e) {
      return uri;
    }
  }

  /** A gs:// URI as the file under {@code buckets} that holds it, without opening anything. */
  static String localPath(Path buckets, String uri) {
    if (uri == null || !uri.startsWith("gs://")) {
      return uri;
    }
    try {
      io.medallion.port.ObjectId id = io.medallion.port.ObjectId.fromUri(uri);
      return buckets.resolve(id.bucket()).resolve(id.name()).toString();
    } catch (IllegalArgumentException e) {
      return uri;
    }
  }

  /**
   * BigQuery's on-demand list price in US dollars per TiB processed, the default of {@code status
   * --price-per-tib}: "On-demand pricing (per TiB) ... $6.25" in the US multi-region, the first
   * TiB of each month free (https://cloud.google.com/bigquery/pricing#on_demand_pricing; regions
   * differ, and capacity pricing bills slots, not bytes).
   */
  static final double ON_DEMAND_USD_PER_TIB = 6.25;

  private static final double TIB = 1024.0 * 1024 * 1024 * 1024;

  /**
   * What a run's warehouse jobs cost: the total billed and its price at {@code usdPerTib}.
   *
   * @param estimated whether the figures are the local warehouse's estimates rather than BigQuery's
   */
  static void printCost(List<io.medallion.ledger.RunEvent> events, double usdPerTib, boolean estimated, PrintStream out) {
    long processed = 0;
    long billed = 0;
    int jobs = 0;
    for (io.medallion.ledger.RunEvent e : events) {
      if (e.bytesBilled() != null) {
        jobs++;
        billed += e.bytesBilled();
        processed += e.bytesProcessed() == null ? 0 : e.bytesProcessed();
      }
    }
    out.println("Cost (on-demand: bytes billed x list price" + (estimated
        ? "; ESTIMATED by the local warehouse, the way BigQuery would bill these jobs):" : "):"));
    if (jobs == 0) {
      out.println("  (no job with a known cost)");
      return;
    }
    out.printf("  %d job%s: %s processed, %s billed = %s at $%s/TiB%n", jobs, jobs == 1 ? "" : "s",
        dataSize(processed), dataSize(billed), usd(billed / TIB * usdPerTib), plain(usdPerTib));
  }

  /** Bytes in binary units up to TiB, as BigQuery's console shows them ("10 MB" is 10 MiB there). */
  static String dataSize(Long n) {
    if (n == null) {
      return "";
    }
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = n;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? n + " B" : String.format("%.1f %s", value, units[unit]);
  }

  /** Dollars to three significant digits: a run's bill is often a fraction of a cent. */
  private static String usd(double dollars) {
    if (dollars == 0) {
      return "$0";
    }
    return "$" + new java.math.BigDecimal(dollars).round(new java.math.MathContext(3)).toPlainString();
  }

  private static String plain(double n) {
    return java.math.BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
  }

  /** The run's meters, as Cloud Monitoring would chart them (names and tags are the same). */
  static void printMetrics(List<MeterRow> rows, PrintStream out) {
    out.println("Metrics (the meters the functions export to Cloud Monitoring on GCP):");
    if (rows.isEmpty()) {
      out.println("  (none recorded)");
      return;
    }
    for (MeterRow r : rows) {
      String value = r.isTimer()
          ? String.format("%,d x, total %s, max %s", (long) r.count(), seconds(r.totalSeconds()), seconds(r.maxSeconds()))
          : String.format("%,d", (long) r.count());
      out.printf("  %-26s %-52s %s%n", r.meter(), r.tags(), value);
    }
  }

  /** The data-quality verdicts of a run, from {@code ops.dq_results}. */
  static void printChecks(QueryResult checks, PrintStream out) {
    out.println("Data-quality checks (ops.dq_results):");
    if (checks.rows().isEmpty()) {
      out.println("  (none ran)");
      return;
    }
    for (List<Object> row : checks.rows()) {
      long failing = ((Number) row.get(1)).longValue();
      out.printf("  %-40s %s%n", row.get(0), failing == 0 ? "passed" : "FAILED: " + failing + " failing rows");
    }
  }

  /** The verdicts of a run's checks, oldest build first. */
  static QueryResult checks(Warehouse warehouse, String opsDataset, String runId) throws IOException {
    return warehouse.read(
        "select check_name, failing_rows from " + new TableId(opsDataset, "dq_results").sql()
            + " where run_id = @run_id order by checked_at, check_name",
        Map.of("run_id", runId));
  }

  private static String seconds(double s) {
    return s < 1 ? String.format("%.0f ms", s * 1000) : String.format("%.2f s", s);
  }

  static String label(Status status) {
    return status == null ? "-" : status.label();
  }

  /**
   * How a person reads where a run reads: as {@link SourceOrigin#describe}, except
   * that a source replayed from recorded records says so (the records and seed of its URL do not apply).
   */
  static String describeOrigin(Source source, URI origin) {
    try {
      var replay = SourceOrigin.replay(origin);
      if (replay.isPresent() && source != null && source.name().equals(replay.get().source()) && source.replay() != null
          && source.replay().generator() == null && source.replay().records() != null) {
        return "embedded replay server: the records recorded in " + source.replay().records();
      }
    } catch (InvalidEventException e) {
      // described as it is below
    }
    return SourceOrigin.describe(origin);
  }
}
