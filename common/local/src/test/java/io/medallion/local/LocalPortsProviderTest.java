package io.medallion.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.port.ObjectId;
import io.medallion.port.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPortsProviderTest {

  @TempDir Path home;

  @Test
  void registeredUnderTheNameLocal() {
    List<Ports.Provider> local =
        ServiceLoader.load(Ports.Provider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.name().equals("local"))
            .toList();
    assertEquals(1, local.size(), "providers named local: " + local);
    assertTrue(local.get(0) instanceof LocalPortsProvider);
  }

  @Test
  void homeDefaultsToDotMedallion() {
    assertEquals(Path.of(".medallion"), new LocalPortsProvider(Map.of()).home());
    assertEquals(Path.of(".medallion"), new LocalPortsProvider(Map.of("MEDALLION_HOME", " ")).home());
    assertEquals(home, new LocalPortsProvider(Map.of("MEDALLION_HOME", home.toString())).home());
  }

  @Test
  void keepsItsStateUnderHome() throws Exception {
    MedallionConfig config = MedallionConfig.from(Map.of("MEDALLION_ADAPTERS", "local"));
    Ports ports = new LocalPortsProvider(Map.of("MEDALLION_HOME", home.toString())).create(config);
    try {
      ObjectId id = new ObjectId("medallion-bronze", "a/b.json");
      byte[] bytes = "{}".getBytes(StandardCharsets.UTF_8);
      ports.objects().createIfAbsent(id, "application/json", Map.of(), bytes);
      assertArrayEquals(bytes, ports.objects().readAllBytes(id));
      assertTrue(Files.exists(home.resolve("buckets").resolve("medallion-bronze")));
      assertTrue(Files.exists(home.resolve("warehouse").resolve("medallion.duckdb")));
    } finally {
      // Ports holds no close(); the adapters do, and DuckDB keeps the file locked until then.
      ((AutoCloseable) ports.warehouse()).close();
      ((AutoCloseable) ports.bus()).close();
    }
  }
}
