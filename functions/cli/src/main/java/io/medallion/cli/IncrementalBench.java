package io.medallion.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.port.JobStatus;
import io.medallion.port.Labels;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.TableId;
import io.medallion.silver.SilverTransform;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code medallion bench --incremental}: a year of daily breweries runs (the whole list each day,
 * about 1% of it changed), built by the real gold function as declared (dim_breweries incremental,
 * dim_breweries_history a snapshot) and, on the measured days, all models rebuilt whole from silver
 * as a table-only pipeline would. It reports what each gold build reads (the warehouse's bytes
 * processed and billed: BigQuery's own counting on GCP, locally the estimate made the way BigQuery
 * bills) and checks that the incremental tables equal the full rebuild's.
 *
 * <p>Silver is written as silver writes it (the real transform, one load job a day, the ledger
 * events silver records) with each day's {@code _ingested_at}; gold runs on the load's completion
 * as in the pipeline, on a clock set to the day.
 */
final class IncrementalBench {

  /** A day's measurement: what the incremental build and the full rebuild read. */
  record Day(int day, long silverRows, Cost incremental, Cost full, List<String> differences) {}

  /** Bytes processed and billed, summed over a build's jobs; null parts are unknown. */
  record Cost(Long processed, Long billed, Long rowsRead, Map<String, Long> billedByModel) {}

  private final int days;
  private final int breweries;
  private final double changeShare;
  private final long seed;
  private final SortedSet<Integer> measured;

  IncrementalBench(int days, int breweries, double changeShare, long seed, SortedSet<Integer> measured) {
    if (days < 1 || breweries < 1 || changeShare < 0 || changeShare > 1) {
      throw new IllegalArgumentException("days and breweries at least 1, a change share in 0..1");
    }
    this.days = days;
    this.breweries = breweries;
    this.changeShare = changeShare;
    this.seed = seed;
    this.measured = new TreeSet<>(measured.stream().filter(d -> d >= 1 && d <= days).toList());
    this.measured.add(days);
  }

  /** The measured days, the last always among them: 1, 2, 30 and the last by default. */
  static SortedSet<Integer> defaultDays(int days) {
    return new TreeSet<>(List.of(1, 2, 30, days));
  }

  List<Day> run(Path home, PrintStream progress) throws Exception {
    Source source = SourceRegistry.standard().find("breweries").orElseThrow();
    Source.Resource resource = source.resources().get(0);
    List<String> records = new ArrayList<>();
    for (GeneratedRecord r : RecordGenerator.forSource(source).generate(breweries, seed).records(resource.name())) {
      records.add(r.json());
    }
    LocalDate first = LocalDate.now(ZoneOffset.UTC).minusDays(days - 1L);
    DayClock clock = new DayClock(first.atTime(6, 0).toInstant(ZoneOffset.UTC));
    SubscriptionPolicy policy = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    MedallionConfig config = MedallionConfig.defaults();
    Random random = new Random(seed);
    List<Day> out = new ArrayList<>();
    try (LocalPipeline p = new LocalPipeline(config, home, policy, l -> l, clock)) {
      SilverTransform transform = new SilverTransform(source.silverSchema(resource.silverTable()), resource.silver());
      TableId silver = new TableId(config.silverDataset(source), resource.silverTable());
      for (int day = 1; day <= days; day++) {
        if (day > 1) {
          change(records, random, day);
        }
        Instant ingestedAt = first.plusDays(day - 1L).atTime(6, 0).toInstant(ZoneOffset.UTC);
        clock.set(ingestedAt.plusSeconds(60));
        String runId = String.format("bench-day-%03d", day);
        load(p, transform, source, silver, runId, ingestedAt, records);
        if (!p.awaitIdle(Duration.ofMinutes(10))) {
          throw new IOException("day " + day + ": the gold build did not finish in 10 minutes");
        }
        clock.set(ingestedAt.plusSeconds(120));
        if (measured.contains(day)) {
          Cost incremental = incrementalCost(p, runId);
          List<FullRebuild.Built> whole = FullRebuild.build(p.warehouse(), source, config.silverDataset(source), "gold_full",
              "day" + day);
          Cost full = sum(whole, p.warehouse().rowsRead(whole.stream().map(FullRebuild.Built::jobId).toList()).orElse(null));
          List<String> differences = FullRebuild.differences(p.warehouse(), source, config.goldDataset(source), "gold_full");
          long silverRows = ((Number) p.warehouse().read("select count(*) from " + silver.sql()).scalar()).longValue();
          Day d = new Day(day, silverRows, incremental, full, differences);
          out.add(d);
          progress.printf("  day %3d: silver %,d rows; gold reads, incremental %s rows %s billed, full rebuild %s rows %s billed%s%n",
              day, silverRows, count(incremental.rowsRead()), human(incremental.billed()), count(full.rowsRead()), human(full.billed()), differences.isEmpty() ? "; tables equal" : "; DIFFER: " + differences);
        }
      }
    }
    return out;
  }

