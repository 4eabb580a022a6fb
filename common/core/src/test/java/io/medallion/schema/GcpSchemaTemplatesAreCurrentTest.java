package io.medallion.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.domain.Domain;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * terraform/schemas/ is what the schema files say, policy tags instead of marks; and the
 * taxonomy terraform/policy_tags.tf makes from it agrees with the declarations. Re-render with
 * {@code -Dmedallion.renderSchemaTemplates=true}.
 */
class GcpSchemaTemplatesAreCurrentTest {

  static final Path REPO = Path.of("../..");
  static final Path TEMPLATES = REPO.resolve("terraform/schemas");

  @Test
  void everyTemplate_isItsSchemaFile_withPolicyTags() throws Exception {
    SourceRegistry registry = SourceRegistry.standard();
    Map<String, String> expected = new TreeMap<>();
    Map<String, Set<String>> byDomain = new TreeMap<>();
    for (Source s : registry.all()) {
      List<String> paths = new ArrayList<>();
      s.silverTables().forEach(t -> paths.add("silver/" + t));
      s.goldModels().forEach(m -> paths.add("gold/" + m));
      for (String p : paths) {
        String text = Files.readString(REPO.resolve("schemas/bigquery/" + p + ".json"), StandardCharsets.UTF_8);
        expected.put(p + ".json.tpl", GcpSchemaTemplates.template(text));
        Set<String> tags = GcpSchemaTemplates.tags(TableSchema.parse(text));
        if (!tags.isEmpty()) {
          byDomain.computeIfAbsent(s.domain(), d -> new TreeSet<>()).addAll(tags);
        }
      }
    }
    expected.put("policy_tags.json", GcpSchemaTemplates.tagsByDomain(byDomain));
    if (Boolean.getBoolean("medallion.renderSchemaTemplates")) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Files.createDirectories(TEMPLATES.resolve(e.getKey()).getParent());
        Files.writeString(TEMPLATES.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      }
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      Path file = TEMPLATES.resolve(e.getKey());
      assertTrue(Files.exists(file), file + " is missing: render with -Dmedallion.renderSchemaTemplates=true");
      assertEquals(e.getValue(), Files.readString(file, StandardCharsets.UTF_8),
          file + " is stale: render with -Dmedallion.renderSchemaTemplates=true");
    }
  }

  @Test
  void everyMarkedColumn_hasAPolicyTagOrIsMasked_andNoTemplateCarriesTheMark() throws Exception {
    SourceRegistry registry = SourceRegistry.standard();
    Map<String, List<String>> tagsByDomain = new TreeMap<>();
    JsonObject declared = JsonParser.parseString(Files.readString(TEMPLATES.resolve("policy_tags.json"))).getAsJsonObject();
    Set<String> vocabulary = JsonParser.parseString(Files.readString(REPO.resolve("schemas/policy-tags.json")))
        .getAsJsonObject().getAsJsonObject("policy_tags").keySet();
    for (Source s : registry.all()) {
      for (String t : s.silverTables()) {
        check(s, "silver/" + t, s.silverSchema(t), declared, vocabulary);
      }
      for (String m : s.goldModels()) {
        check(s, "gold/" + m, s.goldSchema(m), declared, vocabulary);
      }
    }
    // Every domain with a taxonomy has readers to grant, and the terraform grants exactly those.
    String tf = Files.readString(REPO.resolve("terraform/policy_tags.tf"));
    assertTrue(tf.contains("roles/datacatalog.categoryFineGrainedReader"), "readers get Fine-Grained Reader");
    assertTrue(tf.contains("sensitive_readers"), "the readers are the domains' sensitive_readers");
    for (String domain : declared.keySet()) {
      Domain d = registry.domain(domain).orElseThrow();
      assertFalse(d.sensitiveReaders().isEmpty(), domain + " has tagged columns and no sensitive_readers");
    }
  }

  private static void check(Source s, String path, TableSchema schema, JsonObject declared, Set<String> vocabulary)
      throws Exception {
    String template = Files.readString(TEMPLATES.resolve(path + ".json.tpl"));
    assertFalse(template.contains("\"sensitive\""), path + ": BigQuery refuses the sensitive key");
    JsonArray rendered = JsonParser.parseString(template.replaceAll("\\$\\{jsonencode\\(policy_tags\\[\"([a-z0-9_]+)\"\\]\\)\\}",
        "\"$1\"")).getAsJsonArray();
    for (TableSchema.Marked m : schema.marked()) {
      String tag = m.field().sensitivity().policyTag();
      JsonObject f = leaf(rendered, m.path().split("\\."));
      if (tag == null) {
        assertFalse(f.has("policyTags"), path + "." + m.path());
        continue;
      }
      assertTrue(vocabulary.contains(tag), tag);
      assertEquals(tag, f.getAsJsonObject("policyTags").getAsJsonArray("names").get(0).getAsString(), path + "." + m.path());
      assertTrue(declared.has(s.domain()) && declared.getAsJsonArray(s.domain()).toString().contains("\"" + tag + "\""),
          "the taxonomy of " + s.domain() + " holds " + tag);
    }
  }

  private static JsonObject leaf(JsonArray fields, String[] path) {
    for (JsonElement e : fields) {
      JsonObject f = e.getAsJsonObject();
      if (f.get("name").getAsString().equals(path[0])) {
        return path.length == 1 ? f : leaf(f.getAsJsonArray("fields"), java.util.Arrays.copyOfRange(path, 1, path.length));
      }
    }
    throw new AssertionError("no field " + String.join(".", path));
  }
}
