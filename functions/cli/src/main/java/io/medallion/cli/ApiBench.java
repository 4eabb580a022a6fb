package io.medallion.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.api.GoldApi;
import io.medallion.api.LocalApiServer;
import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The query-API part of {@code medallion bench}: a gold table shaped like {@code
 * audience.expected_audience} (signals x days x programs, generated in DuckDB from a seed), served
 * as {@code ./medallion api} serves it ({@link LocalApiServer} over a read-only warehouse), and
 * asked by a real HTTP client ({@code java.net.http}) from {@code concurrency} threads, each with
 * its own request loop: first pages of 100 rows of one signal over a few days, then single rows by
 * random existing keys. Every request carries other values, so no answer is the previous one's.
 */
final class ApiBench {

  static final String SOURCE = "audience";
  static final String TABLE = "expected_audience";
  static final int PAGE_SIZE = 100;
  static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

  /**
   * The generated table: every (signal, day, program) in that order, cut at {@code rows}.
   *
   * @param programs programs per signal and day: as many as {@code rows} needs
   */
  record Shape(int signals, int days, int programs, long rows) {
    static Shape of(long rows, int signals, int days) {
      if (rows < 1 || signals < 1 || signals > 99 || days < 1) {
        throw new Main.UserError("the API bench needs at least 1 row, 1..99 signals and at least 1 day");
      }
      long programs = (rows + (long) signals * days - 1) / ((long) signals * days);
      if (programs > 9999) {
        throw new Main.UserError("--api-rows " + rows + " is over 9,999 programs a signal and day");
      }
      return new Shape(signals, days, (int) programs, rows);
    }

    static String signal(int s) {
      return String.format("S%02d", s);
    }

    static String program(int p) {
      return String.format("P%04d", p);
    }

    /** Signals whose every day and program are in the table (the cut takes the last signal's tail). */
    int wholeSignals() {
      return (int) Math.max(1, rows / ((long) days * programs));
    }

    /** Days a page's from..to spans: half as many rows again as a page, so that each has a next page. */
    int windowDays() {
      return (int) Math.min(days, Math.max(1, (PAGE_SIZE * 3 / 2 + programs - 1) / programs));
    }
  }

  /** One case's measurements; latencies in nanoseconds, of the answers that were 200. */
  record Case(String name, long requests, long ok, String firstFailure, Duration elapsed, long p50, long p95, long p99,
      long max) {
    double requestsPerSecond() {
      return requests / (Math.max(elapsed.toNanos(), 1) / 1e9);
    }
  }

  record Result(Shape shape, Duration build, Case page, Case byKey) {}

  private ApiBench() {}

