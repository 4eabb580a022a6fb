package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.PubSubMessage;
import io.medallion.gold.GoldStep;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.metrics.Metrics;
import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import io.medallion.ledger.RunSummary;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gold's reaction to completion entries that must not build gold. */
class GoldStepTest {

  @TempDir Path home;
  LocalPipeline pipeline;
  GoldStep gold;

  @BeforeEach
  void start() throws Exception {
    MedallionConfig config = MedallionConfig.defaults();
    pipeline = new LocalPipeline(config, home, SubscriptionPolicy.DEFAULT, l -> l, Clock.systemUTC());
    Ports ports = new Ports(pipeline.objects(), pipeline.bus(), pipeline.warehouse(), pipeline.ledger());
    gold = new GoldStep(config, ports, SourceRegistry.standard(), Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private static PubSubMessage entry(JobStatus.JobType type, String error, Map<String, String> labels) {
    JobStatus job = new JobStatus("job_1", type, JobStatus.JobState.DONE, error, labels, new TableId("silver_brewing", "breweries"),
        0, Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:01Z"));
    String json = AuditLogEntries.jobDone("medallion-local", job, List.of(), "t");
    return new PubSubMessage("m1", json.getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
  }

  private static final Map<String, String> OURS =
      Map.of("pipeline", "medallion", "layer", "silver", "source", "breweries", "run_id", "r1");

  @Test
  void queryJobCompletion_isIgnoredAndRunsNothing() throws Exception {
    assertEquals(GoldStep.Outcome.IGNORED, gold.handle(entry(JobStatus.JobType.QUERY, null,
        Map.of("pipeline", "medallion", "layer", "gold", "source", "breweries", "run_id", "r1"))));
    assertEquals(0L, ((Number) pipeline.warehouse().read("select count(*) from _medallion.jobs").scalar()).longValue());
  }

  @Test
  void loadOfAnotherPipeline_isIgnored() throws Exception {
    assertEquals(GoldStep.Outcome.IGNORED, gold.handle(entry(JobStatus.JobType.IMPORT, null, Map.of("pipeline", "other"))));
    assertTrue(pipeline.ledger().recentRuns(5).isEmpty());
  }

  @Test
  void failedLoad_isRecordedOnceWithItsErrorAndBuildsNothing() throws Exception {
    PubSubMessage failed = entry(JobStatus.JobType.IMPORT, "JSON table encountered too many errors", OURS);
    assertEquals(GoldStep.Outcome.LOAD_FAILED, gold.handle(failed));
    assertEquals(GoldStep.Outcome.LOAD_FAILED, gold.handle(failed));
    List<RunEvent> events = pipeline.ledger().events("r1");
    assertEquals(1, events.size());
    assertEquals(Stage.SILVER_LOAD, events.get(0).stage());
    assertEquals(Status.FAILED, events.get(0).status());
    assertTrue(events.get(0).error().contains("too many errors"));
  }

  @Test
  void entryThatIsNotALogEntry_isKeptInDeadLetters() throws Exception {
    PubSubMessage junk = new PubSubMessage("m9", "not json".getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
    assertEquals(GoldStep.Outcome.IGNORED, gold.handle(junk));
    assertTrue(pipeline.awaitIdle(Duration.ofSeconds(30)));
    var letters = pipeline.deadLetters().list();
    assertEquals(1, letters.size());
    assertTrue(letters.get(0).message().attributes().get("medallion_error").contains("not valid JSON"));
  }

  @Test
  void sourceWithoutChecks_recordsAPassingVerdict_soItsRunsCanSucceed() throws Exception {
    PipelineRuns.drop(pipeline, "breweries/manual/a.ndjson", "{\"id\":\"a-1\",\"name\":\"A\",\"country\":\"Ireland\"}\n");
    GoldStep unchecked = new GoldStep(MedallionConfig.defaults(),
        new Ports(pipeline.objects(), pipeline.bus(), pipeline.warehouse(), pipeline.ledger()),
        new SourceRegistry(withoutChecks(io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow())), Clock.systemUTC());
    Map<String, String> labels = Map.of("pipeline", "medallion", "layer", "silver", "source", "breweries", "run_id", "r2");

    assertEquals(GoldStep.Outcome.BUILT, unchecked.handle(entry(JobStatus.JobType.IMPORT, null, labels)));

    RunSummary summary = RunSummary.of("r2", pipeline.ledger().events("r2"));
    assertEquals(Status.SUCCEEDED, summary.gold(), summary.toString());
    assertEquals(Status.SUCCEEDED, summary.dq(), summary.toString());
  }

  /**
   * On GCP the load job is silver's and gold has no {@code bigquery.jobs.get} on it: gold takes the
   * load's times from the completion entry and never looks the job up.
   */
  @Test
  void loadJobOfAnotherIdentity_isNotLookedUp_andItsDurationComesFromTheEntry() throws Exception {
    PipelineRuns.drop(pipeline, "breweries/manual/a.ndjson", "{\"id\":\"a-1\",\"name\":\"A\",\"country\":\"Ireland\"}\n");
    String loadJobId = "silver_load_of_another_identity";
    Warehouse local = pipeline.warehouse();
    Warehouse deniesTheLoadJob = new Warehouse() {
      @Override public JobStatus load(LoadJob job) throws IOException { return local.load(job); }
      @Override public JobStatus query(QueryJob job) throws IOException { return local.query(job); }
      @Override public Optional<io.medallion.schema.TableSchema> tableSchema(TableId table) throws IOException {
        return local.tableSchema(table);
      }
      @Override public Optional<io.medallion.schema.SchemaDiff> schemaDiff(TableId table,
          io.medallion.schema.TableSchema declared) throws IOException {
        return local.schemaDiff(table, declared);
      }
      @Override public QueryResult read(String sql, Map<String, Object> parameters) throws IOException {
        return local.read(sql, parameters);
      }

      @Override
      public io.medallion.port.GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled)
          throws IOException {
        return local.readGuarded(sql, parameters, maximumBytesBilled);
      }

      @Override
      public Optional<java.time.Instant> lastModified(io.medallion.port.TableId table) throws IOException {
        return local.lastModified(table);
      }
      @Override public Optional<JobStatus> job(String jobId) throws IOException {
        if (jobId.equals(loadJobId)) {
          throw new IOException("Cannot look up BigQuery job " + jobId + ": Access Denied: User does not have"
              + " bigquery.jobs.get permission for job " + jobId);
        }
        return local.job(jobId);
      }
    };
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    GoldStep gcpLike = new GoldStep(MedallionConfig.defaults(),
        new Ports(pipeline.objects(), pipeline.bus(), deniesTheLoadJob, pipeline.ledger(), Metrics.of(meters)),
        SourceRegistry.standard(), Clock.systemUTC());
    JobStatus load = new JobStatus(loadJobId, JobStatus.JobType.IMPORT, JobStatus.JobState.DONE, null,
        Map.of("pipeline", "medallion", "layer", "silver", "source", "breweries", "run_id", "r3"),
        new TableId("silver_brewing", "breweries"), 1, Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:07.250Z"));
    PubSubMessage completion = new PubSubMessage("m3",
        AuditLogEntries.jobDone("medallion-local", load, List.of(), "silver@local").getBytes(StandardCharsets.UTF_8),
        Map.of(), Instant.now());

    assertEquals(GoldStep.Outcome.BUILT, gcpLike.handle(completion));

    Timer loadDuration = meters.find(Metrics.JOB_DURATION).tag("kind", "load").timer();
    assertTrue(loadDuration != null, "a load duration was recorded");
    assertEquals(1, loadDuration.count());
    assertEquals(7250.0, loadDuration.totalTime(TimeUnit.MILLISECONDS), 0.001, "createTime to endTime of the entry");
    assertEquals(Status.SUCCEEDED, RunSummary.of("r3", pipeline.ledger().events("r3")).gold());
  }

  /** A source exactly like {@code delegate} but with no data-quality checks. */
  private static Source withoutChecks(Source d) {
    return new Source(d.name(), d.domain(), d.description(), d.docs(), d.schedule(), d.client(), d.resources(),
        new Source.Gold(d.gold().models(), List.of(), d.gold().mainTable(), d.gold().mainOrder(), d.gold().needs(),
            d.gold().freshnessHours(), d.gold().materializations(), d.gold().api()), d.replay(), d.files(),
        d.file(), d.drops(), d.push());
  }
}
