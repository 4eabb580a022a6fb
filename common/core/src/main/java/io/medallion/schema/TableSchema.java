package io.medallion.schema;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.port.TableId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table schema in the {@code bq} JSON format (an array of {name, type, mode, description}), the
 * same file Terraform and {@code bq mk} read. The files live in {@code schemas/bigquery/}.
 */
public final class TableSchema {

  private final List<Field> fields;
  private final Map<String, Integer> positions = new LinkedHashMap<>();

  public TableSchema(List<Field> fields) {
    this.fields = List.copyOf(fields);
    for (int i = 0; i < this.fields.size(); i++) {
      Field f = this.fields.get(i);
      TableId.requireIdentifier(f.name(), "column");
      if (positions.put(f.name(), i) != null) {
        throw new IllegalArgumentException("Duplicate column " + f.name());
      }
    }
  }

  /** Loads {@code schemas/bigquery/<layer>/<table>.json} from the classpath. */
  public static TableSchema forTable(String layer, String table) {
    String path = "schemas/bigquery/" + layer + "/" + table + ".json";
    try (InputStream in = TableSchema.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("No schema file " + path + " on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  /**
   * Reads a schema file: every type of {@link FieldType}, RECORD columns with their {@code fields}
   * (nested to any depth), {@code precision} and {@code scale} of a decimal. A fault names the
   * column by its path ({@code items.unit_price}).
   */
  public static TableSchema parse(String json) {
    JsonElement root = JsonParser.parseString(json);
    JsonArray array =
        root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("fields");
    return new TableSchema(fields(array, "", root.isJsonArray() ? "" : "/fields"));
  }

  private static List<Field> fields(JsonArray array, String prefix, String pointer) {
    List<Field> fields = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    int index = 0;
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      String name = o.has("name") ? o.get("name").getAsString() : "(unnamed)";
      String path = prefix + name;
      String at = pointer + "/" + index++;
      try {
        if (!prefix.isEmpty()) {
          TableId.requireIdentifier(name, "field");
          if (!names.add(name)) {
            throw new IllegalArgumentException("a second field of this name in its RECORD");
          }
        }
        String type = o.has("type") ? o.get("type").getAsString() : "";
        Field.Mode mode = o.has("mode") ? Field.Mode.parse(o.get("mode").getAsString()) : Field.Mode.NULLABLE;
        FieldType fieldType = FieldType.parse(type);
        List<Field> nested = List.of();
        if (fieldType == FieldType.RECORD) {
          if (!o.has("fields") || !o.get("fields").isJsonArray() || o.getAsJsonArray("fields").isEmpty()) {
            throw new IllegalArgumentException("a RECORD needs its \"fields\"");
          }
          nested = fields(o.getAsJsonArray("fields"), path + ".", at + "/fields");
        } else if (o.has("fields")) {
          throw new IllegalArgumentException("only a RECORD has \"fields\" (this is " + fieldType + ")");
        }
        fields.add(
            new Field(
                name,
                fieldType,
                mode,
                o.has("description") ? o.get("description").getAsString() : "",
                nested,
                o.has("precision") ? Integer.parseInt(o.get("precision").getAsString()) : 0,
                o.has("scale") ? Integer.parseInt(o.get("scale").getAsString()) : -1,
                sensitivity(o, at + "/sensitive")));
      } catch (IllegalArgumentException bad) {
        if (bad.getMessage() != null && bad.getMessage().startsWith("Column ")) {
          throw bad;
        }
        throw new IllegalArgumentException("Column " + path + ": " + bad.getMessage(), bad);
      }
    }
    return fields;
  }

  /** A field's {@code "sensitive"} object, or null. */
  private static Sensitivity sensitivity(JsonObject o, String at) {
    if (!o.has("sensitive")) {
      return null;
    }
    try {
      return sensitivity(o);
    } catch (RuntimeException bad) {
      throw new IllegalArgumentException(bad.getMessage() + " (at " + at + ")", bad);
    }
  }

  private static Sensitivity sensitivity(JsonObject o) {
    if (!o.get("sensitive").isJsonObject()) {
      throw new IllegalArgumentException("\"sensitive\" is an object: {\"policy_tag\": ..., \"masking\": \"hash\" | \"last4\"}");
    }
    JsonObject s = o.getAsJsonObject("sensitive");
    for (String key : s.keySet()) {
      if (!key.equals("policy_tag") && !key.equals("masking")) {
        throw new IllegalArgumentException("\"sensitive\" has no key '" + key + "' (policy_tag, masking)");
      }
    }
    return new Sensitivity(
        s.has("policy_tag") ? s.get("policy_tag").getAsString() : null,
        s.has("masking") ? Sensitivity.Masking.parse(s.get("masking").getAsString()) : null);
  }

  /**
   * Every marked column, leaf fields of RECORDs included, with its dotted path and its JSON
   * pointer in the schema file ({@code /7/fields/1}) for messages.
   */
  public List<Marked> marked() {
    List<Marked> out = new ArrayList<>();
    marked(fields, "", "", out);
    return out;
  }

  /** A marked column: its path ({@code recipient.cpf}), its pointer in the file, the field. */
  public record Marked(String path, String pointer, Field field) {}

  private static void marked(List<Field> fields, String prefix, String pointer, List<Marked> out) {
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      String at = pointer + "/" + i;
      if (f.sensitive()) {
        out.add(new Marked(prefix + f.name(), at, f));
      }
      if (f.isRecord()) {
        marked(f.fields(), prefix + f.name() + ".", at + "/fields", out);
      }
    }
  }

  /** Whether any column (or RECORD leaf) is masked in silver. */
  public boolean masks() {
    return marked().stream().anyMatch(m -> m.field().masking() != null);
  }

  /**
   * The schema in the {@code bq} JSON format, as {@link #parse} reads it, without the {@code
   * "sensitive"} marks (BigQuery refuses keys it does not know): see {@link #toJson(boolean)}.
   */
  public String toJson() {
    return toJson(false);
  }

  /** The schema in the {@code bq} JSON format; with {@code marks}, the {@code "sensitive"} keys too. */
  public String toJson(boolean marks) {
    JsonArray array = new JsonArray();
    for (Field f : fields) {
      array.add(toJson(f, marks));
    }
    return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(array);
  }

  private static JsonObject toJson(Field f, boolean marks) {
    JsonObject o = new JsonObject();
    o.addProperty("name", f.name());
    o.addProperty("type", f.type().name());
    o.addProperty("mode", f.mode().name());
    if (f.precision() > 0) {
      o.addProperty("precision", Integer.toString(f.precision()));
    }
    if (f.scale() >= 0) {
      o.addProperty("scale", Integer.toString(f.scale()));
    }
    if (!f.description().isEmpty()) {
      o.addProperty("description", f.description());
    }
    if (f.isRecord()) {
      JsonArray sub = new JsonArray();
      f.fields().forEach(c -> sub.add(toJson(c, marks)));
      o.add("fields", sub);
    }
    if (marks && f.sensitive()) {
      JsonObject s = new JsonObject();
      if (f.sensitivity().policyTag() != null) {
        s.addProperty("policy_tag", f.sensitivity().policyTag());
      }
      if (f.masking() != null) {
        s.addProperty("masking", f.masking().id());
      }
      o.add("sensitive", s);
    }
    return o;
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  /** Position of a column, or -1. */
  public int indexOf(String name) {
    Integer i = positions.get(name);
    return i == null ? -1 : i;
  }

  public Field field(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("No column " + name);
    }
    return fields.get(i);
  }

  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }
}