  /**
   * Builds the table in {@code home}'s warehouse (deleted before and after), serves it and runs
   * both cases: {@code warmUp} of requests not counted (and each answer checked), then {@code
   * measured} of requests timed.
   */
  static Result run(MedallionConfig config, Path home, Shape shape, int concurrency, Duration warmUp, Duration measured,
      long seed) throws Exception {
    BenchCommand.deleteRecursively(home);
    try {
      Path file = new LocalPipeline.Layout(home).warehouseFile();
      long started = System.nanoTime();
      build(file, config.goldDataset(LocalPipeline.sources(config).find(SOURCE).orElseThrow()), shape, seed);
      Duration build = Duration.ofNanos(System.nanoTime() - started);
      try (DuckDbWarehouse warehouse = DuckDbWarehouse.openReadOnly(file)) {
        GoldApi api = LocalApi.over(config, home, warehouse);
        try (LocalApiServer server = LocalApiServer.start(api, 0)) {
          String base = "http://127.0.0.1:" + server.port() + "/v1/" + SOURCE + "/" + TABLE;
          HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          ExecutorService threads = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "api-bench-client");
            t.setDaemon(true);
            return t;
          });
          try {
            Case page = measure("page of " + PAGE_SIZE, client, threads, concurrency, warmUp, measured, seed,
                random -> URI.create(base + pageQuery(shape, random)), ApiBench::checkPage);
            Case byKey = measure("one row by key", client, threads, concurrency, warmUp, measured, seed + 1,
                random -> URI.create(base + keyPath(shape, random)), ApiBench::checkRow);
            return new Result(shape, build, page, byKey);
          } finally {
            threads.shutdownNow();
          }
        }
      }
    } finally {
      BenchCommand.deleteRecursively(home);
    }
  }

  /** The table, written straight into the warehouse file with DuckDB's own generators. */
  static void build(Path file, String goldDataset, Shape s, long seed) throws Exception {
    Files.createDirectories(file.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        Statement st = c.createStatement()) {
      st.execute("create schema if not exists " + goldDataset);
      // hash() of the coordinates and the seed: the same table for the same seed, whatever threads
      // DuckDB uses (random() is per thread). Ordered as a key scan reads it: signal, day, program.
      st.execute("create table " + goldDataset + "." + TABLE + " as select"
          + " 'S' || lpad(s::varchar, 2, '0') as signal,"
          + " date '" + FIRST_DAY + "' + d::integer as broadcast_date,"
          + " 'P' || lpad(p::varchar, 4, '0') as program_code,"
          + " 'Program ' || p as program_name,"
          + " (hash(s, d, p, " + seed + ") % 10000000) / 1000.0 as expected_audience,"
          + " (1 + hash(s, d, p, " + (seed + 1) + ") % 4)::bigint as exhibitions,"
          + " date '" + FIRST_DAY + "' + d::integer - 7 * (1 + hash(s, d, p, " + (seed + 2) + ") % 4)::integer"
          + " as last_exhibition_date,"
          + " (600 + hash(s, d, " + seed + ") % 3000)::bigint as available_seconds"
          + " from range(1, " + (s.signals() + 1) + ") a(s), range(0, " + s.days() + ") b(d), range(1, "
          + (s.programs() + 1) + ") c(p)"
          + " order by s, d, p limit " + s.rows());
    }
  }

  /** A page's query: one whole signal, from..to over {@link Shape#windowDays} days, chosen at random. */
  static String pageQuery(Shape s, Random random) {
    int signal = 1 + random.nextInt(s.wholeSignals());
    int from = random.nextInt(s.days() - s.windowDays() + 1);
    return "?signal=" + Shape.signal(signal) + "&from=" + FIRST_DAY.plusDays(from) + "&to="
        + FIRST_DAY.plusDays(from + s.windowDays() - 1L) + "&page_size=" + PAGE_SIZE;
  }

  /** A random row's key path: /{signal}/{broadcast_date}/{program_code}. */
  static String keyPath(Shape s, Random random) {
    long index = (long) (random.nextDouble() * s.rows());
    long perSignal = (long) s.days() * s.programs();
    int signal = (int) (index / perSignal) + 1;
    int day = (int) (index % perSignal / s.programs());
    int program = (int) (index % s.programs()) + 1;
    return "/" + Shape.signal(signal) + "/" + FIRST_DAY.plusDays(day) + "/" + Shape.program(program);
  }

  /** Null when a page answer holds a full page and a next page token; else what is wrong. */
  private static String checkPage(String body) {
    JsonObject o = JsonParser.parseString(body).getAsJsonObject();
    int rows = o.getAsJsonArray("data").size();
    return rows == PAGE_SIZE && o.has("next_page_token") ? null
        : "a page held " + rows + " rows" + (o.has("next_page_token") ? "" : " and no next_page_token");
  }

  private static String checkRow(String body) {
    return JsonParser.parseString(body).getAsJsonObject().get("data").isJsonObject() ? null : "no row in " + body;
  }

  /** One case: a warm-up whose answers are each checked, then the timed round. */
  private static Case measure(String name, HttpClient client, ExecutorService threads, int concurrency,
      Duration warmUp, Duration measured, long seed, Function<Random, URI> next, Function<String, String> check)
      throws Exception {
    Round warm = round(client, threads, concurrency, warmUp, seed, next, check);
    if (warm.firstFailure() != null) {
      throw new IllegalStateException("the API answered a warm-up request of '" + name + "' wrongly: " + warm.firstFailure());
    }
    long start = System.nanoTime();
    Round timed = round(client, threads, concurrency, measured, seed + 1000, next, null);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    long[] l = timed.latencies();
    Arrays.sort(l);
    return new Case(name, timed.requests(), l.length, timed.firstFailure(), elapsed, percentile(l, 0.50),
        percentile(l, 0.95), percentile(l, 0.99), l.length == 0 ? 0 : l[l.length - 1]);
  }

  private record Round(long requests, long[] latencies, String firstFailure) {}

  private record Loop(long requests, long[] latencies, String firstFailure) {}

  /**
   * Every thread sends, one request after another, until {@code duration} has passed; an answer
   * other than 200 (or, with {@code check}, a body it refuses) counts as a request, not a latency.
   */
  private static Round round(HttpClient client, ExecutorService threads, int concurrency, Duration duration, long seed,
      Function<Random, URI> next, Function<String, String> check) throws Exception {
    long end = System.nanoTime() + duration.toNanos();
    List<Future<Loop>> loops = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      Random random = new Random(seed * 31 + t);
      loops.add(threads.submit(() -> {
        long[] latencies = new long[1024];
        int n = 0;
        long requests = 0;
        String failure = null;
        while (System.nanoTime() < end) {
          HttpRequest request = HttpRequest.newBuilder(next.apply(random)).GET().build();
          long sent = System.nanoTime();
          HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
          long took = System.nanoTime() - sent;
          requests++;
          String wrong = answer.statusCode() != 200 ? answer.statusCode() + " " + answer.body()
              : check == null ? null : check.apply(answer.body());
          if (wrong != null) {
            failure = failure == null ? request.uri() + ": " + wrong : failure;
            continue;
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = took;
        }
        return new Loop(requests, Arrays.copyOf(latencies, n), failure);
      }));
    }
    long requests = 0;
    String failure = null;
    List<long[]> all = new ArrayList<>();
    for (Future<Loop> f : loops) {
      Loop loop = f.get();
      requests += loop.requests();
      all.add(loop.latencies());
      failure = failure == null ? loop.firstFailure() : failure;
    }
    long[] merged = all.stream().flatMapToLong(Arrays::stream).toArray();
    return new Round(requests, merged, failure);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p * sorted.length) - 1))];
  }
}
