package io.medallion.config;

import io.medallion.event.InvalidEventException;
import io.medallion.port.TableId;
import io.medallion.source.SourceOrigin;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every setting of the pipeline, with its environment variable, default and validation in one
 * place. {@link #fromEnvironment()} is the only reader of {@code System.getenv}; a bad value fails
 * at start with a message that names the variable.
 *
 * @param project GCP project id (locally a label in events only)
 * @param bronzeBucket raw pages and manifests; files dropped here are processed too
 * @param stagingBucket typed NDJSON and rejects written by silver
 * @param runRequestsTopic start and continuation messages for ingest
 * @param bqJobsTopic BigQuery job-completion audit entries (log sink) for gold
 * @param deadLettersTopic where undeliverable messages end
 * @param silverDataset BigQuery dataset of silver tables
 * @param goldDataset BigQuery dataset of gold tables
 * @param opsDataset BigQuery dataset of the run ledger
 * @param sourceUrl where runs read their source unless their request says (an http(s) base URL, or
 *     locally a {@code replay:} URL); null means the source's own URL
 * @param ingestPageSize records per API page for every source (1..200), or null for each
 *     declaration's own page size
 * @param adapters which adapter set a deployed function uses: {@code gcp} (default) or {@code local}
 * @param bigQueryLocation BigQuery location of the datasets and jobs (e.g. {@code US}, {@code EU})
 * @param ingestConcurrency at most this many pages in flight per listing, or null for what each
 *     declaration allows
 * @param sourcesDirs directories of more source declarations, laid out as the repository (empty:
 *     only the shipped ones)
 * @param pushTopicPrefix what a pushed source's topic name starts with: the topic is this plus the
 *     source's name with {@code _} as {@code -} (see {@link #pushTopic})
 */
public record MedallionConfig(
    String project,
    String bronzeBucket,
    String stagingBucket,
    String runRequestsTopic,
    String bqJobsTopic,
    String deadLettersTopic,
    String silverDataset,
    String goldDataset,
    String opsDataset,
    URI sourceUrl,
    Integer ingestPageSize,
    String adapters,
    String bigQueryLocation,
    Integer ingestConcurrency,
    java.util.List<java.nio.file.Path> sourcesDirs,
    String pushTopicPrefix) {

  public static final String PROJECT = "MEDALLION_PROJECT";
  public static final String BRONZE_BUCKET = "MEDALLION_BRONZE_BUCKET";
  public static final String STAGING_BUCKET = "MEDALLION_STAGING_BUCKET";
  public static final String RUN_REQUESTS_TOPIC = "MEDALLION_RUN_REQUESTS_TOPIC";
  public static final String BQ_JOBS_TOPIC = "MEDALLION_BQ_JOBS_TOPIC";
  public static final String DEAD_LETTERS_TOPIC = "MEDALLION_DEAD_LETTERS_TOPIC";
  public static final String SILVER_DATASET = "MEDALLION_SILVER_DATASET";
  public static final String GOLD_DATASET = "MEDALLION_GOLD_DATASET";
  public static final String OPS_DATASET = "MEDALLION_OPS_DATASET";
  public static final String SOURCE_URL = "MEDALLION_SOURCE_URL";
  public static final String PAGE_SIZE = "MEDALLION_PAGE_SIZE";
  public static final String ADAPTERS = "MEDALLION_ADAPTERS";
  public static final String BQ_LOCATION = "MEDALLION_BQ_LOCATION";
  public static final String SOURCES_DIR = "MEDALLION_SOURCES_DIR";
  public static final String INGEST_CONCURRENCY = "MEDALLION_INGEST_CONCURRENCY";
  public static final String PUSH_TOPIC_PREFIX = "MEDALLION_PUSH_TOPIC_PREFIX";

  /** The largest page a run may ask a source for. */
  public static final int MAX_PAGE_SIZE = 200;

  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z][A-Za-z0-9._~%+-]{2,254}");

  public MedallionConfig {
    require(PROJECT, project, PROJECT_ID, "a GCP project id");
    require(BRONZE_BUCKET, bronzeBucket, BUCKET, "a GCS bucket name");
    require(STAGING_BUCKET, stagingBucket, BUCKET, "a GCS bucket name");
    if (bronzeBucket.equals(stagingBucket)) {
      // Silver's own writes would trigger silver again.
      throw new ConfigException(
          STAGING_BUCKET + " must differ from " + BRONZE_BUCKET + " (both are " + bronzeBucket + ")");
    }
    require(RUN_REQUESTS_TOPIC, runRequestsTopic, TOPIC, "a Pub/Sub topic name of 3+ characters");
    require(BQ_JOBS_TOPIC, bqJobsTopic, TOPIC, "a Pub/Sub topic name of 3+ characters");
    require(DEAD_LETTERS_TOPIC, deadLettersTopic, TOPIC, "a Pub/Sub topic name of 3+ characters");
    dataset(SILVER_DATASET, silverDataset);
    dataset(GOLD_DATASET, goldDataset);
    dataset(OPS_DATASET, opsDataset);
    if (sourceUrl != null) {
      try {
        SourceOrigin.check(sourceUrl);
      } catch (InvalidEventException e) {
        throw new ConfigException(SOURCE_URL + ": " + e.getMessage());
      }
      if (SourceOrigin.REPLAY.equals(sourceUrl.getScheme()) && !"local".equals(adapters)) {
        throw new ConfigException(SOURCE_URL + " may be a replay: URL only locally, got " + sourceUrl);
      }
    }
    if (ingestPageSize != null && (ingestPageSize < 1 || ingestPageSize > MAX_PAGE_SIZE)) {
      throw new ConfigException(PAGE_SIZE + " must be 1.." + MAX_PAGE_SIZE + ", got " + ingestPageSize);
    }
    if (!"gcp".equals(adapters) && !"local".equals(adapters)) {
      throw new ConfigException(ADAPTERS + " must be gcp or local, got '" + adapters + "'");
    }
    if (ingestConcurrency != null && (ingestConcurrency < 1 || ingestConcurrency > 32)) {
      throw new ConfigException(INGEST_CONCURRENCY + " must be 1..32, got " + ingestConcurrency);
    }
    sourcesDirs = sourcesDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    for (java.nio.file.Path dir : sourcesDirs) {
      if (!java.nio.file.Files.isDirectory(dir)) {
        throw new ConfigException(SOURCES_DIR + ": " + dir + " is not a directory");
      }
    }
    require(PUSH_TOPIC_PREFIX, pushTopicPrefix, Pattern.compile("[A-Za-z][A-Za-z0-9._~%+-]{0,190}"),
        "the start of a Pub/Sub topic name");
    require(BQ_LOCATION, bigQueryLocation, Pattern.compile("[A-Za-z][A-Za-z0-9-]{1,40}"), "a BigQuery location such as US or europe-west1");
  }

  /** The defaults used locally: no variable needs to be set. */
  public static MedallionConfig defaults() {
    return from(Map.of());
  }

  public static MedallionConfig fromEnvironment() {
    return from(environment());
  }

  /**
   * The process environment: the only place it is read. Besides the settings here it holds, locally,
   * the values of declared secrets (an environment variable per secret name).
   */
  public static Map<String, String> environment() {
    return System.getenv();
  }

  /**
   * The settings of the local pipeline (the CLI): as {@link #from}, with the local adapters
   * whatever {@code MEDALLION_ADAPTERS} says, since the CLI wires local adapters itself.
   */
  public static MedallionConfig forLocal(Map<String, String> env) {
    Map<String, String> local = new java.util.HashMap<>(env);
    local.put(ADAPTERS, "local");
    return from(local);
  }

  /** Reads the settings from a map of environment variables. */
  public static MedallionConfig from(Map<String, String> env) {
    String url = env.get(SOURCE_URL);
    URI sourceUrl;
    try {
      sourceUrl = url == null || url.isBlank() ? null : URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SOURCE_URL + " is not a URL: " + url);
    }
    String pageSize = env.get(PAGE_SIZE);
    Integer size = null;
    if (pageSize != null && !pageSize.isBlank()) {
      try {
        size = Integer.parseInt(pageSize.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(PAGE_SIZE + " must be a number, got '" + pageSize + "'");
      }
    }
    return new MedallionConfig(
        env.getOrDefault(PROJECT, "medallion-local"),
        env.getOrDefault(BRONZE_BUCKET, "medallion-bronze"),
        env.getOrDefault(STAGING_BUCKET, "medallion-silver-staging"),
        env.getOrDefault(RUN_REQUESTS_TOPIC, "run-requests"),
        env.getOrDefault(BQ_JOBS_TOPIC, "bq-jobs"),
        env.getOrDefault(DEAD_LETTERS_TOPIC, "dead-letters"),
        env.getOrDefault(SILVER_DATASET, "silver"),
        env.getOrDefault(GOLD_DATASET, "gold"),
        env.getOrDefault(OPS_DATASET, "ops"),
        sourceUrl,
        size,
        env.getOrDefault(ADAPTERS, "gcp"),
        env.getOrDefault(BQ_LOCATION, "US"),
        optionalInt(env, INGEST_CONCURRENCY),
        paths(env.get(SOURCES_DIR)),
        env.getOrDefault(PUSH_TOPIC_PREFIX, "push-"));
  }

  private static Integer optionalInt(Map<String, String> env, String key) {
    String v = env.get(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be a number, got '" + v + "'");
    }
  }

  private static java.util.List<java.nio.file.Path> paths(String value) {
    java.util.List<java.nio.file.Path> out = new java.util.ArrayList<>();
    if (value != null) {
      for (String part : value.split(java.io.File.pathSeparator)) {
        if (!part.isBlank()) {
          out.add(java.nio.file.Path.of(part.trim()));
        }
      }
    }
    return out;
  }

  public MedallionConfig withIngestConcurrency(Integer concurrency) {
    return new MedallionConfig(
        project, bronzeBucket, stagingBucket, runRequestsTopic, bqJobsTopic, deadLettersTopic,
        silverDataset, goldDataset, opsDataset, sourceUrl, ingestPageSize, adapters, bigQueryLocation, concurrency,
        sourcesDirs, pushTopicPrefix);
  }

  public MedallionConfig withSourcesDirs(java.util.List<java.nio.file.Path> dirs) {
    return new MedallionConfig(
        project, bronzeBucket, stagingBucket, runRequestsTopic, bqJobsTopic, deadLettersTopic,
        silverDataset, goldDataset, opsDataset, sourceUrl, ingestPageSize, adapters, bigQueryLocation, ingestConcurrency, dirs, pushTopicPrefix);
  }

  public MedallionConfig withSourceUrl(URI url) {
    return new MedallionConfig(
        project, bronzeBucket, stagingBucket, runRequestsTopic, bqJobsTopic, deadLettersTopic,
        silverDataset, goldDataset, opsDataset, url, ingestPageSize, adapters, bigQueryLocation, ingestConcurrency, sourcesDirs, pushTopicPrefix);
  }

  public MedallionConfig withPageSize(Integer pageSize) {
    return new MedallionConfig(
        project, bronzeBucket, stagingBucket, runRequestsTopic, bqJobsTopic, deadLettersTopic,
        silverDataset, goldDataset, opsDataset, sourceUrl, pageSize, adapters, bigQueryLocation, ingestConcurrency, sourcesDirs, pushTopicPrefix);
  }

  /**
   * The topic records pushed to {@code source} are published to: {@code push-<source>} locally,
   * {@code <name_prefix>-push-<source>} as terraform names it (underscores become dashes, as in
   * every name terraform derives from a source).
   */
  public String pushTopic(String source) {
    return pushTopicPrefix + source.replace('_', '-');
  }

  /**
   * The dataset of {@code source}'s silver tables: its domain's ({@code <silverDataset>_<domain>},
   * {@link io.medallion.domain.Domain#dataset(String)}).
   */
  public String silverDataset(io.medallion.source.Source source) {
    return io.medallion.domain.Domain.dataset(silverDataset, source.domain());
  }

  /** The dataset of {@code source}'s gold tables: its domain's ({@code <goldDataset>_<domain>}). */
  public String goldDataset(io.medallion.source.Source source) {
    return io.medallion.domain.Domain.dataset(goldDataset, source.domain());
  }

  /**
   * Every dataset the pipeline of {@code sources} writes: each of their domains' silver and gold
   * datasets, and the shared ops dataset; each once, in that order.
   */
  public java.util.List<String> datasets(java.util.Collection<io.medallion.source.Source> sources) {
    java.util.Set<String> datasets = new java.util.LinkedHashSet<>();
    for (io.medallion.source.Source source : sources) {
      datasets.add(silverDataset(source));
      datasets.add(goldDataset(source));
    }
    datasets.add(opsDataset);
    return java.util.List.copyOf(datasets);
  }

  public TableId ledgerTable() {
    return new TableId(opsDataset, "run_ledger");
  }

  private static void require(String key, String value, Pattern pattern, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new ConfigException(key + " must be " + what + ", got '" + value + "'");
    }
  }

  private static void dataset(String key, String value) {
    try {
      TableId.requireIdentifier(value, "dataset");
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
  }
}
