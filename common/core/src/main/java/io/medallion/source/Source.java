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
 * @param domain the domain that owns its tables ({@code schemas/domains/<domain>.json}); they live
 *     in that domain's datasets
 * @param schedule cron (5 fields, UTC), or null when runs start only on demand
 * @param files where its silver schemas and SQL are
 * @param file where the declaration itself is, for messages
 * @param client the API a REST source reads; null for a file source
 * @param drops where a file source's files arrive and go; null for a REST source
 * @param push how records pushed to the webhook are taken, or null when none are
 */
public record Source(
    String name, String domain, String description, List<String> docs, String schedule, Client client, List<Resource> resources,
    Gold gold, Replay replay, SourceFiles files, String file, Drops drops, Push push) {

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
   * One thing the source reads, into one silver table: an API endpoint, or the files of a file source.
   *
   * @param endpoint null for a file resource
   * @param parent null for a top-level resource
   * @param primaryKey the API's key field, or null
   * @param silverTable the silver table its rows go to
   * @param file null for an API resource
   */
  public record Resource(
      String name, Endpoint endpoint, Parent parent, String primaryKey, String silverTable, SilverMapping silver,
      FileInput file) {
    /** An API resource. */
    public Resource(String name, Endpoint endpoint, Parent parent, String primaryKey, String silverTable, SilverMapping silver) {
      this(name, endpoint, parent, primaryKey, silverTable, silver, null);
    }
  }

  /**
   * Where a file source's files arrive and where they go once read, as object-name prefixes in
   * the bronze bucket (each ending in '/').
   *
   * @param inbox where files are dropped: each is loaded on its own
   * @param archive where a file's bytes move once its load is confirmed, under {@code run_id=<id>/md5=<hex>/}
   * @param quarantine where a file that cannot be read moves, with a report beside it
   * @param archiveColdAfterDays age after which archived files move to a colder storage class (terraform)
   * @param warehouseTypingAbove bytes above which a CSV file is typed by SQL in the warehouse, not by silver
   */
  public record Drops(String inbox, String archive, String quarantine, int archiveColdAfterDays, long warehouseTypingAbove) {
    /** Whether an object name is in the inbox. */
    public boolean inInbox(String objectName) {
      return objectName.startsWith(inbox) && objectName.length() > inbox.length();
    }

    /** Whether an object name is one the lifecycle itself wrote (archive, quarantine): never an input. */
    public boolean isOutput(String objectName) {
      return objectName.startsWith(archive) || objectName.startsWith(quarantine);
    }
  }

  /**
   * Records pushed to the webhook: published to the source's push topic, batched into bronze files.
   *
   * @param resource the resource whose records are pushed
   * @param secret the HMAC secret of the signature header, or null for unsigned pushes
   * @param maxBodyBytes the largest body accepted, compressed and inflated
   * @param batchSeconds a batch's longest time before it becomes a bronze file
   * @param batchBytes a batch's largest size
   * @param mode where pushed records go: bronze files loaded by silver, or streamed into silver
   * @param callers the IAM principals granted {@code roles/run.invoker} on the deployed webhook
   * @param loadEveryMinutes how often the bronze files of pushes are loaded into silver, together:
   *     one load job per table per period, whatever the rate of pushes (BigQuery allows 1,500 load
   *     jobs per table per day)
   */
  public record Push(String resource, SecretRef secret, long maxBodyBytes, int batchSeconds, long batchBytes,
      Mode mode, List<String> callers, int loadEveryMinutes) {
    public Push {
      callers = List.copyOf(callers);
    }

    /** Where pushed records go. */
    public enum Mode {
      /** Batched into NDJSON files in bronze (a Cloud Storage subscription), loaded by silver. */
      FILES,
      /** Written into a streaming silver table by a Pub/Sub BigQuery subscription, row by row. */
      STREAM
    }
  }

  /**
   * The files one resource of a file source reads.
   *
   * @param pattern the file names it takes, with named parts
   * @param key the logical key of a file ({@code {year}}): a file with the key of an earlier one
   *     replaces that one's rows in silver; null when every file adds rows of its own
   * @param datePart the named part that is the file's business date, or null
   * @param datePattern how that part writes a date ({@code yyyy-MM-dd}, {@code yyyyMMdd})
   * @param format how its bytes are records
   */
  public record FileInput(FileNamePattern pattern, String key, String datePart, String datePattern, FileFormat format) {
    /** The business date a file's name parts give, if this resource declares one and the part parses. */
    public Optional<java.time.LocalDate> businessDate(Map<String, String> parts) {
      if (datePart == null || parts.get(datePart) == null) {
        return Optional.empty();
      }
      try {
        return Optional.of(java.time.LocalDate.parse(parts.get(datePart), java.time.format.DateTimeFormatter.ofPattern(datePattern)));
      } catch (java.time.format.DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

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

  /**
   * Gold models and checks, in the order they run, and what a run summary shows first.
   *
   * @param needs per model, the file resources whose files of one business date must all be loaded
   *     before it runs (a dataset made of several files); a model not named runs on every load
   * @param freshnessHours how long gold may go without a build before an alert, or null for no alert
   * @param api per gold table, how the query API serves it; a table not named is not served
   */
  public record Gold(
      List<String> models, List<String> checks, String mainTable, String mainOrder, Map<String, List<String>> needs,
      Integer freshnessHours, Map<String, Materialization> materializations, Map<String, Published> api) {
    public Gold {
      models = List.copyOf(models);
      checks = List.copyOf(checks);
      Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
      needs.forEach((model, inputs) -> copy.put(model, List.copyOf(inputs)));
      needs = ordered(copy);
      materializations = ordered(materializations);
      api = ordered(api);
    }

    public Gold(List<String> models, List<String> checks, String mainTable, String mainOrder) {
      this(models, checks, mainTable, mainOrder, Map.of(), null, Map.of(), Map.of());
    }

    /** How a model is built: as declared, else {@link Materialization#TABLE}. */
    public Materialization materialization(String model) {
      return materializations.getOrDefault(model, Materialization.TABLE);
    }
  }

  /**
   * How a gold model's table is built (dbt's materializations): {@code table} rebuilt whole on
   * every build; {@code incremental}, the model's SELECT over the silver rows the model has not
   * consumed merged into the table on {@code uniqueKey}; {@code snapshot}, type-2 history of the
   * SELECT's rows per {@code uniqueKey} ({@code valid_from}, {@code valid_to}, {@code is_current}).
   *
   * @param uniqueKey the columns that name one row (incremental) or one entity (snapshot)
   * @param updatedAt for incremental: the columns whose order says which of two versions of a key
   *     is newer (compared left to right); a delta row replaces the table's row only when it is not
   *     older. Empty: the delta's row always replaces (a group recomputed whole). For snapshot: the
   *     one column that says when a version was seen.
   */
  public record Materialization(Kind kind, List<String> uniqueKey, List<String> updatedAt) {

    public static final Materialization TABLE = new Materialization(Kind.TABLE, List.of(), List.of());

    public enum Kind {
      TABLE,
      INCREMENTAL,
      SNAPSHOT;

      public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    public Materialization {
      uniqueKey = List.copyOf(uniqueKey);
      updatedAt = List.copyOf(updatedAt);
    }
  }

  /**
   * How the query API serves one gold table ({@code GET /v1/<source>/<table>} and, by key, {@code
   * .../<key values>}).
   *
   * @param key the columns that name one row, REQUIRED in the table: the single-row route's path and
   *     the last tie-breaker of every page's order (keyset pagination needs a total order)
   * @param period a DATE, DATETIME, TIMESTAMP or INT64 column filtered by {@code from}/{@code to}
   *     (both inclusive), or null
   * @param filters further columns a caller may filter on by equality (a repeated parameter is a
   *     list); the key and period columns always may
   * @param orderBy the columns a caller may order by (REQUIRED ones: a page's position is a value);
   *     the key always comes last
   * @param maxPageSize the largest {@code page_size} accepted
   * @param maxBytesBilled the cost guard: a query that would bill more is refused (BigQuery's
   *     maximumBytesBilled)
   * @param cacheSeconds how long a client or proxy may keep an answer without asking again
   */
  public record Published(List<String> key, String period, List<String> filters, List<String> orderBy,
      int maxPageSize, long maxBytesBilled, int cacheSeconds) {

    public static final int DEFAULT_MAX_PAGE_SIZE = 1000;
    public static final long DEFAULT_MAX_BYTES_BILLED = 1L << 30;
    public static final int DEFAULT_CACHE_SECONDS = 60;

    public Published {
      key = List.copyOf(key);
      filters = List.copyOf(filters);
      orderBy = List.copyOf(orderBy);
    }
  }

  /** What the local replay server serves: a generator file or recorded records (paths beside the declaration). */
  public record Replay(String generator, String records) {}

  /**
   * An unmodifiable copy in declaration order: query parameters go out in the order the file names
   * them, so a page's URL is the same in every invocation (Map.copyOf would shuffle it per JVM).
   */
  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
  }

  /** Whether files dropped into an inbox are this source's input (no API). */
  public boolean isFileSource() {
    return drops != null;
  }

  /** Whether records only arrive pushed to the webhook: no API is read, no inbox watched. */
  public boolean isPushOnly() {
    return client == null && drops == null;
  }

  /**
   * Whether pushed records stream into silver row by row (a Pub/Sub BigQuery subscription): no
   * bronze file, no load job, so gold runs on the source's schedule instead of on a load's
   * completion.
   */
  public boolean streams() {
    return push != null && push.mode() == Push.Mode.STREAM;
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

  /** The column a silver table is partitioned by unless its resource declares one: when silver loaded the row's bronze object. */
  public static final String DEFAULT_PARTITION_COLUMN = "_ingested_at";

  /** A stream table's default partition column: it has no load, so no {@code _ingested_at}, but its subscription writes the publish time. */
  public static final String STREAM_PARTITION_COLUMN = "publish_time";

  /**
   * How a resource's silver table is partitioned and clustered: as its {@code silver.partition}
   * and {@code silver.cluster} declare, each part left out taking its default: the column {@link
   * #DEFAULT_PARTITION_COLUMN} ({@link #STREAM_PARTITION_COLUMN} for a stream source), a partition
   * a day, none expiring, clustered by {@code silver.key} (or not at all without a key).
   * terraform/sources.tf derives the same ({@code local.silver_tables}).
   */
  public io.medallion.port.TablePartitioning partitioning(Resource r) {
    SilverMapping.Partition declared = r.silver().partition();
    String column = declared != null && declared.column() != null ? declared.column()
        : streams() ? STREAM_PARTITION_COLUMN : DEFAULT_PARTITION_COLUMN;
    io.medallion.port.TablePartitioning.Granularity granularity = declared != null && declared.granularity() != null
        ? declared.granularity() : io.medallion.port.TablePartitioning.Granularity.DAY;
    List<String> cluster = r.silver().cluster() != null ? r.silver().cluster()
        : r.silver().keyColumn() == null ? List.of() : List.of(r.silver().keyColumn());
    return new io.medallion.port.TablePartitioning(column, granularity, declared == null ? null : declared.expirationDays(), cluster);
  }

  /** The partitioning of the silver table {@code table}: that of the resource that loads it. */
  public io.medallion.port.TablePartitioning partitioning(String table) {
    return partitioning(resources.stream().filter(r -> r.silverTable().equals(table)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("source " + name + " loads no silver table " + table)));
  }

  /** The schema of a silver table ({@code schemas/bigquery/silver/<table>.json}). */
  public TableSchema silverSchema(String table) {
    String path = "schemas/bigquery/silver/" + table + ".json";
    return TableSchema.parse(files.read(path).orElseThrow(
        () -> new IllegalStateException("source " + name + ": no silver schema " + files.describe(path))));
  }

  /** The schema of a gold model's table ({@code schemas/bigquery/gold/<model>.json}). */
  public TableSchema goldSchema(String model) {
    String path = "schemas/bigquery/gold/" + model + ".json";
    return TableSchema.parse(files.read(path).orElseThrow(
        () -> new IllegalStateException("source " + name + ": no gold schema " + files.describe(path))));
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

  /** The secrets a pull needs: those its client's auth names (what ingest reads). */
  public List<SecretRef> clientSecrets() {
    return client == null ? List.of() : client.auth().secrets();
  }

  /** Every secret the source needs: its client's and its webhook's. */
  public List<SecretRef> secrets() {
    List<SecretRef> all = new ArrayList<>(clientSecrets());
    if (push != null && push.secret() != null) {
      all.add(push.secret());
    }
    return List.copyOf(all);
  }
}
