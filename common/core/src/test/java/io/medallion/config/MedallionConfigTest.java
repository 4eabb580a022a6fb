package io.medallion.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MedallionConfigTest {

  @Test
  void defaults_needNoVariables() {
    MedallionConfig c = MedallionConfig.defaults();
    assertEquals("medallion-bronze", c.bronzeBucket());
    assertEquals("run-requests", c.runRequestsTopic());
    assertNull(c.ingestPageSize(), "each declaration's own page size unless MEDALLION_PAGE_SIZE says");
  }

  @Test
  void badValue_failsNamingTheVariable() {
    for (var bad : Map.of(
        MedallionConfig.BRONZE_BUCKET, "Bad Bucket",
        MedallionConfig.GOLD_DATASET, "gold; drop table x",
        MedallionConfig.RUN_REQUESTS_TOPIC, "ab",
        MedallionConfig.SOURCE_URL, "ftp://example.com",
        MedallionConfig.PAGE_SIZE, "500",
        MedallionConfig.PROJECT, "X").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> MedallionConfig.from(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
    }
  }

  @Test
  void sameBucketForBronzeAndStaging_isRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> MedallionConfig.from(
        Map.of(MedallionConfig.BRONZE_BUCKET, "b-one", MedallionConfig.STAGING_BUCKET, "b-one")));
    assertTrue(e.getMessage().contains(MedallionConfig.STAGING_BUCKET));
  }

  @Test
  void eachSourcesTablesAreInItsDomainsDatasets_opsIsShared() {
    MedallionConfig c = MedallionConfig.from(Map.of(MedallionConfig.SILVER_DATASET, "med_silver",
        MedallionConfig.GOLD_DATASET, "med_gold"));
    io.medallion.source.SourceRegistry registry = io.medallion.source.SourceRegistry.standard();
    java.util.Set<String> expected = new java.util.LinkedHashSet<>();
    for (io.medallion.source.Source s : registry.all()) {
      assertEquals("med_silver_" + s.domain(), c.silverDataset(s), s.name());
      assertEquals("med_gold_" + s.domain(), c.goldDataset(s), s.name());
      assertEquals(registry.domainOf(s).dataset("med_gold"), c.goldDataset(s), "Domain.dataset names it too");
      expected.add("med_silver_" + s.domain());
      expected.add("med_gold_" + s.domain());
    }
    expected.add(c.opsDataset());
    assertEquals(java.util.List.copyOf(expected), c.datasets(registry.all()), "what a local warehouse creates");
    assertTrue(c.datasets(registry.all()).size() < 2 * registry.all().size() + 1, "a domain of two sources has its datasets once");
  }
}
