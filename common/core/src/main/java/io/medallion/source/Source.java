package io.medallion.source;

import io.medallion.schema.TableSchema;
import java.net.URI;
import java.util.List;

/**
 * A pluggable data source: a small class like this one, a silver table schema in {@code
 * schemas/bigquery/silver/<table>.json} and gold SQL models in {@code sql/<name>/}.
 */
public interface Source {

  /** Registry key, bronze path prefix and {@code source} label value. */
  String name();

  /** The public API; {@code MEDALLION_SOURCE_URL} or {@code --source-url} replaces it. */
  URI defaultBaseUrl();

  /**
   * A reader of {@code pageSize}-record pages from the API at {@code baseUrl}, retrying transient
   * failures as {@code retry} says (ingest counts the retries through its sleeper).
   */
  PageReader pages(URI baseUrl, int pageSize, RetryPolicy retry);

  /** Table name in the silver dataset (and of its schema file). */
  String silverTable();

  default TableSchema silverSchema() {
    return TableSchema.forTable("silver", silverTable());
  }

  SilverMapping silverMapping();

  /** Gold models in the order they run; each is {@code sql/<name>/<model>.sql}. */
  List<String> goldModels();

  /**
   * Data-quality checks run after the gold models, each {@code sql/<name>/checks/<check>.sql}: a
   * SELECT of the rows that break a rule (none when it holds).
   */
  default List<String> checks() {
    return List.of();
  }

  /** The gold table a run summary shows first. */
  String mainGoldTable();

  /** How a run summary orders that table's first rows (column names only). */
  String mainGoldOrder();
}
