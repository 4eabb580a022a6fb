package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.medallion.config.MedallionConfig;
import io.medallion.lineage.OpenLineage;
import io.medallion.lineage.StepLineage;
import io.medallion.local.lineage.JsonLinesLineageSink;
import io.medallion.schema.Field;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenLineage events of a full local run ({@code ./medallion run --all}): every one valid
 * against the OpenLineage JSON Schema and each facet against its own schema (the spec's files,
 * copied into test resources, the custom facet's from {@code schemas/openlineage/}; no network),
 * each job's run START then COMPLETE under one run id, every gold table's every column with lineage;
 * and {@code ./medallion lineage} reading them back.
 */
class OpenLineageEventsTest {

  @TempDir static Path home;
  static CliRun run;
  static List<JsonObject> events;

  @BeforeAll
  static void runEverySource() throws Exception {
    run = cli("run", "--all", "--records", "40");
    assertEquals(0, run.code(), run.all());
    events = new ArrayList<>();
    for (String line : Files.readAllLines(JsonLinesLineageSink.file(home), StandardCharsets.UTF_8)) {
      events.add(JsonParser.parseString(line).getAsJsonObject());
    }
  }

  static CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("terraform")) && Files.isDirectory(dir.resolve("schemas")))) {
      dir = dir.getParent();
    }
    assertNotNull(dir);
    return dir;
  }

  /** The spec's schemas by their https ids, read from the copies in test resources and the repository. */
  static JsonSchemaFactory schemas() {
    String facets = "https://openlineage.io/spec/facets/";
    Path custom = repositoryRoot().resolve("schemas/openlineage");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(m -> m
        .mapPrefix("https://openlineage.io/spec/2-0-2/", "classpath:openlineage/")
        .mapPrefix(facets + "1-2-0/", "classpath:openlineage/facets/")
        .mapPrefix(facets + "1-1-0/", "classpath:openlineage/facets/")
        .mapPrefix(facets + "1-0-2/", "classpath:openlineage/facets/")
        .mapPrefix(facets + "1-0-1/", "classpath:openlineage/facets/")
        .mapPrefix(OpenLineage.PRODUCER + "/blob/main/schemas/openlineage/", custom.toUri().toString())));
  }

  private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  static Set<ValidationMessage> validate(JsonSchemaFactory factory, String url, JsonElement json) throws Exception {
    JsonSchema schema = factory.getSchema(SchemaLocation.of(url), STRICT);
    return schema.validate(json.toString(), com.networknt.schema.InputFormat.JSON);
  }

  @Test
  void everyEvent_isValidOpenLineage_andEveryFacetMatchesItsSchema() throws Exception {
    JsonSchemaFactory factory = schemas();
    assertTrue(events.size() > 20, "events of every source's ingest, silver and gold models: " + events.size());
    Set<String> facetsSeen = new java.util.TreeSet<>();
    for (JsonObject e : events) {
      Set<ValidationMessage> errors = validate(factory, e.get("schemaURL").getAsString(), e);
      assertTrue(errors.isEmpty(), errors + " in " + e);
      for (Map.Entry<String, JsonObject> facet : facets(e).entrySet()) {
        String url = facet.getValue().get("_schemaURL").getAsString();
        Set<ValidationMessage> facetErrors = validate(factory, url, facet.getValue());
        assertTrue(facetErrors.isEmpty(), facet.getKey() + ": " + facetErrors + " in " + facet.getValue());
        facetsSeen.add(facet.getKey().substring(facet.getKey().lastIndexOf('/') + 1));
      }
    }
    assertEquals(Set.of("columnLineage", "outputStatistics", OpenLineage.REJECTS_FACET, "ownership", "parent", "sql"),
        facetsSeen, "the facets a successful run carries (errorMessage: see FAIL below)");
  }

  @Test
  void aBrokenEventOrFacet_failsTheSchemaCheck() throws Exception {
    JsonSchemaFactory factory = schemas();
    JsonObject e = events.get(0).deepCopy();
    e.getAsJsonObject("run").addProperty("runId", "not-a-uuid");
    assertFalse(validate(factory, e.get("schemaURL").getAsString(), e).isEmpty(), "a run id that is no UUID");
    JsonObject rejects = OpenLineage.rejects(1, Map.of("WRONG_TYPE", 1L), null);
    rejects.remove("rejectCount");
    assertFalse(validate(factory, OpenLineage.REJECTS_SCHEMA_URL, rejects).isEmpty(), "rejects without its count");
  }

  /** Every facet of an event, by where it is. */
  static Map<String, JsonObject> facets(JsonObject e) {
    Map<String, JsonObject> all = new LinkedHashMap<>();
    collect(all, "run", e.getAsJsonObject("run"), "facets");
    collect(all, "job", e.getAsJsonObject("job"), "facets");
    for (String side : List.of("inputs", "outputs")) {
      JsonElement list = e.get(side);
      for (int i = 0; list != null && i < list.getAsJsonArray().size(); i++) {
        JsonObject d = list.getAsJsonArray().get(i).getAsJsonObject();
        collect(all, side + "[" + i + "]", d, "facets");
        collect(all, side + "[" + i + "]", d, "outputFacets");
      }
    }
    return all;
  }

  private static void collect(Map<String, JsonObject> into, String where, JsonObject holder, String key) {
    if (holder != null && holder.has(key)) {
      holder.getAsJsonObject(key).entrySet().forEach(f -> into.put(where + "/" + key + "/" + f.getKey(), f.getValue().getAsJsonObject()));
    }
  }

  @Test
  void eachJobRun_startsThenCompletes_underTheRunIdDerivedFromTheMedallionRun() {
    Map<String, List<String>> byRun = new LinkedHashMap<>();
    Map<String, String> jobOf = new HashMap<>();
    for (JsonObject e : events) {
      String runId = e.getAsJsonObject("run").get("runId").getAsString();
      byRun.computeIfAbsent(runId, k -> new ArrayList<>()).add(e.get("eventType").getAsString());
      jobOf.put(runId, e.getAsJsonObject("job").get("name").getAsString());
      String parent = e.getAsJsonObject("run").getAsJsonObject("facets").getAsJsonObject("parent")
          .getAsJsonObject("run").get("runId").getAsString();
      assertNotNull(UUID.fromString(parent));
    }
    Set<String> jobs = new LinkedHashSet<>(jobOf.values());
    for (String source : SourceRegistry.standard().names()) {
      Source s = SourceRegistry.standard().find(source).orElseThrow();
      if (s.isFileSource()) {
        continue; // nothing to pull: a file source's steps run when a file is dropped
      }
      for (String model : s.goldModels()) {
        assertTrue(jobs.contains(StepLineage.goldJob(source, model)), model + " of " + source + ": " + jobs);
      }
    }
    byRun.forEach((runId, types) -> {
      assertEquals("START", types.get(0), jobOf.get(runId) + " " + types);
      assertEquals("COMPLETE", types.get(types.size() - 1), jobOf.get(runId) + " " + types);
      assertFalse(types.contains("FAIL"), jobOf.get(runId) + " " + types);
    });
    // The id is the medallion run's and the job's: a retry names the same run.
    JsonObject any = events.stream().filter(e -> e.getAsJsonObject("job").get("name").getAsString().endsWith(".silver"))
        .findFirst().orElseThrow();
    String medallionRun = run.out().lines().filter(l -> l.contains("medallion run ")).findFirst().orElseThrow()
        .replaceAll(".*medallion run ([a-z0-9_-]+).*", "$1");
    assertTrue(events.stream().anyMatch(e -> e.getAsJsonObject("run").get("runId").getAsString()
        .equals(OpenLineage.runId(medallionRun, e.getAsJsonObject("job").get("name").getAsString()).toString())),
        "some event's run id is derived from run " + medallionRun + " (" + any + ")");
  }

  @Test
  void everyGoldTable_hasColumnLineageForEveryColumn_andSilverItsRowsAndRejects() {
    MedallionConfig config = MedallionConfig.defaults();
    int tables = 0;
    for (JsonObject e : events) {
      String job = e.getAsJsonObject("job").get("name").getAsString();
      if (!e.get("eventType").getAsString().equals("COMPLETE")) {
        continue;
      }
      JsonObject out = e.getAsJsonArray("outputs").get(0).getAsJsonObject();
      if (job.contains(".gold.")) {
        String source = job.substring(0, job.indexOf('.'));
        String model = job.substring(job.lastIndexOf('.') + 1);
        Source s = SourceRegistry.standard().find(source).orElseThrow();
        assertTrue(out.get("name").getAsString().endsWith("." + config.goldDataset(s) + "." + model), out.toString());
        JsonObject fields = out.getAsJsonObject("facets").getAsJsonObject("columnLineage").getAsJsonObject("fields");
        assertEquals(s.goldSchema(model).fields().stream().map(Field::name).toList(), List.copyOf(fields.keySet()), job);
        assertTrue(fields.entrySet().stream().anyMatch(f -> f.getValue().getAsJsonObject().getAsJsonArray("inputFields").size() > 0), job);
        assertFalse(e.getAsJsonArray("inputs").isEmpty(), job);
        assertTrue(out.getAsJsonObject("outputFacets").getAsJsonObject("outputStatistics").has("rowCount"), job);
        tables++;
      } else if (job.endsWith(".silver")) {
        JsonObject facets = out.getAsJsonObject("outputFacets");
        assertTrue(facets.getAsJsonObject("outputStatistics").get("rowCount").getAsLong() >= 0, job);
        JsonObject rejects = facets.getAsJsonObject(OpenLineage.REJECTS_FACET);
        long byReason = rejects.getAsJsonObject("byReason").entrySet().stream().mapToLong(r -> r.getValue().getAsLong()).sum();
        assertEquals(rejects.get("rejectCount").getAsLong(), byReason, "every reject has its reason: " + rejects);
        assertEquals("gs://" + config.bronzeBucket(), e.getAsJsonArray("inputs").get(0).getAsJsonObject().get("namespace").getAsString());
      }
    }
    assertTrue(tables >= 10, "gold tables built: " + tables);
  }

  @Test
  void lineageCommand_tracesAGoldTableUpToTheSourceEndpoint_andAColumnToItsSourceField() {
    CliRun up = cli("lineage", "breweries_by_location");
    assertEquals(0, up.code(), up.all());
    String out = up.out();
    assertTrue(out.contains("<- job breweries.gold.breweries_by_location"), out);
    assertTrue(out.contains(".dim_breweries"), out);
    assertTrue(out.contains("<- job breweries.silver"), out);
    assertTrue(out.contains("<- gs://"), "bronze objects: " + out);
    assertTrue(out.contains("<- job breweries.ingest"), out);
    assertTrue(out.indexOf("<- job breweries.ingest") < out.indexOf("downstream of"), out);

    CliRun dim = cli("lineage", MedallionConfig.defaults().goldDataset(SourceRegistry.standard().find("breweries").orElseThrow()) + ".dim_breweries", "--column", "country");
    assertEquals(0, dim.code(), dim.all());
    assertTrue(dim.out().contains("-> job breweries.gold.breweries_by_location"), "downstream: " + dim.out());
    assertTrue(dim.out().contains(".breweries.country"), dim.out());
    assertTrue(dim.out().contains("source field 'country' of breweries"), dim.out());

    CliRun renamed = cli("lineage", "dim_breweries", "--column", "brewery_id");
    assertEquals(0, renamed.code(), renamed.all());
    assertTrue(renamed.out().contains("source field 'id' of breweries/breweries (renamed by its silver.renames)"), renamed.out());
  }

  @Test
  void lineageCommand_unknownTableOrColumn_saysWhatItKnows() {
    CliRun table = cli("lineage", "no_such_table");
    assertEquals(2, table.code());
    assertTrue(table.err().contains("no table 'no_such_table' in the lineage of") && table.err().contains("dim_breweries"), table.err());
    CliRun column = cli("lineage", "dim_breweries", "--column", "no_such_column");
    assertEquals(2, column.code());
    assertTrue(column.err().contains("has no column 'no_such_column'; its columns: [") && column.err().contains("brewery_id"),
        column.err());
    assertEquals("", column.out(), "nothing printed before the error");
    CliRun silver = cli("lineage", "silver_brewing.breweries", "--column", "no_such_column");
    assertEquals(2, silver.code());
    assertTrue(silver.err().contains("silver table breweries has no column 'no_such_column'"), silver.err());
    CliRun silverColumn = cli("lineage", "silver_brewing.breweries", "--column", "brewery_id");
    assertEquals(0, silverColumn.code(), silverColumn.all());
    assertTrue(silverColumn.out().contains("source field 'id' of breweries/breweries"), silverColumn.out());
    assertTrue(silverColumn.out().contains("-> job breweries.gold.dim_breweries"), "downstream: " + silverColumn.out());
  }
}
