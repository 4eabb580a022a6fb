package io.medallion.local.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the silver layer must make of one generated record: a {@link Clean} row, or a {@link
 * Reject}. The rules are in {@link BreweryGenerator}.
 */
public sealed interface Expected permits Expected.Clean, Expected.Reject {

  /** True for a row silver loads. */
  default boolean isClean() {
    return this instanceof Clean;
  }

  /**
   * The typed values of the silver columns ({@code schemas/bigquery/silver/breweries.json}, less
   * the lineage columns): trimmed strings or null, coordinates as doubles or null.
   */
  record Clean(
      String breweryId,
      String name,
      String breweryType,
      String address1,
      String address2,
      String address3,
      String city,
      String stateProvince,
      String postalCode,
      String country,
      String phone,
      String websiteUrl,
      Double longitude,
      Double latitude)
      implements Expected {

    public Clean {
      Objects.requireNonNull(breweryId, "breweryId");
      Objects.requireNonNull(name, "name");
    }

    /** The values by silver column name, in the schema's order; nulls included. */
    public Map<String, Object> toRow() {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("brewery_id", breweryId);
      row.put("name", name);
      row.put("brewery_type", breweryType);
      row.put("address_1", address1);
      row.put("address_2", address2);
      row.put("address_3", address3);
      row.put("city", city);
      row.put("state_province", stateProvince);
      row.put("postal_code", postalCode);
      row.put("country", country);
      row.put("phone", phone);
      row.put("website_url", websiteUrl);
      row.put("longitude", longitude);
      row.put("latitude", latitude);
      return Collections.unmodifiableMap(row);
    }
  }

  /**
   * A record silver must reject.
   *
   * @param field the API field at fault ({@code id}, {@code name}, {@code latitude}, ...)
   */
  record Reject(RejectReason reason, String field) implements Expected {
    public Reject {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(field, "field");
    }
  }
}
