package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.replay.ReplayServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walk-throughs with {@code serve} running "in another terminal": serve runs here,
 * and the other commands run as a user types them, each in a process of its own.
 */
class ServeAlongsideTest {

  @TempDir Path home;
  ReplayServer replay;
  ByteArrayOutputStream console;

  @BeforeEach
  void start() throws Exception {
    replay = Breweries.serve(1000, 5);
    console = new ByteArrayOutputStream();
  }

  @AfterEach
  void stop() {
    replay.close();
  }

  private ServeCommand.LocalServer serve() throws Exception {
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(replay.baseUrl()).withPageSize(100);
    return new ServeCommand.LocalServer(config, home, Map.of(), "breweries", Duration.ofMillis(100),
        new PrintStream(console, true, StandardCharsets.UTF_8), Transport.inProcess(config.project()),
        Map.of("MEDALLION_HOME", home.toString()));
  }

  private String console() {
    return console.toString(StandardCharsets.UTF_8);
  }

  /** A command in its own process, as a user runs it in another terminal. */
  private CliRun medallion(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("MEDALLION_HOME", home.toString());
    Path out = Files.createTempFile(home, "out", ".txt");
    Path err = Files.createTempFile(home, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the command finished");
    return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void whileServeRuns_runStatusQueryAndResumeWork_fromAnotherProcess() throws Exception {
    try (ServeCommand.LocalServer server = serve()) {
      CliRun run = medallion("run", "--records", "300", "--run-id", "beside-serve", "--page-size", "100");
      assertEquals(0, run.code(), run.all());
      assertTrue(run.out().contains("(through the running serve)") && run.out().contains("Run beside-serve succeeded"),
          run.out());
      assertTrue(run.out().contains("ingest   done: 3 pages, 300 records"), "the run's progress, streamed: " + run.out());

      CliRun status = medallion("status");
      assertEquals(0, status.code(), status.all());
      assertTrue(status.out().contains("beside-serve") && status.out().contains("succeeded"), status.out());
      CliRun one = medallion("status", "beside-serve");
      assertEquals(0, one.code(), one.all());

      CliRun query = medallion("query", "select count(*) as n from silver_brewing.breweries");
      assertEquals(0, query.code(), query.all());
      assertTrue(query.out().contains("| n "), query.out());

      CliRun resume = medallion("resume", "beside-serve");
      assertEquals(0, resume.code(), resume.all());
      assertTrue(resume.out().contains("nothing to do"), resume.out());
      assertTrue(console().contains("beside-serve"), "serve's own console shows the run too: " + console());
    }
    // serve is gone: the commands open the warehouse themselves again
    CliRun after = medallion("status", "beside-serve");
    assertEquals(0, after.code(), after.all());
    assertFalse(Files.exists(home.resolve(ServeControl.FILE)), "serve.json is removed on stop");
  }

  @Test
  void queryThatWrites_isRefusedBeforeItRuns_withAndWithoutServe() throws Exception {
    assertEquals(0, CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "run", "--records", "120").code());
    for (String sql : List.of("delete from gold_brewing.country_summary", "drop table silver_brewing.breweries",
        "select 1; delete from gold_brewing.country_summary", "copy gold_brewing.country_summary to '/tmp/x.csv'",
        "attach '/tmp/other.duckdb'")) {
      CliRun r = medallion("query", sql);
      assertEquals(2, r.code(), sql + ": " + r.all());
      assertTrue(r.err().contains("Refused, nothing ran"), r.err());
    }
    try (ServeCommand.LocalServer server = serve()) {
      CliRun r = medallion("query", "delete from gold_brewing.country_summary");
      assertEquals(2, r.code(), r.all());
      assertTrue(r.err().contains("Refused, nothing ran"), r.err());
    }
    CliRun count = medallion("query", "select count(*) as n from gold_brewing.country_summary");
    assertFalse(count.out().contains("| 0 |"), "nothing was deleted: " + count.out());
  }

  @Test
  void aSecondServeOnTheSameHome_isRefused() throws Exception {
    try (ServeCommand.LocalServer server = serve()) {
      CliRun second = medallion("serve");
      assertEquals(2, second.code(), second.all());
      assertTrue(second.err().contains("another serve already runs"), second.err());
    }
  }

  @Test
  void filesDroppedWhileServeWasDown_areLoadedWhenItStarts() throws Exception {
    Path bronze = home.resolve("buckets/medallion-bronze");
    Files.createDirectories(bronze.resolve("breweries/manual"));
    Files.writeString(bronze.resolve("breweries/manual/early.json"),
        "[{\"id\":\"early-1\",\"name\":\"Early Brewing\",\"brewery_type\":\"micro\"}]");
    // A run whose ingest stopped after a page (a crash): listed with the command that finishes it.
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()).withSourceUrl(replay.baseUrl())
        .withPageSize(100), home, PipelineRuns.fast(), Clock.systemUTC(), new CrashingPorts(CrashingPorts.Point.AFTER_THREE_PAGES)::wrap)) {
      PipelineRuns.request(p, "stopped");
      p.awaitIdle(Duration.ofSeconds(30));
    } catch (Exception crashed) {
      // the "process" died, as intended
    }
    Files.createSymbolicLink(bronze.resolve("breweries/manual/link.json"), bronze.resolve("breweries/manual/early.json"));
    Files.writeString(bronze.resolve("stray.json"), "[]");
    try (ServeCommand.LocalServer server = serve()) {
      RunSummary drop = awaitDrop(server, "early.json");
      assertTrue(drop.succeeded(), drop.toString());
      assertEquals(1, drop.silverRows());
      String out = awaitConsole("is not loaded: it is a symbolic link");
      assertTrue(out.contains("breweries/manual/early.json was never loaded: loading it now"), out);
      assertTrue(out.contains("run stopped stopped before gold: ./medallion resume stopped finishes it"), out);
      String strayOut = awaitConsole("stray.json");
      assertTrue(strayOut.matches("(?s).*stray\\.json.*not under a source's folder.*")
          || strayOut.matches("(?s).*stray\\.json.*FAILED.*"), "a file outside any source gets a message: " + strayOut);
    }
  }

  @Test
  void serveConsole_namesFileAndRunOnce_andEndsEachRunWithItsSummary() throws Exception {
    try (ServeCommand.LocalServer server = serve()) {
      Path dir = home.resolve("buckets/medallion-bronze/breweries/manual");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("broken.json"), "<html>not json</html>");
      String out = awaitConsole("Run drop-");
      Matcher failed = Pattern.compile("silver +(drop-[0-9a-f]+) +FAILED .*broken\\.json").matcher(out);
      assertTrue(failed.find(), out);
      assertEquals(1, count(out, "FAILED .*broken\\.json.*"), "the failure is said once: " + out);
      assertTrue(out.contains("Run " + failed.group(1) + " FAILED"), out);
    }
  }

  @Test
  void status_tellsTheTruthAboutDropsAndStoppedRuns() throws Exception {
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()).withSourceUrl(replay.baseUrl())
        .withPageSize(100), home, PipelineRuns.fast(), Clock.systemUTC(), new CrashingPorts(CrashingPorts.Point.AFTER_THREE_PAGES)::wrap)) {
      PipelineRuns.request(p, "half-done");
      p.awaitIdle(Duration.ofSeconds(30));
    } catch (Exception crashed) {
      // died mid-ingest
    }
    String dropRun;
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.forLocal(Map.of()), home, PipelineRuns.fast(), l -> l,
        Clock.systemUTC())) {
      dropRun = PipelineRuns.drop(p, "breweries/manual/two.json",
          "[{\"id\":\"d1\",\"name\":\"One\"},{\"id\":\"d2\",\"name\":\"Two\"}]");
    }
    CliRun status = medallion("status");
    String half = line(status.out(), "half-done");
    assertTrue(half.contains("| incomplete ") && half.matches(".*\\| - +\\|\\s*$"),
        "a run that stopped in ingest is incomplete, with nothing to reconcile yet: " + half);
    String drop = line(status.out(), dropRun);
    assertTrue(drop.contains("| succeeded ") && drop.matches(".*\\| +2 \\|.*") && drop.contains("| ok "),
        "a dropped file's records are counted: " + drop);
    CliRun one = medallion("status", dropRun);
    assertFalse(one.out().contains("gs://"), "local paths locally: " + one.out());
    assertTrue(one.out().contains(home.resolve("buckets").toString()), one.out());
    CliRun stopped = medallion("status", "half-done");
    assertTrue(stopped.out().contains("run half-done: incomplete (./medallion resume half-done finishes it)"), stopped.out());
  }

  private static String line(String table, String runId) {
    return table.lines().filter(l -> l.contains(runId)).findFirst().orElseThrow(() -> new AssertionError(table));
  }

  private static int count(String text, String regex) {
    int n = 0;
    for (String l : text.lines().toList()) {
      if (l.matches(".*" + regex)) {
        n++;
      }
    }
    return n;
  }

  private String awaitConsole(String needle) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && !console().contains(needle)) {
      Thread.sleep(50);
    }
    assertTrue(console().contains(needle), "console shows " + needle + ": " + console());
    return console();
  }

  private static RunSummary awaitDrop(ServeCommand.LocalServer server, String file) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (String id : server.pipeline().ledger().recentRuns(10)) {
        if (id.startsWith("drop-")) {
          RunSummary s = RunSummary.of(id, server.pipeline().ledger().events(id));
          if (s.droppedObject() != null && s.droppedObject().endsWith(file) && (s.succeeded() || !s.errors().isEmpty())) {
            return s;
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no dropped file's run finished");
  }
}
