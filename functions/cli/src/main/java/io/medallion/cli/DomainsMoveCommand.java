package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.domain.DomainMove;
import io.medallion.local.bigquery.DuckDbTableMove;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion domains move}: moves every table of the shared {@code silver} and {@code gold}
 * datasets (the layout before domains) into its domain's dataset, keeping every row. Locally it
 * checks the whole plan first and refuses, changing nothing, when an old table belongs to no
 * declared source or its new place already holds other rows; then each table moves in its own
 * transaction (copy, count, drop). Run again, it finds nothing to do. {@code --gcp} prints (or
 * {@code --script FILE} writes) the bq script that does the same in BigQuery ({@link
 * DomainMove#script}).
 */
@Command(name = "move", mixinStandardHelpOptions = true,
    description = "Move the tables of the shared silver and gold datasets into their domains' datasets, keeping every"
        + " row (locally; --gcp or --script print the bq script for BigQuery).")
final class DomainsMoveCommand implements Callable<Integer> {

  @ParentCommand DomainsCommand domains;

  @Option(names = "--dry-run", description = "Print the plan; change nothing.")
  boolean dryRun;

  @Option(names = "--gcp", description = "Print the bq script that moves the BigQuery tables; leave the local warehouse alone.")
  boolean gcp;

  @Option(names = "--script", paramLabel = "FILE", description = "Write the bq script to FILE (implies --gcp).")
  Path script;

  @Option(names = "--project", paramLabel = "PROJECT", description = "The GCP project of the script (default: the configured one).")
  String project;

  @Option(names = "--name-prefix", defaultValue = "medallion", paramLabel = "PREFIX",
      description = "terraform's var.name_prefix: the script's datasets are <prefix>_silver, <prefix>_silver_<domain>, ..."
          + " (default: ${DEFAULT-VALUE}).")
  String namePrefix;

  @Override
  public Integer call() throws Exception {
    Main main = domains.main;
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    PrintStream out = main.out();
    if (gcp || script != null) {
      String text = DomainMove.script(project != null ? project : config.project(),
          DomainMove.declared(config, registry, namePrefix.replace('-', '_') + "_"));
      if (script != null) {
        Files.writeString(script, text, StandardCharsets.UTF_8);
        out.println("Wrote " + script + ": review it, then run it with bash after terraform apply (terraform/README.md).");
      } else {
        out.print(text);
      }
      return 0;
    }
    Optional<ServeControl.Endpoint> serve = ServeClient.endpoint(main.home());
    if (serve.isPresent()) {
      main.err().println("medallion: serve (pid " + serve.get().pid() + ") holds the local warehouse, and a table may not"
          + " move while loads can reach it: stop serve, then run domains move again. Nothing changed.");
      return 1;
    }
    Path file = new LocalPipeline.Layout(main.home()).warehouseFile();
    if (!Files.exists(file)) {
      out.println("No local warehouse at " + file + ": nothing to move (a run creates each domain's datasets).");
      return 0;
    }
    try (DuckDbWarehouse warehouse = new DuckDbWarehouse(file, id -> {
      throw new IllegalStateException("domains move loads nothing");
    }, (job, sources) -> {})) {
      List<TableId> old = new ArrayList<>(DuckDbTableMove.tables(warehouse, config.silverDataset()));
      old.addAll(DuckDbTableMove.tables(warehouse, config.goldDataset()));
      DomainMove.Plan plan = DomainMove.plan(config, registry, old);
      List<String> refusals = new ArrayList<>(plan.refusals());
      List<DuckDbTableMove.Check> checks = new ArrayList<>();
      for (DomainMove.Move m : plan.moves()) {
        DuckDbTableMove.Check c = DuckDbTableMove.check(warehouse, m.from(), m.to());
        checks.add(c);
        if (c.state() == DuckDbTableMove.State.CONFLICT) {
          refusals.add(m.to().sql() + " already exists with rows other than " + m.from().sql()
              + "'s: compare them and drop the one that is wrong");
        }
      }
      if (!refusals.isEmpty()) {
        main.err().println("medallion: domains move refused; nothing changed:");
        refusals.forEach(r -> main.err().println("  " + r));
        return 1;
      }
      if (checks.isEmpty()) {
        out.println("Nothing to move: no table is left in " + config.silverDataset() + " or " + config.goldDataset() + ".");
        return 0;
      }
      out.println((dryRun ? "Would move" : "Moving") + " (local warehouse " + file + "):");
      for (int i = 0; i < checks.size(); i++) {
        DuckDbTableMove.Check c = checks.get(i);
        DomainMove.Move m = plan.moves().get(i);
        String what = c.state() == DuckDbTableMove.State.COPIED ? "already copied; the old table is dropped" : "copied, counted, dropped";
        if (dryRun) {
          out.printf("  %-40s -> %-40s %,d rows (%s of %s, domain %s)%n", m.from().sql(), m.to().sql(), c.rows(), m.layer(),
              m.source(), m.domain());
          continue;
        }
        long rows = DuckDbTableMove.move(warehouse, m.from(), m.to());
        out.printf("  %-40s -> %-40s %,d rows, %s%n", m.from().sql(), m.to().sql(), rows, what);
      }
      if (!dryRun) {
        for (String dataset : List.of(config.silverDataset(), config.goldDataset())) {
          if (DuckDbTableMove.dropIfEmpty(warehouse, dataset)) {
            out.println("  dropped the empty dataset " + dataset);
          }
        }
      }
      return 0;
    }
  }
}
