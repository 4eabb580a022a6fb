package io.medallion.api;

import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One published gold table: {@code GET /v1/<source>/<table>} lists its rows, {@code GET
 * /v1/<source>/<table>/<key values>} gets one.
 *
 * @param schema the table's gold schema ({@code schemas/bigquery/gold/<table>.json}): what types
 *     the filters parse to and what the responses carry
 */
public record ApiRoute(String source, String table, TableSchema schema, Source.Published published) {

  /** Every route's prefix (the webhook's {@code /v1/sources/} is not one of them). */
  public static final String PREFIX = "/v1/";

  /** The list route: {@code /v1/<source>/<table>}. */
  public String path() {
    return PREFIX + source + "/" + table;
  }

  /** The single-row route in OpenAPI's template form: {@code /v1/<source>/<table>/{k1}/{k2}}. */
  public String keyPathTemplate() {
    StringBuilder b = new StringBuilder(path());
    published.key().forEach(k -> b.append("/{").append(k).append('}'));
    return b.toString();
  }

  public List<String> key() {
    return published.key();
  }

  /** The from/to column, if the table declares one. */
  public Optional<Field> period() {
    return Optional.ofNullable(published.period()).map(this::field);
  }

  /** The columns a caller may filter on by equality: key, period and declared filters, in schema order. */
  public List<Field> filterable() {
    Set<String> names = new LinkedHashSet<>(published.key());
    if (published.period() != null) {
      names.add(published.period());
    }
    names.addAll(published.filters());
    List<Field> out = new ArrayList<>();
    for (Field f : schema.fields()) {
      if (names.contains(f.name())) {
        out.add(f);
      }
    }
    return out;
  }

  /** The columns a caller may name in {@code order_by}: the declared ones, then the key's. */
  public List<String> orderable() {
    Set<String> names = new LinkedHashSet<>(published.orderBy());
    names.addAll(published.key());
    return List.copyOf(names);
  }

  /** The column named, which the declarations check guarantees exists. */
  public Field field(String name) {
    return column(name).orElseThrow(() -> new IllegalArgumentException(table + " has no column " + name));
  }

  public Optional<Field> column(String name) {
    return schema.fields().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The column names in schema order: what {@code fields} may select. */
  public List<String> columns() {
    return schema.fields().stream().map(Field::name).toList();
  }

  /**
   * Text as one percent-encoded path segment or query component: a space as {@code %20}, which both
   * read as a space (a query's {@code +} would be a plus in a path).
   */
  public static String escape(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
