package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GoldModelsTest {

  @Test
  void everyModelFileIsListedAndRenders() throws IOException {
    io.medallion.source.Source source = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of("../../sql/breweries"))) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).map(n -> n.replace(".sql", "")).sorted().toList();
    }
    assertEquals(files, source.goldModels().stream().sorted().toList(), "sql/breweries and BreweriesSource.goldModels() agree");
    for (GoldModels.Model m : GoldModels.forSource(source, "silver_x", "gold_y")) {
      assertFalse(m.sql().contains("{{"), m.name());
      assertTrue(m.buildSql().contains("create or replace table gold_y." + m.name()), "file name = table name: " + m.name());
    }
  }

  @Test
  void unknownPlaceholder_andBadDataset_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> GoldModels.render("select {{nope}}", Map.of(), "t.sql"));
    assertThrows(IllegalArgumentException.class, () -> GoldModels.forSource(io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow(), "silver", "gold;drop"));
  }
}
