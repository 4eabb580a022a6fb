package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.port.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve killed (SIGKILL) while records are posted to its webhook, then started again on the same
 * home: every record whose post was answered 2xx is in bronze exactly once, and in silver once
 * loaded; records whose post got no answer may be there or not (issue 17: 0 lost).
 */
class KillAndRestartTest {

  private static final Pattern TICKET_ID = Pattern.compile("\"id\":\"(T-\\d+)\"");

  @TempDir Path home;
  @TempDir Path sources;

  @Test
  void serveKilledWhileRecordsArePosted_losesNoAcceptedRecord_andLandsEachOnce() throws Exception {
    // Small batches: some close (and are published) while posts arrive, one is open at the kill.
    PushedTickets.copy(sources, "{\"batch\": {\"max_seconds\": 60, \"max_bytes\": 50000}}");
    Set<Integer> acceptedPosts = ConcurrentHashMap.newKeySet();
    AtomicInteger unanswered = new AtomicInteger();
    AtomicInteger nextPost = new AtomicInteger();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Process first = serve();
    int port = awaitServing(first);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> posters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread poster = new Thread(() -> {
        while (!stop.get()) {
          int post = nextPost.getAndIncrement();
          try {
            if (post(client, port, post) / 100 == 2) {
              acceptedPosts.add(post);
            }
          } catch (IOException e) {
            unanswered.incrementAndGet(); // killed under it: may be in bronze or not
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      poster.start();
      posters.add(poster);
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (acceptedPosts.size() < 40 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    first.destroyForcibly(); // SIGKILL while the posters go on
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    Thread.sleep(200); // posts meet the dead port
    stop.set(true);
    for (Thread poster : posters) {
      poster.join(30_000);
    }
    int acceptedBeforeKill = acceptedPosts.size();
    assertTrue(acceptedBeforeKill >= 40, "posts were accepted before the kill: " + acceptedBeforeKill);
    assertTrue(unanswered.get() > 0, "some posts met the killed serve");

    Process second = serve(); // the same home: publishes what the killed one held
    int again = awaitServing(second);
    int last = nextPost.getAndIncrement();
    assertEquals(202, post(client, again, last));
    acceptedPosts.add(last);
    second.destroy(); // a clean stop closes the open batch into bronze
    assertTrue(second.waitFor(60, TimeUnit.SECONDS));

    Map<String, Integer> inBronze = new HashMap<>();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourcesDirs(List.of(sources))
        .withSourceUrl(new io.medallion.source.SourceOrigin.Replay("tickets", 10, 1).toUri());
    // A third start, in this JVM, finds the batches the second closed as it stopped, and collects them.
    try (ServeCommand.LocalServer server = new ServeCommand.LocalServer(config, home, null, "tickets",
        Duration.ofMillis(200), new PrintStream(console, true, StandardCharsets.UTF_8), Transport.inProcess(config.project()))) {
      assertTrue(server.pipeline().awaitIdle(Duration.ofMinutes(2)));
      for (StoredObject o : server.objects().list(config.bronzeBucket(), "tickets/pushed/")) {
        Matcher m = TICKET_ID.matcher(new String(server.objects().readAllBytes(o.id()), StandardCharsets.UTF_8));
        while (m.find()) {
          inBronze.merge(m.group(1), 1, Integer::sum);
        }
      }
      Set<String> accepted = new TreeSet<>();
      for (int post : acceptedPosts) {
        for (int i = post * 100; i < post * 100 + 100; i++) {
          accepted.add("T-" + i);
        }
      }
      List<String> lost = accepted.stream().filter(id -> !inBronze.containsKey(id)).toList();
      assertEquals(List.of(), lost, "records answered 2xx but not in bronze");
      assertEquals(Map.of(), Map.copyOf(new HashMap<>(inBronze) {{ values().removeIf(n -> n == 1); }}),
          "records in bronze more than once");
      // The collection serve runs every load_every_minutes, now: every pushed file, one load.
      server.pipeline().publish(config.runRequestsTopic(), io.medallion.port.OutboundMessage.json(
          new io.medallion.run.RunRequest("tickets", null, null, null, null, null, false, true).toJson(), Map.of()));
      assertTrue(server.pipeline().awaitIdle(Duration.ofMinutes(2)));
      List<List<Object>> twice = server.pipeline().warehouse()
          .read("select ticket_id, count(*) from silver_sales.tickets group by 1 having count(*) > 1").rows();
      assertEquals(List.of(), twice, "records in silver more than once");
      Set<Object> inSilver = new java.util.HashSet<>();
      server.pipeline().warehouse().read("select ticket_id from silver_sales.tickets").rows().forEach(r -> inSilver.add(r.get(0)));
      assertEquals(List.of(), accepted.stream().filter(id -> !inSilver.contains(id)).toList(),
          "records answered 2xx but not in silver");
    }
  }

  /** Posts post number {@code n}: 100 records, ids T-(n*100) to T-(n*100+99); returns the status. */
  private static int post(HttpClient client, int port, int n) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sources/tickets/records"))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(PushedTickets.records(n * 100, 100)))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private Process serve() throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--home", home.toString(), "--sources-dir", sources.toString(), "serve", "--source", "tickets");
    Path log = Files.createTempFile(home.getParent(), "serve", ".log");
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** The webhook's port, once the child's serve.json names it. */
  private int awaitServing(Process child) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      assertTrue(child.isAlive(), "serve exited with " + (child.isAlive() ? "" : child.exitValue()));
      var endpoint = ServeClient.endpoint(home);
      if (endpoint.isPresent() && endpoint.get().pid() == child.pid()) {
        return endpoint.get().port();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("serve did not start within 2 minutes");
  }
}
