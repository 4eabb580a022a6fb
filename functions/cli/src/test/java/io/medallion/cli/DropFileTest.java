package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.event.StorageEvents;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.StoredObject;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file a person copies into the bronze bucket goes through silver and gold on its own. */
class DropFileTest {

  @TempDir Path home;
  LocalPipeline pipeline;

  @BeforeEach
  void start() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(100)), l -> l, Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private List<RunEvent> drop(String name, String content) throws Exception {
    return pipeline.ledger().events(PipelineRuns.drop(pipeline, name, content));
  }

  @Test
  void droppedNdjson_isLoadedOnItsOwnAndReachesGold() throws Exception {
    List<RunEvent> events = drop("breweries/manual/fix.ndjson",
        "{\"id\":\"fix-1\",\"name\":\"Fixed Brewing\",\"brewery_type\":\"micro\",\"country\":\"Ireland\"}\n"
            + "{\"id\":\"fix-2\",\"name\":\"\"}\n");
    RunSummary s = RunSummary.of(events.get(0).runId(), events);
    assertTrue(s.succeeded(), s.toString());
    assertEquals(1, s.silverRows());
    assertEquals(1, s.rejects());
    assertTrue(s.reconciled());
    assertEquals(1L, ((Number) pipeline.warehouse().read(
        "select brewery_count from gold_brewing.country_summary where country = 'Ireland'").scalar()).longValue());
  }

  @Test
  void objectClaimingToBeAManifestWithoutARunId_isLoadedAsADrop() throws Exception {
    pipeline.objects().createIfAbsent(new io.medallion.port.ObjectId("medallion-bronze", "breweries/fake/_SUCCESS"),
        "application/json", Map.of(BronzeLayout.ROLE, BronzeLayout.ROLE_MANIFEST),
        "[{\"id\":\"m1\",\"name\":\"M\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
    String runId = pipeline.ledger().recentRuns(1).get(0);
    assertTrue(runId.startsWith("drop-"), runId);
    assertTrue(RunSummary.of(runId, pipeline.ledger().events(runId)).succeeded());
  }

  @Test
  void droppedFileOfUnknownSource_isRecordedAsFailedAndLoadsNothing() throws Exception {
    List<RunEvent> events = drop("nosuchsource/data.json", "[{\"id\":\"a\",\"name\":\"b\"}]");
    assertEquals(1, events.size());
    assertEquals(Status.FAILED, events.get(0).status());
    assertTrue(events.get(0).error().contains("no registered source 'nosuchsource'"), events.get(0).error());
  }

  @Test
  void malformedDrop_failsWithWhereAndWhyAndLeavesNoStagingOrRows() throws Exception {
    List<RunEvent> events = drop("breweries/broken.json", "[{\"id\":\"a\",\"name\":\"b\"},{\"id\":");
    RunEvent failed = events.stream().filter(e -> e.stage() == Stage.SILVER).findFirst().orElseThrow();
    assertEquals(Status.FAILED, failed.status());
    assertTrue(failed.error().contains("broken.json"), failed.error());
    assertTrue(pipeline.objects().list("medallion-silver-staging", "").isEmpty());
    assertTrue(Files.exists(pipeline.layout().buckets().resolve("medallion-bronze/breweries/broken.json")), "bronze keeps the file");
  }

  /** The MD5 of {@code content} in hex, as {@code md5sum} prints it. */
  private static String md5(String content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  private long count(LocalPipeline p, String sql) throws Exception {
    return ((Number) p.warehouse().read(sql).scalar()).longValue();
  }

  private static final String TWICE =
      "{\"id\":\"twice-1\",\"name\":\"Twice Brewing\",\"country\":\"Ireland\"}\n{\"id\":\"twice-2\",\"name\":\"Again\"}\n";

  @Test
  void sameBytesDroppedAgainUnderAnotherName_areRecognisedAndNotLoadedTwice() throws Exception {
    String first = PipelineRuns.drop(pipeline, "breweries/manual/x.ndjson", TWICE);
    assertTrue(RunSummary.of(first, pipeline.ledger().events(first)).succeeded());
    String second = PipelineRuns.drop(pipeline, "breweries/manual/y.ndjson", TWICE);
    assertNotEquals(first, second);
    List<RunEvent> events = pipeline.ledger().events(second);
    assertEquals(1, events.size(), events.toString());
    RunEvent ignored = events.get(0);
    assertEquals(Stage.SILVER, ignored.stage());
    assertEquals(Status.IGNORED, ignored.status());
    assertEquals("gs://medallion-bronze/breweries/manual/y.ndjson", ignored.objectUri());
    assertEquals("identical to gs://medallion-bronze/breweries/manual/x.ndjson (md5 " + md5(TWICE)
        + ") already loaded by run " + first, ignored.error());
    assertEquals(2, count(pipeline, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
    assertTrue(pipeline.objects().list("medallion-silver-staging", "breweries/run_id=" + second).isEmpty(),
        "recognised before any work");

    // The same name copied over again (a new generation) is the same bytes too.
    Path x = pipeline.layout().buckets().resolve("medallion-bronze/breweries/manual/x.ndjson");
    Files.setLastModifiedTime(x, FileTime.from(Files.getLastModifiedTime(x).toInstant().plusSeconds(1)));
    pipeline.objects().scanOnce();
    pipeline.objects().scanOnce();
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
    String third = pipeline.ledger().recentRuns(1).get(0);
    assertTrue(third.startsWith("drop-") && !third.equals(first) && !third.equals(second), third);
    assertEquals(Status.IGNORED, RunSummary.of(third, pipeline.ledger().events(third)).silver());
    assertEquals(2, count(pipeline, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
  }

  @Test
  void redeliveredFinalizeOfTheSameDrop_completesNormally() throws Exception {
    String run = PipelineRuns.drop(pipeline, "breweries/manual/x.ndjson", TWICE);
    StoredObject dropped = pipeline.objects().stat(new ObjectId("medallion-bronze", "breweries/manual/x.ndjson")).orElseThrow();
    pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(dropped));
    pipeline.publish(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(dropped));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(1)));
    List<RunEvent> events = pipeline.ledger().events(run);
    assertTrue(events.stream().noneMatch(e -> e.status() == Status.IGNORED), events.toString());
    assertTrue(RunSummary.of(run, events).succeeded(), events.toString());
    assertEquals(2, count(pipeline, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
  }

  @Test
  void sameBytesDroppedTwiceAtOnce_loadOnce() throws Exception {
    // Both deliveries look for a claim before either has made one, before their work and again
    // before they claim: the create-only write of the claim decides.
    CyclicBarrier bothLooked = new CyclicBarrier(2);
    AtomicInteger looks = new AtomicInteger();
    AtomicBoolean notAtOnce = new AtomicBoolean();
    try (LocalPipeline p = withPorts(PipelineRuns.fast().withConcurrency(2), ports -> new Ports(new ForwardingStore(ports.objects()) {
      @Override
      public List<StoredObject> list(String bucket, String prefix) throws IOException {
        List<StoredObject> claims = super.list(bucket, prefix);
        if (prefix.contains("/drop_md5=") && looks.incrementAndGet() <= 4) {
          try {
            bothLooked.await(20, TimeUnit.SECONDS);
          } catch (Exception e) {
            notAtOnce.set(true);
            throw new IOException("the two drops were not delivered at once", e);
          }
        }
        return claims;
      }
    }, ports.bus(), ports.warehouse(), ports.ledger(), ports.metrics()))) {
      Path bronze = p.layout().buckets().resolve("medallion-bronze/breweries/manual");
      Files.createDirectories(bronze);
      Files.writeString(bronze.resolve("a.ndjson"), TWICE);
      Files.writeString(bronze.resolve("b.ndjson"), TWICE);
      p.objects().scanOnce();
      p.objects().scanOnce();
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
      List<RunSummary> runs = new java.util.ArrayList<>();
      for (String id : p.ledger().recentRuns(10)) {
        runs.add(RunSummary.of(id, p.ledger().events(id)));
      }
      assertEquals(2, runs.size(), runs.toString());
      assertEquals(1, runs.stream().filter(RunSummary::succeeded).count(), runs.toString());
      assertEquals(1, runs.stream().filter(r -> r.silver() == Status.IGNORED).count(), runs.toString());
      assertEquals(2, count(p, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
      assertTrue(p.deadLetters().list().isEmpty());
      assertFalse(notAtOnce.get(), "the two deliveries raced as planned");
    }
  }

  @Test
  void aDropWhoseSilverStepFailedOrRejectedEverything_doesNotHoldItsBytes() throws Exception {
    // Reads of the file come back wrong (a fault since mended elsewhere): first not JSON at all,
    // which fails the file, then cut off, which makes its only record a reject. The third loads.
    AtomicInteger reads = new AtomicInteger();
    try (LocalPipeline p = withPorts(ports -> new Ports(new ForwardingStore(ports.objects()) {
      @Override
      public InputStream open(ObjectId id) throws IOException {
        InputStream in = super.open(id);
        if (!id.name().endsWith(".ndjson")) {
          return in;
        }
        return switch (reads.incrementAndGet()) {
          case 1 -> new ByteArrayInputStream("garbage".getBytes(StandardCharsets.UTF_8));
          case 2 -> new ByteArrayInputStream(Arrays.copyOf(in.readAllBytes(), 20));
          default -> in;
        };
      }
    }, ports.bus(), ports.warehouse(), ports.ledger(), ports.metrics()))) {
      String failed = PipelineRuns.drop(p, "breweries/manual/x.ndjson", TWICE);
      RunSummary f = RunSummary.of(failed, p.ledger().events(failed));
      assertEquals(Status.FAILED, f.silver(), f.toString());
      String rejected = PipelineRuns.drop(p, "breweries/manual/y.ndjson", TWICE);
      RunSummary r = RunSummary.of(rejected, p.ledger().events(rejected));
      assertTrue(r.silver() == Status.SUCCEEDED && r.silverRows() == 0 && r.rejects() == 1, r.toString());
      String loaded = PipelineRuns.drop(p, "breweries/manual/z.ndjson", TWICE);
      RunSummary l = RunSummary.of(loaded, p.ledger().events(loaded));
      assertTrue(l.succeeded(), l.toString());
      assertEquals(2, count(p, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
    }
  }

  @Test
  void aDropWhoseLoadFailed_passesItsBytesOnToTheNextDrop() throws Exception {
    // BigQuery refuses the first load (its rows point nowhere); the same bytes dropped again load.
    AtomicBoolean refuse = new AtomicBoolean(true);
    try (LocalPipeline p = withPorts(ports -> new Ports(ports.objects(), ports.bus(), new Warehouse() {
      @Override
      public JobStatus load(LoadJob job) throws IOException {
        return ports.warehouse().load(refuse.getAndSet(false)
            ? new LoadJob(job.jobId(), List.of(new ObjectId("medallion-silver-staging", "gone.ndjson")), job.destination(),
                job.schema(), job.labels(), job.partitioning())
            : job);
      }

      @Override
      public JobStatus query(QueryJob job) throws IOException {
        return ports.warehouse().query(job);
      }

      @Override
      public Optional<JobStatus> job(String jobId) throws IOException {
        return ports.warehouse().job(jobId);
      }

      @Override
      public Optional<io.medallion.schema.TableSchema> tableSchema(TableId table) throws IOException {
        return ports.warehouse().tableSchema(table);
      }

      @Override
      public Optional<io.medallion.schema.SchemaDiff> schemaDiff(TableId table, io.medallion.schema.TableSchema declared)
          throws IOException {
        return ports.warehouse().schemaDiff(table, declared);
      }

      @Override
      public QueryResult read(String sql, Map<String, Object> parameters) throws IOException {
        return ports.warehouse().read(sql, parameters);
      }

      @Override
      public io.medallion.port.GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled)
          throws IOException {
        return ports.warehouse().readGuarded(sql, parameters, maximumBytesBilled);
      }

      @Override
      public Optional<java.time.Instant> lastModified(io.medallion.port.TableId table) throws IOException {
        return ports.warehouse().lastModified(table);
      }
    }, ports.ledger(), ports.metrics()))) {
      String refused = PipelineRuns.drop(p, "breweries/manual/x.ndjson", TWICE);
      RunSummary f = RunSummary.of(refused, p.ledger().events(refused));
      assertEquals(Status.FAILED, f.load(), f.toString());
      String loaded = PipelineRuns.drop(p, "breweries/manual/y.ndjson", TWICE);
      RunSummary l = RunSummary.of(loaded, p.ledger().events(loaded));
      assertTrue(l.succeeded(), l.toString());
      assertEquals(2, count(p, "select count(*) from silver_brewing.breweries where brewery_id like 'twice-%'"));
      // The drop after that is identical to the one that loaded.
      String third = PipelineRuns.drop(p, "breweries/manual/z.ndjson", TWICE);
      RunEvent ignored = p.ledger().events(third).get(0);
      assertEquals(Status.IGNORED, ignored.status());
      assertTrue(ignored.error().contains("manual/y.ndjson") && ignored.error().endsWith(loaded), ignored.error());
    }
  }

  /** An object store that does what the one it wraps does, for tests to change one call. */
  private static class ForwardingStore implements ObjectStore {
    private final ObjectStore real;

    ForwardingStore(ObjectStore real) {
      this.real = real;
    }

    @Override
    public PendingObject create(ObjectId id, String contentType, Map<String, String> metadata) throws IOException {
      return real.create(id, contentType, metadata);
    }

    @Override
    public Optional<StoredObject> stat(ObjectId id) throws IOException {
      return real.stat(id);
    }

    @Override
    public InputStream open(ObjectId id) throws IOException {
      return real.open(id);
    }

    @Override
    public List<StoredObject> list(String bucket, String prefix) throws IOException {
      return real.list(bucket, prefix);
    }

    @Override
    public boolean delete(ObjectId id, long generation) throws IOException {
      return real.delete(id, generation);
    }
  }

  /** The pipeline, restarted in a fresh home with the functions seeing {@code view} of the ports. */
  private LocalPipeline withPorts(UnaryOperator<Ports> view) throws Exception {
    return withPorts(PipelineRuns.fast(), view);
  }

  private LocalPipeline withPorts(SubscriptionPolicy policy, UnaryOperator<Ports> view) throws Exception {
    pipeline.close();
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home.resolve("wrapped"), policy, Clock.systemUTC(), view);
    return pipeline;
  }
}
