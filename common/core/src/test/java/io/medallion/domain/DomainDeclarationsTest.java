package io.medallion.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainDeclarationsTest {

  @TempDir Path root;

  @Test
  void everyShippedSource_belongsToADeclaredDomain_withAnOwnerAndObjectives() {
    SourceRegistry shipped = SourceRegistry.standard();
    assertEquals(Set.of("brewing", "media", "engineering", "sales", "finance"),
        shipped.domains().stream().map(Domain::name).collect(Collectors.toSet()));
    for (Source s : shipped.all()) {
      Domain d = shipped.domainOf(s);
      assertTrue(d.owner().contact().contains("@"), s.name());
      assertTrue(d.slo().freshness().objective() > 0 && d.slo().freshness().objective() < 1, s.name());
      assertTrue(d.consumers().stream().allMatch(c -> c.startsWith("group:")), s.name());
    }
    assertEquals(List.of("invoices", "transactions"), shipped.sourcesOf("finance").stream().map(Source::name).toList());
    Domain finance = shipped.domain("finance").orElseThrow();
    assertEquals(LocalTime.of(10, 0), finance.slo().freshness().goldBy());
    assertEquals(28, finance.slo().quality().windowDays());
    assertEquals("gold_finance", finance.dataset("gold"));
    assertEquals("finance-data", finance.labels("gold").get("owner"));
    assertEquals("FINANCE_MASKING_SALT", finance.maskingSalt().name());
  }

  @Test
  void aSourceNamingAnUndeclaredDomain_isRefused_namingFileAndField() throws Exception {
    source("orders", "retail", "orders", "orders_summary");
    String problems = problems();
    assertTrue(problems.contains("orders.json /domain: no domain 'retail' is declared (schemas/domains/retail.json)"), problems);
    assertTrue(problems.contains("declared: brewing, engineering, finance, media, sales"), problems);
  }

  @Test
  void aTableClaimedByTwoDomains_isRefused_namingBothFiles() throws Exception {
    domain("retail", "\"group:retail@example.com\"");
    source("orders", "retail", "sales", "orders_summary");
    String problems = problems();
    assertTrue(problems.contains("orders.json /resources/0/silver/table: the silver table sales is claimed by two domains: "
        + "'retail' here and 'sales' in "), problems);
  }

  @Test
  void aConsumerThatIsNotAnEmailPrincipal_isRefused_namingTheField() throws Exception {
    domain("retail", "\"group:retail@example.com\", \"retail-analysts\", \"domain:example.com\"");
    source("orders", "retail", "orders", "orders_summary");
    String problems = problems();
    assertTrue(problems.contains("retail.json /consumers/1: 'retail-analysts' is not an IAM principal with an email"), problems);
    assertTrue(problems.contains("retail.json /consumers/2: 'domain:example.com' is not an IAM principal"), problems);
  }

  @Test
  void aDomainMissingItsOwner_isRefusedByTheSchema() throws Exception {
    Files.createDirectories(root.resolve("schemas/domains"));
    Files.writeString(root.resolve("schemas/domains/retail.json"),
        "{\"name\": \"retail\", \"description\": \"d\", \"consumers\": [], \"slo\": " + SLO + "}");
    source("orders", "retail", "orders", "orders_summary");
    String problems = problems();
    assertTrue(problems.contains("retail.json /owner: is required"), problems);
  }

  private static final String SLO = "{\"freshness\": {\"gold_by\": \"07:00\", \"objective\": 0.9}, \"quality\": {\"objective\": 0.99}}";

  private void domain(String name, String consumers) throws Exception {
    Files.createDirectories(root.resolve("schemas/domains"));
    Files.writeString(root.resolve("schemas/domains/" + name + ".json"), "{\"name\": \"" + name + "\", \"description\": \"d\", "
        + "\"owner\": {\"team\": \"retail-data\", \"contact\": \"retail@example.com\"}, \"consumers\": [" + consumers + "], "
        + "\"slo\": " + SLO + "}");
  }

  private void source(String name, String domain, String table, String model) throws Exception {
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.createDirectories(root.resolve("schemas/bigquery/gold"));
    Files.createDirectories(root.resolve("sql/" + name));
    Files.writeString(root.resolve("schemas/sources/" + name + ".json"), "{\"name\": \"" + name + "\", \"domain\": \"" + domain
        + "\", \"description\": \"d\", \"client\": {\"base_url\": \"https://api.example.com\", \"paginator\": {\"type\": \"single_page\"}}, "
        + "\"resources\": [{\"name\": \"" + table + "\", \"endpoint\": {\"path\": \"/x\"}, \"silver\": {\"table\": \"" + table + "\"}}], "
        + "\"gold\": {\"models\": [\"" + model + "\"], \"main_table\": \"" + model + "\", \"main_order\": \"n\"}}");
    if (!Files.exists(root.resolve("schemas/bigquery/silver/" + table + ".json"))) {
      Files.writeString(root.resolve("schemas/bigquery/silver/" + table + ".json"),
          "[{\"name\":\"id\",\"type\":\"STRING\"},{\"name\":\"_run_id\",\"type\":\"STRING\"},"
              + "{\"name\":\"_source_uri\",\"type\":\"STRING\"},{\"name\":\"_source_generation\",\"type\":\"INT64\"},"
              + "{\"name\":\"_source_record\",\"type\":\"INT64\"},{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\"},"
              + "{\"name\":\"_extra\",\"type\":\"JSON\"}]");
    }
    Files.writeString(root.resolve("schemas/bigquery/gold/" + model + ".json"), "[{\"name\":\"n\",\"type\":\"INT64\"}]");
    Files.writeString(root.resolve("sql/" + name + "/" + model + ".sql"), "select count(*) as n from {{silver}}." + table);
  }

  private String problems() {
    return assertThrows(DeclarationException.class, () -> SourceRegistry.withDirectories(List.of(root))).getMessage();
  }
}
