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
    return new TableSchema(fields(array, ""));
  }

  private static List<Field> fields(JsonArray array, String prefix) {
    List<Field> fields = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      String name = o.has("name") ? o.get("name").getAsString() : "(unnamed)";
      String path = prefix + name;
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
          nested = fields(o.getAsJsonArray("fields"), path + ".");
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
                o.has("scale") ? Integer.parseInt(o.get("scale").getAsString()) : -1));
      } catch (IllegalArgumentException bad) {
        if (bad.getMessage() != null && bad.getMessage().startsWith("Column ")) {
          throw bad;
        }
        throw new IllegalArgumentException("Column " + path + ": " + bad.getMessage(), bad);
      }
    }
    return fields;
  }

  /** The schema in the {@code bq} JSON format, as {@link #parse} reads it. */
  public String toJson() {
    JsonArray array = new JsonArray();
    for (Field f : fields) {
      array.add(toJson(f));
    }
    return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(array);
  }

  private static JsonObject toJson(Field f) {
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
      f.fields().forEach(c -> sub.add(toJson(c)));
      o.add("fields", sub);
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
