package io.medallion.cli;

import io.medallion.bronze.FileLifecycle;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.ObjectId;
import io.medallion.port.QueryResult;
import io.medallion.port.StoredObject;
import io.medallion.port.TableId;
import io.medallion.run.RunIds;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion drop --source NAME FILE...}: copies files into a file source's inbox in the
 * local bronze bucket, as {@code gcloud storage cp} does on GCP, and follows each through silver,
 * the archive (or the quarantine) and gold. With serve running, the copy is serve's and so is the
 * work; copying a file into the inbox directory by hand does the same.
 */
@Command(name = "drop", mixinStandardHelpOptions = true,
    description = "Drop files into a file source's inbox and follow them to gold.")
final class DropCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", required = true, description = "The file source whose inbox takes the files.")
  String sourceName;

  @Option(names = "--force", description = "Load the files even when a run loaded the same bytes already.")
  boolean force;

  @Option(names = "--timeout", defaultValue = "PT10M", description = "Give up waiting after this ISO-8601 duration (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files, each dropped under its own name.")
  List<Path> files = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = main.out();
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    Source source = registry.find(sourceName).orElseThrow(
        () -> new Main.UserError("unknown source '" + sourceName + "'; known: " + registry.names()));
    if (!source.isFileSource()) {
      throw new Main.UserError("source " + source.name() + " reads an API, it has no inbox: run it with ./medallion run --source "
          + source.name() + ", or copy a JSON or NDJSON file of its records into the bronze bucket under " + source.name() + "/");
    }
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new Main.UserError(file + " is not a file");
      }
    }
    out.printf("medallion drop%n  source   %s: inbox %s%n  home     %s%s%n", source.name(), source.drops().inbox(),
        main.home().toAbsolutePath(), main.served().isPresent() ? " (through the running serve)" : "");
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .withDeadLetter(config.deadLettersTopic(), 5);
    try (Workspace workspace = Workspace.open(main, config, policy)) {
      LocalPipeline pipeline = workspace.pipeline();
      Map<String, String> runs = new LinkedHashMap<>();
      for (Path file : files) {
        String name = source.drops().inbox() + file.getFileName();
        ObjectId id;
        try {
          id = new ObjectId(config.bronzeBucket(), name);
        } catch (IllegalArgumentException e) {
          throw new Main.UserError(file + ": " + e.getMessage());
        }
        if (pipeline.objects().stat(id).isPresent()) {
          throw new Main.UserError(file.getFileName() + " is in the inbox already, not yet processed (" + where(pipeline, id)
              + "): wait for it, or drop this one under another name");
        }
        StoredObject dropped;
        try (InputStream in = Files.newInputStream(file)) {
          dropped = pipeline.objects().createIfAbsent(id, null, force ? Map.of(FileLifecycle.FORCE, "true") : Map.of(),
              body -> in.transferTo(body)).orElseThrow(() -> new Main.UserError(file.getFileName()
                  + " was dropped into the inbox by someone else just now"));
        }
        String runId = RunIds.forDrop(id.bucket(), id.name(), dropped.generation());
        runs.put(runId, file.getFileName().toString());
        out.printf("  dropped  %-40s run %s%n", file.getFileName(), runId);
      }
      boolean finished = true;
      for (String runId : runs.keySet()) {
        finished &= workspace.awaitRun(runId, timeout);
      }
      out.println();
      boolean ok = true;
      for (Map.Entry<String, String> run : runs.entrySet()) {
        ok &= describe(run.getKey(), run.getValue(), pipeline, out);
      }
      Path bronze = pipeline.layout().buckets().resolve(config.bronzeBucket());
      out.printf("%nArchived under %s/; quarantined, with a report each, under %s/%n",
          bronze.resolve(source.drops().archive()), bronze.resolve(source.drops().quarantine()));
      if (!finished) {
        out.printf("%nSome files were not through within %s: ./medallion status shows where they are.%n", timeout);
        return 1;
      }
      TableId main = new TableId(config.goldDataset(source), source.mainGoldTable());
      if (pipeline.warehouse().tableSchema(main).isPresent()) {
        out.printf("%n%s (first 10 rows):%n", main);
        QueryResult rows = pipeline.warehouse().read("select * from " + main.sql() + " order by " + source.mainGoldOrder() + " limit 10");
        TablePrinter.print(rows, out);
        out.printf("%nExplore: ./medallion query \"select * from %s\"   |   ./medallion status%n", main.sql());
      }
      return ok ? 0 : 1;
    }
  }

  /** One line per file: what became of it. False when it failed or was quarantined. */
  private boolean describe(String runId, String file, LocalPipeline pipeline, PrintStream out) throws Exception {
    List<RunEvent> events = pipeline.ledger().events(runId);
    RunSummary s = RunSummary.of(runId, events);
    List<String> parts = new ArrayList<>();
    boolean ok = true;
    for (RunEvent e : events) {
      if (e.stage() == Stage.SILVER && e.status() == Status.FAILED) {
        parts.add("NOT LOADED: " + e.error());
        ok = false;
      }
    }
    if (s.silver() == Status.SUCCEEDED) {
      parts.add(String.format("%,d rows, %,d rejects", s.silverRows(), s.rejects()));
    }
    for (RunEvent e : events) {
      if (e.stage() == Stage.SILVER && e.status() == Status.IGNORED && e.error() != null) {
        parts.add("not loaded again: " + e.error());
      } else if (e.stage() == Stage.ARCHIVE && e.status() == Status.SUCCEEDED) {
        parts.add("archived");
      } else if (e.stage() == Stage.GOLD && e.status() == Status.IGNORED && e.objectUri() != null && e.error() != null
          && e.error().contains(" waits for ")) {
        parts.add(e.error()); // a model that needs other files of the date
      }
    }
    if (s.gold() == Status.SUCCEEDED) {
      parts.add("gold built, " + (s.dq() == Status.SUCCEEDED ? "checks passed" : "CHECKS FAILED (" + s.dqFailingRows() + " rows)"));
      ok &= s.dq() == Status.SUCCEEDED;
    } else if (s.load() == Status.FAILED || s.gold() == Status.FAILED) {
      parts.add("FAILED: " + String.join("; ", s.errors()));
      ok = false;
    }
    out.printf("%s  %s  (run %s)%n", file, String.join("; ", parts), runId);
    return ok;
  }

  private static String where(LocalPipeline pipeline, ObjectId id) {
    return pipeline.layout().buckets().resolve(id.bucket()).resolve(id.name()).toString();
  }
}
