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
   * Reads a schema file. REPEATED columns of a scalar type are read; RECORD (nested) columns are
   * refused, naming the column: silver cannot fill them yet.
   */
  public static TableSchema parse(String json) {
    JsonElement root = JsonParser.parseString(json);
    JsonArray array =
        root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("fields");
    List<Field> fields = new ArrayList<>();
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      String name = o.has("name") ? o.get("name").getAsString() : "(unnamed)";
      String type = o.has("type") ? o.get("type").getAsString() : "";
      if (o.has("fields") || type.equalsIgnoreCase("RECORD") || type.equalsIgnoreCase("STRUCT")) {
        throw new IllegalArgumentException("Column " + name + ": RECORD (nested) columns are not supported yet;"
            + " a REPEATED column of a scalar type is, and a nested source field maps to a column by a rename path"
            + " (\"user.login\": \"user_login\")");
      }
      Field.Mode mode;
      FieldType fieldType;
      try {
        mode = o.has("mode") ? Field.Mode.parse(o.get("mode").getAsString()) : Field.Mode.NULLABLE;
        fieldType = FieldType.parse(type);
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("Column " + name + ": " + bad.getMessage(), bad);
      }
      fields.add(
          new Field(
              name,
              fieldType,
              mode,
              o.has("description") ? o.get("description").getAsString() : ""));
    }
    return new TableSchema(fields);
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
