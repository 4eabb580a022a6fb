package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.PubSubMessage;
import io.medallion.gold.GoldStep;
import io.medallion.lineage.Lineage;
import io.medallion.lineage.LineageSink;
import io.medallion.lineage.OpenLineage;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.metrics.Metrics;
import io.medallion.port.JobStatus;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gold model that fails sends FAIL with the error; a lineage sink that fails never fails the build. */
class GoldLineageTest {

  @TempDir Path home;
  LocalPipeline pipeline;
  final MedallionConfig config = MedallionConfig.defaults();

  @BeforeEach
  void start() throws Exception {
    pipeline = new LocalPipeline(config, home, SubscriptionPolicy.DEFAULT, l -> l, Clock.systemUTC());
    PipelineRuns.drop(pipeline, "breweries/manual/a.ndjson", "{\"id\":\"a-1\",\"name\":\"A\",\"country\":\"Ireland\"}\n");
  }

  @AfterEach
  void stop() throws Exception {
    pipeline.close();
  }

  private static PubSubMessage loadDone(String runId) {
    JobStatus job = new JobStatus("job_" + runId, JobStatus.JobType.IMPORT, JobStatus.JobState.DONE, null,
        Map.of("pipeline", "medallion", "layer", "silver", "source", "breweries", "run_id", runId),
        new TableId("silver", "breweries"), 0, Instant.parse("2026-11-23T09:00:00Z"), Instant.parse("2026-11-23T09:00:01Z"));
    String json = AuditLogEntries.jobDone("medallion-local", job, List.of(), "t");
    return new PubSubMessage("m-" + runId, json.getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
  }

  /** The local warehouse, but every query job of {@code model} fails with {@code error}. */
  private Warehouse failing(String model, String error) {
    Warehouse real = pipeline.warehouse();
    return (Warehouse) Proxy.newProxyInstance(Warehouse.class.getClassLoader(), new Class<?>[] {Warehouse.class},
        (proxy, method, args) -> {
          if (method.getName().equals("query") && ((QueryJob) args[0]).jobId().startsWith("medallion_gold_" + model + "_")) {
            QueryJob q = (QueryJob) args[0];
            return new JobStatus(q.jobId(), JobStatus.JobType.QUERY, JobStatus.JobState.DONE, error, q.labels(), null, 0,
                Instant.now(), Instant.now());
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aFailingModel_sendsFailWithTheErrorMessage_afterItsStart() throws Exception {
    List<JsonObject> sent = new ArrayList<>();
    Ports ports = new Ports(pipeline.objects(), pipeline.bus(), failing("country_summary", "Syntax error: boom"),
        pipeline.ledger()).withLineage(sent::add);
    GoldStep gold = new GoldStep(config, ports, SourceRegistry.standard(), Clock.systemUTC());

    IOException e = assertThrows(IOException.class, () -> gold.handle(loadDone("r-fail")));
    assertTrue(e.getMessage().contains("boom"), e.getMessage());

    List<String> types = sent.stream()
        .filter(ev -> ev.getAsJsonObject("job").get("name").getAsString().equals("breweries.gold.country_summary"))
        .map(ev -> ev.get("eventType").getAsString()).toList();
    assertEquals(List.of("START", "FAIL"), types);
    JsonObject fail = sent.get(sent.size() - 1);
    JsonObject error = fail.getAsJsonObject("run").getAsJsonObject("facets").getAsJsonObject("errorMessage");
    assertTrue(error.get("message").getAsString().contains("Syntax error: boom"), error.toString());
    assertEquals("JAVA", error.get("programmingLanguage").getAsString());
    assertTrue(error.get("stackTrace").getAsString().contains("GoldStep"), error.toString());
    assertEquals(OpenLineage.runId("r-fail", "breweries.gold.country_summary").toString(),
        fail.getAsJsonObject("run").get("runId").getAsString());
    assertTrue(fail.getAsJsonArray("outputs").get(0).getAsJsonObject().get("name").getAsString()
        .endsWith("." + config.goldDataset(SourceRegistry.standard().find("breweries").orElseThrow()) + ".country_summary"));
    // Valid OpenLineage, the errorMessage facet against its own schema.
    var schemas = OpenLineageEventsTest.schemas();
    assertEquals(java.util.Set.of(), OpenLineageEventsTest.validate(schemas, fail.get("schemaURL").getAsString(), fail));
    assertEquals(java.util.Set.of(), OpenLineageEventsTest.validate(schemas, error.get("_schemaURL").getAsString(), error));
    // The models before it completed.
    assertTrue(sent.stream().anyMatch(ev -> ev.get("eventType").getAsString().equals("COMPLETE")
        && ev.getAsJsonObject("job").get("name").getAsString().equals("breweries.gold.dim_breweries")));
  }

  @Test
  void aLineageSinkThatFails_neverFailsTheBuild_andIsCounted() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    LineageSink down = event -> {
      throw new IOException("Data Lineage API: 503 unavailable");
    };
    Ports ports = new Ports(pipeline.objects(), pipeline.bus(), pipeline.warehouse(), pipeline.ledger(), Metrics.of(meters))
        .withLineage(down);
    GoldStep gold = new GoldStep(config, ports, SourceRegistry.standard(), Clock.systemUTC());

    assertEquals(GoldStep.Outcome.BUILT, gold.handle(loadDone("r-sink-down")));

    int models = SourceRegistry.standard().find("breweries").orElseThrow().goldModels().size();
    double failures = meters.find(Lineage.FAILURES).counters().stream().mapToDouble(c -> c.count()).sum();
    assertEquals(2.0 * models, failures, "a START and a COMPLETE per model, each counted");
  }
}
