package io.medallion.gcp.monitoring;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.monitoring.v3.MetricServiceSettings;
import io.medallion.port.Lazy;
import io.medallion.port.MeterExport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.stackdriver.StackdriverConfig;
import io.micrometer.stackdriver.StackdriverMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Meters to Cloud Monitoring through Micrometer's {@link StackdriverMeterRegistry}, one registry
 * per invocation.
 *
 * <p>Why one per invocation: the Stackdriver registry is a step registry whose publisher runs on a
 * background thread every step, and an idle Cloud Run instance gets no CPU, so counts would wait
 * for the next event or be lost when the instance is reclaimed. Closing a step registry rolls the
 * partial step over and publishes it (Micrometer 1.11+), so {@link #flush()} closes the current
 * registry, which sends exactly what this invocation recorded, and the next {@link #registry()}
 * opens a fresh one. The registry (and its Monitoring client) is created on first use, never at
 * class load. The price: each flush opens a client and lists the project's metric descriptors
 * once (Micrometer remembers them per registry); the credentials are shared.
 *
 * <p>Metric types: {@code custom.googleapis.com/} + the meter name with dots as slashes
 * ({@code medallion.records} becomes {@code custom.googleapis.com/medallion/records}), tags as
 * metric labels, resource type {@code generic_task} (see below); timers are DISTRIBUTION series
 * plus {@code /max} and {@code /count}.
 *
 * <p>Cloud Monitoring accepts one point per time series every 5 seconds: series carry the instance
 * as a {@code generic_task} resource ({@code job} = the service, {@code task_id} = this instance),
 * and a flush within {@link #MIN_INTERVAL} of the last one keeps the registry open, so its points
 * go out with the next invocation's flush instead of being refused.
 *
 * <p>With concurrency above 1 per instance, a meter recorded by one event while another flushes
 * may land in the closed registry and be dropped; deploy with concurrency 1 (the default for
 * event-driven functions) to keep every point.
 */
public final class StackdriverMeterExport implements MeterExport {

  private static final Logger LOG = Logger.getLogger(StackdriverMeterExport.class.getName());

  /** Cloud Monitoring's minimum sampling period per series is 5 s; keep a margin. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(6);

  private final Supplier<MeterRegistry> factory;
  private final Clock clock;
  private MeterRegistry current;
  private Instant lastFlush = Instant.MIN;

  /**
   * Exports to {@code project}'s Cloud Monitoring with application default credentials, as task
   * {@code instance} of job {@code service}.
   */
  public static StackdriverMeterExport forProject(String project, String service, String instance) {
    // One credentials object for all the per-flush clients, so its access token is fetched once
    // and refreshed, not fetched again from the metadata server at every flush.
    Lazy<CredentialsProvider> credentials = Lazy.of(() -> {
      try {
        return FixedCredentialsProvider.create(
            GoogleCredentials.getApplicationDefault().createScoped(MetricServiceSettings.getDefaultServiceScopes()));
      } catch (IOException e) {
        throw new UncheckedIOException("No application default credentials for Cloud Monitoring", e);
      }
    });
    StackdriverConfig config = config(project, true, Map.of(
        "project_id", project, "location", "global", "namespace", "medallion", "job", service, "task_id", instance));
    return new StackdriverMeterExport(
        () -> StackdriverMeterRegistry.builder(config)
            .metricServiceSettings(() -> MetricServiceSettings.newBuilder().setCredentialsProvider(credentials.get()).build())
            .build(),
        Clock.systemUTC());
  }

  /** For tests: whatever registry {@code factory} builds, one per flush. */
  public StackdriverMeterExport(Supplier<MeterRegistry> factory, Clock clock) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The registry configuration: {@code enabled=false} builds it offline (no client, nothing sent).
   * The step is long on purpose: {@link #flush()} publishes, not the background thread.
   */
  public static StackdriverConfig config(String project, boolean enabled, Map<String, String> resourceLabels) {
    Objects.requireNonNull(project, "project");
    return new StackdriverConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public String projectId() {
        return project;
      }

      @Override
      public boolean enabled() {
        return enabled;
      }

      @Override
      public String resourceType() {
        return "generic_task";
      }

      @Override
      public Map<String, String> resourceLabels() {
        return resourceLabels;
      }

      @Override
      public Duration step() {
        return Duration.ofMinutes(10);
      }

      @Override
      public boolean useSemanticMetricTypes() {
        return true; // counters as CUMULATIVE, so Monitoring aligns them as rates
      }
    };
  }

  @Override
  public synchronized MeterRegistry registry() {
    if (current == null || current.isClosed()) {
      current = factory.get();
    }
    return current;
  }

  @Override
  public synchronized void flush() {
    MeterRegistry registry = current;
    Instant now = clock.instant();
    if (registry == null || Duration.between(lastFlush, now).compareTo(MIN_INTERVAL) < 0) {
      return; // sent with the next flush (see the class comment)
    }
    current = null;
    lastFlush = now;
    try {
      registry.close();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not send metrics to Cloud Monitoring; this invocation's points are lost", e);
    }
  }
}