  /** About {@code changeShare} of the breweries get a new name (and every 10th of those a new type): a day's changes. */
  private void change(List<String> records, Random random, int day) {
    int n = (int) Math.round(records.size() * changeShare);
    for (int k = 0; k < n; k++) {
      int i = random.nextInt(records.size());
      JsonObject o = JsonParser.parseString(records.get(i)).getAsJsonObject();
      String name = o.has("name") && !o.get("name").isJsonNull() ? o.get("name").getAsString() : "";
      int cut = name.indexOf(" (day ");
      o.addProperty("name", (cut < 0 ? name : name.substring(0, cut)) + " (day " + day + ")");
      if (k % 10 == 0) {
        o.addProperty("brewery_type", k % 20 == 0 ? "brewpub" : "micro");
      }
      records.set(i, o.toString());
    }
  }

  /** The day's silver rows through the real transform, then what silver does: its ledger event, one load job. */
  private static void load(LocalPipeline p, SilverTransform transform, Source source, TableId silver, String runId,
      Instant ingestedAt, List<String> records) throws Exception {
    ObjectId bronze = new ObjectId(p.config().bronzeBucket(), "breweries/bench/" + runId + ".ndjson");
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    ByteArrayOutputStream rejects = new ByteArrayOutputStream();
    SilverTransform.Counts counts;
    try (SilverTransform.Load load = transform.new Load(rows, rejects)) {
      load.read(new ByteArrayInputStream(String.join("\n", records).getBytes(StandardCharsets.UTF_8)),
          new SilverTransform.Lineage(runId, bronze.uri(), 1, ingestedAt));
      counts = load.counts();
    }
    ObjectId staged = new ObjectId(p.config().stagingBucket(), "breweries/bench/" + runId + "/rows.ndjson");
    p.objects().createIfAbsent(staged, "application/x-ndjson", Map.of(), rows.toByteArray());
    String jobId = "medallion_silver_load_" + runId.replace('-', '_');
    p.ledger().record(RunEvent.of(runId, source.name(), Stage.SILVER, Status.SUCCEEDED).key("1")
        .records(counts.records()).rows(counts.rows()).rejects(counts.rejects()).jobId(jobId).objectUri(bronze.uri())
        .watermark(ingestedAt.toString()).at(ingestedAt.plusSeconds(30)));
    JobStatus job = p.warehouse().load(new LoadJob(jobId, List.of(staged), silver, source.silverSchema(silver.table()),
        Map.of(Labels.PIPELINE, Labels.PIPELINE_NAME, Labels.LAYER, "silver", "source", source.name(), "run_id", runId)));
    if (job.error() != null) {
      throw new IOException(runId + ": the load failed: " + job.error());
    }
  }

  /** What the run's gold build cost: its models' checkpoints (a model's jobs summed there). */
  private static Cost incrementalCost(LocalPipeline p, String runId) throws IOException {
    Long processed = 0L;
    Long billed = 0L;
    Map<String, Long> byModel = new TreeMap<>();
    boolean built = false;
    for (RunEvent e : p.ledger().events(runId)) {
      if (e.stage() == Stage.GOLD && e.status() == Status.CHECKPOINT && e.objectUri() != null) {
        built = true;
        processed = e.bytesProcessed() == null || processed == null ? null : processed + e.bytesProcessed();
        billed = e.bytesBilled() == null || billed == null ? null : billed + e.bytesBilled();
        byModel.put(e.objectUri(), e.bytesBilled());
      }
    }
    if (!built) {
      throw new IOException(runId + ": gold built no model (see ./medallion status " + runId + ")");
    }
    return new Cost(processed, billed, p.warehouse().rowsReadOfRun(runId, "gold").orElse(null), byModel);
  }

  private static Cost sum(List<FullRebuild.Built> built, Long rowsRead) {
    Long processed = 0L;
    Long billed = 0L;
    Map<String, Long> byModel = new TreeMap<>();
    for (FullRebuild.Built b : built) {
      processed = b.bytesProcessed() == null || processed == null ? null : processed + b.bytesProcessed();
      billed = b.bytesBilled() == null || billed == null ? null : billed + b.bytesBilled();
      byModel.put("gold." + b.model(), b.bytesBilled());
    }
    return new Cost(processed, billed, rowsRead, byModel);
  }

  static String count(Long n) {
    return n == null ? "unknown" : String.format("%,d", n);
  }

  static String human(Long bytes) {
    if (bytes == null) {
      return "unknown";
    }
    return bytes >= 1L << 30 ? String.format("%.2f GiB", bytes / (double) (1L << 30))
        : bytes >= 1L << 20 ? String.format("%.1f MiB", bytes / (double) (1L << 20))
        : String.format("%,d B", bytes);
  }

  /** A clock the bench sets to each simulated day: gold's checks and ledger times follow it. */
  static final class DayClock extends Clock {
    private volatile Instant now;

    DayClock(Instant start) {
      this.now = start;
    }

    void set(Instant at) {
      now = at;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
