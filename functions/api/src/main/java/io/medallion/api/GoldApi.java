package io.medallion.api;

import io.medallion.port.Warehouse;
import java.time.Clock;
import java.util.Map;

/** SKELETON (being written): the query API over gold, transport-agnostic. */
public final class GoldApi {

  private final ApiRoutes routes;
  private final Warehouse warehouse;
  private final String goldDataset;
  private final PageTokens tokens;
  private final Clock clock;

  public GoldApi(ApiRoutes routes, Warehouse warehouse, String goldDataset, PageTokens tokens, Clock clock) {
    this.routes = routes;
    this.warehouse = warehouse;
    this.goldDataset = goldDataset;
    this.tokens = tokens;
    this.clock = clock;
  }

  public ApiRoutes routes() {
    return routes;
  }

  public ApiResponse handle(ApiRequest request) {
    return new ApiResponse(501, Map.of("Content-Type", "application/json"), "{}".getBytes());
  }
}
