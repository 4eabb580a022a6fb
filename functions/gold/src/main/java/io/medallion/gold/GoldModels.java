package io.medallion.gold;

import io.medallion.port.TableId;
import io.medallion.source.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gold SQL models of a source, read from {@code sql/<source>/<model>.sql} where its declaration is, with
 * their dataset placeholders filled in. Only {@code {{silver}}} and {{@code gold}} exist, and their
 * values are validated identifiers: nothing else is ever substituted into SQL.
 */
public final class GoldModels {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /** A model ready to run. */
  public record Model(String name, TableId table, String sql) {}

  /** A data-quality check ready to run: a SELECT of the failing rows (none = it passes). */
  public record Check(String name, String sql) {

    /**
     * The statement that runs the check and records its verdict: one row in {@code results}
     * (schema {@code schemas/bigquery/ops/dq_results.json}) with the count of failing rows.
     */
    public String insertInto(
        TableId results, String runId, String source, String loadJobId, String jobId, Instant checkedAt) {
      return "insert into " + results.sql()
          + " (run_id, source, check_name, failing_rows, load_job_id, job_id, checked_at)\n"
          + "select " + String.join(", ", literal(runId), literal(source), literal(name), "count(*)",
              literal(loadJobId), literal(jobId), timestamp(checkedAt)) + "\n"
          + "from (\n" + sql + "\n) as failing";
    }
  }

  private static final Pattern LITERAL_SAFE = Pattern.compile("[A-Za-z0-9_-]{1,1024}");
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private GoldModels() {}

  public static List<Model> forSource(Source source, String silverDataset, String goldDataset) {
    Map<String, String> values =
        Map.of(
            "silver", TableId.requireIdentifier(silverDataset, "silver dataset"),
            "gold", TableId.requireIdentifier(goldDataset, "gold dataset"));
    List<Model> models = new ArrayList<>();
    for (String name : source.goldModels()) {
      String path = "sql/" + source.name() + "/" + name + ".sql";
      models.add(new Model(name, new TableId(goldDataset, name), render(source.modelSql(name), values, path)));
    }
    return models;
  }

  /**
   * The data-quality checks of a source, {@code sql/<source>/checks/<check>.sql}, in the order
   * {@link Source#checks()} gives. Besides the datasets they may use {@code {{run_id}}} (a quoted
   * string) and {@code {{checked_at}}} (a TIMESTAMP literal).
   */
  public static List<Check> checksFor(
      Source source, String silverDataset, String goldDataset, String opsDataset, String runId, Instant checkedAt) {
    Map<String, String> values =
        Map.of(
            "silver", TableId.requireIdentifier(silverDataset, "silver dataset"),
            "gold", TableId.requireIdentifier(goldDataset, "gold dataset"),
            "ops", TableId.requireIdentifier(opsDataset, "ops dataset"),
            "run_id", literal(runId),
            "checked_at", timestamp(checkedAt));
    List<Check> checks = new ArrayList<>();
    for (String name : source.checks()) {
      String path = "sql/" + source.name() + "/checks/" + name + ".sql";
      checks.add(new Check(TableId.requireIdentifier(name, "check name"), render(source.checkSql(name), values, path)));
    }
    return checks;
  }

  /**
   * A string literal of an allow-listed value (ids, names: letters, digits, {@code _} and {@code
   * -}); anything else is refused, never escaped.
   */
  static String literal(String value) {
    if (value == null || !LITERAL_SAFE.matcher(value).matches()) {
      throw new IllegalArgumentException("Not a safe SQL literal (letters, digits, _ and - only): " + value);
    }
    return "'" + value + "'";
  }

  /** A TIMESTAMP literal both BigQuery and DuckDB read as UTC. */
  static String timestamp(Instant at) {
    return "timestamp '" + TIMESTAMP.format(at) + "'";
  }

  static String render(String template, Map<String, String> values, String where) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(where + ": unknown placeholder {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }


}
