package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.Expected;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.ReplayServer;
import io.medallion.metrics.Metrics;
import io.medallion.port.JobStatus;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.port.StoredObject;
import io.medallion.run.RunRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole choreography on local adapters, over generated data whose correct silver and gold
 * results the generator knows independently of the pipeline's code and SQL.
 */
class EndToEndTest {

  static final String RUN = "e2e-run";
  static final Set<String> KNOWN_TYPES = Set.copyOf(Breweries.DOCUMENTED_TYPES);

  static List<GeneratedRecord> data;
  static ReplayServer replay;
  static LocalPipeline pipeline;
  @TempDir static Path home;

  @BeforeAll
  static void runOnce() throws Exception {
    data = Breweries.generate(3_000, 7);
    replay = Breweries.serve(data);
    MedallionConfig config = MedallionConfig.defaults().withSourceUrl(replay.baseUrl()).withPageSize(100);
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    pipeline = new LocalPipeline(config, home, fast, ledger -> ledger, Clock.systemUTC());
    pipeline.publish(config.runRequestsTopic(),
        OutboundMessage.json(new RunRequest("breweries", RUN, null, null).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)), "pipeline went idle");
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
    replay.close();
  }

  @Test
  void runSucceeds_andBronzeRecordsEqualSilverRowsPlusRejects() throws Exception {
    RunSummary s = RunSummary.of(RUN, pipeline.ledger().events(RUN));
    assertTrue(s.succeeded(), s.toString());
    assertEquals(30, s.pages());
    assertEquals(data.size(), s.bronzeRecords());
    assertEquals(s.bronzeRecords(), s.silverRows() + s.rejects());
    assertTrue(s.reconciled());
    assertEquals(count("select count(*) from silver_brewing.breweries"), s.silverRows());
    assertTrue(pipeline.deadLetters().list().isEmpty());
  }

  @Test
  void meters_countWhatTheLedgerRecords_evenAfterTheRedeliveryTests() throws Exception {
    // Other tests here redeliver every event; work found done counts nothing, so the order of
    // the tests does not matter.
    RunSummary s = RunSummary.of(RUN, pipeline.ledger().events(RUN));
    io.micrometer.core.instrument.MeterRegistry m = pipeline.meters();
    assertEquals(s.bronzeRecords(), m.get(Metrics.RECORDS).tags("layer", "bronze", "source", "breweries").counter().count());
    assertEquals(s.bronzeBytes(), m.get(Metrics.BYTES).tags("layer", "bronze", "source", "breweries").counter().count());
    assertEquals(s.silverRows(), m.get(Metrics.RECORDS).tags("layer", "silver", "source", "breweries").counter().count());
    assertEquals(s.goldRows(), m.get(Metrics.RECORDS).tags("layer", "gold", "source", "breweries").counter().count());
    assertEquals(s.rejects(), m.get(Metrics.REJECTS).tags("source", "breweries").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
    assertEquals(1, m.get(Metrics.RUN_LATENCY).tags("source", "breweries").timer().count());
    assertEquals(1, m.get(Metrics.JOB_DURATION).tags("kind", "load").timer().count());
    // four models (a first build: each whole, one job) and five checks, each one query job
    assertEquals(9, m.get(Metrics.JOB_DURATION).tags("kind", "query").timer().count());
    assertTrue(m.get(Metrics.STAGE_DURATION).tags("stage", "gold", "outcome", "built").timer().count() >= 1);
    assertTrue(m.get(Metrics.STAGE_DURATION).tags("stage", "ingest", "outcome", "complete").timer().count() >= 1);
    assertEquals(Status.SUCCEEDED, s.dq());
  }

  @Test
  void theRunsCost_isInTheLedger_andRolledUpForItsDomain() throws Exception {
    List<io.medallion.ledger.RunEvent> events = pipeline.ledger().events(RUN);
    long gcs = events.stream().mapToLong(e -> e.gcsBytesWritten() == null ? 0 : e.gcsBytesWritten()).sum();
    long billed = events.stream().mapToLong(e -> e.bytesBilled() == null ? 0 : e.bytesBilled()).sum();
    long slots = events.stream().mapToLong(e -> e.slotMs() == null ? 0 : e.slotMs()).sum();
    long instance = events.stream().mapToLong(e -> e.instanceMs() == null ? 0 : e.instanceMs()).sum();
    RunSummary s = RunSummary.of(RUN, events);
    long staging = events.stream().filter(e -> e.stage() == io.medallion.ledger.Stage.SILVER && e.status() == Status.SUCCEEDED)
        .mapToLong(e -> e.gcsBytesWritten()).sum();
    assertEquals(s.bronzeBytes() + staging, gcs, "bronze pages and silver staging written");
    assertTrue(staging > 0 && billed > 0, "the gold jobs' estimated bytes billed are recorded");
    assertTrue(events.stream().filter(e -> e.stage() == io.medallion.ledger.Stage.GOLD && e.status() == Status.CHECKPOINT)
        .allMatch(e -> e.slotMs() != null), "every model's job has its slot time");
    assertTrue(events.stream().anyMatch(e -> e.stage() == io.medallion.ledger.Stage.GOLD && e.instanceMs() != null));

    io.medallion.port.QueryResult rollup = pipeline.warehouse().read(
        "select runs, bytes_billed, slot_ms, gcs_bytes_written, gcs_bytes_stored, instance_seconds"
            + " from ops.cost_by_domain_month where domain = 'brewing'");
    assertEquals(1, rollup.rows().size(), "gold rebuilt the roll-up: " + rollup.rows());
    List<Object> row = rollup.rows().get(0);
    assertEquals(List.of(1L, billed, slots, gcs, s.bronzeBytes()),
        List.of(((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue(), ((Number) row.get(2)).longValue(),
            ((Number) row.get(3)).longValue(), ((Number) row.get(4)).longValue()));
    assertEquals(instance / 1000.0, ((Number) row.get(5)).doubleValue(), 1e-9);
  }

  @Test
  void gold_countsTheDomainsSliEvents() throws Exception {
    io.micrometer.core.instrument.MeterRegistry m = pipeline.meters();
    // Five checks, all passing (the generated data is clean).
    assertEquals(5, m.get(Metrics.SLO_QUALITY_TOTAL).tags("domain", "brewing").counter().count());
    assertEquals(5, m.get(Metrics.SLO_QUALITY_GOOD).tags("domain", "brewing").counter().count());
    // The first build of the domain settles today: fresh when it finished by brewing's gold_by (07:00 UTC).
    java.time.Instant built = pipeline.ledger().events(RUN).stream()
        .filter(e -> e.stage() == io.medallion.ledger.Stage.GOLD && e.status() == Status.SUCCEEDED)
        .map(io.medallion.ledger.RunEvent::recordedAt).min(java.time.Instant::compareTo).orElseThrow();
    boolean fresh = !built.isAfter(io.medallion.slo.FreshnessDays.deadline(
        io.medallion.slo.FreshnessDays.dayOf(built), java.time.LocalTime.of(7, 0)));
    assertEquals(1, m.get(Metrics.SLO_FRESHNESS_TOTAL).tags("domain", "brewing").counter().count());
    assertEquals(fresh ? 1 : 0, m.get(Metrics.SLO_FRESHNESS_GOOD).tags("domain", "brewing").counter().count());
  }

  @Test
  void bronzeHoldsTheApiBytesAndAManifestWrittenLast() throws Exception {
    List<StoredObject> objects = pipeline.objects().list(pipeline.config().bronzeBucket(), "breweries/");
    assertEquals(31, objects.size());
    StoredObject manifest = objects.stream().filter(o -> o.id().fileName().equals("_SUCCESS")).findFirst().orElseThrow();
    for (StoredObject o : objects) {
      assertTrue(o.generation() <= manifest.generation(), o.id() + " written before the manifest");
    }
    StoredObject page1 = objects.stream().filter(o -> o.id().fileName().equals("page-00001.json")).findFirst().orElseThrow();
    String expected = data.subList(0, 100).stream().map(GeneratedRecord::json).collect(Collectors.joining(",", "[", "]"));
    assertEquals(expected, new String(pipeline.objects().readAllBytes(page1.id()), StandardCharsets.UTF_8));
    assertEquals(RUN, page1.metadata().get(BronzeLayout.RUN_ID));
  }

  @Test
  void silverRowsAndRejectsAreWhatTheGeneratorExpects() throws Exception {
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    Map<String, Long> expectedReasons = new TreeMap<>();
    for (GeneratedRecord b : data) {
      if (b.expected() instanceof Expected.Clean c) {
        expected.put(c.string("brewery_id"), c.row());
      } else {
        expectedReasons.merge(((Expected.Reject) b.expected()).reason(), 1L, Long::sum);
      }
    }
    QueryResult silver = pipeline.warehouse().read("select * from silver_brewing.breweries");
    Map<String, Map<String, Object>> actual = new TreeMap<>();
    for (List<Object> row : silver.rows()) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (String column : expected.values().iterator().next().keySet()) {
        values.put(column, row.get(silver.columns().indexOf(column)));
      }
      actual.put((String) values.get("brewery_id"), values);
      assertEquals(RUN, row.get(silver.columns().indexOf("_run_id")));
    }
    assertEquals(expected, actual);

    Map<String, Long> actualReasons = new TreeMap<>();
    try (Stream<Path> files = Files.walk(pipeline.layout().buckets().resolve(pipeline.config().stagingBucket()))) {
      for (Path f : files.filter(p -> p.getFileName().toString().equals("rejects.ndjson")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            actualReasons.merge(JsonParser.parseString(line).getAsJsonObject().get("reason").getAsString(), 1L, Long::sum);
          }
        }
      }
    }
    assertEquals(expectedReasons, actualReasons);
    assertEquals(5, actualReasons.size(), "the generated data exercises every reject reason");
  }

  @Test
  void everyGoldTableEqualsAnIndependentComputation() throws Exception {
    List<Expected.Clean> clean = data.stream().map(GeneratedRecord::expected)
        .filter(Expected.Clean.class::isInstance).map(Expected.Clean.class::cast).toList();

    // dim_breweries: one row per brewery with its flags.
    Map<String, List<Object>> dim = new TreeMap<>();
    for (Expected.Clean c : clean) {
      String type = c.string("brewery_type");
      dim.put(c.string("brewery_id"), List.of(
          c.value("website_url") != null, c.value("latitude") != null && c.value("longitude") != null,
          "closed".equals(type), type != null && KNOWN_TYPES.contains(type)));
    }
    Map<String, List<Object>> dimActual = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read(
        "select brewery_id, has_website, has_coordinates, is_closed, is_known_type from gold_brewing.dim_breweries").rows()) {
      dimActual.put((String) r.get(0), r.subList(1, 5));
    }
    assertEquals(dim, dimActual);

    // breweries_by_location: counts and shares per (country, state, type).
    Map<List<String>, Long> byLocation = new HashMap<>();
    Map<String, Long> byCountry = new HashMap<>();
    for (Expected.Clean c : clean) {
      byLocation.merge(Arrays3.key(c.string("country"), c.string("state_province"), c.string("brewery_type")), 1L, Long::sum);
      byCountry.merge(Objects.toString(c.string("country")), 1L, Long::sum);
    }
    Map<List<String>, List<Object>> locExpected = new HashMap<>();
    byLocation.forEach((k, n) -> locExpected.put(k, List.of(n, ratio(n, byCountry.get(Objects.toString(k.get(0)))), ratio(n, clean.size()))));
    Map<List<String>, List<Object>> locActual = new HashMap<>();
    for (List<Object> r : pipeline.warehouse().read(
        "select country, state_province, brewery_type, brewery_count, share_of_country, share_of_total from gold_brewing.breweries_by_location").rows()) {
      locActual.put(Arrays3.key((String) r.get(0), (String) r.get(1), (String) r.get(2)), List.of(r.get(3), r.get(4), r.get(5)));
    }
    assertEquals(locExpected, locActual);

    // country_summary: per country counts, shares and rank.
    Map<String, long[]> perCountry = new HashMap<>();
    for (Expected.Clean c : clean) {
      long[] v = perCountry.computeIfAbsent(Objects.toString(c.string("country")), k -> new long[5]);
      boolean closed = "closed".equals(c.string("brewery_type"));
      v[0]++;
      v[1] += closed ? 0 : 1;
      v[2] += closed ? 1 : 0;
      v[3] += c.value("website_url") != null ? 1 : 0;
      v[4] += c.value("latitude") != null && c.value("longitude") != null ? 1 : 0;
    }
    Map<String, List<Object>> summaryExpected = new HashMap<>();
    perCountry.forEach((country, v) -> {
      long rank = 1 + perCountry.values().stream().filter(o -> o[0] > v[0]).count();
      summaryExpected.put(country, List.of(v[0], v[1], v[2], v[3], v[4], ratio(v[3], v[0]), ratio(v[4], v[0]), rank));
    });
    Map<String, List<Object>> summaryActual = new HashMap<>();
    for (List<Object> r : pipeline.warehouse().read("select * from gold_brewing.country_summary").rows()) {
      summaryActual.put(Objects.toString(r.get(0)), new ArrayList<>(r.subList(1, 9)));
    }
    assertEquals(summaryExpected, summaryActual);
  }

  @Test
  void everyEventDeliveredTwice_changesNoTable() throws Exception {
    Map<String, List<List<Object>>> before = snapshot();
    MedallionConfig config = pipeline.config();
    // The run request again (same run id), every bronze object's finalize again, the load's completion again.
    pipeline.publish(config.runRequestsTopic(), OutboundMessage.json(new RunRequest("breweries", RUN, null, null).toJson(), Map.of()));
    for (StoredObject o : pipeline.objects().list(config.bronzeBucket(), "breweries/")) {
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(o));
    }
    String loadJob = (String) pipeline.warehouse().read(
        "select job_id from ops.run_ledger where stage = 'silver' and status = 'succeeded' and run_id = @run", Map.of("run", RUN)).scalar();
    JobStatus job = pipeline.warehouse().job(loadJob).orElseThrow();
    pipeline.publish(config.bqJobsTopic(), OutboundMessage.json(
        AuditLogEntries.jobDone(config.project(), job, List.of("gs://x/rows.ndjson"), "test"), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
    assertEquals(before, snapshot());
  }

  @Test
  void everyEventDeliveredAgainInReverseOrder_changesNoTable() throws Exception {
    Map<String, List<List<Object>>> before = snapshot();
    MedallionConfig config = pipeline.config();
    // Last first: the load's completion, the manifest, then the pages from the last, then the request.
    String loadJob = (String) pipeline.warehouse().read(
        "select job_id from ops.run_ledger where stage = 'silver' and status = 'succeeded' and run_id = @run", Map.of("run", RUN)).scalar();
    pipeline.publish(config.bqJobsTopic(), OutboundMessage.json(AuditLogEntries.jobDone(
        config.project(), pipeline.warehouse().job(loadJob).orElseThrow(), List.of("gs://x/rows.ndjson"), "test"), Map.of()));
    List<StoredObject> objects = new java.util.ArrayList<>(pipeline.objects().list(config.bronzeBucket(), "breweries/"));
    objects.sort(java.util.Comparator.comparing((StoredObject o) -> o.id().name()).reversed()); // _SUCCESS sorts first
    for (StoredObject o : objects) {
      pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(o));
    }
    pipeline.publish(config.runRequestsTopic(), OutboundMessage.json(new RunRequest("breweries", RUN, null, null).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(2)));
    assertEquals(before, snapshot());
  }

  private static Map<String, List<List<Object>>> snapshot() throws Exception {
    Map<String, List<List<Object>>> tables = new TreeMap<>();
    for (String t : List.of("silver_brewing.breweries", "gold_brewing.dim_breweries", "gold_brewing.breweries_by_location", "gold_brewing.country_summary", "ops.run_ledger")) {
      tables.put(t, pipeline.warehouse().read("select * from " + t + " order by all").rows());
    }
    tables.put("jobs", List.of(List.of(count("select count(*) from _medallion.jobs"))));
    return tables;
  }

  private static long count(String sql) throws Exception {
    return ((Number) pipeline.warehouse().read(sql).scalar()).longValue();
  }

  private static double ratio(long n, long total) {
    return BigDecimal.valueOf(n).divide(BigDecimal.valueOf(total), 4, RoundingMode.HALF_UP).doubleValue();
  }

  /** Keys with nulls, which List.of refuses. */
  private static final class Arrays3 {
    static List<String> key(String a, String b, String c) {
      return java.util.Arrays.asList(a, b, c);
    }
  }

}
