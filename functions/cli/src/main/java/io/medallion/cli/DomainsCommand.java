package io.medallion.cli;

import com.google.gson.GsonBuilder;
import io.medallion.config.MedallionConfig;
import io.medallion.domain.Domain;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.QueryResult;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion domains}: each declared domain, who owns it and who reads it, its datasets, its
 * sources and their tables, and, from the run ledger, its last run and how fresh its gold is.
 * {@code medallion domains move} moves tables of the layout before domains into them.
 */
@Command(name = "domains", mixinStandardHelpOptions = true, subcommands = DomainsMoveCommand.class,
    description = "Show each domain: owner, consumers, datasets, sources and tables, last run and gold freshness.")
final class DomainsCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--json", description = "One JSON object per domain, in an array.")
  boolean json;

  /** A source of a domain, its tables, and how fresh its gold is. */
  record SourceRow(String source, List<String> silverTables, List<String> goldTables, Instant lastGold,
      String freshness) {}

  /** The last run of any of a domain's sources, as {@code status} sums it up. */
  record LastRun(String runId, String source, Instant startedAt, String state) {}

  /**
   * A domain as {@code domains} shows it. Further columns (an SLO error budget) are added here and
   * filled in {@link #row}.
   *
   * @param freshGoldToday whether every source had a successful gold build today (UTC) by the
   *     domain's {@code slo.freshness.gold_by}; null while that time has not come and one has not
   */
  record DomainRow(String domain, String description, String team, String contact, List<String> consumers,
      List<String> datasets, List<SourceRow> sources, LastRun lastRun, String goldBy, Boolean freshGoldToday,
      List<io.medallion.slo.SloStatus> slos) {}

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    boolean noWarehouse = main.served().isEmpty() && !Files.exists(new LocalPipeline.Layout(main.home()).warehouseFile());
    List<DomainRow> rows = new ArrayList<>();
    try (QueryCommand.Reading reading = noWarehouse ? null : QueryCommand.Reading.open(main)) {
      Ledger ledger = reading == null ? null : new Ledger(reading.warehouse(), config);
      for (Domain d : registry.domains()) {
        rows.add(row(config, registry, d, ledger, Clock.systemUTC()));
      }
    }
    if (json) {
      main.out().println(new GsonBuilder().setPrettyPrinting().serializeNulls()
          .registerTypeAdapter(Instant.class, (com.google.gson.JsonSerializer<Instant>) (i, t, c) ->
              new com.google.gson.JsonPrimitive(i.toString()))
          .create().toJson(rows));
    } else {
      print(rows, noWarehouse, Clock.systemUTC().instant(), main.out());
    }
    return 0;
  }

  /** One domain's row: its declaration, and what {@code ledger} (null: no local warehouse yet) says of its runs. */
  static DomainRow row(MedallionConfig config, SourceRegistry registry, Domain d, Ledger ledger, Clock clock)
      throws IOException {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    Instant due = today.atTime(d.slo().freshness().goldBy()).toInstant(ZoneOffset.UTC);
    List<SourceRow> sources = new ArrayList<>();
    List<String> datasets = new ArrayList<>();
    LastRun last = null;
    boolean allMet = true;
    boolean anyMissed = false;
    for (Source s : registry.sourcesOf(d.name())) {
      List<String> silver = s.silverTables().stream().map(t -> config.silverDataset(s) + "." + t).toList();
      List<String> gold = s.goldModels().stream().map(m -> config.goldDataset(s) + "." + m).toList();
      for (String ds : List.of(config.silverDataset(s), config.goldDataset(s))) {
        if (!datasets.contains(ds)) {
          datasets.add(ds);
        }
      }
      Instant lastGold = ledger == null ? null : ledger.lastGold(s.name(), Instant.EPOCH);
      Instant firstToday = ledger == null ? null : ledger.firstGold(s.name(), today.atStartOfDay().toInstant(ZoneOffset.UTC));
      String freshness;
      if (firstToday != null && !firstToday.isAfter(due)) {
        freshness = "met";
      } else if (now.isBefore(due)) {
        freshness = "not yet due";
        allMet = false;
      } else {
        freshness = firstToday != null ? "late (" + firstToday + ")" : "missed";
        allMet = false;
        anyMissed = true;
      }
      sources.add(new SourceRow(s.name(), silver, gold, lastGold, freshness));
      LastRun run = ledger == null ? null : ledger.lastRun(s.name());
      if (run != null && (last == null || run.startedAt().isAfter(last.startedAt()))) {
        last = run;
      }
    }
    if (datasets.isEmpty()) {
      datasets.add(Domain.dataset(config.silverDataset(), d.name()));
      datasets.add(Domain.dataset(config.goldDataset(), d.name()));
    }
    Boolean fresh = allMet && !sources.isEmpty() ? Boolean.TRUE : anyMissed ? Boolean.FALSE : null;
    // The objectives as status computes them (io.medallion.slo): SLI, error budget left, burn rate.
    List<io.medallion.slo.SloStatus> slos = List.of();
    if (ledger != null) {
      io.medallion.slo.DomainSlos computed = new io.medallion.slo.DomainSlos(registry, ledger.runs, ledger.warehouse,
          new io.medallion.port.TableId(config.opsDataset(), "dq_results"), clock);
      slos = List.of(computed.freshness(d), computed.quality(d));
    }
    return new DomainRow(d.name(), d.description(), d.owner().team(), d.owner().contact(), d.consumers(), datasets,
        sources, last, d.slo().freshness().goldBy().toString(), fresh, slos);
  }

  static void print(List<DomainRow> rows, boolean noWarehouse, Instant now, PrintStream out) {
    for (DomainRow r : rows) {
      out.printf("%s   %s%n", r.domain(), r.description() == null ? "" : r.description());
      out.printf("  owner      %s (%s)%n", r.team(), r.contact());
      out.printf("  consumers  %s%n", r.consumers().isEmpty() ? "none" : String.join(", ", r.consumers()));
      out.printf("  datasets   %s%n", String.join(", ", r.datasets()));
      for (SourceRow s : r.sources()) {
        out.printf("  source     %s%n", s.source());
        out.printf("    silver   %s%n", String.join(", ", s.silverTables()));
        out.printf("    gold     %s%n", String.join(", ", s.goldTables()));
        out.printf("    fresh    %s; today's gold by %s UTC: %s%n",
            s.lastGold() == null ? "no gold built yet" : "gold built " + Format.duration(Duration.between(s.lastGold(), now))
                + " ago (" + s.lastGold() + ")", r.goldBy(), s.freshness());
      }
      out.printf("  last run   %s%n", noWarehouse ? "none (no local warehouse yet: ./medallion run --all)"
          : r.lastRun() == null ? "none" : r.lastRun().runId() + " (" + r.lastRun().source() + ") " + r.lastRun().state()
              + ", started " + r.lastRun().startedAt());
      out.printf("  freshness  %s%n", r.freshGoldToday() == null ? "today's gold not yet due everywhere (by " + r.goldBy() + " UTC)"
          : r.freshGoldToday() ? "every source's gold was built today by " + r.goldBy() + " UTC"
          : "MISSED: a source had no gold built today by " + r.goldBy() + " UTC");
      for (io.medallion.slo.SloStatus s : r.slos()) {
        out.printf("  slo        %-9s %s over %dd: %s%n", s.kind().label(), percent(s.objective()), s.windowDays(),
            s.total() == 0 ? "no data yet"
                : "SLI " + percent(s.sli().getAsDouble()) + " (" + s.good() + "/" + s.total() + "), error budget left "
                    + percent(s.errorBudgetLeft().getAsDouble())
                    + (s.burnRate().isPresent() ? String.format(java.util.Locale.ROOT, ", burn rate %.2fx", s.burnRate().getAsDouble()) : "")
                    + (s.met() ? ", met" : ", MISSED"));
      }
      out.println();
    }
  }

  private static String percent(double share) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
  }

  /** The run ledger's answers {@code domains} needs, as {@code status} reads the ledger. */
  static final class Ledger {
    private final DuckDbWarehouse warehouse;
    private final DuckDbRunLedger runs;
    private final String table;

    Ledger(DuckDbWarehouse warehouse, MedallionConfig config) throws IOException {
      this.warehouse = warehouse;
      this.runs = new DuckDbRunLedger(warehouse, config.opsDataset());
      this.table = config.ledgerTable().sql();
    }

    /** The latest successful gold event of {@code source} since {@code since}; null when none. */
    Instant lastGold(String source, Instant since) throws IOException {
      return instant("max", source, since);
    }

    /** The first successful gold event of {@code source} since {@code since}; null when none. */
    Instant firstGold(String source, Instant since) throws IOException {
      return instant("min", source, since);
    }

    private Instant instant(String aggregate, String source, Instant since) throws IOException {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("source", source);
      p.put("stage", Stage.GOLD.label());
      p.put("status", Status.SUCCEEDED.label());
      p.put("since", since);
      QueryResult r = warehouse.read("select " + aggregate + "(recorded_at) from " + table
          + " where source = @source and stage = @stage and status = @status and recorded_at >= @since", p);
      Object v = r.rows().isEmpty() ? null : r.rows().get(0).get(0);
      return v instanceof Instant i ? i : null;
    }

    /** The run of {@code source} with the latest event, summed up as {@code status} does; null when none. */
    LastRun lastRun(String source) throws IOException {
      QueryResult r = warehouse.read("select run_id from " + table + " where source = @source"
          + " group by run_id order by max(recorded_at) desc, run_id desc limit 1", Map.of("source", source));
      if (r.rows().isEmpty()) {
        return null;
      }
      String runId = (String) r.rows().get(0).get(0);
      RunSummary s = RunSummary.of(runId, runs.events(runId));
      return new LastRun(runId, source, s.startedAt(), s.state());
    }
  }
}
