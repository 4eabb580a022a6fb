package io.medallion.gold;

import io.medallion.port.NamedParameters;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.source.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gold SQL models of a source, read from {@code sql/<source>/<model>.sql} where its declaration is, with
 * their dataset placeholders filled in. Only {@code {{silver}}}, {@code {{gold}}} and {@code {{ops}}}
 * exist, and their values are validated identifiers. Every value a statement needs at run time (run
 * id, times, the window an incremental model reads) is a named query parameter: no value is ever
 * spliced into SQL text.
 */
public final class GoldModels {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /**
   * A model ready to run.
   *
   * @param sql a table model's statement ({@code create or replace table ...}); an incremental or
   *     snapshot model's SELECT, which {@link Materializations} wraps
   * @param columns the gold table's columns, in its schema file's order (empty for a table model)
   */
  public record Model(
      String name, TableId table, String sql, Source.Materialization materialization, List<String> columns) {

    public Model {
      columns = List.copyOf(columns);
    }

    /** A table model: its own statement builds it. */
    public Model(String name, TableId table, String sql) {
      this(name, table, sql, Source.Materialization.TABLE, List.of());
    }

    public Source.Materialization.Kind kind() {
      return materialization.kind();
    }

    /** The statement that builds the whole table from everything in silver (a first build, a full refresh). */
    public String buildSql() {
      return switch (kind()) {
        case TABLE -> sql;
        case INCREMENTAL -> Materializations.fullIncremental(this);
        case SNAPSHOT -> Materializations.fullSnapshot(this);
      };
    }
  }

  /** A data-quality check ready to run: a SELECT of the failing rows (none = it passes). */
  public record Check(String name, String sql) {

    /**
     * The statement that runs the check and records its verdict: one row in {@code results}
     * (schema {@code schemas/bigquery/ops/dq_results.json}) with the count of failing rows. Its
     * values are the parameters {@link #parameters} gives.
     */
    public String insertInto(TableId results) {
      return "insert into " + results.sql()
          + " (run_id, source, check_name, failing_rows, load_job_id, job_id, checked_at)\n"
          + "select @run_id, @source, @check_name, count(*), @load_job_id, @job_id, @checked_at\n"
          + "from (\n" + sql + "\n) as failing";
    }

    /** The values of {@link #insertInto}'s parameters (the check's own SQL may use {@code @run_id} and {@code @checked_at}). */
    public Map<String, Object> parameters(String runId, String source, String loadJobId, String jobId, Instant checkedAt) {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("run_id", runId);
      values.put("source", source);
      values.put("check_name", name);
      values.put("load_job_id", loadJobId);
      values.put("job_id", jobId);
      values.put("checked_at", checkedAt);
      return values;
    }
  }

  private GoldModels() {}

  public static List<Model> forSource(Source source, String silverDataset, String goldDataset) {
    Map<String, String> values = datasets(silverDataset, goldDataset, null);
    List<Model> models = new ArrayList<>();
    for (String name : source.goldModels()) {
      String path = "sql/" + source.name() + "/" + name + ".sql";
      String sql = render(source.modelSql(name), values, path);
      Source.Materialization m = source.gold().materialization(name);
      List<String> columns = m.kind() == Source.Materialization.Kind.TABLE ? List.of()
          : source.goldSchema(name).fields().stream().map(Field::name).toList();
      models.add(new Model(name, new TableId(goldDataset, name), sql, m, columns));
    }
    return models;
  }

  /**
   * The data-quality checks of a source, {@code sql/<source>/checks/<check>.sql}, in the order
   * {@link Source#checks()} gives. Besides the datasets they may use the parameters {@code @run_id}
   * (STRING) and {@code @checked_at} (TIMESTAMP).
   */
  public static List<Check> checksFor(Source source, String silverDataset, String goldDataset, String opsDataset) {
    Map<String, String> values = datasets(silverDataset, goldDataset, opsDataset);
    List<Check> checks = new ArrayList<>();
    for (String name : source.checks()) {
      String path = "sql/" + source.name() + "/checks/" + name + ".sql";
      checks.add(new Check(TableId.requireIdentifier(name, "check name"), render(source.checkSql(name), values, path)));
    }
    return checks;
  }

  /**
   * Of {@code available}, the values {@code sql} names as {@code @name}: a statement gets exactly
   * the parameters it uses (a model that reads no window is not handed one).
   */
  public static Map<String, Object> parametersOf(String sql, Map<String, Object> available) {
    Map<String, Object> used = new LinkedHashMap<>();
    for (String name : NamedParameters.parse(sql).names()) {
      if (!available.containsKey(name)) {
        throw new IllegalArgumentException("The statement names @" + name + ", which is none of " + available.keySet());
      }
      used.put(name, available.get(name));
    }
    return used;
  }

  private static Map<String, String> datasets(String silverDataset, String goldDataset, String opsDataset) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("silver", TableId.requireIdentifier(silverDataset, "silver dataset"));
    values.put("gold", TableId.requireIdentifier(goldDataset, "gold dataset"));
    if (opsDataset != null) {
      values.put("ops", TableId.requireIdentifier(opsDataset, "ops dataset"));
    }
    return values;
  }

  static String render(String template, Map<String, String> values, String where) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(where + ": unknown placeholder {{" + m.group(1) + "}}"
            + " (the datasets are " + values.keySet() + "; run-time values are @parameters)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
