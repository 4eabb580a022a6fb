package io.medallion.lineage;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The column lineage of a source's gold models, {@code sql/<source>/lineage.json}: for each model,
 * the tables it reads and, for each output column, the input columns it is computed from, each as
 * layer (silver, gold, ops), table and column. Derived from the SQL by ZetaSQL (BigQuery's analyzer)
 * at test time ({@code GoldLineageIsCurrentTest}); read at run time by the gold step to fill the
 * {@code columnLineage} facet. Layers, not datasets: the datasets are the deployment's.
 */
public record ModelLineage(String source, Map<String, Model> models) {

  /** Where a source's file is, beside its models. */
  public static String path(String source) {
    return "sql/" + source + "/lineage.json";
  }

  /** One input table, as a layer and a table name. */
  public record Table(String layer, String table) implements Comparable<Table> {
    @Override
    public int compareTo(Table o) {
      int c = layer.compareTo(o.layer);
      return c != 0 ? c : table.compareTo(o.table);
    }
  }

  /** One input column. */
  public record Column(String layer, String table, String column) {
    public Table tableRef() {
      return new Table(layer, table);
    }
  }

  /** A model: the tables it reads, and each output column's input columns (in the table's column order). */
  public record Model(List<Table> inputs, Map<String, List<Column>> columns) {}

  public ModelLineage {
    models = Map.copyOf(new LinkedHashMap<>(models));
  }

  public Optional<Model> model(String name) {
    return Optional.ofNullable(models.get(name));
  }

  /** The file's text: stable (models and columns in the order given), two-space indented, one trailing newline. */
  public String toJson(List<String> modelOrder) {
    JsonObject root = new JsonObject();
    root.addProperty("source", source);
    root.addProperty("generated_by", "GoldLineageIsCurrentTest: ZetaSQL column lineage of each model's SQL;"
        + " regenerate with -Dmedallion.regenerateLineage=true");
    JsonObject ms = new JsonObject();
    for (String name : modelOrder) {
      Model m = models.get(name);
      JsonObject mo = new JsonObject();
      JsonArray inputs = new JsonArray();
      for (Table t : m.inputs()) {
        JsonObject o = new JsonObject();
        o.addProperty("layer", t.layer());
        o.addProperty("table", t.table());
        inputs.add(o);
      }
      mo.add("inputs", inputs);
      JsonObject cols = new JsonObject();
      m.columns().forEach((column, in) -> {
        JsonArray a = new JsonArray();
        for (Column c : in) {
          JsonObject o = new JsonObject();
          o.addProperty("layer", c.layer());
          o.addProperty("table", c.table());
          o.addProperty("column", c.column());
          a.add(o);
        }
        cols.add(column, a);
      });
      mo.add("columns", cols);
      ms.add(name, mo);
    }
    root.add("models", ms);
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  /** Reads a file; {@code where} names it in errors. */
  public static ModelLineage parse(String json, String where) {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      Map<String, Model> models = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> m : root.getAsJsonObject("models").entrySet()) {
        JsonObject mo = m.getValue().getAsJsonObject();
        Set<Table> inputs = new LinkedHashSet<>();
        for (JsonElement t : mo.getAsJsonArray("inputs")) {
          inputs.add(new Table(t.getAsJsonObject().get("layer").getAsString(), t.getAsJsonObject().get("table").getAsString()));
        }
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> c : mo.getAsJsonObject("columns").entrySet()) {
          List<Column> in = new ArrayList<>();
          for (JsonElement e : c.getValue().getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            in.add(new Column(o.get("layer").getAsString(), o.get("table").getAsString(), o.get("column").getAsString()));
          }
          columns.put(c.getKey(), List.copyOf(in));
        }
        models.put(m.getKey(), new Model(List.copyOf(inputs), columns));
      }
      return new ModelLineage(root.get("source").getAsString(), models);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where + ": not a lineage file (" + e.getMessage() + ")", e);
    }
  }
}
