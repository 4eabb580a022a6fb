package io.medallion.schema;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The schema files as Terraform gives them to BigQuery: {@code terraform/schemas/<layer>/<table>.json.tpl},
 * rendered with {@code templatefile(..., {policy_tags = {<tag> = <policy tag resource name>}})}.
 * Each marked column carries {@code "policyTags": {"names": [...]}} (BigQuery's TableFieldSchema)
 * instead of the {@code "sensitive"} key, which BigQuery would refuse; everything else is the
 * schema file as it is. Text that Terraform's template syntax would read ({@code ${}, {@code %{})
 * is escaped ({@code $${}, {@code %%{}).
 */
public final class GcpSchemaTemplates {

  private GcpSchemaTemplates() {}

  /** The template of one schema file's text. */
  public static String template(String schemaJson) {
    JsonElement root = JsonParser.parseString(schemaJson);
    JsonArray fields = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("fields");
    JsonArray out = new JsonArray();
    for (JsonElement f : fields) {
      out.add(field(f.getAsJsonObject()));
    }
    String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(out);
    json = json.replace("${", "$${").replace("%{", "%%{");
    // The placeholder becomes a template expression last, so that it is the only one.
    return json.replaceAll("\"@@POLICY_TAG:([a-z0-9_]+)@@\"", "\\${jsonencode(policy_tags[\"$1\"])}") + "\n";
  }

  private static JsonObject field(JsonObject f) {
    JsonObject o = new JsonObject();
    for (Map.Entry<String, JsonElement> e : f.entrySet()) {
      if (e.getKey().equals("sensitive")) {
        JsonObject s = e.getValue().getAsJsonObject();
        if (s.has("policy_tag")) {
          JsonObject tags = new JsonObject();
          JsonArray names = new JsonArray();
          names.add("@@POLICY_TAG:" + s.get("policy_tag").getAsString() + "@@");
          tags.add("names", names);
          o.add("policyTags", tags);
        }
      } else if (e.getKey().equals("fields") && e.getValue().isJsonArray()) {
        JsonArray sub = new JsonArray();
        e.getValue().getAsJsonArray().forEach(c -> sub.add(field(c.getAsJsonObject())));
        o.add("fields", sub);
      } else {
        o.add(e.getKey(), e.getValue());
      }
    }
    return o;
  }

  /** The policy tags a schema uses. */
  public static Set<String> tags(TableSchema schema) {
    Set<String> tags = new TreeSet<>();
    schema.marked().forEach(m -> {
      if (m.field().sensitivity().policyTag() != null) {
        tags.add(m.field().sensitivity().policyTag());
      }
    });
    return tags;
  }

  /** {@code terraform/schemas/policy_tags.json}: per domain, the policy tags its tables use. */
  public static String tagsByDomain(Map<String, Set<String>> byDomain) {
    JsonObject o = new JsonObject();
    new TreeMap<>(byDomain).forEach((domain, tags) -> {
      JsonArray a = new JsonArray();
      tags.forEach(a::add);
      o.add(domain, a);
    });
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }
}
