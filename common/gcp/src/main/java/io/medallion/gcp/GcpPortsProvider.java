package io.medallion.gcp;

import com.google.auth.Credentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.medallion.config.MedallionConfig;
import io.medallion.gcp.bigquery.BigQueryRunLedger;
import io.medallion.gcp.bigquery.BigQueryWarehouse;
import io.medallion.gcp.monitoring.StackdriverMeterExport;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.metrics.Metrics;
import io.medallion.gcp.storage.GcsObjectStore;
import io.medallion.port.Lazy;
import io.medallion.port.MessageBus;
import io.medallion.port.ObjectStore;
import io.medallion.port.Ports;
import io.medallion.port.RunLedger;
import io.medallion.port.Warehouse;
import java.util.Map;
import java.util.UUID;

/**
 * The GCP adapter set ({@code MEDALLION_ADAPTERS=gcp}, the default): Cloud Storage, Pub/Sub (the
 * emulator when {@code PUBSUB_EMULATOR_HOST} is set) and BigQuery, with default credentials.
 * Found by {@link java.util.ServiceLoader}; {@link #create}, which a function calls on its first
 * event, builds no client: each is built on the first call to a port that needs it.
 */
public final class GcpPortsProvider implements Ports.Provider {

  private final Map<String, String> env;
  private final Credentials credentials; // null: application default credentials

  /** For ServiceLoader: reads the process environment. */
  public GcpPortsProvider() {
    this(System.getenv(), null);
  }

  /** For tests: fixed credentials, so building clients never looks for a metadata server. */
  GcpPortsProvider(Map<String, String> env, Credentials credentials) {
    this.env = Map.copyOf(env);
    this.credentials = credentials;
  }

  @Override
  public String name() {
    return "gcp";
  }

  /**
   * The adapter set; each client is built on the first call to a port that uses it (see {@link
   * LazyAdapter}), so an event that needs no Cloud Storage or BigQuery builds neither client.
   */
  @Override
  public Ports create(MedallionConfig config) {
    Lazy<Storage> storage = Lazy.of(() -> {
      StorageOptions.Builder options = StorageOptions.newBuilder().setProjectId(config.project());
      if (credentials != null) {
        options.setCredentials(credentials);
      }
      return options.build().getService();
    });
    Lazy<BigQuery> bigquery = Lazy.of(() -> {
      BigQueryOptions.Builder options =
          BigQueryOptions.newBuilder().setProjectId(config.project()).setLocation(config.bigQueryLocation());
      if (credentials != null) {
        options.setCredentials(credentials);
      }
      return options.build().getService();
    });
    String emulator = env.get("PUBSUB_EMULATOR_HOST");
    return new Ports(
        LazyAdapter.of(ObjectStore.class, () -> new GcsObjectStore(storage.get())),
        LazyAdapter.of(MessageBus.class, () ->
            emulator == null || emulator.isBlank()
                ? PubSubMessageBus.forGcp(config.project())
                : PubSubMessageBus.forEmulator(config.project(), emulator.trim())),
        LazyAdapter.of(Warehouse.class, () -> new BigQueryWarehouse(bigquery.get(), config.bigQueryLocation())),
        LazyAdapter.of(RunLedger.class,
            () -> new BigQueryRunLedger(bigquery.get(), config.ledgerTable(), config.bigQueryLocation())),
        // Each instance is its own task, so two instances never write one series (see the class).
        new Metrics(StackdriverMeterExport.forProject(
            config.project(), env.getOrDefault("K_SERVICE", "medallion"), UUID.randomUUID().toString())),
        // Declared secrets by name, from the project's Secret Manager; the client is built on the first read.
        io.medallion.gcp.secrets.SecretManagerSecrets.create(config.project(), credentials),
        // OpenLineage run events to the Data Lineage API; no client work until the first event.
        new io.medallion.gcp.lineage.DataLineageApiSink(config.project(), lineageLocation(config), credentials));
  }

  /** The environment variable naming the Data Lineage API location (terraform/lineage.tf sets it). */
  public static final String LINEAGE_LOCATION = "MEDALLION_LINEAGE_LOCATION";

  /**
   * Where lineage is recorded: {@value #LINEAGE_LOCATION}, else the BigQuery location in lower case
   * ({@code US} becomes {@code us}), the multi-region lineage of BigQuery's own jobs is kept in.
   */
  String lineageLocation(MedallionConfig config) {
    String location = env.get(LINEAGE_LOCATION);
    return location == null || location.isBlank() ? config.bigQueryLocation().toLowerCase(java.util.Locale.ROOT) : location.trim();
  }
}
