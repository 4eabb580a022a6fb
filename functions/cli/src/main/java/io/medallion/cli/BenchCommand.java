package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import io.medallion.silver.SilverTransform;
import io.medallion.silver.format.FileRecords;
import io.medallion.source.FileFormat;
import io.medallion.source.SourceOrigin;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion bench}: the silver transform against embedded DuckDB doing the equivalent work
 * on the same file with the same thread count, peak heap, and local end-to-end time at several
 * sizes. Prints measurements; judges nothing but the goals it lists.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure the silver transform against DuckDB on the same file, and end-to-end runs.")
final class BenchCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--records", defaultValue = "1000000", description = "Records in the input file (default: ${DEFAULT-VALUE}).")
  long records;

  @Option(names = "--threads", description = "Thread count of the parallel round (default: all cores).")
  Integer threads;

  @Option(names = "--e2e", split = ",", defaultValue = "10000,100000,1000000",
      description = "Record counts of the end-to-end runs, comma-separated; 0 for none (default: ${DEFAULT-VALUE}).")
  List<Integer> endToEnd;

  @Option(names = "--repeat", defaultValue = "3",
      description = "Timed passes of each measurement, interleaved; the fastest counts (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--cold-start", defaultValue = "3",
      description = "Cold starts of each function's deploy jar per JVM setting, the median reported; 0 for none"
          + " (default: ${DEFAULT-VALUE}).")
  int coldStarts;

  @Option(names = "--cold-start-options",
      description = "A further JAVA_TOOL_OPTIONS setting to measure the cold starts with, e.g. for a profile.")
  String coldStartOptions;

  @Option(names = "--cold-start-only", description = "Measure only the cold starts (no input file, no transform).")
  boolean coldStartOnly;

  @Option(names = "--race", split = ",", defaultValue = RunCommand.DEFAULT_SOURCE,
      description = "Sources whose first resource silver and DuckDB race on, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> raced;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--files", split = ",", defaultValue = "csv,xlsx",
      description = "File-source races: csv (silver against DuckDB's read_csv), xlsx (silver alone), or none"
          + " (default: ${DEFAULT-VALUE}).")
  List<String> fileRaces;

  @Option(names = "--files-only",
      description = "Run only the file-source races (no JSON race, end-to-end runs or cold starts).")
  boolean filesOnly;

  @Option(names = "--webhook-seconds", defaultValue = "10",
      description = "Seconds of posting to serve's webhook (after 1 s of warm-up); 0 for no webhook part"
          + " (default: ${DEFAULT-VALUE}).")
  int webhookSeconds;

  @Option(names = "--webhook-concurrency", defaultValue = "16",
      description = "HTTP clients posting to the webhook at once (default: ${DEFAULT-VALUE}).")
  int webhookConcurrency;

  @Option(names = "--webhook-source", defaultValue = "invoices",
      description = "The source posted to: one that declares push (default: ${DEFAULT-VALUE}).")
  String webhookSource;

  @Option(names = "--webhook-only",
      description = "Run only the webhook part (no races, end-to-end runs or cold starts).")
  boolean webhookOnly;

  @Option(names = "--incremental-only",
      description = "Measure only incremental gold: a year of daily breweries runs, each build's bytes read, incremental against full rebuild.")
  boolean incrementalOnly;

  @Option(names = "--api-only",
      description = "Measure only the query API: a 1,000,000-row expected_audience, pages of 100 and single rows over HTTP.")
  boolean apiOnly;

  @Option(names = "--api-rows", defaultValue = "1000000", description = "Rows of the API bench's table (default: ${DEFAULT-VALUE}).")
  long apiRows;

  @Option(names = "--api-concurrency", defaultValue = "8", description = "HTTP clients asking the API at once (default: ${DEFAULT-VALUE}).")
  int apiConcurrency;

  @Option(names = "--api-seconds", defaultValue = "10",
      description = "Seconds each API case is timed, after 2 s of warm-up (default: ${DEFAULT-VALUE}).")
  int apiSeconds;

  @Option(names = "--incremental-days", defaultValue = "365", description = "Daily runs of the incremental bench (default: ${DEFAULT-VALUE}).")
  int incrementalDays;

  @Option(names = "--incremental-breweries", defaultValue = "11822",
      description = "Breweries in the list each day, as many as the Open Brewery DB snapshot (default: ${DEFAULT-VALUE}).")
  int incrementalBreweries;

  @Option(names = "--incremental-change", defaultValue = "0.01", description = "Share of breweries changed each day (default: ${DEFAULT-VALUE}).")
  double incrementalChange;

  @Option(names = "--csv-bytes", defaultValue = "64m", converter = ByteSize.class,
      description = "Size of the generated CSV file, e.g. 64m or 1g (default: ${DEFAULT-VALUE}).")
  long csvBytes;

  @Option(names = "--csv-dialect", defaultValue = "semicolon",
      description = "The CSV's conventions: semicolon (';', decimal comma, dd/MM/yyyy dates) or comma (',', decimal"
          + " point, ISO dates) (default: ${DEFAULT-VALUE}).")
  String csvDialect;

  @Option(names = "--xlsx-bytes", defaultValue = "8m", converter = ByteSize.class,
      description = "Size of the generated spreadsheet, e.g. 8m or 100m (default: ${DEFAULT-VALUE}).")
  long xlsxBytes;

  /** The source of the end-to-end runs: the default source's declaration. */
  private static final io.medallion.source.Source SOURCE =
      io.medallion.source.SourceRegistry.standard().find(RunCommand.DEFAULT_SOURCE).orElseThrow();
  private static final double MB = 1_000_000.0;
  private static final long MIB = 1L << 20;

  /**
   * The incremental bench ({@link IncrementalBench}): per measured day, what the day's gold build
   * read incrementally and what a full rebuild of every model reads, and the goal: day 365 at most
   * 1.1x day 1, with tables equal to the full rebuild's.
   */
  private void incremental(Path dir, PrintStream out) throws Exception {
    if (incrementalDays < 2 || incrementalBreweries < 1 || incrementalChange < 0 || incrementalChange > 1) {
      throw new Main.UserError("--incremental-days at least 2, --incremental-breweries at least 1, --incremental-change in 0..1");
    }
    out.printf("%nincremental gold: %d daily runs of breweries, %,d breweries, %.1f%% changed a day (seed %d)%n",
        incrementalDays, incrementalBreweries, incrementalChange * 100, seed);
    Path home = dir.resolve("incremental");
    deleteTree(home);
    long start = System.nanoTime();
    List<IncrementalBench.Day> measured = new IncrementalBench(incrementalDays, incrementalBreweries, incrementalChange, seed,
        IncrementalBench.defaultDays(incrementalDays)).run(home, out);
    out.printf("  (%d days in %.0f s)%n%n", incrementalDays, (System.nanoTime() - start) / 1e9);
    out.printf("  %-5s %12s | %12s %16s %14s | %12s %16s %14s | %s%n", "day", "silver rows", "incr. rows", "incr. processed",
        "incr. billed", "full rows", "full processed", "full billed", "tables");
    for (IncrementalBench.Day d : measured) {
      out.printf("  %-5d %,12d | %12s %16s %14s | %12s %16s %14s | %s%n", d.day(), d.silverRows(),
          IncrementalBench.count(d.incremental().rowsRead()), IncrementalBench.human(d.incremental().processed()),
          IncrementalBench.human(d.incremental().billed()), IncrementalBench.count(d.full().rowsRead()),
          IncrementalBench.human(d.full().processed()), IncrementalBench.human(d.full().billed()),
          d.differences().isEmpty() ? "equal" : "DIFFER " + d.differences());
    }
    out.printf("%n  per model on day %d (billed): incremental %s%n                         full rebuild %s%n",
        measured.get(measured.size() - 1).day(), measured.get(measured.size() - 1).incremental().billedByModel(),
        measured.get(measured.size() - 1).full().billedByModel());
    IncrementalBench.Day first = measured.get(0);
    IncrementalBench.Day last = measured.get(measured.size() - 1);
    out.printf("%ngoals%n");
    IncrementalBench.Day second = measured.size() > 2 ? measured.get(1) : first;
    for (String kind : List.of("rows read", "bytes processed", "bytes billed")) {
      java.util.function.Function<IncrementalBench.Day, Long> of = d -> kind.equals("rows read") ? d.incremental().rowsRead()
          : kind.equals("bytes processed") ? d.incremental().processed() : d.incremental().billed();
      for (IncrementalBench.Day base : second == first ? List.of(first) : List.of(first, second)) {
        Long a = of.apply(base);
        Long b = of.apply(last);
        if (a == null || b == null || a == 0) {
          out.printf("  incremental day %d / day %d (%s): unknown (the warehouse gave no figure)%n", last.day(), base.day(), kind);
          continue;
        }
        double ratio = b / (double) a;
        out.printf("  incremental day %d / day %d (%s): %.2fx (goal <= 1.10x): %s%n", last.day(), base.day(), kind, ratio,
            ratio <= 1.10 ? "met" : "NOT met");
      }
    }
    boolean equal = measured.stream().allMatch(d -> d.differences().isEmpty());
    out.printf("  incremental tables equal to a full rebuild on days %s: %s%n",
        measured.stream().map(IncrementalBench.Day::day).toList(), equal ? "yes" : "NO");
    if (!equal) {
      throw new IllegalStateException("incremental gold differs from a full rebuild: see above");
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One timed pass over the input. */
  record Pass(
      String what, int threads, Duration time, Duration cpu, long inputBytes, long records, long rows, long rejects,
      long peakHeap) {
    double mbPerSecond() {
      return inputBytes / MB / seconds();
    }

    double recordsPerSecond() {
      return records / seconds();
    }

    double seconds() {
      return Math.max(time.toNanos(), 1) / 1e9;
    }

    /** Input megabytes per second of CPU used by the whole process (all its threads). */
    double mbPerCpuSecond() {
      return inputBytes / MB / (Math.max(cpu.toNanos(), 1) / 1e9);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (records < 1) {
      throw new Main.UserError("--records must be at least 1");
    }
    int cores = Runtime.getRuntime().availableProcessors();
    int parallel = threads != null ? threads : cores;
    if (parallel < 1) {
      throw new Main.UserError("--threads must be at least 1");
    }
    FileRaces files = fileRaces();
    PrintStream out = System.out;
    Path dir = main.home().resolve("bench");
    Files.createDirectories(dir);
    out.printf("medallion bench: %d cores, max heap %d MiB, Java %s%n", cores, Runtime.getRuntime().maxMemory() / MIB,
        System.getProperty("java.version"));

    if (webhookOnly) {
      if (webhookSeconds < 1) {
        throw new Main.UserError("--webhook-only needs --webhook-seconds of at least 1");
      }
      WebhookBench.Result webhook = webhook(dir, out);
      if (webhook != null) {
        out.printf("%ngoals%n");
        webhookGoal(out, webhook);
      }
      return 0;
    }
    if (incrementalOnly) {
      incremental(dir, out);
      return 0;
    }
    if (apiOnly) {
      ApiBench.Result api = api(dir, out);
      out.printf("%ngoals%n");
      apiGoal(out, api);
      return 0;
    }
    if (coldStartOnly) {
      if (coldStarts < 1) {
        throw new Main.UserError("--cold-start-only needs --cold-start of at least 1");
      }
      long[] worst = coldStarts(dir, out);
      out.printf("%ngoals%n");
      coldStartGoal(out, worst);
      return 0;
    }
    List<Integer> rounds = parallel == 1 ? List.of(1) : List.of(1, parallel);
    if (repeat < 1) {
      throw new Main.UserError("--repeat must be at least 1");
    }
    List<io.medallion.source.Source> racedSources = new ArrayList<>();
    for (String name : filesOnly ? List.<String>of() : raced) { // all checked before the first (long) race
      racedSources.add(io.medallion.source.SourceRegistry.standard().find(name)
          .orElseThrow(() -> new Main.UserError("--race: no source " + name)));
    }
    Map<String, List<Race>> racesBySource = new java.util.LinkedHashMap<>();
    for (io.medallion.source.Source source : racedSources) {
      racesBySource.put(source.name(), race(source, rounds, dir, out));
    }
    List<Race> races = racesBySource.values().stream().flatMap(List::stream).toList();
    List<Race> csvRaces = files.csv() ? csvRace(files.dialect(), rounds, dir, out) : List.of();
    List<Pass> xlsxPasses = files.xlsx() ? xlsxPasses(rounds, dir, out) : List.of();

    List<Integer> sizes = filesOnly ? List.of() : endToEnd.stream().filter(n -> n > 0).toList();
    double speedup = Double.NaN;
    int declared = SOURCE.client().maxConcurrency();
    if (!sizes.isEmpty()) {
      out.printf("%nend to end, local (ingest from the replay server, silver, load, gold), as ./medallion run%n");
      out.printf("  pages in flight: 1 (MEDALLION_INGEST_CONCURRENCY=1), then %d (%s's declared max_concurrency)%n",
          declared, SOURCE.name());
      out.printf("  timed from the run request to gold; the replay server makes its data first (the API's data exists"
          + " before a run), shown apart%n");
      out.printf("  %12s %13s %13s %12s %9s %14s%n", "records", "1: seconds", declared + ": seconds", "records/s", "speedup",
          "API data: s");
      for (int n : sizes) {
        EndToEnd one = endToEnd(n, dir.resolve("e2e-" + n), 1);
        EndToEnd many = endToEnd(n, dir.resolve("e2e-" + n), null);
        speedup = (double) one.run().toNanos() / many.run().toNanos();
        out.printf("  %,12d %13.2f %13.2f %,12.0f %8.2fx %14.2f%n", n, one.run().toNanos() / 1e9,
            many.run().toNanos() / 1e9, n / (many.run().toNanos() / 1e9), speedup, many.apiData().toNanos() / 1e9);
      }
    }

    long[] cold = coldStarts > 0 && !filesOnly ? coldStarts(dir, out) : null;
    WebhookBench.Result webhook = webhookSeconds > 0 && !filesOnly ? webhook(dir, out) : null;

    out.printf("%ngoals%n");
    racesBySource.forEach((name, sourceRaces) -> {
      for (Race r : sourceRaces) {
        out.printf("  silver >= 1.0x DuckDB's best at %d thread(s), %s: %s (%.2fx, against %s)%n", r.silver().threads(),
            name, r.ratio() >= 1.0 ? "met" : "NOT met", r.ratio(), r.bestDuckDb().what());
      }
    });
    for (Race r : csvRaces) {
      out.printf("  silver >= 1.0x DuckDB read_csv at %d thread(s), CSV: %s (%.2fx)%n", r.silver().threads(),
          r.ratio() >= 1.0 ? "met" : "NOT met", r.ratio());
    }
    if (!races.isEmpty()) {
      heapGoal(out, "", races.stream().map(Race::silver).toList(),
          "run with -Xmx256m and --records 5000000 for ~2 GB");
    }
    if (!csvRaces.isEmpty()) {
      heapGoal(out, " on CSV", csvRaces.stream().map(Race::silver).toList(),
          "MEDALLION_JAVA_OPTS=-Xmx256m and --csv-bytes 1g for the 1 GB file");
    }
    if (!xlsxPasses.isEmpty()) {
      heapGoal(out, " on xlsx", xlsxPasses, "MEDALLION_JAVA_OPTS=-Xmx256m and --xlsx-bytes 100m for a 100 MB spreadsheet");
    }
    if (!Double.isNaN(speedup)) {
      out.printf("  end to end >= 3x faster with %d pages in flight than with 1, %,d records: %s (%.2fx)%n", declared,
          sizes.get(sizes.size() - 1), speedup >= 3 ? "met" : "NOT met", speedup);
    }
    if (cold != null) {
      coldStartGoal(out, cold);
    }
    if (webhook != null) {
      webhookGoal(out, webhook);
    }
    return 0;
  }

  /** The query API's goal: p95 at most 50 ms for each case at the bench's concurrency. */
  static final double API_P95_GOAL_MS = 50;

  /** The query-API part: {@link ApiBench}, printed. */
  private ApiBench.Result api(Path dir, PrintStream out) throws Exception {
    if (apiConcurrency < 1 || apiSeconds < 1) {
      throw new Main.UserError("--api-concurrency and --api-seconds must be at least 1");
    }
    ApiBench.Shape shape = ApiBench.Shape.of(apiRows, 50, 365);
    out.printf("%nquery API: %,d rows of %s.%s (%d signals x %d days x %d programs, seed %d) in DuckDB, served as"
        + " ./medallion api serves it%n  (LocalApiServer, read-only warehouse); %d java.net.http clients in the same"
        + " process, each case %d s after 2 s of warm-up%n", shape.rows(), ApiBench.SOURCE, ApiBench.TABLE,
        shape.signals(), shape.days(), shape.programs(), seed, apiConcurrency, apiSeconds);
    ApiBench.Result r = ApiBench.run(main.config(), dir.resolve("api"), shape, apiConcurrency, Duration.ofSeconds(2),
        Duration.ofSeconds(apiSeconds), seed);
    out.printf("  table built in %.1f s; a page: ?signal=S..&from=..&to=.. over %d days (%d rows), page_size=%d;"
        + " a row: /{signal}/{broadcast_date}/{program_code}%n", r.build().toNanos() / 1e9, shape.windowDays(),
        shape.windowDays() * shape.programs(), ApiBench.PAGE_SIZE);
    printApi(out, r);
    return r;
  }

  /** The API bench's table: requests, requests/s and latency percentiles per case. */
  static void printApi(PrintStream out, ApiBench.Result r) {
    out.printf("  %-16s %10s %12s %9s %9s %9s %9s %8s%n", "case", "requests", "requests/s", "p50 ms", "p95 ms", "p99 ms",
        "max ms", "not 200");
    for (ApiBench.Case c : List.of(r.page(), r.byKey())) {
      out.printf("  %-16s %,10d %,12.1f %9.2f %9.2f %9.2f %9.2f %,8d%n", c.name(), c.requests(), c.requestsPerSecond(),
          c.p50() / 1e6, c.p95() / 1e6, c.p99() / 1e6, c.max() / 1e6, c.requests() - c.ok());
      if (c.firstFailure() != null) {
        out.printf("    first failure: %s%n", c.firstFailure());
      }
    }
  }

  private void apiGoal(PrintStream out, ApiBench.Result r) {
    for (ApiBench.Case c : List.of(r.page(), r.byKey())) {
      double p95 = c.p95() / 1e6;
      out.printf("  api p95 <= %.0f ms at concurrency %d, %s: %s (%.2f ms)%n", API_P95_GOAL_MS, apiConcurrency, c.name(),
          p95 <= API_P95_GOAL_MS && c.ok() == c.requests() ? "met" : "NOT met", p95);
    }
  }

  /** The webhook part: {@link WebhookBench} on serve's HTTP server, printed. */
  private WebhookBench.Result webhook(Path dir, PrintStream out) throws Exception {
    if (webhookConcurrency < 1) {
      throw new Main.UserError("--webhook-concurrency must be at least 1");
    }
    MedallionConfig config = main.config();
    io.medallion.source.Source source = LocalPipeline.sources(config).find(webhookSource)
        .orElseThrow(() -> new Main.UserError("--webhook-source: no source " + webhookSource));
    if (source.push() == null) {
      throw new Main.UserError("--webhook-source: " + webhookSource + " declares no push");
    }
    out.printf("%nwebhook: serve's HTTP server and webhook, a java.net.http client in the same process%n");
    byte[] secret = null;
    if (source.push().secret() != null) {
      // Posts are signed as a partner signs them; serve's door reads the same variable.
      try {
        secret = io.medallion.source.Secrets.fromEnvironment(MedallionConfig.environment()).value(source.push().secret())
            .getBytes(StandardCharsets.UTF_8);
      } catch (io.medallion.source.Secrets.SecretMissingException e) {
        out.printf("  skipped: %s signs its pushes with %s, which is not set here; set it to any value"
            + " (%s=bench ./medallion bench --webhook-only) to bench signed posts%n", source.name(),
            source.push().secret().name(), source.push().secret().name());
        return null;
      }
    }
    out.printf("  %d clients posting %d-record JSON arrays of %s (%s, no Idempotency-Key) for %d s after 1 s of"
        + " warm-up; a 2xx only once the records are forced into the push spool%n", webhookConcurrency,
        WebhookBench.RECORDS_PER_POST, source.name(), secret == null ? "unsigned" : "signed", webhookSeconds);
    Duration e2eTimeout = Duration.ofSeconds(source.push().batchSeconds() + 120L);
    // serve names a source to pull on its schedule; none runs here, so any origin does.
    WebhookBench.Result r = WebhookBench.run(config.withSourceUrl(new SourceOrigin.Replay(source.name(), 10, seed).toUri()), source, dir.resolve("webhook"), webhookConcurrency, webhookSeconds,
        seed, e2eTimeout, secret);
    out.printf("  %12s %12s %12s %10s %10s %10s %12s %12s%n", "posts", "records", "records/s", "p50 ms", "p99 ms",
        "max ms", "post bytes", "forces");
    out.printf("  %,12d %,12d %,12.0f %10.2f %10.2f %10.2f %,12d %,12d%n", r.posts(), r.records(), r.recordsPerSecond(),
        r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.maxNanos() / 1e6, r.bodyBytes(), r.forces());
    if (r.refused() > 0) {
      out.printf("  refused posts: %,d%n", r.refused());
    }
    out.printf("  end to end, one post into a fresh batch (batch.max_seconds %d, as declared), collected as soon as its"
        + " file lands (serve collects every %d min, which adds up to that):%n", r.batchSeconds(),
        source.push().loadEveryMinutes());
    out.printf("    POST to bronze file  %s%n    POST to silver row   %s%n", seconds(r.toBronze(), e2eTimeout),
        seconds(r.toSilver(), e2eTimeout));
    return r;
  }

  private static String seconds(Duration d, Duration timeout) {
    return d == null ? "not within " + timeout.toSeconds() + " s" : String.format("%.2f s", d.toNanos() / 1e9);
  }

  private void webhookGoal(PrintStream out, WebhookBench.Result r) {
    out.printf("  webhook >= 20,000 records/s in %d-record posts at concurrency %d: %s (%,.0f records/s)%n",
        WebhookBench.RECORDS_PER_POST, webhookConcurrency, r.recordsPerSecond() >= 20_000 ? "met" : "NOT met",
        r.recordsPerSecond());
  }

  private static void heapGoal(PrintStream out, String what, List<Pass> passes, String howBig) {
    Pass peakPass = passes.stream().max(java.util.Comparator.comparingLong(Pass::peakHeap)).orElseThrow();
    long peak = peakPass.peakHeap();
    out.printf("  silver peak heap <= 256 MiB%s: %s (%d MiB on %s, max heap %d MiB; %s)%n", what,
        peak <= 256 * MIB ? "met" : "NOT met", peak / MIB, Format.bytes(peakPass.inputBytes()),
        Runtime.getRuntime().maxMemory() / MIB, howBig);
  }

  /** Which file races run: {@code --files}, checked before anything is generated. */
  private record FileRaces(boolean csv, boolean xlsx, BenchFiles.Dialect dialect) {}

  private FileRaces fileRaces() {
    boolean csv = false;
    boolean xlsx = false;
    for (String name : fileRaces) {
      switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "csv" -> csv = true;
        case "xlsx" -> xlsx = true;
        case "none", "" -> { }
        default -> throw new Main.UserError("--files: no file race " + name + " (csv, xlsx or none)");
      }
    }
    if (filesOnly && !csv && !xlsx) {
      throw new Main.UserError("--files-only needs --files csv, xlsx or both");
    }
    BenchFiles.Dialect dialect = switch (csvDialect.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "semicolon" -> BenchFiles.Dialect.SEMICOLON;
      case "comma" -> BenchFiles.Dialect.COMMA;
      default -> throw new Main.UserError("--csv-dialect: semicolon or comma, not " + csvDialect);
    };
    if (csv && csvBytes < 1 || xlsx && xlsxBytes < 1) {
      throw new Main.UserError("--csv-bytes and --xlsx-bytes must be at least 1");
    }
    return new FileRaces(csv, xlsx, dialect);
  }

  /** A size such as {@code 1g}, {@code 64m}, {@code 500k} or {@code 1000}: powers of 1024. */
  static final class ByteSize implements picocli.CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.strip().toLowerCase(java.util.Locale.ROOT);
      long unit = 1;
      char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
      switch (last) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> { }
      }
      String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
      try {
        return Math.multiplyExact(Long.parseLong(digits), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        throw new picocli.CommandLine.TypeConversionException("not a size: " + value + " (e.g. 64m, 1g)");
      }
    }
  }

  /**
   * Each function's deploy jar in the invoker, in fresh JVMs, plain and with the JVM options
   * Terraform sets, interleaved; prints the medians and returns the slowest median answer of each
   * setting.
   */
  private long[] coldStarts(Path dir, PrintStream out) throws Exception {
    List<String> settings = new ArrayList<>(List.of("", ColdStart.DEPLOY_JVM_OPTIONS));
    if (coldStartOptions != null && !coldStartOptions.isBlank()) {
      settings.add(coldStartOptions.trim());
    }
    ColdStart.Fn[] fns = ColdStart.Fn.values();
    List<List<List<ColdStart.Start>>> starts = new ArrayList<>(); // [setting][fn][run]
    for (int s = 0; s < settings.size(); s++) {
      List<List<ColdStart.Start>> perFn = new ArrayList<>();
      for (int f = 0; f < fns.length; f++) {
        perFn.add(new ArrayList<>());
      }
      starts.add(perFn);
    }
    int deadLetters;
    try (ColdStart cold = new ColdStart(ColdStart.repositoryRoot(), dir.resolve("cold-start"))) {
      for (int r = 0; r < coldStarts; r++) {
        for (int f = 0; f < fns.length; f++) {
          for (int s = 0; s < settings.size(); s++) {
            starts.get(s).get(f).add(cold.run(fns[f], settings.get(s)));
          }
        }
      }
      deadLetters = cold.published();
    }
    out.printf("%ncold start: deploy jar (GCP adapters) in the Functions Framework invoker 2.0.0, java -jar, a fresh JVM%n");
    out.printf("  each, ms from process spawn; median of %d runs per setting, interleaved%n", coldStarts);
    for (ColdStart.Fn fn : fns) {
      out.printf("  %-7s %s%n", fn.name, fn.event);
    }
    out.printf("  dead letters received by the Pub/Sub stand-in: %d (expected %d)%n", deadLetters,
        coldStarts * settings.size());
    out.printf("  %-7s %-44s %10s %15s %13s%n", "", "JAVA_TOOL_OPTIONS", "listening", "first answer", "(min-max)");
    long[] worst = new long[settings.size()];
    for (int f = 0; f < fns.length; f++) {
      for (int s = 0; s < settings.size(); s++) {
        List<ColdStart.Start> runs = starts.get(s).get(f);
        long listening = median(runs.stream().mapToLong(ColdStart.Start::listeningMillis).toArray());
        long[] answered = runs.stream().mapToLong(ColdStart.Start::answeredMillis).sorted().toArray();
        long median = median(answered);
        worst[s] = Math.max(worst[s], median);
        out.printf("  %-7s %-44s %7d ms %12d ms %13s%n", fns[f].name,
            settings.get(s).isEmpty() ? "(none)" : settings.get(s), listening, median,
            answered[0] + "-" + answered[answered.length - 1]);
      }
    }
    return worst;
  }

  private static void coldStartGoal(PrintStream out, long[] worstMedian) {
    out.printf("  first event <= 1.5 s after JVM start, as deployed (%s): %s (slowest median %,d ms; %,d ms without)%n",
        ColdStart.DEPLOY_JVM_OPTIONS, worstMedian[1] <= 1500 ? "met" : "NOT met", worstMedian[1], worstMedian[0]);
  }

  private static long median(long[] values) {
    long[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }

  private static Pass faster(Pass best, Pass next) {
    if (best == null) {
      return next;
    }
    Pass faster = next.time().compareTo(best.time()) < 0 ? next : best;
    return new Pass(faster.what(), faster.threads(), faster.time(), faster.cpu(), faster.inputBytes(), faster.records(),
        faster.rows(), faster.rejects(), Math.max(best.peakHeap(), next.peakHeap()));
  }

  /**
   * Silver and DuckDB on the same records of {@code source}'s first resource, at each thread count:
   * DuckDB on each of its three inputs, interleaved with silver; prints the table.
   */
  private List<Race> race(io.medallion.source.Source source, List<Integer> rounds, Path dir, PrintStream out)
      throws Exception {
    io.medallion.source.Source.Resource resource = source.resources().get(0);
    Path input = input(source, resource, dir, out);
    long size = Files.size(input);
    // DuckDB reads the same records three ways and races on its best at each thread count.
    DuckDbRace duckDb = new DuckDbRace(source, resource);
    Map<DuckDbRace.Input, String> duckInputs = new java.util.EnumMap<>(DuckDbRace.Input.class);
    duckInputs.put(DuckDbRace.Input.ARRAY, input.toString());
    duckInputs.put(DuckDbRace.Input.NDJSON, BenchInputs.ndjson(input).toString());
    duckInputs.put(DuckDbRace.Input.PAGES, BenchInputs.pages(input, source, resource));
    out.printf("         the same records as NDJSON (%s) and as %s page files (%s)%n", Format.bytes(inputBytes(
        DuckDbRace.Input.NDJSON, duckInputs)), resource.name(), Format.bytes(inputBytes(DuckDbRace.Input.PAGES, duckInputs)));
    SilverTransform transform = new SilverTransform(source.silverSchema(resource.silverTable()), resource.silver());
    List<Race> races = new ArrayList<>();
    for (int t : rounds) {
      Pass silver = null;
      Map<DuckDbRace.Input, Pass> duck = new java.util.EnumMap<>(DuckDbRace.Input.class);
      for (int r = 0; r < repeat; r++) {
        silver = faster(silver, silver(transform, input, dir, t));
        for (DuckDbRace.Input in : DuckDbRace.Input.values()) {
          duck.put(in, faster(duck.get(in), duckDb(duckDb, in, duckInputs, dir, t)));
        }
      }
      races.add(new Race(silver, List.copyOf(duck.values())));
    }

    out.printf("%nsilver transform vs DuckDB, %s, same records (%s as one JSON array, %,d records), same threads%n",
        source.name() + (source.resources().size() > 1 ? "." + resource.name() : ""), Format.bytes(size), records);
    out.printf("  DuckDB reads them as silver's JSON array, as NDJSON and as bronze page files (one glob); each ratio is"
        + " against DuckDB's best input at that thread count%n");
    out.printf("  fastest of %d interleaved passes each; peak heap = most heap live after a GC during the passes%n", repeat);
    out.printf("  MB/s = that input's MB per second; ratios compare records/s (the inputs' sizes differ a little)%n");
    out.printf("  MB/CPU-s = input MB per second of CPU the process used: steadier than MB/s when other work shares the cores%n");
    printTable(out, races, "ratio silver / best DuckDB");
    return races;
  }

  private static void printHeader(PrintStream out) {
    out.printf("  %-26s %7s %8s %8s %12s %9s %10s %9s %10s%n",
        "", "threads", "seconds", "MB/s", "records/s", "MB/CPU-s", "rows", "rejects", "peak heap");
  }

  private static void printPass(PrintStream out, Pass p) {
    out.printf("  %-26s %7d %8.2f %8.1f %,12.0f %9.1f %,10d %,9d %10s%n",
        p.what(), p.threads(), p.seconds(), p.mbPerSecond(), p.recordsPerSecond(), p.mbPerCpuSecond(), p.rows(),
        p.rejects(), p.peakHeap() < 0 ? "-" : p.peakHeap() / MIB + " MiB");
  }

  /** Each race's passes and its ratios: records/s (wall clock) and records per CPU-second. */
  private static void printTable(PrintStream out, List<Race> races, String ratioLabel) {
    printHeader(out);
    for (Race race : races) {
      for (Pass p : race.all()) {
        printPass(out, p);
      }
      out.printf("  %-26s %7d %8s %8s %11.2fx %8.2fx   (best: %s)%n", ratioLabel,
          race.silver().threads(), "", "", race.ratio(), race.cpuRatio(), race.bestDuckDb().what());
    }
  }

  /**
   * Silver (the CSV reader, then the typer) and DuckDB's {@code read_csv} on the same generated
   * CSV file, at each thread count, interleaved; prints the table.
   */
  private List<Race> csvRace(BenchFiles.Dialect dialect, List<Integer> rounds, Path dir, PrintStream out)
      throws Exception {
    Instant made = Instant.now();
    BenchFiles.Generated csv = BenchFiles.csv(dir, csvBytes, seed, dialect);
    long size = Files.size(csv.file());
    out.printf("%ninput    %s (%s, %,d records, ready in %s)%n", csv.file(), Format.bytes(size), csv.records(),
        Format.duration(Duration.between(made, Instant.now())));
    FileFormat format = dialect.format();
    SilverTransform transform = new SilverTransform(BenchFiles.SCHEMA, BenchFiles.MAPPING);
    DuckDbCsvRace duckDb = new DuckDbCsvRace(BenchFiles.SCHEMA, BenchFiles.MAPPING, format);
    List<Race> races = new ArrayList<>();
    for (int t : rounds) {
      Pass silver = null;
      Pass duck = null;
      for (int r = 0; r < repeat; r++) {
        silver = faster(silver, silver("silver CSV", transform, csv.file(), in -> FileRecords.open(format, in,
            csv.file().toUri().toString(), BenchFiles.SCHEMA, BenchFiles.MAPPING), dir, t));
        duck = faster(duck, duckDbCsv(duckDb, csv, dir, t));
      }
      races.add(new Race(silver, List.of(duck)));
    }
    out.printf("%nsilver CSV vs DuckDB read_csv, same file (%s, %,d records, '%c' between fields, decimal '%c', dates %s),"
        + " same threads%n", Format.bytes(size), csv.records(), format.delimiter(), format.decimal(),
        format.dateFormat() == null ? "ISO" : format.dateFormat());
    out.printf("  silver: the CSV reader (FastCSV) makes records, the typer types them on the threads; DuckDB: read_csv"
        + " with the silver types as columns, no sniffing, rows COPY'd to NDJSON%n");
    out.printf("  1 record in 100 has a quantity that is not a number: silver rejects it, DuckDB skips it%n");
    out.printf("  fastest of %d interleaved passes each; peak heap = most heap live after a GC during the passes%n", repeat);
    printTable(out, races, "ratio silver / DuckDB");
    return races;
  }

  /** Silver's passes over a generated spreadsheet at each thread count (the fastest of each); prints them. */
  private List<Pass> xlsxPasses(List<Integer> rounds, Path dir, PrintStream out) throws Exception {
    Instant made = Instant.now();
    BenchFiles.Generated xlsx = BenchFiles.xlsx(dir, xlsxBytes, seed);
    long size = Files.size(xlsx.file());
    out.printf("%ninput    %s (%s, %,d records, ready in %s)%n", xlsx.file(), Format.bytes(size), xlsx.records(),
        Format.duration(Duration.between(made, Instant.now())));
    SilverTransform transform = new SilverTransform(BenchFiles.SCHEMA, BenchFiles.MAPPING);
    List<Pass> passes = new ArrayList<>();
    for (int t : rounds) {
      Pass best = null;
      for (int r = 0; r < repeat; r++) {
        best = faster(best, silver("silver xlsx", transform, xlsx.file(), in -> FileRecords.open(BenchFiles.XLSX, in,
            xlsx.file().toUri().toString(), BenchFiles.SCHEMA, BenchFiles.MAPPING), dir, t));
      }
      passes.add(best);
    }
    out.printf("%nsilver xlsx, one sheet (%s, %,d records; shared strings, date cells)%n", Format.bytes(size),
        xlsx.records());
    if (xlsx.records() == BenchFiles.MAX_SHEET_RECORDS) {
      out.printf("  a full sheet (Excel's 1,048,576 rows) of this table's 11 columns is %s: --xlsx-bytes %s needs a"
          + " wider table%n", Format.bytes(size), Format.bytes(xlsxBytes));
    }
    out.printf("  silver: the xlsx reader (sheet XML pulled from the zip) makes records, the typer types them on the"
        + " threads%n");
    out.printf("  DuckDB: %s%n", duckDbExcel());
    out.printf("  fastest of %d passes each; peak heap = most heap live after a GC during the passes%n", repeat);
    printHeader(out);
    for (Pass p : passes) {
      printPass(out, p);
    }
    return passes;
  }

  /** Why DuckDB does not race on the spreadsheet: its excel extension, tried without a download. */
  private static String duckDbExcel() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET autoinstall_known_extensions = false");
      s.execute("LOAD excel");
      return "its excel extension loads here, but read_xlsx is not raced (silver alone)";
    } catch (SQLException e) {
      String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      return "not raced: its excel extension does not load offline (" + why + ")";
    }
  }

  /** The generated records of {@code resource}, reused when a file of the same records and seed is there. */
  private Path input(io.medallion.source.Source source, io.medallion.source.Source.Resource resource, Path dir,
      PrintStream out) throws IOException {
    Path file = dir.resolve(source.name() + (source.resources().size() > 1 ? "-" + resource.name() : "") + "-"
        + records + "-seed" + seed + ".json");
    if (Files.exists(file)) {
      out.printf("input    %s (reused)%n", file);
      return file;
    }
    Path partial = dir.resolve(file.getFileName() + ".partial");
    Instant start = Instant.now();
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
      io.medallion.local.replay.RecordGenerator.forSource(source).writeJsonArray(resource.name(), seed, records, o);
    } catch (io.medallion.source.DeclarationException e) {
      throw new Main.UserError("--race " + source.name() + ": " + e.getMessage());
    }
    Files.move(partial, file);
    out.printf("input    %s (generated in %s)%n", file, Format.duration(Duration.between(start, Instant.now())));
    return file;
  }

  private Pass silver(SilverTransform transform, Path input, Path dir, int threads) throws Exception {
    return silver("silver transform", transform, input, in -> in, dir, threads);
  }

  /** What silver reads a file's bytes through: a format reader, or nothing. */
  private interface Reader {
    InputStream open(InputStream raw) throws IOException;
  }

  /** One silver pass: {@code input}'s bytes through {@code reader}, typed on {@code threads} threads. */
  private Pass silver(String what, SilverTransform transform, Path input, Reader reader, Path dir, int threads)
      throws Exception {
    SilverTransform.Lineage lineage =
        new SilverTransform.Lineage("bench", input.toUri().toString(), 1, Instant.parse("2026-01-01T00:00:00Z"));
    Path rows = dir.resolve("silver-rows.ndjson");
    Path rejects = dir.resolve("silver-rejects.ndjson");
    HeapPeak heap = HeapPeak.start();
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    SilverTransform.Counts counts;
    try (InputStream in = reader.open(Files.newInputStream(input));
        OutputStream rowsOut = Files.newOutputStream(rows);
        OutputStream rejectsOut = Files.newOutputStream(rejects);
        SilverTransform.Load load = transform.new Load(rowsOut, rejectsOut, threads)) {
      load.read(in, lineage);
      counts = load.counts();
    }
    Duration time = Duration.ofNanos(System.nanoTime() - start);
    Duration used = Duration.ofNanos(processCpuNanos() - cpu);
    return new Pass(what, threads, time, used, Files.size(input), counts.records(), counts.rows(),
        counts.rejects(), heap.peak());
  }

  /** One DuckDB pass over the CSV file: {@link DuckDbCsvRace}'s statement, timed alone. */
  private Pass duckDbCsv(DuckDbCsvRace race, BenchFiles.Generated csv, Path dir, int threads)
      throws SQLException, IOException {
    Path rows = dir.resolve("duckdb-rows.ndjson");
    Files.deleteIfExists(rows);
    return duckDbPass("DuckDB read_csv", race.copy(csv.file(), rows), rows, threads, Files.size(csv.file()),
        csv.records());
  }

  /**
   * One DuckDB pass over one input: {@link DuckDbRace}'s statement (the silver types, trimming,
   * blank-to-NULL, lowercasing and lineage columns, {@code COPY ... TO} NDJSON), timed alone.
   */
  private Pass duckDb(DuckDbRace race, DuckDbRace.Input input, Map<DuckDbRace.Input, String> locations, Path dir,
      int threads) throws SQLException, IOException {
    Path rows = dir.resolve("duckdb-rows.ndjson");
    Files.deleteIfExists(rows);
    return duckDbPass(input.label, race.copy(input, locations.get(input), rows), rows, threads,
        inputBytes(input, locations), records);
  }

  /** One DuckDB statement that writes {@code rows}, timed alone at {@code threads} threads, and the rows it wrote. */
  private static Pass duckDbPass(String what, String sql, Path rows, int threads, long inputBytes, long records)
      throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("set threads = " + threads);
      s.execute("set preserve_insertion_order = true");
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      s.execute(sql);
      Duration time = Duration.ofNanos(System.nanoTime() - start);
      Duration used = Duration.ofNanos(processCpuNanos() - cpu);
      // Lines of the NDJSON it wrote, counted here: DuckDB's own read_json undercounted a 4 GB file at 2 threads.
      long out = 0;
      try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(rows), 1 << 16)) {
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] == '\n') {
              out++;
            }
          }
        }
      }
      return new Pass(what, threads, time, used, inputBytes, records, out, 0, -1);
    }
  }

  /** The bytes of an input: its file, or all its page files. */
  private static long inputBytes(DuckDbRace.Input input, Map<DuckDbRace.Input, String> locations) throws IOException {
    Path location = Path.of(locations.get(input));
    if (input != DuckDbRace.Input.PAGES) {
      return Files.size(location);
    }
    long bytes = 0;
    try (var pages = Files.newDirectoryStream(location.getParent(), location.getFileName().toString())) {
      for (Path p : pages) {
        bytes += Files.size(p);
      }
    }
    return bytes;
  }

  /** Silver and DuckDB's passes at one thread count; silver's ratios are against DuckDB's fastest input. */
  record Race(Pass silver, List<Pass> duckDb) {
    Pass bestDuckDb() {
      return duckDb.stream().min(java.util.Comparator.comparing(Pass::time)).orElseThrow();
    }

    /** Silver's records per second over the best DuckDB's: the same records, so its time over silver's. */
    double ratio() {
      return silver.recordsPerSecond() / bestDuckDb().recordsPerSecond();
    }

    /** The same per second of CPU the process used. */
    double cpuRatio() {
      Pass best = bestDuckDb();
      return (silver.records() / (Math.max(silver.cpu().toNanos(), 1) / 1e9))
          / (best.records() / (Math.max(best.cpu().toNanos(), 1) / 1e9));
    }

    List<Pass> all() {
      List<Pass> all = new ArrayList<>(List.of(silver));
      all.addAll(duckDb);
      return all;
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** One whole local run of {@code n} generated records, as {@code ./medallion run} does it. */
  /** @param concurrency pages in flight, or null for the declaration's {@code max_concurrency} */
  /** One end-to-end run: from its request to gold, and the time the replay server took to make its data before. */
  private record EndToEnd(Duration run, Duration apiData) {}

  private EndToEnd endToEnd(int n, Path home, Integer concurrency) throws Exception {
    deleteRecursively(home);
    MedallionConfig config = main.config().withIngestConcurrency(concurrency);
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    String runId = "bench-" + n;
    try (LocalPipeline pipeline = new LocalPipeline(config, home, policy, l -> l, Clock.systemUTC())) {
      // Generated data served by the embedded replay server, as `./medallion run --records n` reads;
      // made before the clock starts, as a real API has its data before a run asks for it.
      SourceOrigin.Replay replay = new SourceOrigin.Replay(SOURCE.name(), n, seed);
      Instant made = Instant.now();
      pipeline.endpoints().serverFor(replay);
      Instant start = Instant.now();
      RunRequest request = new RunRequest(SOURCE.name(), runId, null, null, replay.toUri());
      pipeline.publish(config.runRequestsTopic(), OutboundMessage.json(request.toJson(), Map.of("trigger", "bench")));
      if (!pipeline.awaitIdle(Duration.ofHours(1))) {
        throw new IllegalStateException("end-to-end run of " + n + " records did not finish within an hour");
      }
      RunSummary summary = RunSummary.of(runId, pipeline.ledger().events(runId));
      if (!summary.succeeded() || !summary.reconciled()) {
        throw new IllegalStateException("end-to-end run of " + n + " records did not succeed: " + summary);
      }
      return new EndToEnd(Duration.between(start, Instant.now()), Duration.between(made, start));
    } finally {
      deleteRecursively(home);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The most heap in use right after a garbage collection between {@link #start} and {@link
   * #peak}: the live data, not the garbage a young generation holds until it is collected.
   */
  private static final class HeapPeak implements NotificationListener {
    private final AtomicLong peak = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    static HeapPeak start() {
      System.gc();
      HeapPeak p = new HeapPeak();
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(p, null, null);
          p.emitters.add(e);
        }
      }
      return p;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        long used = info.getMemoryUsageAfterGc().entrySet().stream()
            .filter(e -> HEAP_POOLS.contains(e.getKey()))
            .mapToLong(e -> e.getValue().getUsed())
            .sum();
        peak.accumulateAndGet(used, Math::max);
      }
    }

    /** Stops listening; one last collection counts what is still held at the end. */
    long peak() {
      System.gc();
      try {
        Thread.sleep(200); // notifications arrive on their own thread
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (NotificationEmitter e : emitters) {
        try {
          e.removeNotificationListener(this);
        } catch (ListenerNotFoundException ignored) {
          // not registered: nothing to remove
        }
      }
      return peak.get();
    }
  }

  private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP)
      .map(MemoryPoolMXBean::getName)
      .collect(Collectors.toSet());
}
