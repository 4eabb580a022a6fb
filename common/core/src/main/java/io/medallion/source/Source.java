package io.medallion.source;

import io.medallion.schema.TableSchema;
import io.medallion.source.auth.AuthSpec;
import io.medallion.source.paginate.PaginatorSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source, as its declaration file says ({@code schemas/sources/<name>.json}, checked against
 * {@code schemas/source.schema.json}): the API it reads, the resources it reads there, how their
 * records become silver rows, its gold models and checks, and its schedule. No source is Java: the
 * engine reads every one the same way.
 *
 * @param schedule cron (5 fields, UTC), or null when runs start only on demand
 * @param files where its silver schemas and SQL are
 * @param file where the declaration itself is, for messages
 */
public record Source(
    String name, String description, List<String> docs, String schedule, Client client, List<Resource> resources,
    Gold gold, Replay replay, SourceFiles files, String file) {

  public Source {
    docs = List.copyOf(docs);
    resources = List.copyOf(resources);
  }

  /**
   * How to talk to the API: defaults for every resource.
   *
   * @param paginator null when each resource declares its own
   * @param requestsPerSecond null for no declared limit
   * @param allowedHosts hosts besides the base URL's that next links may name
   */
  public record Client(
      URI baseUrl, Map<String, String> headers, AuthSpec auth, PaginatorSpec paginator, int maxConcurrency,
      Double requestsPerSecond, List<String> allowedHosts) {
    public Client {
      headers = ordered(headers);
      allowedHosts = List.copyOf(allowedHosts);
    }
  }

  /**
   * One thing the source reads, into one silver table.
   *
   * @param parent null for a top-level resource
   * @param primaryKey the API's key field, or null
   * @param silverTable the silver table its rows go to
   */
  public record Resource(
      String name, Endpoint endpoint, Parent parent, String primaryKey, String silverTable, SilverMapping silver) {}

  /**
   * @param dataSelector {@code $} for a top-level array, else a dot path to the array of records
   * @param paginator null to use the client's
   * @param incremental null when the resource is read whole every run
   */
  public record Endpoint(
      String path, Map<String, String> params, Map<String, String> headers, String dataSelector,
      PaginatorSpec paginator, Incremental incremental) {
    public Endpoint {
      params = ordered(params);
      headers = ordered(headers);
    }
  }

  /**
   * A child resource's parent: read once per parent record with distinct placeholder values.
   *
   * @param fields placeholder in the child's path or params to the parent record field (dot path)
   * @param include parent fields copied into each child record as {@code _parent_<field>}
   */
  public record Parent(String resource, Map<String, String> fields, List<String> include) {
    public Parent {
      fields = ordered(fields);
      include = List.copyOf(include);
    }
  }

  /** Read only what changed since the last successful run. */
  public record Incremental(String cursorPath, String startParam, String initialValue, Compare compare) {
    /** How cursor values compare. */
    public enum Compare { TIMESTAMP, NUMBER, TEXT }
  }

  /** Gold models and checks, in the order they run, and what a run summary shows first. */
  public record Gold(List<String> models, List<String> checks, String mainTable, String mainOrder) {
    public Gold {
      models = List.copyOf(models);
      checks = List.copyOf(checks);
    }
  }

  /** What the local replay server serves: a generator file or recorded records (paths beside the declaration). */
  public record Replay(String generator, String records) {}

  /**
   * An unmodifiable copy in declaration order: query parameters go out in the order the file names
   * them, so a page's URL is the same in every invocation (Map.copyOf would shuffle it per JVM).
   */
  private static Map<String, String> ordered(Map<String, String> map) {
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }

  /** The API's base URL as declared; {@code MEDALLION_SOURCE_URL} or {@code --source-url} replaces it. */
  public URI defaultBaseUrl() {
    return client.baseUrl();
  }

  /** The resource called {@code name}. */
  public Optional<Resource> resource(String name) {
    return resources.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The paginator a resource uses: its own, else the client's. */
  public PaginatorSpec paginator(Resource r) {
    return r.endpoint().paginator() != null ? r.endpoint().paginator() : client.paginator();
  }

  /** The silver tables this source loads, one per resource, in resource order. */
  public List<String> silverTables() {
    List<String> out = new ArrayList<>();
    for (Resource r : resources) {
      if (!out.contains(r.silverTable())) {
        out.add(r.silverTable());
      }
    }
    return out;
  }

  /** The schema of a silver table ({@code schemas/bigquery/silver/<table>.json}). */
  public TableSchema silverSchema(String table) {
    String path = "schemas/bigquery/silver/" + table + ".json";
    return TableSchema.parse(files.read(path).orElseThrow(
        () -> new IllegalStateException("source " + name + ": no silver schema " + files.describe(path))));
  }

  /** The schema of the first resource's table: the one table of a single-resource source. */
  public TableSchema silverSchema() {
    return silverSchema(resources.get(0).silverTable());
  }

  /** The first resource's silver table. */
  public String silverTable() {
    return resources.get(0).silverTable();
  }

  /** The first resource's silver mapping. */
  public SilverMapping silverMapping() {
    return resources.get(0).silver();
  }

  public List<String> goldModels() {
    return gold.models();
  }

  public List<String> checks() {
    return gold.checks();
  }

  public String mainGoldTable() {
    return gold.mainTable();
  }

  public String mainGoldOrder() {
    return gold.mainOrder();
  }

  /** The SQL of a gold model, {@code sql/<name>/<model>.sql}. */
  public String modelSql(String model) {
    String path = "sql/" + name + "/" + model + ".sql";
    return files.read(path).orElseThrow(() -> new IllegalStateException("no gold model " + files.describe(path)));
  }

  /** The SQL of a data-quality check, {@code sql/<name>/checks/<check>.sql}. */
  public String checkSql(String check) {
    String path = "sql/" + name + "/checks/" + check + ".sql";
    return files.read(path).orElseThrow(() -> new IllegalStateException("no check " + files.describe(path)));
  }

  /** Every secret the source needs. */
  public List<SecretRef> secrets() {
    return client.auth().secrets();
  }
}
