package io.medallion.lineage;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a run event too large for its sink into several events of the same run, never dropping
 * lineage: what grows with a model is its {@code columnLineage} facet, so the facet's columns are
 * spread over events that repeat everything else (job, run id, inputs, outputs). The leading parts
 * are {@code RUNNING} events and the last keeps the event's own type, so a consumer sees the run
 * end once, after every column arrived.
 *
 * <p>The Data Lineage API takes at most 5 MB per message
 * (https://cloud.google.com/dataplex/docs/open-lineage, "Limitations": "Maximum size of a single
 * message is 5 MB").
 */
public final class EventSplitter {

  /** 5 MB, the Data Lineage API's limit for one OpenLineage message (see the class comment). */
  public static final int DATA_LINEAGE_MAX_BYTES = 5 * 1000 * 1000;

  private EventSplitter() {}

  public static int size(JsonObject event) {
    return event.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The event itself when it fits {@code maxBytes}; else parts that each fit and together carry
   * every column of every output's {@code columnLineage}. An event whose parts cannot fit even with
   * one column each (a single column's lineage over the limit, or a huge facet elsewhere) is
   * returned in as few parts as that allows, the sink then refusing what it refuses (counted).
   */
  public static List<JsonObject> split(JsonObject event, int maxBytes) {
    if (size(event) <= maxBytes) {
      return List.of(event);
    }
    JsonObject base = event.deepCopy();
    // Every output's column lineage, taken out of the base.
    List<Map.Entry<Integer, Map.Entry<String, JsonElement>>> columns = new ArrayList<>();
    List<JsonObject> facetShells = new ArrayList<>();
    JsonArray outputs = base.getAsJsonArray("outputs");
    for (int i = 0; outputs != null && i < outputs.size(); i++) {
      JsonObject out = outputs.get(i).getAsJsonObject();
      JsonObject facets = out.getAsJsonObject("facets");
      JsonObject shell = null;
      if (facets != null && facets.has("columnLineage")) {
        JsonObject lineage = facets.remove("columnLineage").getAsJsonObject();
        if (facets.size() == 0) {
          out.remove("facets");
        }
        JsonObject fields = lineage.remove("fields").getAsJsonObject();
        shell = lineage; // _producer, _schemaURL, dataset
        for (Map.Entry<String, JsonElement> f : fields.entrySet()) {
          columns.add(Map.entry(i, f));
        }
      }
      facetShells.add(shell);
    }
    if (columns.isEmpty()) {
      return List.of(event);
    }
    // Sizes are kept as columns are added (a column adds its entry and a comma), so a split is
    // linear in the event's size; a part is serialized whole only when a column opens an output's
    // facet in it.
    List<JsonObject> parts = new ArrayList<>();
    JsonObject part = null;
    long partSize = 0;
    for (Map.Entry<Integer, Map.Entry<String, JsonElement>> column : columns) {
      long entry = new JsonPrimitive(column.getValue().getKey()).toString().getBytes(StandardCharsets.UTF_8).length + 1
          + column.getValue().getValue().toString().getBytes(StandardCharsets.UTF_8).length + 1;
      if (part != null) {
        if (opened(part, column.getKey())) {
          if (partSize + entry <= maxBytes) {
            add(part, facetShells, column);
            partSize += entry;
            continue;
          }
        } else {
          JsonObject tried = part.deepCopy();
          add(tried, facetShells, column);
          long triedSize = size(tried);
          if (triedSize <= maxBytes) {
            part = tried;
            partSize = triedSize;
            continue;
          }
        }
        parts.add(part);
      }
      part = base.deepCopy();
      add(part, facetShells, column);
      partSize = size(part);
    }
    parts.add(part);
    String type = event.get("eventType").getAsString();
    for (int i = 0; i < parts.size() - 1; i++) {
      parts.get(i).addProperty("eventType", OpenLineage.EventType.RUNNING.name());
    }
    parts.get(parts.size() - 1).addProperty("eventType", type);
    return parts;
  }

  /** Whether {@code part}'s output {@code output} already has a columnLineage facet. */
  private static boolean opened(JsonObject part, int output) {
    JsonObject out = part.getAsJsonArray("outputs").get(output).getAsJsonObject();
    return out.has("facets") && out.getAsJsonObject("facets").has("columnLineage");
  }

  private static void add(JsonObject part, List<JsonObject> shells, Map.Entry<Integer, Map.Entry<String, JsonElement>> column) {
    JsonObject out = part.getAsJsonArray("outputs").get(column.getKey()).getAsJsonObject();
    if (!out.has("facets")) {
      out.add("facets", new JsonObject());
    }
    JsonObject facets = out.getAsJsonObject("facets");
    if (!facets.has("columnLineage")) {
      JsonObject lineage = shells.get(column.getKey()).deepCopy();
      lineage.add("fields", new JsonObject());
      facets.add("columnLineage", lineage);
    }
    facets.getAsJsonObject("columnLineage").getAsJsonObject("fields").add(column.getValue().getKey(), column.getValue().getValue());
  }
}
