package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.ObjectId;
import io.medallion.port.StoredObject;
import io.medallion.run.RunIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken objects in the bronze bucket. Each either fails as a whole with a clear reason
 * (nothing loaded, the object kept in bronze) or loads with every bad record rejected (and a run
 * that rejected all of them is no success); the good data loaded before stays, and nothing outside
 * the buckets is written.
 */
class HostileBronzeFilesTest {

  enum Expect { FAILS, REJECTS_ALL, LOADS }

  @org.junit.jupiter.api.io.TempDir static Path home;
  static LocalPipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)), l -> l, Clock.systemUTC());
    RunSummary good = drop("breweries/good.json", bytes("[{\"id\":\"good-1\",\"name\":\"Good Brewing\",\"country\":\"Ireland\"}]"));
    assertTrue(good.succeeded(), good.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> c = new ArrayList<>();
    c.add(Arguments.of("not JSON", "breweries/h01.json", bytes("hello, world"), Expect.FAILS, "Unrecognized token 'hello'"));
    c.add(Arguments.of("0-byte file", "breweries/h02.json", new byte[0], Expect.FAILS, "is empty"));
    c.add(Arguments.of("only whitespace", "breweries/h03.json", bytes(" \n\t\n"), Expect.FAILS, "is empty"));
    c.add(Arguments.of("truncated array", "breweries/h04.json", bytes("[{\"id\":\"a\",\"name\":\"b\"},{\"id\":"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("array never closed", "breweries/h05.json", bytes("[{\"id\":\"a\",\"name\":\"b\"}"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("truncated NDJSON line", "breweries/h06.ndjson", bytes("{\"id\":\"a\",\"name\":\"b\"}\n{\"id\":\"c\",\"na"), Expect.LOADS, null));
    c.add(Arguments.of("deep nesting", "breweries/h07.json", bytes("[" + "[".repeat(20_000) + "]".repeat(20_000) + "]"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("string over the parser's limit", "breweries/h08.json",
        bytes("[{\"id\":\"a\",\"name\":\"" + "x".repeat(21_000_000) + "\"}]"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("Latin-1 bytes (not UTF-8)", "breweries/h09.json",
        "[{\"id\":\"a\",\"name\":\"Caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("NUL bytes", "breweries/h10.json", bytes("[{\"id\":\"a\",\u0000\"name\":\"b\"}]"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("content after the array", "breweries/h11.json", bytes("[{\"id\":\"a\",\"name\":\"b\"}] trailing"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("a JSON scalar", "breweries/h12.json", bytes("42"), Expect.FAILS, "expected a JSON array"));
    c.add(Arguments.of("gzip-compressed JSON", "breweries/h13.json.gz", gzip("[{\"id\":\"a\",\"name\":\"b\"}]"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("trailing comma", "breweries/h14.json", bytes("[{\"id\":\"a\",\"name\":\"b\",}]"), Expect.FAILS, "not valid JSON"));
    c.add(Arguments.of("array of non-objects", "breweries/h15.json", bytes("[1, \"two\", null, [3]]"), Expect.REJECTS_ALL, null));
    c.add(Arguments.of("objects where strings belong", "breweries/h16.json", bytes("[{\"id\":{\"$ne\":1},\"name\":\"b\"},{\"id\":\"x\",\"name\":[\"b\"]}]"), Expect.REJECTS_ALL, null));
    c.add(Arguments.of("coordinates that are not numbers", "breweries/h17.json",
        bytes("[{\"id\":\"x\",\"name\":\"b\",\"latitude\":\"NaN\"},{\"id\":\"y\",\"name\":\"b\",\"longitude\":\"1e999\"}]"), Expect.REJECTS_ALL, null));
    c.add(Arguments.of("SQL in values stays data", "breweries/h18.json",
        bytes("[{\"id\":\"x'); drop table silver_brewing.breweries; --\",\"name\":\"Bobby Tables\"}]"), Expect.LOADS, null));
    c.add(Arguments.of("unknown source prefix", "nosuch/h19.json", bytes("[]"), Expect.FAILS, "no registered source 'nosuch'"));
    c.add(Arguments.of("file at the bucket root", "h20.json", bytes("[{\"id\":\"a\",\"name\":\"b\"}]"), Expect.FAILS, "is not under a source's folder"));
    c.add(Arguments.of("a user file named _SUCCESS", "breweries/fake/_SUCCESS", bytes("{\"pages\":[\"../../x\"]}"), Expect.REJECTS_ALL, null));
    c.add(Arguments.of("UTF-16 JSON (decoded, loaded)", "breweries/h22.json",
        "[{\"id\":\"u16\",\"name\":\"Utf Sixteen\"}]".getBytes(StandardCharsets.UTF_16), Expect.LOADS, null));
    c.add(Arguments.of("an API response wrapping the records", "breweries/h23.json",
        bytes("{\"data\":[{\"id\":\"w1\",\"name\":\"W\"},{\"id\":\"w2\",\"name\":\"W\"},{\"id\":\"w3\",\"name\":\"W\"}]}"),
        Expect.FAILS, "gs://medallion-bronze/breweries/h23.json is one JSON object holding an array of 3 objects under \"data\";"
            + " silver expects a JSON array of records or one record per line (NDJSON)"));
    c.add(Arguments.of("records and metadata in one object", "breweries/h24.json",
        bytes("{\n  \"results\": [{\"id\": \"r1\", \"name\": \"R\"}],\n  \"meta\": {\"page\": 1}\n}\n"),
        Expect.FAILS, "holding an array of 1 object under \"results\""));
    c.add(Arguments.of("NDJSON with broken lines among good ones", "breweries/h25.ndjson",
        bytes("{\"id\":\"n1\",\"name\":\"b\"}\n{\"id\":\"n2\",,}\n<html>\n{\"id\":\"n3\",\"name\":\"unclosed\n"),
        Expect.LOADS, null));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileObject_getsAClearOutcomeAndHarmsNothingElse(String what, String name, byte[] content, Expect expect, String reason)
      throws Exception {
    RunSummary s = drop(name, content);
    switch (expect) {
      case FAILS -> {
        assertEquals(Status.FAILED, s.silver(), what + ": " + s);
        assertTrue(s.errors().stream().anyMatch(e -> e.contains(reason)), what + ": " + s.errors());
        assertEquals(0, s.silverRows());
        assertTrue(pipeline.objects().stat(new ObjectId("medallion-bronze", name)).isPresent(), "kept in bronze");
      }
      case REJECTS_ALL -> {
        assertEquals(Status.SUCCEEDED, s.silver(), what + ": " + s);
        assertFalse(s.succeeded(), "a run that loaded nothing is no success: " + s);
        assertEquals(0, s.silverRows(), what);
        assertTrue(s.rejects() > 0 && s.reconciled(), what + ": " + s);
        assertTrue(s.errors().contains("silver: every record was rejected (" + s.rejects() + " rejects)"), what + ": " + s.errors());
      }
      case LOADS -> {
        assertTrue(s.succeeded() && s.silverRows() == 1 && s.reconciled(), what + ": " + s);
        assertEquals(s.silverRecords(), s.silverRows() + s.rejects(), "broken lines are records too: " + s);
      }
    }
    // The good data is still there and nothing escaped the home directory.
    assertEquals(1L, ((Number) pipeline.warehouse().read(
        "select count(*) from silver_brewing.breweries where brewery_id = 'good-1'").scalar()).longValue());
    try (Stream<Path> top = Files.list(home)) {
      assertEquals(List.of("buckets", "dead-letters", "lineage", "warehouse"),
          top.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(pipeline.deadLetters().list().isEmpty(), "files are recorded in the ledger, not retried into dead letters");
  }

  @org.junit.jupiter.api.Test
  void forgedManifest_cannotReadOutsideItsRunOrInventPages() throws Exception {
    String[][] cases = {
        {"../../good.json", "Invalid object name"},
        {"breweries/good.json", "outside its run"},
        {"breweries/ingest_date=2026-01-01/run_id=forged/page-00001.json", "does not exist"},
    };
    int n = 0;
    for (String[] c : cases) {
      String runId = "forged" + (n == 0 ? "" : "-" + n);
      String prefix = "breweries/ingest_date=2026-01-01/run_id=" + runId + "/";
      String manifest = "{\"source\":\"breweries\",\"runId\":\"" + runId + "\",\"pages\":[{\"page\":1,\"name\":\""
          + (c[0].startsWith("breweries/ingest_date") ? prefix + "page-00001.json" : c[0]) + "\",\"generation\":1,\"records\":1}]}";
      pipeline.objects().createIfAbsent(new ObjectId("medallion-bronze", prefix + "_SUCCESS"), "application/json",
          BronzeLayout.manifestMetadata("breweries", runId), bytes(manifest));
      assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
      RunSummary s = RunSummary.of(runId, pipeline.ledger().events(runId));
      assertEquals(Status.FAILED, s.silver(), c[0] + ": " + s);
      assertTrue(s.errors().stream().anyMatch(e -> e.contains(c[1])), c[0] + ": " + s.errors());
      n++;
    }
    assertEquals(1L, ((Number) pipeline.warehouse().read("select count(*) from silver_brewing.breweries where brewery_id = 'good-1'").scalar()).longValue());
  }

  /** Creates the object as a person's upload would (no run metadata) and waits for silver and gold. */
  private static RunSummary drop(String name, byte[] content) throws Exception {
    StoredObject o = pipeline.objects().createIfAbsent(new ObjectId("medallion-bronze", name), null, Map.of(), content).orElseThrow();
    assertFalse(o.metadata().containsKey(BronzeLayout.RUN_ID));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
    String runId = RunIds.forDrop(o.id().bucket(), o.id().name(), o.generation());
    List<RunEvent> events = pipeline.ledger().events(runId);
    assertFalse(events.isEmpty(), "silver recorded something for " + name);
    assertTrue(events.stream().allMatch(e -> e.stage() != Stage.INGEST));
    return RunSummary.of(runId, events);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(String s) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes(s));
    }
    return out.toByteArray();
  }
}
