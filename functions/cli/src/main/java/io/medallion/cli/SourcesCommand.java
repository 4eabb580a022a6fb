package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.port.QueryResult;
import io.medallion.source.DeclarationException;
import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import io.medallion.source.SourceFiles;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import io.medallion.source.rest.FetchedPage;
import io.medallion.source.rest.ReadSettings;
import io.medallion.source.rest.Readers;
import io.medallion.source.rest.Records;
import io.medallion.source.rest.ResourceReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion sources}: the declared sources with their paging, auth, schedule, last run and
 * high-water marks; {@code medallion sources check FILE [--url URL]} checks a declaration and, given
 * a URL, reads the first page of each resource and shows what it selected and what it would ask
 * next.
 */
@Command(name = "sources", mixinStandardHelpOptions = true,
    description = "List the declared sources, or check a declaration.",
    subcommands = SourcesCommand.Check.class)
final class SourcesCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Override
  public Integer call() throws Exception {
    MedallionConfig config = main.config();
    SourceRegistry registry = LocalPipeline.sources(config);
    PrintStream out = main.out();
    List<List<Object>> rows = new ArrayList<>();
    try (QueryCommand.Reading reading = Files.exists(new LocalPipeline.Layout(main.home()).warehouseFile())
        || main.served().isPresent() ? QueryCommand.Reading.open(main) : null) {
      DuckDbRunLedger ledger = reading == null ? null : new DuckDbRunLedger(reading.warehouse(), config.opsDataset());
      List<String> recent = ledger == null ? List.of() : ledger.recentRuns(500);
      for (Source s : registry.all()) {
        String lastRun = "-";
        for (String runId : recent) {
          RunSummary summary = RunSummary.of(runId, ledger.events(runId));
          if (s.name().equals(summary.source())) {
            lastRun = runId + " (" + summary.state() + ")";
            break;
          }
        }
        List<String> marks = new ArrayList<>();
        for (Source.Resource r : s.resources()) {
          if (r.endpoint() != null && r.endpoint().incremental() != null) {
            String mark = ledger == null ? null : ledger.watermark(s.name(), r.name()).orElse(null);
            marks.add(r.name() + " " + r.endpoint().incremental().cursorPath() + " >= "
                + (mark != null ? mark : r.endpoint().incremental().initialValue() + " (initial)"));
          }
        }
        rows.add(List.of(
            s.name(),
            s.resources().stream().map(r -> r.parent() == null ? r.name() : r.name() + " (per " + r.parent().resource() + ")")
                .collect(Collectors.joining(", ")),
            // A file source pages nothing: its files' formats say how it is read.
            s.resources().stream().map(r -> r.file() != null ? "file " + r.file().format().type().name().toLowerCase(java.util.Locale.ROOT)
                : r.endpoint() == null ? "pushed (" + (s.streams() ? "stream" : "files") + ")"
                : s.paginator(r).type()).distinct().collect(Collectors.joining(", ")),
            s.client() != null ? s.client().auth().type() : s.isPushOnly() && s.push().secret() != null ? "hmac" : "-",
            s.schedule() == null ? "-" : s.schedule(),
            push(s.push()),
            lastRun,
            marks.isEmpty() ? "-" : String.join("; ", marks)));
      }
    }
    TablePrinter.print(new QueryResult(
        List.of("source", "resources", "paging", "auth", "schedule", "push", "last_run", "high_water_mark"), rows), out);
    return 0;
  }

  /** How a source takes pushed records: where they go, how often they load, whether signed. */
  private static String push(Source.Push push) {
    if (push == null) {
      return "-";
    }
    String signed = push.secret() != null ? ", signed" : "";
    return push.mode() == Source.Push.Mode.STREAM ? "stream" + signed
        : "files, loaded every " + push.loadEveryMinutes() + " min" + signed;
  }

  /** {@code medallion sources check FILE [--url URL]}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Check a source declaration (errors name the field); with --url, read the first page of each resource.")
  static final class Check implements Callable<Integer> {

    @ParentCommand SourcesCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "A declaration, e.g. schemas/sources/breweries.json.")
    Path file;

    @Option(names = "--url", description = "Read the first page of each resource from this base URL (e.g. the API's own).")
    String url;

    @Override
    public Integer call() throws Exception {
      Main main = parent.main;
      PrintStream out = main.out();
      if (!Files.isRegularFile(file)) {
        throw new Main.UserError("no file " + file);
      }
      // Its silver schemas and SQL are where a repository-like root keeps them: the directory
      // above schemas/sources/, or beside the file.
      Path abs = file.toAbsolutePath().normalize();
      Path dir = abs.getParent();
      Path root = dir != null && dir.endsWith(Path.of("schemas", "sources")) ? dir.getParent().getParent() : dir;
      String relative = SourceDeclarations.DIRECTORY + abs.getFileName();
      Source source;
      try {
        source = SourceDeclarations.parse(SourceFiles.directory(root), relative, Files.readString(abs, StandardCharsets.UTF_8));
      } catch (DeclarationException e) {
        main.err().println("medallion: " + abs + " is not a usable declaration: " + e.getMessage());
        return 2;
      }
      // Then with the declarations it runs beside (the shipped ones, its directory's, their
      // domains): its domain declared, no table of another domain's, its sensitive marks usable.
      List<DeclarationException.Problem> across = new ArrayList<>();
      for (DeclarationException.Problem p : SourceRegistry.check(List.of(SourceFiles.classpath(), SourceFiles.directory(root)))) {
        if (p.file().startsWith(root.toString())) {
          across.add(p);
        }
      }
      if (!across.isEmpty()) {
        main.err().println("medallion: " + abs + " is not a usable declaration: " + new DeclarationException(across).getMessage());
        return 2;
      }
      out.printf("%s: ok: source %s, %d resource(s): %s%n", abs, source.name(), source.resources().size(),
          source.resources().stream().map(Source.Resource::name).collect(Collectors.joining(", ")));
      List<String> unset = new ArrayList<>();
      Secrets secrets = Secrets.fromEnvironment(main.env());
      for (var ref : source.secrets()) {
        try {
          secrets.value(ref);
        } catch (Secrets.SecretMissingException e) {
          unset.add(ref.name());
        }
      }
      if (!unset.isEmpty()) {
        out.printf("  secrets not set here (environment variables): %s%n", unset);
      }
      if (url == null) {
        return 0;
      }
      URI base;
      try {
        base = SourceOrigin.parse(url);
      } catch (io.medallion.event.InvalidEventException e) {
        throw new Main.UserError("--url: " + e.getMessage());
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      int failures = 0;
      for (Source.Resource r : source.resources()) {
        if (r.parent() != null) {
          out.printf("%n  %s: read once per record of %s (not read by check)%n", r.name(), r.parent().resource());
          continue;
        }
        ReadSettings settings = new ReadSettings(base, null, RetryPolicy.defaults().withMaxAttempts(2), Map.of(),
            r.endpoint().incremental() == null ? null : r.endpoint().incremental().initialValue(), secrets,
            new Redactor(), http);
        ResourceReader reader = Readers.open(source, r, settings);
        out.printf("%n  %s: GET %s%n", r.name(), reader.first());
        try {
          FetchedPage page = reader.fetch(1, reader.first());
          out.printf("    records selected by %s: %d%n", r.endpoint().dataSelector(), page.recordCount());
          List<com.fasterxml.jackson.databind.JsonNode> records = Records.of(page.body(), r.endpoint().dataSelector());
          if (!records.isEmpty()) {
            String first = records.get(0).toString();
            out.printf("    first record: %s%n", first.length() > 300 ? first.substring(0, 300) + "..." : first);
          }
          out.printf("    next page: %s%n", page.next().map(Object::toString).orElse("none (this was the last)"));
        } catch (IOException e) {
          failures++;
          out.printf("    FAILED: %s%n", e.getMessage());
        }
      }
      return failures == 0 ? 0 : 1;
    }
  }
}
