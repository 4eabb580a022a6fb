package io.medallion.api;

import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The routes the query API serves, derived from the sources' declarations ({@code gold.api}) and
 * the gold schemas: nothing about a table is written twice.
 */
public final class ApiRoutes {

  private final List<ApiRoute> routes;

  public ApiRoutes(List<ApiRoute> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Every table the registry's sources publish, by source name then declaration order. */
  public static ApiRoutes of(SourceRegistry registry) {
    List<ApiRoute> routes = new ArrayList<>();
    for (String name : registry.names().stream().sorted().toList()) {
      Source source = registry.find(name).orElseThrow();
      source.gold().api().forEach((table, published) -> {
        String path = "schemas/bigquery/gold/" + table + ".json";
        String schema = source.files().read(path).orElseThrow(() -> new IllegalStateException(
            "source " + name + " publishes " + table + " but " + source.files().describe(path) + " is missing"));
        routes.add(new ApiRoute(name, table, TableSchema.parse(schema), published));
      });
    }
    return new ApiRoutes(routes);
  }

  public List<ApiRoute> all() {
    return routes;
  }

  public Optional<ApiRoute> find(String source, String table) {
    return routes.stream().filter(r -> r.source().equals(source) && r.table().equals(table)).findFirst();
  }
}
