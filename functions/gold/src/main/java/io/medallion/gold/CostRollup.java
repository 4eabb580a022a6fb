package io.medallion.gold;

import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import io.medallion.port.Warehouse;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds {@code ops.cost_by_domain_month} from the run ledger ({@code
 * sql/ops/cost_by_domain_month.sql}): what each domain's runs used per month. The domain of a
 * source comes from the declarations ({@link SourceRegistry#domainOf}) as query parameters, never
 * as SQL text.
 */
public final class CostRollup {

  /** The table, in the ops dataset. */
  public static final String TABLE = "cost_by_domain_month";
  static final String SQL_PATH = "sql/ops/" + TABLE + ".sql";

  private CostRollup() {}

  /** The statement and its parameters. */
  public record Statement(String sql, Map<String, Object> parameters) {}

  /** The roll-up over {@code opsDataset}, each declared source mapped to its domain. */
  public static Statement statement(String opsDataset, SourceRegistry sources) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    StringBuilder domainOf = new StringBuilder("case source");
    List<Source> all = sources.all();
    for (int i = 0; i < all.size(); i++) {
      domainOf.append(" when @source_").append(i).append(" then @domain_").append(i);
      parameters.put("source_" + i, all.get(i).name());
      parameters.put("domain_" + i, sources.domainOf(all.get(i)).name());
    }
    // No source declared: a CASE needs a WHEN; this one matches nothing, so the table is empty.
    domainOf.append(all.isEmpty() ? " when null then cast(null as string) end" : " end");
    String sql = template().replace("{{ops}}", opsDataset).replace("{{domain_of_source}}", domainOf);
    return new Statement(sql, parameters);
  }

  /**
   * The roll-up's rows without writing the table (what {@code ./medallion cost} reads, from a
   * read-only warehouse): the statement's query, after its {@code create or replace table ... as}.
   */
  public static Statement query(String opsDataset, SourceRegistry sources) {
    Statement s = statement(opsDataset, sources);
    java.util.regex.Matcher create = java.util.regex.Pattern.compile(
        "(?im)^create or replace table \\S+ as\\s*$").matcher(s.sql());
    if (!create.find()) {
      throw new IllegalStateException(SQL_PATH + " does not start its statement with create or replace table ... as");
    }
    return new Statement(s.sql().substring(create.end()), s.parameters());
  }

  /**
   * Runs the roll-up as query job {@code jobId}; a job that failed is returned as such (the table
   * keeps its previous contents), a fault reaching the warehouse is thrown.
   */
  public static JobStatus rebuild(Warehouse warehouse, String opsDataset, SourceRegistry sources, String jobId,
      Map<String, String> labels) throws IOException {
    Statement s = statement(opsDataset, sources);
    return warehouse.query(new QueryJob(jobId, s.sql(), labels, s.parameters()));
  }

  static String template() {
    try (InputStream in = CostRollup.class.getClassLoader().getResourceAsStream(SQL_PATH)) {
      if (in == null) {
        throw new IllegalStateException(SQL_PATH + " is not on the classpath (common/core packs sql/)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + SQL_PATH, e);
    }
  }
}
