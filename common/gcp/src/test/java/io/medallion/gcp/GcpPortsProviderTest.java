package io.medallion.gcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.NoCredentials;
import io.medallion.config.MedallionConfig;
import io.medallion.gcp.bigquery.BigQueryRunLedger;
import io.medallion.gcp.bigquery.BigQueryWarehouse;
import io.medallion.gcp.pubsub.PubSubMessageBus;
import io.medallion.gcp.storage.GcsObjectStore;
import io.medallion.port.Ports;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class GcpPortsProviderTest {

  @Test
  void serviceLoaderFindsTheGcpSet() {
    assertTrue(ServiceLoader.load(Ports.Provider.class).stream()
        .anyMatch(p -> p.type() == GcpPortsProvider.class), "registered in META-INF/services");
  }

  @Test
  void create_buildsNoClient_eachPortBuildsItsAdapterOnFirstUse_withoutTouchingTheNetwork() throws Exception {
    MedallionConfig config = MedallionConfig.from(Map.of(MedallionConfig.PROJECT, "medallion-test"));
    // The emulator address is never dialled: publishers are made on first publish.
    Ports ports = new GcpPortsProvider(Map.of("PUBSUB_EMULATOR_HOST", "127.0.0.1:1"), NoCredentials.getInstance()).create(config);
    for (Object port : List.of(ports.objects(), ports.bus(), ports.warehouse(), ports.ledger())) {
      assertFalse(LazyAdapter.isBuilt(port), port + " built before its first use");
    }
    assertInstanceOf(GcsObjectStore.class, LazyAdapter.adapter(ports.objects()));
    assertInstanceOf(BigQueryWarehouse.class, LazyAdapter.adapter(ports.warehouse()));
    assertFalse(LazyAdapter.isBuilt(ports.ledger()), "the ledger is built on its own first use");
    assertInstanceOf(BigQueryRunLedger.class, LazyAdapter.adapter(ports.ledger()));
    assertInstanceOf(PubSubMessageBus.class, LazyAdapter.adapter(ports.bus()));
    assertTrue(LazyAdapter.isBuilt(ports.bus()));
    ((PubSubMessageBus) LazyAdapter.adapter(ports.bus())).close();
  }

  @Test
  void unknownAdapterSet_namesWhatWasFound() {
    MedallionConfig config = MedallionConfig.from(Map.of(MedallionConfig.ADAPTERS, "local"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ports.fromEnvironment(config));
    assertTrue(e.getMessage().contains("'local'") && e.getMessage().contains("[gcp]"), e.getMessage());
    assertEquals("gcp", new GcpPortsProvider(Map.of(), NoCredentials.getInstance()).name());
  }
}
