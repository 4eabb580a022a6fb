package io.medallion.metrics;

import io.medallion.logging.LogContext;
import io.medallion.port.MeterExport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The pipeline's meters, by their contract names (the README's metric table and the dashboards in
 * {@code terraform/observability.tf} use these names: keep them).
 *
 * <p>Tags are low-cardinality on purpose (layer, stage, source, reason, outcome, check): run ids
 * belong to logs, the ledger and job labels, not to time series.
 */
public final class Metrics {

  public static final String RECORDS = "medallion.records";
  public static final String BYTES = "medallion.bytes";
  public static final String REJECTS = "medallion.rejects";
  public static final String STAGE_DURATION = "medallion.stage.duration";
  public static final String JOB_DURATION = "medallion.job.duration";
  public static final String RETRIES = "medallion.retries";
  public static final String DEAD_LETTERS = "medallion.dead_letters";
  public static final String RUN_LATENCY = "medallion.run.latency";
  public static final String DQ_FAILURES = "medallion.dq.failures";
  /** A gauge: how many distinct unknown fields the source's latest silver load met. */
  public static final String UNKNOWN_FIELDS = "medallion.silver.unknown_fields";
  public static final String WEBHOOK_REFUSALS = "medallion.webhook.refusals";
  /** Freshness SLI events per domain (io.medallion.slo.FreshnessDays): fresh days, and days counted. */
  public static final String SLO_FRESHNESS_GOOD = "medallion.slo.freshness.good";
  public static final String SLO_FRESHNESS_TOTAL = "medallion.slo.freshness.total";
  /** Quality SLI events per domain: passing data-quality check results, and check results. */
  public static final String SLO_QUALITY_GOOD = "medallion.slo.quality.good";
  public static final String SLO_QUALITY_TOTAL = "medallion.slo.quality.total";

  /** The source tag of work whose source is not known (an event that named none). */
  public static final String UNKNOWN = "unknown";

  private final MeterExport export;

  public Metrics(MeterExport export) {
    this.export = Objects.requireNonNull(export, "export");
  }

  /** Meters kept in memory and never sent anywhere: for tests and for ports built by hand. */
  public static Metrics inMemory() {
    return of(new SimpleMeterRegistry());
  }

  /** Meters recorded into {@code registry}; flushing does nothing. */
  public static Metrics of(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return new Metrics(new MeterExport() {
      @Override
      public MeterRegistry registry() {
        return registry;
      }

      @Override
      public void flush() {}
    });
  }

  public MeterRegistry registry() {
    return export.registry();
  }

  /** Records read into a layer (bronze: API records; silver: rows loaded; gold: rows built). */
  public void records(String layer, String source, long n) {
    registry().counter(RECORDS, "layer", layer, "source", tag(source)).increment(n);
  }

  public void bytes(String layer, String source, long n) {
    registry().counter(BYTES, "layer", layer, "source", tag(source)).increment(n);
  }

  public void rejects(String source, String reason, long n) {
    registry().counter(REJECTS, "source", tag(source), "reason", reason).increment(n);
  }

  /** How long one invocation of a stage took, and how it ended. */
  public void stage(String stage, String source, String outcome, Duration took) {
    timer(STAGE_DURATION, "stage", stage, "source", tag(source), "outcome", outcome).record(took);
  }

  /** How long a warehouse job ran: {@code kind} is {@code load} or {@code query}. */
  public void job(String kind, String source, Duration took) {
    timer(JOB_DURATION, "kind", kind, "source", tag(source)).record(took);
  }

  public void retry(String stage, String source) {
    registry().counter(RETRIES, "stage", stage, "source", tag(source)).increment();
  }

  public void deadLetter(String stage, String source) {
    registry().counter(DEAD_LETTERS, "stage", stage, "source", tag(source)).increment();
  }

  /** From the run's first ledger event (its request) to gold done. */
  public void runLatency(String source, Duration took) {
    timer(RUN_LATENCY, "source", tag(source)).record(took);
  }

  /**
   * How many distinct fields no column read in the source's latest silver load: a gauge, so an
   * alert fires while a source sends fields its schema does not name, and clears once it is
   * changed (or the fields dropped).
   */
  public void unknownFields(String source, long distinctFields) {
    unknownFieldGauges.computeIfAbsent(tag(source), s -> {
      java.util.concurrent.atomic.AtomicLong value = new java.util.concurrent.atomic.AtomicLong();
      registry().gauge(UNKNOWN_FIELDS, java.util.List.of(io.micrometer.core.instrument.Tag.of("source", s)), value);
      return value;
    }).set(distinctFields);
  }

  private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> unknownFieldGauges =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Failing rows of one data-quality check. */
  public void dqFailures(String check, String source, long failingRows) {
    registry().counter(DQ_FAILURES, "check", check, "source", tag(source)).increment(failingRows);
  }

  /**
   * A request the webhook refused, by reason (its answer's {@code code}: {@code BAD_SIGNATURE},
   * {@code BODY_TOO_LARGE}, ...). {@code source} is a declared source or {@link #UNKNOWN}, never the
   * text of the path, so posts to made-up names cannot multiply the series.
   */
  public void webhookRefusal(String source, String reason) {
    registry().counter(WEBHOOK_REFUSALS, "source", tag(source), "reason", reason).increment();
  }

  /**
   * Freshness days a gold build settled for {@code domain}: {@code good} of {@code total} were
   * fresh. The good counter is incremented (by 0 too) whenever the total is, so the SLO's ratio
   * finds both series (terraform/slo.tf).
   */
  public void sloFreshness(String domain, long good, long total) {
    registry().counter(SLO_FRESHNESS_GOOD, "domain", tag(domain)).increment(good);
    registry().counter(SLO_FRESHNESS_TOTAL, "domain", tag(domain)).increment(total);
  }

  /** Data-quality check results of {@code domain}: {@code good} of {@code total} passed. */
  public void sloQuality(String domain, long good, long total) {
    registry().counter(SLO_QUALITY_GOOD, "domain", tag(domain)).increment(good);
    registry().counter(SLO_QUALITY_TOTAL, "domain", tag(domain)).increment(total);
  }

  /** Sends what was recorded; see {@link MeterExport#flush()}. */
  public void flush() {
    export.flush();
  }

  /**
   * Times one invocation of {@code stage}: {@link Invocation#close()} records its duration (the
   * source is what the step put in the {@link LogContext}) and flushes. An invocation closed
   * without an outcome ended with an exception: {@code error}.
   */
  public Invocation invocation(String stage) {
    return new Invocation(stage, System.nanoTime());
  }

  /** One timed invocation; see {@link #invocation}. */
  public final class Invocation implements AutoCloseable {
    private final String stage;
    private final long startNanos;
    private String outcome = "error";

    private Invocation(String stage, long startNanos) {
      this.stage = stage;
      this.startNanos = startNanos;
    }

    /** How the invocation ended, e.g. {@code loaded}, {@code ignored}, {@code invalid}. */
    public void outcome(String outcome) {
      this.outcome = outcome.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
      try {
        stage(stage, LogContext.source(), outcome, Duration.ofNanos(System.nanoTime() - startNanos));
      } finally {
        flush();
      }
    }
  }

  private Timer timer(String name, String... tags) {
    return Timer.builder(name).tags(tags).register(registry());
  }

  private static String tag(String source) {
    return source == null || source.isBlank() ? UNKNOWN : source;
  }
}
