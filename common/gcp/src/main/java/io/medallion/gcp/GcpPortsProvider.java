package io.medallion.gcp;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.medallion.config.MedallionConfig;
import io.medallion.gcp.bigquery.BigQueryRunLedger;
import io.medallion.gcp.bigquery.BigQueryWarehouse;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.gcp.storage.GcsObjectStore;
import io.medallion.port.Ports;
import java.util.Map;

/**
 * The GCP adapter set ({@code MEDALLION_ADAPTERS=gcp}, the default): Cloud Storage, Pub/Sub (the
 * emulator when {@code PUBSUB_EMULATOR_HOST} is set) and BigQuery, with default credentials.
 * Found by {@link java.util.ServiceLoader}; clients are built in {@link #create}, which a function
 * calls on its first event, never at class load.
 */
public final class GcpPortsProvider implements Ports.Provider {

  private final Map<String, String> env;

  /** For ServiceLoader: reads the process environment. */
  public GcpPortsProvider() {
    this(System.getenv());
  }

  GcpPortsProvider(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public Ports create(MedallionConfig config) {
    Storage storage = StorageOptions.newBuilder().setProjectId(config.project()).build().getService();
    BigQuery bigquery =
        BigQueryOptions.newBuilder().setProjectId(config.project()).setLocation(config.bigQueryLocation()).build().getService();
    String emulator = env.get("PUBSUB_EMULATOR_HOST");
    PubSubMessageBus bus =
        emulator == null || emulator.isBlank()
            ? PubSubMessageBus.forGcp(config.project())
            : PubSubMessageBus.forEmulator(config.project(), emulator.trim());
    return new Ports(
        new GcsObjectStore(storage),
        bus,
        new BigQueryWarehouse(bigquery, config.bigQueryLocation()),
        new BigQueryRunLedger(bigquery, config.ledgerTable(), config.bigQueryLocation()));
  }
}
