package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbMeterTable;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.QueryResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code medallion status [RUN_ID]}: the run ledger. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show recent runs, or every ledger event of one run.")
final class StatusCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", arity = "0..1", paramLabel = "RUN_ID", description = "A run id; without it, the 20 most recent runs.")
  String runId;

  @Option(names = "--price-per-tib", paramLabel = "USD",
      description = "On-demand list price in US dollars per TiB billed, to price a run's jobs (default: ${DEFAULT-VALUE},"
          + " BigQuery's in the US multi-region, https://cloud.google.com/bigquery/pricing#on_demand_pricing).")
  double pricePerTib = Reports.ON_DEMAND_USD_PER_TIB;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    if (!(pricePerTib >= 0) || Double.isInfinite(pricePerTib)) {
      throw new Main.UserError("--price-per-tib must be a price of 0 or more US dollars, got " + pricePerTib);
    }
    try (QueryCommand.Reading reading = QueryCommand.Reading.open(main)) {
      DuckDbWarehouse warehouse = reading.warehouse();
      DuckDbRunLedger ledger = new DuckDbRunLedger(warehouse, config.opsDataset());
      Path buckets = new LocalPipeline.Layout(main.home()).buckets();
      if (runId == null) {
        List<List<Object>> rows = new ArrayList<>();
        for (String id : ledger.recentRuns(20)) {
          RunSummary s = RunSummary.of(id, ledger.events(id));
          rows.add(List.of(
              id, s.source() == null ? "" : s.source(), String.valueOf(s.startedAt()), s.state(),
              s.isDrop() ? "dropped" : Reports.label(s.ingest()), s.sourceRecords(),
              Reports.label(s.silver()), s.silverRows(), s.rejects(),
              Reports.label(s.load()), Reports.label(s.gold()),
              s.dq() == Status.FAILED ? s.dqFailingRows() + " failing" : Reports.label(s.dq()),
              reconciled(s)));
        }
        TablePrinter.print(new QueryResult(
            List.of("run_id", "source", "started_at", "state", "ingest", "bronze_records", "silver", "silver_rows",
                "rejects", "load", "gold", "dq", "reconciled"),
            rows), main.out());
        printWaiting(warehouse, config, main.out());
        printSlos(new io.medallion.slo.DomainSlos(LocalPipeline.sources(config), ledger, warehouse,
            new io.medallion.port.TableId(config.opsDataset(), "dq_results"), java.time.Clock.systemUTC()), main.out());
        return 0;
      }
      List<RunEvent> events = ledger.events(runId);
      if (events.isEmpty()) {
        throw new Main.UserError("no run " + runId + " in the ledger");
      }
      List<List<Object>> rows = new ArrayList<>();
      for (RunEvent e : events) {
        List<Object> row = new ArrayList<>();
        row.add(String.valueOf(e.recordedAt()));
        row.add(e.stage().label());
        row.add(e.status().label());
        row.add(e.page());
        row.add(e.records());
        row.add(e.rows());
        row.add(e.rejects());
        row.add(e.jobId());
        row.add(Reports.dataSize(e.bytesProcessed()));
        row.add(Reports.dataSize(e.bytesBilled()));
        row.add(e.error() != null ? e.error() : Reports.localPath(buckets, e.objectUri()));
        rows.add(row);
      }
      TablePrinter.print(new QueryResult(
          List.of("recorded_at", "stage", "status", "page", "records", "rows", "rejects", "job_id",
              "processed (est.)", "billed (est.)", "object / error"), rows), main.out());
      RunSummary s = RunSummary.of(runId, events);
      main.out().printf("%nrun %s: %s%s%n", runId, s.state(),
          s.state().equals("incomplete") ? " (./medallion resume " + runId + " finishes it)" : "");
      if (s.isBackfill() || s.isStreamBuild()) {
        main.out().printf("a gold build over silver (%s): no bronze, silver step or load of its own%n",
            s.isBackfill() ? "a backfill" : "a stream source's schedule");
      } else {
        main.out().printf("%s records %d = silver rows %d + rejects %d: %s%n", s.isDrop() ? "dropped file" : "bronze",
            s.sourceRecords(), s.silverRows(), s.rejects(),
            s.silver() != Status.SUCCEEDED ? "- (silver did not finish)" : s.reconciled() ? "yes" : "NO (MISMATCH)");
      }
      main.out().println();
      // The local warehouse's figures are estimates (DuckDB does not bill); see QueryCostEstimator.
      Reports.printCost(events, pricePerTib, true, main.out());
      main.out().println();
      Reports.printChecks(Reports.checks(warehouse, config.opsDataset(), runId), main.out());
      main.out().println();
      Reports.printMetrics(new DuckDbMeterTable(warehouse, config.opsDataset()).load(runId), main.out());
      return s.reconciled() && s.dq() != Status.FAILED ? 0 : 1;
    }
  }

  /**
   * Datasets made of several files that are not whole yet: for each model that needs them, the
   * date, what has landed, what is missing, and for how long.
   */
  private static void printWaiting(DuckDbWarehouse warehouse, MedallionConfig config, java.io.PrintStream out)
      throws java.io.IOException {
    List<List<Object>> rows = new ArrayList<>();
    java.time.Instant now = java.time.Instant.now();
    io.medallion.source.SourceRegistry registry = LocalPipeline.sources(config);
    for (String name : registry.names()) {
      io.medallion.source.Source source = registry.find(name).orElseThrow();
      io.medallion.gold.Datasets datasets = new io.medallion.gold.Datasets(warehouse, config.silverDataset(source));
      for (io.medallion.gold.Datasets.Waiting w : datasets.waiting(source)) {
        rows.add(List.of(w.source(), w.model(), w.date().toString(), String.join(", ", w.landed()),
            String.join(", ", w.missing()), Format.duration(java.time.Duration.between(w.since(), now))));
      }
    }
    if (!rows.isEmpty()) {
      out.printf("%nWaiting for files (gold.needs): each model runs for a date once all its files of that date are in%n");
      TablePrinter.print(new QueryResult(List.of("source", "model", "date", "landed", "missing", "waiting_for"), rows), out);
    }
  }

  /**
   * Each domain's objectives against what the ledger and dq_results say (io.medallion.slo): the SLI
   * over the window, the error budget left and the burn rate over the last days.
   */
  static void printSlos(io.medallion.slo.DomainSlos slos, java.io.PrintStream out) throws java.io.IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (io.medallion.slo.SloStatus s : slos.statuses()) {
      rows.add(List.of(s.domain(), s.kind().label(), percent(s.objective()) + " / " + s.windowDays() + "d",
          s.total() == 0 ? "no data" : percent(s.sli().getAsDouble()) + " (" + s.good() + "/" + s.total() + ")",
          s.errorBudgetLeft().isPresent() ? percent(s.errorBudgetLeft().getAsDouble()) : "",
          s.burnRate().isPresent() ? String.format(java.util.Locale.ROOT, "%.2fx", s.burnRate().getAsDouble()) : "",
          s.total() == 0 ? "" : s.met() ? "met" : "MISSED"));
    }
    out.printf("%nDomain SLOs (freshness: days every source built gold by gold_by; quality: check results passing;"
        + " budget left = 1 - (1 - SLI) / (1 - objective); burn rate over the last %d days)%n",
        io.medallion.slo.DomainSlos.BURN_WINDOW_DAYS);
    TablePrinter.print(new QueryResult(
        List.of("domain", "slo", "objective", "sli", "budget_left", "burn_rate", "state"), rows), out);
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }

  /** ok, MISMATCH, or - when silver has not finished and there is nothing to compare yet. */
  private static String reconciled(RunSummary s) {
    if (s.silver() != Status.SUCCEEDED) {
      return "-";
    }
    return s.reconciled() ? "ok" : "MISMATCH";
  }
}
