package io.medallion.source.breweries;

import io.medallion.source.Page;
import io.medallion.source.PageReader;
import io.medallion.source.RetryPolicy;
import io.medallion.source.SilverMapping;
import io.medallion.source.Source;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** Open Brewery DB, {@code /v1/breweries}: the default source. */
public final class BreweriesSource implements Source {

  public static final String NAME = "breweries";

  private static final SilverMapping MAPPING =
      new SilverMapping(
          Map.of("id", "brewery_id"),
          "brewery_id",
          Map.of("latitude", new double[] {-90, 90}, "longitude", new double[] {-180, 180}),
          Set.of("brewery_type"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public URI defaultBaseUrl() {
    return URI.create("https://api.openbrewerydb.org");
  }

  @Override
  public PageReader pages(URI baseUrl, int pageSize, RetryPolicy retry) {
    OpenBreweryDbClient client = new OpenBreweryDbClient(baseUrl, OpenBreweryDbClient.defaultHttpClient(), retry);
    return new PageReader() {
      @Override
      public Page fetch(int number) throws IOException {
        return client.fetchPage(number, pageSize);
      }

      @Override
      public OptionalLong total() throws IOException {
        return OptionalLong.of(client.total());
      }
    };
  }

  @Override
  public String silverTable() {
    return "breweries";
  }

  @Override
  public SilverMapping silverMapping() {
    return MAPPING;
  }

  @Override
  public List<String> goldModels() {
    return List.of("dim_breweries", "breweries_by_location", "country_summary");
  }

  @Override
  public List<String> checks() {
    return List.of(
        "dim_breweries_brewery_id_unique",
        "dim_breweries_keys_not_null",
        "dim_breweries_brewery_type_accepted",
        "row_counts_reconcile",
        "dim_breweries_fresh");
  }

  @Override
  public String mainGoldTable() {
    return "country_summary";
  }

  @Override
  public String mainGoldOrder() {
    return "country_rank, country";
  }
}
