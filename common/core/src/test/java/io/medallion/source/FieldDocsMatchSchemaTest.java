package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** schemas/sources/README.md documents exactly the fields schemas/source.schema.json declares. */
class FieldDocsMatchSchemaTest {

  /** Definitions documented once under their own name rather than at every place they are used. */
  private static final Set<String> SHARED = Set.of("auth", "paginator", "total", "incremental", "secret");

  @Test
  void everyDeclaredField_isDocumented_andNothingElse() throws Exception {
    JsonNode schema;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/source.schema.json")) {
      schema = new ObjectMapper().readTree(in);
    }
    Set<String> declared = new TreeSet<>();
    walk(schema, "", schema.get("$defs"), declared);
    for (String def : SHARED) {
      if (!def.equals("secret")) {
        walk(schema.get("$defs").get(def), def, schema.get("$defs"), declared);
      }
    }
    declared.add("secret");
    String readme;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/sources/README.md")) {
      readme = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(readme);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(declared, documented, "schemas/sources/README.md's field table against schemas/source.schema.json");
  }

  /** Every property path under {@code node}; a shared definition stops at the field that uses it. */
  private static void walk(JsonNode node, String prefix, JsonNode defs, Set<String> out) {
    if (node == null) {
      return;
    }
    if (node.has("$ref")) {
      String def = node.get("$ref").asText().substring("#/$defs/".length());
      if (SHARED.contains(def) || def.equals("stringOrSecret")) {
        return;
      }
      walk(defs.get(def), prefix, defs, out);
      return;
    }
    for (String combinator : new String[] {"allOf", "oneOf", "anyOf"}) {
      if (node.has(combinator)) {
        for (JsonNode branch : node.get(combinator)) {
          walk(branch.has("then") ? branch.get("then") : branch, prefix, defs, out);
        }
      }
    }
    if (node.has("properties")) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.get("properties").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
        out.add(path);
        walk(f.getValue(), path, defs, out);
      }
    }
    if (node.has("items") && node.get("items").isObject()) {
      walk(node.get("items"), prefix + "[]", defs, out);
    }
  }
}
