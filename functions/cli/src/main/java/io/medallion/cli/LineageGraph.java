package io.medallion.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lineage graph of the OpenLineage run events in a JSON Lines file: for each job its latest run
 * (the one that built what its outputs hold now), that run's inputs and outputs, and the column
 * lineage its outputs carry (merged over the parts of a split event, which share the run id).
 */
final class LineageGraph {

  /** A dataset as OpenLineage names it. */
  record Dataset(String namespace, String name) implements Comparable<Dataset> {
    /** How a person reads it: a BigQuery table by its name, anything else as one URI. */
    String display() {
      return namespace.equals("bigquery") ? name
          : namespace.endsWith(":") ? namespace + name
          : namespace.endsWith("/") || name.startsWith("/") ? namespace + name : namespace + "/" + name;
    }

    @Override
    public int compareTo(Dataset o) {
      return display().compareTo(o.display());
    }
  }

  /** An input column of an output column. */
  record Field(Dataset dataset, String field) {}

  /** A job's latest run. */
  static final class Run {
    final String job;
    final String runId;
    Instant last;
    String state;
    final Set<Dataset> inputs = new LinkedHashSet<>();
    final Set<Dataset> outputs = new LinkedHashSet<>();
    final Map<Dataset, Map<String, List<Field>>> columns = new LinkedHashMap<>();

    Run(String job, String runId) {
      this.job = job;
      this.runId = runId;
    }
  }

  private final Map<String, Run> latest = new LinkedHashMap<>();
  private final long events;

  private LineageGraph(long events) {
    this.events = events;
  }

  long events() {
    return events;
  }

  /** Reads the file; a line that is not an event is refused, naming the file and line. */
  static LineageGraph read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Run> runs = new LinkedHashMap<>();
    long n = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonObject e;
      String job;
      String runId;
      Instant at;
      try {
        e = JsonParser.parseString(lines.get(i)).getAsJsonObject();
        JsonObject j = e.getAsJsonObject("job");
        job = j.get("namespace").getAsString() + "/" + j.get("name").getAsString();
        runId = e.getAsJsonObject("run").get("runId").getAsString();
        at = Instant.parse(e.get("eventTime").getAsString());
      } catch (RuntimeException ex) {
        throw new Main.UserError(file + " line " + (i + 1) + " is not an OpenLineage run event: " + ex.getMessage());
      }
      n++;
      Run run = runs.computeIfAbsent(job + "#" + runId, k -> new Run(job, runId));
      if (run.last == null || !at.isBefore(run.last)) {
        run.last = at;
        run.state = e.has("eventType") ? e.get("eventType").getAsString() : "?";
      }
      for (JsonElement in : array(e, "inputs")) {
        run.inputs.add(dataset(in.getAsJsonObject()));
      }
      for (JsonElement out : array(e, "outputs")) {
        JsonObject o = out.getAsJsonObject();
        Dataset d = dataset(o);
        run.outputs.add(d);
        JsonObject facets = o.has("facets") ? o.getAsJsonObject("facets") : null;
        if (facets != null && facets.has("columnLineage")) {
          Map<String, List<Field>> cols = run.columns.computeIfAbsent(d, k -> new LinkedHashMap<>());
          for (Map.Entry<String, JsonElement> f : facets.getAsJsonObject("columnLineage").getAsJsonObject("fields").entrySet()) {
            List<Field> from = new ArrayList<>();
            for (JsonElement in : f.getValue().getAsJsonObject().getAsJsonArray("inputFields")) {
              JsonObject io = in.getAsJsonObject();
              from.add(new Field(dataset(io), io.get("field").getAsString()));
            }
            cols.put(f.getKey(), from);
          }
        }
      }
    }
    LineageGraph graph = new LineageGraph(n);
    for (Run r : runs.values()) {
      Run held = graph.latest.get(r.job);
      if (held == null || r.last.isAfter(held.last)) {
        graph.latest.put(r.job, r);
      }
    }
    return graph;
  }

  private static Iterable<JsonElement> array(JsonObject o, String key) {
    return o.has(key) && o.get(key).isJsonArray() ? o.getAsJsonArray(key) : List.of();
  }

  private static Dataset dataset(JsonObject o) {
    return new Dataset(o.get("namespace").getAsString(), o.get("name").getAsString());
  }

  /** Every dataset any latest run reads or writes. */
  Set<Dataset> datasets() {
    Set<Dataset> all = new TreeSet<>();
    for (Run r : latest.values()) {
      all.addAll(r.inputs);
      all.addAll(r.outputs);
    }
    return all;
  }

  /** The latest runs that wrote {@code d}. */
  List<Run> producers(Dataset d) {
    return latest.values().stream().filter(r -> r.outputs.contains(d)).toList();
  }

  /** The latest runs that read {@code d}. */
  List<Run> consumers(Dataset d) {
    return latest.values().stream().filter(r -> r.inputs.contains(d)).toList();
  }

  /** The column lineage of {@code d} in the latest run that wrote it with some. */
  Map<String, List<Field>> columns(Dataset d) {
    Run best = null;
    for (Run r : latest.values()) {
      if (r.columns.containsKey(d) && (best == null || r.last.isAfter(best.last))) {
        best = r;
      }
    }
    return best == null ? Map.of() : best.columns.get(d);
  }
}
