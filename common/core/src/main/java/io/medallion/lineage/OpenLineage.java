package io.medallion.lineage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.medallion.port.ObjectId;
import io.medallion.port.TableId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenLineage run events (spec 2-0-2, what OpenLineage 1.x releases emit) and the facets medallion
 * fills, as Gson trees. Names follow the OpenLineage naming conventions
 * (https://openlineage.io/docs/spec/naming): Cloud Storage {@code gs://<bucket>} / object path,
 * BigQuery {@code bigquery} / {@code project.dataset.table}. An HTTP API has no convention there:
 * its datasets are named {@code scheme://host[:port]} / path (see README.md beside this class).
 */
public final class OpenLineage {

  /** The spec version every event names in its {@code schemaURL}. */
  public static final String SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  /**
   * Who produced an event: medallion's code, named by the repository URL every JSON Schema of
   * {@code schemas/} gives as its {@code $id} (the spec asks for a URI naming the producer's code).
   */
  public static final String PRODUCER = "https://github.com/medallion/medallion";
  /** The custom facet carrying silver's rejects (prefixed with the producer's name, as the spec asks of custom facets). */
  public static final String REJECTS_FACET = "medallion_rejects";
  /** Its schema, shipped in the repository at {@code schemas/openlineage/MedallionRejectsOutputDatasetFacet.json}. */
  public static final String REJECTS_SCHEMA_URL = PRODUCER
      + "/blob/main/schemas/openlineage/MedallionRejectsOutputDatasetFacet.json#/$defs/MedallionRejectsOutputDatasetFacet";

  static final String FACETS = "https://openlineage.io/spec/facets/";

  /** START, then COMPLETE or FAIL (RUNNING for the leading parts of a split event). */
  public enum EventType { START, RUNNING, COMPLETE, FAIL, ABORT }

  private OpenLineage() {}

  /**
   * The OpenLineage run id of a medallion run's job: a name-based UUID (v3, {@link
   * UUID#nameUUIDFromBytes}) of the run id and job name, so a retried or redelivered step names the
   * same run and its START, COMPLETE and FAIL events agree.
   */
  public static UUID runId(String medallionRunId, String jobName) {
    return UUID.nameUUIDFromBytes(("medallion:" + medallionRunId + ":" + jobName).getBytes(StandardCharsets.UTF_8));
  }

  /** The jobs' namespace: one per project, so two deployments' jobs never merge. */
  public static String namespace(String project) {
    return "medallion:" + project;
  }

  /** A dataset: its namespace and name, and its facets. */
  public record Dataset(String namespace, String name, JsonObject facets) {

    public Dataset(String namespace, String name) {
      this(namespace, name, new JsonObject());
    }

    /** This dataset with one more facet. */
    public Dataset with(String facet, JsonObject value) {
      JsonObject f = facets.deepCopy();
      f.add(facet, value);
      return new Dataset(namespace, name, f);
    }

    JsonObject json(String facetsKey) {
      JsonObject o = new JsonObject();
      o.addProperty("namespace", namespace);
      o.addProperty("name", name);
      if (facets.size() > 0) {
        o.add(facetsKey, facets.deepCopy());
      }
      return o;
    }
  }

  /** A Cloud Storage object or prefix: namespace {@code gs://bucket}, name the object path. */
  public static Dataset gcs(ObjectId object) {
    return new Dataset("gs://" + object.bucket(), object.name());
  }

  /** A BigQuery table: namespace {@code bigquery}, name {@code project.dataset.table}. */
  public static Dataset bigQuery(String project, TableId table) {
    return new Dataset("bigquery", project + "." + table.dataset() + "." + table.table());
  }

  /** A Pub/Sub topic, as OpenLineage's naming helpers name it: {@code pubsub} / {@code topic:project:topic}. */
  public static Dataset pubSubTopic(String project, String topic) {
    return new Dataset("pubsub", "topic:" + project + ":" + topic);
  }

  /**
   * An HTTP API endpoint: namespace {@code scheme://host[:port]}, name its path (with {@code /} for
   * none). An opaque URI ({@code replay:breweries}) is namespace its scheme, name the rest.
   */
  public static Dataset http(URI endpoint) {
    if (endpoint.isOpaque() || endpoint.getAuthority() == null) {
      return new Dataset(endpoint.getScheme() + ":", endpoint.getSchemeSpecificPart());
    }
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    return new Dataset(endpoint.getScheme() + "://" + endpoint.getRawAuthority(), path);
  }

  /** A facet's required base: who produced it, and the schema it follows. */
  public static JsonObject facet(String schemaUrl) {
    JsonObject o = new JsonObject();
    o.addProperty("_producer", PRODUCER);
    o.addProperty("_schemaURL", schemaUrl);
    return o;
  }

  /** The standard {@code outputStatistics} facet. */
  public static JsonObject outputStatistics(Long rows, Long bytes, Long files) {
    JsonObject f = facet(FACETS + "1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
    if (rows != null) {
      f.addProperty("rowCount", rows);
    }
    if (bytes != null) {
      f.addProperty("size", bytes);
    }
    if (files != null) {
      f.addProperty("fileCount", files);
    }
    return f;
  }

  /** The custom {@value #REJECTS_FACET} facet: records the step refused, by reason. */
  public static JsonObject rejects(long rejects, Map<String, Long> byReason, String rejectsUri) {
    JsonObject f = facet(REJECTS_SCHEMA_URL);
    f.addProperty("rejectCount", rejects);
    JsonObject reasons = new JsonObject();
    byReason.forEach(reasons::addProperty);
    f.add("byReason", reasons);
    if (rejectsUri != null) {
      f.addProperty("rejectsUri", rejectsUri);
    }
    return f;
  }

  /** The standard {@code errorMessage} run facet. */
  public static JsonObject errorMessage(String message, String stackTrace) {
    JsonObject f = facet(FACETS + "1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
    f.addProperty("message", message == null ? "(no message)" : message);
    f.addProperty("programmingLanguage", "JAVA");
    if (stackTrace != null) {
      f.addProperty("stackTrace", stackTrace);
    }
    return f;
  }

  /** The standard {@code ownership} job facet: the source's domain owner (team, and contact). */
  public static JsonObject ownership(String team, String contact) {
    JsonObject f = facet(FACETS + "1-0-1/OwnershipJobFacet.json#/$defs/OwnershipJobFacet");
    JsonArray owners = new JsonArray();
    JsonObject owner = new JsonObject();
    owner.addProperty("name", "team:" + team);
    owner.addProperty("type", "OWNER");
    owners.add(owner);
    if (contact != null && !contact.isBlank()) {
      JsonObject c = new JsonObject();
      c.addProperty("name", "user:" + contact);
      c.addProperty("type", "CONTACT");
      owners.add(c);
    }
    f.add("owners", owners);
    return f;
  }

  /** The standard {@code sql} job facet. */
  public static JsonObject sql(String query) {
    JsonObject f = facet(FACETS + "1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet");
    f.addProperty("query", query);
    f.addProperty("dialect", "bigquery");
    return f;
  }

  /** The standard {@code parent} run facet: the pipeline run this step belongs to. */
  public static JsonObject parent(String namespace, String jobName, UUID runId) {
    JsonObject f = facet(FACETS + "1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet");
    JsonObject run = new JsonObject();
    run.addProperty("runId", runId.toString());
    f.add("run", run);
    JsonObject job = new JsonObject();
    job.addProperty("namespace", namespace);
    job.addProperty("name", jobName);
    f.add("job", job);
    return f;
  }

  /** One input column of an output column. */
  public record InputField(Dataset dataset, String field) {}

  /**
   * The standard {@code columnLineage} dataset facet: each output column and the input columns it is
   * computed from (an empty list: computed from no column, e.g. {@code count(*)} or a parameter).
   */
  public static JsonObject columnLineage(Map<String, List<InputField>> columns) {
    JsonObject f = facet(FACETS + "1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet");
    JsonObject fields = new JsonObject();
    columns.forEach((column, inputs) -> {
      JsonObject field = new JsonObject();
      JsonArray in = new JsonArray();
      for (InputField i : inputs) {
        JsonObject o = new JsonObject();
        o.addProperty("namespace", i.dataset().namespace());
        o.addProperty("name", i.dataset().name());
        o.addProperty("field", i.field());
        in.add(o);
      }
      field.add("inputFields", in);
      fields.add(column, field);
    });
    f.add("fields", fields);
    return f;
  }

  /** Builds one run event. */
  public static final class RunEvent {
    private final EventType type;
    private final Instant time;
    private final String namespace;
    private final String jobName;
    private final UUID runId;
    private final JsonObject runFacets = new JsonObject();
    private final JsonObject jobFacets = new JsonObject();
    private final JsonArray inputs = new JsonArray();
    private final JsonArray outputs = new JsonArray();

    private RunEvent(EventType type, Instant time, String namespace, String jobName, UUID runId) {
      this.type = type;
      this.time = time;
      this.namespace = namespace;
      this.jobName = jobName;
      this.runId = runId;
    }

    public static RunEvent of(EventType type, Instant time, String namespace, String jobName, UUID runId) {
      return new RunEvent(type, time, namespace, jobName, runId);
    }

    public RunEvent runFacet(String name, JsonObject facet) {
      runFacets.add(name, facet);
      return this;
    }

    public RunEvent jobFacet(String name, JsonObject facet) {
      jobFacets.add(name, facet);
      return this;
    }

    public RunEvent input(Dataset dataset) {
      inputs.add(dataset.json("facets"));
      return this;
    }

    public RunEvent output(Dataset dataset) {
      // Output-only facets (outputStatistics, rejects) are spec'd as outputFacets; the rest as facets.
      JsonObject o = dataset.json("facets");
      JsonObject facets = o.has("facets") ? o.remove("facets").getAsJsonObject() : new JsonObject();
      JsonObject datasetFacets = new JsonObject();
      JsonObject outputFacets = new JsonObject();
      facets.entrySet().forEach(e -> {
        if (e.getKey().equals("outputStatistics") || e.getKey().equals(REJECTS_FACET)) {
          outputFacets.add(e.getKey(), e.getValue());
        } else {
          datasetFacets.add(e.getKey(), e.getValue());
        }
      });
      if (datasetFacets.size() > 0) {
        o.add("facets", datasetFacets);
      }
      if (outputFacets.size() > 0) {
        o.add("outputFacets", outputFacets);
      }
      outputs.add(o);
      return this;
    }

    public JsonObject build() {
      JsonObject e = new JsonObject();
      e.addProperty("eventType", type.name());
      // Microseconds at most: what BigQuery and most consumers keep.
      e.addProperty("eventTime", time.truncatedTo(ChronoUnit.MICROS).toString());
      JsonObject run = new JsonObject();
      run.addProperty("runId", runId.toString());
      if (runFacets.size() > 0) {
        run.add("facets", runFacets.deepCopy());
      }
      e.add("run", run);
      JsonObject job = new JsonObject();
      job.addProperty("namespace", namespace);
      job.addProperty("name", jobName);
      if (jobFacets.size() > 0) {
        job.add("facets", jobFacets.deepCopy());
      }
      e.add("job", job);
      e.add("inputs", inputs.deepCopy());
      e.add("outputs", outputs.deepCopy());
      e.addProperty("producer", PRODUCER);
      e.addProperty("schemaURL", SCHEMA_URL);
      return e;
    }
  }
}
