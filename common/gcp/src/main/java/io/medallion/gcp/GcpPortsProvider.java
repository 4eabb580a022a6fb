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
import io.medallion.port.Ports;
import java.util.Map;
import java.util.UUID;

/**
 * The GCP adapter set ({@code MEDALLION_ADAPTERS=gcp}, the default): Cloud Storage, Pub/Sub (the
 * emulator when {@code PUBSUB_EMULATOR_HOST} is set) and BigQuery, with default credentials.
 * Found by {@link java.util.ServiceLoader}; clients are built in {@link #create}, which a function
 * calls on its first event, never at class load.
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

  @Override
  public Ports create(MedallionConfig config) {
    StorageOptions.Builder storageOptions = StorageOptions.newBuilder().setProjectId(config.project());
    BigQueryOptions.Builder bigQueryOptions =
        BigQueryOptions.newBuilder().setProjectId(config.project()).setLocation(config.bigQueryLocation());
    if (credentials != null) {
      storageOptions.setCredentials(credentials);
      bigQueryOptions.setCredentials(credentials);
    }
    Storage storage = storageOptions.build().getService();
    BigQuery bigquery = bigQueryOptions.build().getService();
    String emulator = env.get("PUBSUB_EMULATOR_HOST");
    PubSubMessageBus bus =
        emulator == null || emulator.isBlank()
            ? PubSubMessageBus.forGcp(config.project())
            : PubSubMessageBus.forEmulator(config.project(), emulator.trim());
    return new Ports(
        new GcsObjectStore(storage),
        bus,
        new BigQueryWarehouse(bigquery, config.bigQueryLocation()),
        new BigQueryRunLedger(bigquery, config.ledgerTable(), config.bigQueryLocation()),
        // Each instance is its own task, so two instances never write one series (see the class).
        new Metrics(StackdriverMeterExport.forProject(
            config.project(), env.getOrDefault("K_SERVICE", "medallion"), UUID.randomUUID().toString())));
  }
}
