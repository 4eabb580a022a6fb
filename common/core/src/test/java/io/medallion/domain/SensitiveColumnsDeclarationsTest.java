package io.medallion.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.schema.Sensitivity;
import io.medallion.schema.TableSchema;
import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code "sensitive"} marks of schema files, as the registry checks them at load. */
class SensitiveColumnsDeclarationsTest {

  @TempDir Path root;

  @Test
  void theShippedMarks_areTheDeclaredOnes() {
    SourceRegistry shipped = SourceRegistry.standard();
    Map<String, String> marks = new TreeMap<>();
    for (Source s : shipped.all()) {
      for (String t : s.silverTables()) {
        s.silverSchema(t).marked().forEach(m -> marks.put("silver." + t + "." + m.path(), describe(m.field().sensitivity())));
      }
      for (String g : s.goldModels()) {
        s.goldSchema(g).marked().forEach(m -> marks.put("gold." + g + "." + m.path(), describe(m.field().sensitivity())));
      }
    }
    assertEquals(new TreeMap<>(Map.of(
        "silver.invoices.recipient.cpf", "tax_id/hash",
        "silver.invoices.recipient.email", "contact/hash",
        "silver.invoices.recipient.name", "person_name/-",
        "silver.transactions.account_id", "account_number/last4",
        "silver.github_issues.user_login", "person_name/-",
        "gold.fct_invoices.recipient_document", "tax_id/-",
        "gold.fct_transactions.account_id", "account_number/-",
        "gold.dim_github_issues.user_login", "person_name/-")), marks);
  }

  @Test
  void theMarksPointer_isItsPlaceInTheFile() {
    TableSchema invoices = SourceRegistry.standard().find("invoices").orElseThrow().silverSchema("invoices");
    TableSchema.Marked cpf = invoices.marked().stream().filter(m -> m.path().equals("recipient.cpf")).findFirst().orElseThrow();
    assertEquals("/" + invoices.indexOf("recipient") + "/fields/1", cpf.pointer());
  }

  @Test
  void anUnknownPolicyTag_isRefused_namingTheSchemaFileAndPointer() throws Exception {
    domain("retail", true);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\",\"sensitive\":{\"policy_tag\":\"ssn\"}}");
    String problems = problems();
    assertTrue(problems.contains("schemas/bigquery/silver/orders.json /0/sensitive/policy_tag: column id: no policy tag 'ssn'"
        + " is declared in schemas/policy-tags.json (declared: account_number, contact, person_name, tax_id)"), problems);
  }

  @Test
  void maskingANonStringColumn_isRefused() throws Exception {
    domain("retail", true);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\"},"
        + "{\"name\":\"card\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"number\",\"type\":\"INT64\",\"sensitive\":{\"masking\":\"last4\"}}]}");
    String problems = problems();
    assertTrue(problems.contains("orders.json /1/fields/0/sensitive/masking: column card.number is INT64: masking (last4) is"
        + " defined on STRING columns only"), problems);
  }

  @Test
  void hashMaskingInADomainWithoutASalt_isRefused_sayingWhatToAdd() throws Exception {
    domain("retail", false);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\",\"sensitive\":{\"masking\":\"hash\"}}");
    String problems = problems();
    assertTrue(problems.contains("orders.json /0/sensitive/masking: column id is masked by hash, but domain 'retail'"), problems);
    assertTrue(problems.contains("\"masking_salt\": {\"secret\": \"RETAIL_MASKING_SALT\"}"), problems);
  }

  @Test
  void hashMaskingInADomainWithASalt_loads() throws Exception {
    domain("retail", true);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\",\"sensitive\":{\"policy_tag\":\"tax_id\",\"masking\":\"hash\"}}");
    SourceRegistry loaded = SourceRegistry.withDirectories(List.of(root));
    assertEquals(Sensitivity.Masking.HASH, loaded.find("orders").orElseThrow().silverSchema().field("id").masking());
  }

  @Test
  void aMarkWithNeitherTagNorMasking_isRefused_namingThePointer() throws Exception {
    domain("retail", true);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\",\"sensitive\":{}}");
    String problems = problems();
    assertTrue(problems.contains("Column id: \"sensitive\" needs a \"policy_tag\", a \"masking\" or both (at /0/sensitive)"), problems);
  }

  @Test
  void anUnknownMasking_isRefused() throws Exception {
    domain("retail", true);
    source("orders", "retail", "{\"name\":\"id\",\"type\":\"STRING\",\"sensitive\":{\"masking\":\"redact\"}}");
    String problems = problems();
    assertTrue(problems.contains("Column id: unknown masking 'redact' (hash or last4) (at /0/sensitive)"), problems);
  }

  private static String describe(Sensitivity s) {
    return (s.policyTag() == null ? "-" : s.policyTag()) + "/" + (s.masking() == null ? "-" : s.masking().id());
  }

  private static final String SLO = "{\"freshness\": {\"gold_by\": \"07:00\", \"objective\": 0.9}, \"quality\": {\"objective\": 0.99}}";

  private void domain(String name, boolean salt) throws Exception {
    Files.createDirectories(root.resolve("schemas/domains"));
    Files.writeString(root.resolve("schemas/domains/" + name + ".json"), "{\"name\": \"" + name + "\", \"description\": \"d\", "
        + "\"owner\": {\"team\": \"retail-data\", \"contact\": \"retail@example.com\"}, \"consumers\": [], "
        + (salt ? "\"masking_salt\": {\"secret\": \"RETAIL_MASKING_SALT\"}, " : "") + "\"slo\": " + SLO + "}");
  }

  private void source(String name, String domain, String columns) throws Exception {
    String table = name;
    String model = name + "_summary";
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.createDirectories(root.resolve("schemas/bigquery/gold"));
    Files.createDirectories(root.resolve("sql/" + name));
    Files.writeString(root.resolve("schemas/sources/" + name + ".json"), "{\"name\": \"" + name + "\", \"domain\": \"" + domain
        + "\", \"description\": \"d\", \"client\": {\"base_url\": \"https://api.example.com\", \"paginator\": {\"type\": \"single_page\"}}, "
        + "\"resources\": [{\"name\": \"" + table + "\", \"endpoint\": {\"path\": \"/x\"}, \"silver\": {\"table\": \"" + table + "\"}}], "
        + "\"gold\": {\"models\": [\"" + model + "\"], \"main_table\": \"" + model + "\", \"main_order\": \"n\"}}");
    Files.writeString(root.resolve("schemas/bigquery/silver/" + table + ".json"), "[" + columns + ","
        + "{\"name\":\"_run_id\",\"type\":\"STRING\"},"
        + "{\"name\":\"_source_uri\",\"type\":\"STRING\"},{\"name\":\"_source_generation\",\"type\":\"INT64\"},"
        + "{\"name\":\"_source_record\",\"type\":\"INT64\"},{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\"},"
        + "{\"name\":\"_extra\",\"type\":\"JSON\"}]");
    Files.writeString(root.resolve("schemas/bigquery/gold/" + model + ".json"), "[{\"name\":\"n\",\"type\":\"INT64\"}]");
    Files.writeString(root.resolve("sql/" + name + "/" + model + ".sql"), "select count(*) as n from {{silver}}." + table);
  }

  private String problems() {
    return assertThrows(DeclarationException.class, () -> SourceRegistry.withDirectories(List.of(root))).getMessage();
  }
}
