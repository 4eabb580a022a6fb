package io.medallion.cli;

import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.port.StoredObject;
import io.medallion.source.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The webhook part of {@code medallion bench}: serve's own HTTP server and webhook, in this
 * process, posted to by a real HTTP client ({@code java.net.http}) from {@code concurrency}
 * threads, each post {@value #RECORDS_PER_POST} generated records of a source that declares push.
 * Then one more post, timed until its records are in a bronze file and in silver, with the
 * source's batch window as declared.
 */
final class WebhookBench {

  static final int RECORDS_PER_POST = 100;
  /** Distinct bodies posted in turn: generated once, before the clock starts. */
  private static final int BODIES = 32;

  /** What one run measured. */
  record Result(long posts, long records, long refused, Duration elapsed, long p50Nanos, long p99Nanos,
      long maxNanos, long bodyBytes, Duration toBronze, Duration toSilver, int batchSeconds, long forces) {
    double recordsPerSecond() {
      return records / (Math.max(elapsed.toNanos(), 1) / 1e9);
    }
  }

  private WebhookBench() {}

  /**
   * Posts for {@code seconds} (after a second of warm-up) at {@code concurrency}, then times one
   * post to bronze and silver (up to {@code endToEndTimeout}; null when not reached).
   */
  static Result run(MedallionConfig config, Source source, Path home, int concurrency, int seconds, long seed,
      Duration endToEndTimeout, byte[] secret) throws Exception {
    BenchCommand.deleteRecursively(home);
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < BODIES; i++) {
      bodies.add(body(source, seed + i));
    }
    byte[] marker = body(source, seed + BODIES + System.nanoTime() % 1_000_000);
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    try (ServeCommand.LocalServer server = new ServeCommand.LocalServer(config, home, Map.of(), source.name(),
        Duration.ofMillis(200), quiet, Transport.inProcess(config.project()), Map.of())) {
      int port = ServeClient.endpoint(home).orElseThrow().port();
      URI uri = URI.create("http://127.0.0.1:" + port + ServeControl.WEBHOOK + source.name() + "/records");
      ExecutorService clientThreads = Executors.newFixedThreadPool(concurrency);
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      try {
        round(client, uri, bodies, concurrency, 1, clientThreads, secret); // warm-up: JIT, connections
        long forcesBefore = forces(server);
        long start = System.nanoTime();
        Round timed = round(client, uri, bodies, concurrency, seconds, clientThreads, secret);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        long forces = forces(server) - forcesBefore;
        long[] latencies = timed.latencies();
        Arrays.sort(latencies);

        // End to end: a fresh batch, one post, until its records are in a bronze file, then in silver.
        server.pipeline().flushPushed();
        server.pipeline().awaitIdle(Duration.ofMinutes(5));
        String key = JsonParser.parseString(new String(marker, StandardCharsets.UTF_8)).getAsJsonArray().get(0)
            .getAsJsonObject().get(source.resources().get(0).primaryKey()).getAsString();
        long posted = System.nanoTime();
        HttpResponse<String> answer = client.send(signed(HttpRequest.newBuilder(uri), marker, secret)
            .POST(HttpRequest.BodyPublishers.ofByteArray(marker)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
          throw new IllegalStateException("the webhook refused the timed post: " + answer.statusCode() + " " + answer.body());
        }
        Duration toBronze = null;
        Duration toSilver = null;
        long deadline = posted + endToEndTimeout.toNanos();
        String table = source.resources().get(0).silverTable();
        String column = source.resources().get(0).silver().keyColumn();
        java.util.Set<String> searched = new java.util.HashSet<>(); // a bronze object never changes: read each once
        while (System.nanoTime() < deadline && toSilver == null) {
          if (toBronze == null && inBronze(server, config, source, key, searched)) {
            toBronze = Duration.ofNanos(System.nanoTime() - posted);
            // The collection serve runs every load_every_minutes, run now: what follows is the
            // collection's own time, the wait for its period aside.
            server.pipeline().publish(config.runRequestsTopic(), io.medallion.port.OutboundMessage.json(
                new io.medallion.run.RunRequest(source.name(), null, null, null, null, null, false, true).toJson(),
                Map.of("trigger", "bench")));
          }
          if (toBronze != null && inSilver(server, table, column, key)) {
            toSilver = Duration.ofNanos(System.nanoTime() - posted);
          }
          Thread.sleep(100);
        }
        server.pipeline().awaitIdle(Duration.ofMinutes(2)); // gold of the timed load: done before serve stops
        return new Result(timed.posts(), timed.posts() * RECORDS_PER_POST, timed.refused(), elapsed,
            percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.length == 0 ? 0 : latencies[latencies.length - 1],
            bodies.get(0).length, toBronze, toSilver, source.push().batchSeconds(), forces);
      } finally {
        clientThreads.shutdownNow();
      }
    } finally {
      BenchCommand.deleteRecursively(home);
    }
  }

  private static long forces(ServeCommand.LocalServer server) {
    return server.pipeline().pushForces();
  }

  private static boolean inBronze(ServeCommand.LocalServer server, MedallionConfig config, Source source, String key,
      java.util.Set<String> searched) throws IOException {
    byte[] needle = ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8);
    for (StoredObject o : server.objects().list(config.bronzeBucket(), io.medallion.bronze.BronzeLayout.pushedPrefix(source))) {
      if (searched.add(o.id().name()) && contains(server.objects().readAllBytes(o.id()), needle)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inSilver(ServeCommand.LocalServer server, String table, String column, String key) {
    try {
      List<List<Object>> rows = server.pipeline().warehouse()
          .read("select count(*) from silver." + table + " where " + column + " = '" + key.replace("'", "''") + "'").rows();
      return ((Number) rows.get(0).get(0)).longValue() > 0;
    } catch (RuntimeException | IOException e) {
      return false; // the table is not there before its first load
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Posts from every thread for {@code seconds}; latencies of the posts answered 2xx. */
  private record Round(long posts, long refused, long[] latencies) {}

  /** The request signed as a partner signs it ({@code X-Medallion-Signature}), when there is a secret. */
  private static HttpRequest.Builder signed(HttpRequest.Builder request, byte[] body, byte[] secret) {
    return secret == null ? request
        : request.header(io.medallion.push.Signature.HEADER, io.medallion.push.Signature.sign(secret, java.time.Instant.now(), body));
  }

  private static Round round(HttpClient client, URI uri, List<byte[]> bodies, int concurrency, int seconds,
      ExecutorService threads, byte[] secret) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<long[]>> each = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      int first = t;
      each.add(threads.submit(() -> {
        long[] latencies = new long[1024];
        int n = 0;
        long refused = 0;
        for (int i = first; System.nanoTime() < end && !failed.get(); i++) {
          byte[] body = bodies.get(i % bodies.size());
          HttpRequest request = signed(HttpRequest.newBuilder(uri), body, secret)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
          long sent = System.nanoTime();
          HttpResponse<Void> answer = client.send(request, HttpResponse.BodyHandlers.discarding());
          long took = System.nanoTime() - sent;
          if (answer.statusCode() / 100 != 2) {
            refused++;
            continue;
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = took;
        }
        long[] out = Arrays.copyOf(latencies, n + 1);
        out[n] = refused; // the last slot carries the refusals
        return out;
      }));
    }
    long posts = 0;
    long refused = 0;
    List<long[]> all = new ArrayList<>();
    for (Future<long[]> f : each) {
      long[] got = f.get();
      refused += got[got.length - 1];
      long[] latencies = Arrays.copyOf(got, got.length - 1);
      posts += latencies.length;
      all.add(latencies);
    }
    long[] merged = new long[(int) posts];
    int at = 0;
    for (long[] l : all) {
      System.arraycopy(l, 0, merged, at, l.length);
      at += l.length;
    }
    return new Round(posts, refused, merged);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** {@value #RECORDS_PER_POST} generated records of the source's first resource as one JSON array. */
  private static byte[] body(Source source, long seed) throws IOException, io.medallion.source.DeclarationException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    io.medallion.local.replay.RecordGenerator.forSource(source)
        .writeJsonArray(source.resources().get(0).name(), seed, RECORDS_PER_POST, out);
    return out.toByteArray();
  }
}
