package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import java.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file source's files through {@code ./medallion drop}, as a user drops them: loaded and then
 * archived; the same bytes again recognised (and loaded when forced); a corrected file of the same
 * day replacing the earlier one's rows; a file that cannot be read, one outside the inbox and one
 * whose name matches no pattern each quarantined with a report; and a model that needs two files
 * of a day waiting for the second. The test source ({@code src/test/resources/file-source}) reads
 * NDJSON, so that this is the lifecycle alone; the formats have their own tests in silver.
 */
class FileSourceLifecycleTest {

  @TempDir Path home;
  @TempDir Path files;

  private CliRun cli(String... args) throws Exception {
    Path dir = Path.of(FileSourceLifecycleTest.class.getResource("/file-source").toURI());
    String[] all = Stream.concat(Stream.of("--sources-dir", dir.toString()), Stream.of(args)).toArray(String[]::new);
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), all);
  }

  private Path file(String name, String... lines) throws Exception {
    Path f = files.resolve(name);
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  private List<List<Object>> query(String sql) throws Exception {
    CliRun q = cli("query", sql, "--format", "csv");
    assertEquals(0, q.code(), q.all());
    return q.out().lines().skip(1).map(l -> List.<Object>of(l)).toList();
  }

  private Path bronze() {
    return home.resolve("buckets").resolve("medallion-bronze");
  }

  private List<String> under(String prefix) throws Exception {
    Path dir = bronze().resolve(prefix);
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).map(p -> bronze().relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void droppedFile_isLoadedThenArchived_andTheSameBytesAgainAreNotLoadedTwiceUnlessForced() throws Exception {
    Path day1 = file("readings_2026-12-01.ndjson", "{\"station\":\"a\",\"reading\":1.5}", "{\"station\":\"b\",\"reading\":9}");

    CliRun first = cli("drop", "--source", "stations", day1.toString());

    assertEquals(0, first.code(), first.all());
    assertTrue(first.out().contains("2 rows, 0 rejects"), first.out());
    assertEquals(List.of(), under("stations/inbox"), "the inbox is empty once the load is confirmed");
    List<String> archived = under("stations/archive");
    assertEquals(1, archived.size(), archived.toString());
    assertTrue(archived.get(0).matches("stations/archive/run_id=drop-[0-9a-f]+/md5=[0-9a-f]{32}/readings_2026-12-01.ndjson"),
        archived.get(0));
    assertEquals(Files.readString(day1), Files.readString(bronze().resolve(archived.get(0))), "the archive keeps the bytes");

    CliRun again = cli("drop", "--source", "stations", day1.toString());
    assertEquals(0, again.code(), again.all());
    assertTrue(again.out().contains("not loaded again: identical to"), again.out());
    assertEquals(List.of(List.<Object>of("2")), query("select count(*) from silver_sales.station_readings"));
    assertEquals(2, under("stations/archive").size(), "the duplicate leaves the inbox too");

    CliRun forced = cli("drop", "--source", "stations", "--force", day1.toString());
    assertEquals(0, forced.code(), forced.all());
    assertTrue(forced.out().contains("2 rows, 0 rejects"), forced.out());
    assertEquals(List.of(List.<Object>of("2")), query("select count(*) from silver_sales.station_readings"),
        "forced, the same day's file replaces its own earlier rows: still 2");
    assertEquals(List.of(), under("stations/inbox"));
  }

  @Test
  void correctedFileOfTheSameDay_replacesTheEarlierRows_andOtherDaysStay() throws Exception {
    assertEquals(0, cli("drop", "--source", "stations", file("readings_2026-12-01.ndjson",
        "{\"station\":\"a\",\"reading\":1}", "{\"station\":\"b\",\"reading\":2}", "{\"station\":\"c\",\"reading\":3}").toString()).code());
    assertEquals(0, cli("drop", "--source", "stations", file("readings_2026-12-02.ndjson",
        "{\"station\":\"a\",\"reading\":5}").toString()).code());
    Path corrected = files.resolve("fixed");
    Files.createDirectories(corrected);
    Files.writeString(corrected.resolve("readings_2026-12-01.ndjson"), "{\"station\":\"a\",\"reading\":1.25}\n");

    CliRun fix = cli("drop", "--source", "stations", corrected.resolve("readings_2026-12-01.ndjson").toString());

    assertEquals(0, fix.code(), fix.all());
    CliRun rows = cli("query", "select _file_key, station, reading from silver_sales.station_readings order by all", "--format", "csv");
    assertEquals(List.of("_file_key,station,reading", "2026-12-01,a,1.25", "2026-12-02,a,5.0"), rows.out().lines().toList());
    CliRun gold = cli("query", "select day, readings from gold_sales.readings_per_day order by day", "--format", "csv");
    assertEquals(List.of("day,readings", "2026-12-01,1", "2026-12-02,1"), gold.out().lines().toList());
  }

  @Test
  void modelNeedingTwoFilesOfADay_waitsForTheSecond_andStatusSaysWhatIsMissing() throws Exception {
    CliRun readings = cli("drop", "--source", "stations", file("readings_2026-12-03.ndjson",
        "{\"station\":\"a\",\"reading\":7}", "{\"station\":\"b\",\"reading\":1}").toString());
    assertEquals(0, readings.code(), readings.all());
    assertTrue(readings.out().contains("readings_over_limit waits for limits of 2026-12-03"), readings.out());
    CliRun status = cli("status");
    assertTrue(status.out().contains("readings_over_limit") && status.out().contains("2026-12-03")
        && status.out().contains("limits"), status.out());

    CliRun limits = cli("drop", "--source", "stations", file("limits_2026-12-03.ndjson",
        "{\"station\":\"a\",\"max_reading\":5}", "{\"station\":\"b\",\"max_reading\":5}").toString());

    assertEquals(0, limits.code(), limits.all());
    CliRun over = cli("query", "select day, station, reading from gold_sales.readings_over_limit", "--format", "csv");
    assertEquals(List.of("day,station,reading", "2026-12-03,a,7.0"), over.out().lines().toList());
    assertFalse(cli("status").out().contains("waits for"), "nothing is missing any more");
  }

  @Test
  void unreadableFile_outsideTheInbox_andUnknownName_areQuarantinedWithAReport_andOthersStillLoad() throws Exception {
    Path broken = file("readings_2026-12-04.ndjson");
    Files.write(broken, new byte[0]);
    Path unknown = file("notes 2026 – résumé.ndjson", "{\"station\":\"a\"}");
    Path good = file("readings_2026-12-05.ndjson", "{\"station\":\"a\",\"reading\":1}");

    CliRun drop = cli("drop", "--source", "stations", broken.toString(), unknown.toString(), good.toString());

    assertEquals(1, drop.code(), drop.all());
    assertTrue(drop.out().contains("NOT LOADED: EMPTY_FILE"), drop.out());
    assertTrue(drop.out().contains("NOT LOADED: UNKNOWN_FILE_NAME") && drop.out().contains("readings_{date}.ndjson"), drop.out());
    assertTrue(drop.out().contains("1 rows, 0 rejects"), "the good file loads all the same: " + drop.out());
    List<String> quarantined = under("stations/quarantine");
    assertEquals(4, quarantined.size(), quarantined.toString());
    String report = quarantined.stream().filter(q -> q.endsWith("readings_2026-12-04.ndjson.report.json")).findFirst().orElseThrow();
    JsonObject r = JsonParser.parseString(Files.readString(bronze().resolve(report))).getAsJsonObject();
    assertEquals("EMPTY_FILE", r.get("reason").getAsString());
    assertTrue(r.get("what_to_do").getAsString().contains("stations/inbox/"), r.toString());
    assertEquals(List.of(), under("stations/inbox"));

  }

  @Test
  void fileCopiedBesideTheInbox_isQuarantined_notLost() throws Exception {
    Path dir = Path.of(FileSourceLifecycleTest.class.getResource("/file-source").toURI());
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(dir)), home,
        PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      String runId = PipelineRuns.drop(p, "stations/readings_2026-12-06.ndjson", "{\"station\":\"a\",\"reading\":1}\n");

      RunSummary s = RunSummary.of(runId, p.ledger().events(runId));
      assertEquals(Status.FAILED, s.silver());
      assertTrue(s.errors().get(0).contains("OUTSIDE_INBOX") && s.errors().get(0).contains("stations/inbox/"), s.errors().toString());
    }
    List<String> quarantined = under("stations/quarantine");
    assertTrue(quarantined.stream().anyMatch(q -> q.endsWith("/readings_2026-12-06.ndjson")), quarantined.toString());
    assertTrue(quarantined.stream().anyMatch(q -> q.endsWith("/readings_2026-12-06.ndjson.report.json")), quarantined.toString());
    assertFalse(Files.exists(bronze().resolve("stations/readings_2026-12-06.ndjson")));
  }
}
