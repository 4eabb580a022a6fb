package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.local.lineage.JsonLinesLineageSink;
import io.medallion.schema.Field;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion lineage TABLE [--column C]}: where a table's data comes from and where it goes,
 * from the OpenLineage events local runs wrote ({@code <home>/lineage/events.jsonl}): upstream gold
 * models, silver tables, the bronze objects and the source endpoint; downstream the models that read
 * it. With {@code --column}, the column's path down to silver columns and the source field each
 * silver column is read from.
 */
@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = "Show a table's upstream and downstream lineage (and a column's) from the local OpenLineage events.")
final class LineageCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Parameters(index = "0", paramLabel = "TABLE",
      description = "A table: project.dataset.table, dataset.table (gold_media.podcast_episodes) or the bare table name.")
  String table;

  @Option(names = "--column", paramLabel = "C", description = "Also trace this column down to silver columns and source fields.")
  String column;

  @Override
  public Integer call() throws Exception {
    Path file = JsonLinesLineageSink.file(main.home());
    if (!Files.exists(file)) {
      throw new Main.UserError("no lineage recorded at " + file + ": run the pipeline first (./medallion run)");
    }
    LineageGraph graph = LineageGraph.read(file);
    LineageGraph.Dataset d = resolve(graph, table, file);
    if (column != null) {
      checkColumn(graph, d, column); // before anything is printed: a wrong column is an error, not a half answer
    }
    PrintStream out = main.out();
    out.println("upstream of " + d.display() + ":");
    if (!upstream(graph, d, "  ", new HashSet<>(), out)) {
      out.println("  (nothing: no recorded job writes it)");
    }
    out.println("downstream of " + d.display() + ":");
    if (!downstream(graph, d, "  ", new HashSet<>(), out)) {
      out.println("  (nothing reads it)");
    }
    if (column != null) {
      traceColumn(graph, d, column, out);
    }
    return 0;
  }

  /** The BigQuery table {@code arg} names: exactly, or by its last one or two name parts. */
  static LineageGraph.Dataset resolve(LineageGraph graph, String arg, Path file) {
    String wanted = arg.trim().replace("`", "");
    List<LineageGraph.Dataset> tables = graph.datasets().stream().filter(d -> d.namespace().equals("bigquery")).toList();
    List<LineageGraph.Dataset> matches = tables.stream()
        .filter(d -> d.name().equals(wanted) || d.name().endsWith("." + wanted)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new Main.UserError("no table '" + arg + "' in the lineage of " + file + " (" + graph.events()
          + " events); tables: " + tables.stream().map(LineageGraph.Dataset::name).toList());
    }
    throw new Main.UserError("'" + arg + "' names " + matches.size() + " tables: "
        + matches.stream().map(LineageGraph.Dataset::name).toList() + "; name one as dataset.table");
  }

  /** Which way a walk goes: to the runs that wrote a table and their inputs, or that read it and their outputs. */
  private enum Direction {
    UP("<-"), DOWN("->");

    final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }
  }

  private static boolean upstream(LineageGraph graph, LineageGraph.Dataset d, String indent, Set<String> seen,
      PrintStream out) {
    return walk(graph, d, Direction.UP, indent, seen, out);
  }

  private static boolean downstream(LineageGraph graph, LineageGraph.Dataset d, String indent, Set<String> seen,
      PrintStream out) {
    return walk(graph, d, Direction.DOWN, indent, seen, out);
  }

  /** Prints the runs next to {@code d} one way, and theirs, each run once; whether there was any. */
  private static boolean walk(LineageGraph graph, LineageGraph.Dataset d, Direction way, String indent, Set<String> seen,
      PrintStream out) {
    List<LineageGraph.Run> runs = way == Direction.UP ? graph.producers(d) : graph.consumers(d);
    for (LineageGraph.Run r : runs) {
      out.println(indent + way.arrow + " job " + jobName(r) + " (" + r.state + " " + r.last + ")");
      if (!seen.add(r.job)) {
        out.println(indent + "     (shown above)");
        continue;
      }
      for (LineageGraph.Dataset next : way == Direction.UP ? r.inputs : r.outputs) {
        out.println(indent + "   " + way.arrow + " " + next.display());
        walk(graph, next, way, indent + "      ", seen, out);
      }
    }
    return !runs.isEmpty();
  }

  private static String jobName(LineageGraph.Run r) {
    return r.job.substring(r.job.indexOf('/') + 1);
  }

  private void checkColumn(LineageGraph graph, LineageGraph.Dataset d, String c) {
    Map<String, List<LineageGraph.Field>> columns = graph.columns(d);
    Optional<Source> silverOf = silverSource(d);
    if (columns.isEmpty() && silverOf.isEmpty()) {
      throw new Main.UserError(d.display() + " has no column lineage in the recorded events (is it a gold table"
          + " a run built?)");
    }
    if (!columns.isEmpty() && !columns.containsKey(c)) {
      throw new Main.UserError(d.display() + " has no column '" + c + "'; its columns: " + columns.keySet());
    }
    if (columns.isEmpty()) {
      sourceField(silverOf.get(), tableOf(d), c); // a silver table: refuses a column it does not have
    }
  }

  private void traceColumn(LineageGraph graph, LineageGraph.Dataset d, String c, PrintStream out) {
    out.println("column " + c + " of " + d.display() + ":");
    trace(graph, new LineageGraph.Field(d, c), "  ", new HashSet<>(), out, true);
  }

  private void trace(LineageGraph graph, LineageGraph.Field f, String indent, Set<LineageGraph.Field> seen,
      PrintStream out, boolean top) {
    if (!seen.add(f)) {
      return;
    }
    if (!top) {
      out.println(indent + "<- " + f.dataset().display() + "." + f.field());
      indent += "   ";
    }
    Map<String, List<LineageGraph.Field>> columns = graph.columns(f.dataset());
    List<LineageGraph.Field> from = columns.get(f.field());
    if (from != null) {
      if (from.isEmpty()) {
        out.println(indent + "(computed from no column: a count, a constant or a run parameter)");
      }
      for (LineageGraph.Field in : from) {
        trace(graph, in, indent, seen, out, false);
      }
      return;
    }
    Optional<Source> source = silverSource(f.dataset());
    if (source.isPresent()) {
      out.println(indent + "<- " + sourceField(source.get(), tableOf(f.dataset()), f.field()));
    }
  }

  /** The registered source whose silver table {@code d} is, in this deployment's silver dataset. */
  private Optional<Source> silverSource(LineageGraph.Dataset d) {
    if (!d.namespace().equals("bigquery")) {
      return Optional.empty();
    }
    String[] parts = d.name().split("\\.");
    if (parts.length < 2) {
      return Optional.empty();
    }
    MedallionConfig config = main.config();
    SourceRegistry sources = LocalPipeline.sources(config);
    for (String name : sources.names()) {
      Source s = sources.find(name).orElseThrow();
      if (s.silverTables().contains(parts[parts.length - 1]) && config.silverDataset(s).equals(parts[parts.length - 2])) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static String tableOf(LineageGraph.Dataset d) {
    return d.name().substring(d.name().lastIndexOf('.') + 1);
  }

  /** Where a silver column's values come from in the source's records (its silver.renames, else the same name). */
  static String sourceField(Source source, String table, String column) {
    Source.Resource resource = source.resources().stream().filter(r -> r.silverTable().equals(table)).findFirst()
        .orElse(source.resources().get(0));
    List<String> columns = source.silverSchema(table).fields().stream().map(Field::name).toList();
    if (!columns.contains(column)) {
      throw new Main.UserError("silver table " + table + " has no column '" + column + "'; its columns: " + columns);
    }
    if (column.startsWith("_")) {
      return "written by silver itself (run, bronze object and time of the record), not read from " + source.name();
    }
    for (Map.Entry<String, String> r : resource.silver().renames().entrySet()) {
      if (r.getValue().equals(column)) {
        return "source field '" + r.getKey() + "' of " + source.name() + "/" + resource.name()
            + " (renamed by its silver.renames)";
      }
    }
    return "source field '" + column + "' of " + source.name() + "/" + resource.name() + " (the same name)";
  }
}
