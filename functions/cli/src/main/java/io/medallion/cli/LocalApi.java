package io.medallion.cli;

import io.medallion.api.ApiRoute;
import io.medallion.api.ApiRoutes;
import io.medallion.api.GoldApi;
import io.medallion.api.PageTokens;
import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The query API over a local warehouse, as {@code ./medallion api} and {@code serve} run it: the
 * routes the sources declare ({@code gold.api}), the home's page-token key ({@link PageTokenKey}),
 * and what the commands print about it.
 */
final class LocalApi {

  /** The port {@code ./medallion api} listens on unless told otherwise. */
  static final int DEFAULT_PORT = 8787;

  private LocalApi() {}

  /** The API over {@code warehouse}'s gold, signing page tokens with {@code home}'s key. */
  static GoldApi over(MedallionConfig config, Path home, Warehouse warehouse) throws IOException {
    Clock clock = Clock.systemUTC();
    SourceRegistry sources = LocalPipeline.sources(config);
    ApiRoutes routes = ApiRoutes.of(sources);
    return new GoldApi(routes, warehouse, source -> config.goldDataset(sources.find(source).orElseThrow()),
        new PageTokens(PageTokenKey.load(home), PageTokens.DEFAULT_TTL, clock), clock,
        GoldApi.unmasked(MedallionConfig.environment()));
  }

  /**
   * One line per route: the list path and the single-row path, and whether its table is built
   * yet (a route of a table no run has built answers 404 until one does).
   */
  static void printRoutes(GoldApi api, DuckDbWarehouse warehouse, PrintStream out) {
    int width = api.routes().all().stream().mapToInt(r -> r.path().length()).max().orElse(0);
    for (ApiRoute r : api.routes().all()) {
      out.printf("  route     GET %-" + width + "s  %s%s%n", r.path(), r.keyPathTemplate(),
          built(warehouse, api.goldDataset(r), r) ? "" : "   (not built yet)");
    }
  }

  /**
   * Copy-paste examples against {@code base}: a page of the first route whose table has rows, that
   * page's first row by its key, and the OpenAPI document.
   */
  static List<String> curlExamples(GoldApi api, DuckDbWarehouse warehouse, String base) {
    List<String> lines = new ArrayList<>();
    for (ApiRoute r : api.routes().all()) {
      Optional<List<Object>> key = firstKey(warehouse, api.goldDataset(r), r);
      if (key.isPresent()) {
        lines.add("curl -s '" + base + r.path() + "?page_size=3'");
        lines.add("curl -s '" + base + r.path() + "/"
            + key.get().stream().map(v -> ApiRoute.escape(String.valueOf(v))).collect(Collectors.joining("/")) + "'");
        break;
      }
    }
    lines.add("curl -s " + base + GoldApi.OPENAPI_PATH);
    return lines;
  }

  private static boolean built(DuckDbWarehouse warehouse, String goldDataset, ApiRoute r) {
    try {
      return warehouse.tableExists(new TableId(goldDataset, r.table()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The key of the table's first row in key order, if the table exists and has one. */
  private static Optional<List<Object>> firstKey(DuckDbWarehouse warehouse, String goldDataset, ApiRoute r) {
    if (!built(warehouse, goldDataset, r)) {
      return Optional.empty();
    }
    String columns = String.join(", ", r.key());
    try {
      List<List<Object>> rows = warehouse.read("select " + columns + " from " + goldDataset + "." + r.table()
          + " order by " + columns + " limit 1").rows();
      return rows.isEmpty() || rows.get(0).contains(null) ? Optional.empty() : Optional.of(rows.get(0));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // an example only
    }
  }
}
