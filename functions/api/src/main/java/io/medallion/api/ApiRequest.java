package io.medallion.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request to the query API, as every transport gives it (the Functions Framework, the
 * local server): a method, a decoded path, the query's parameters in order, the headers.
 *
 * @param path the decoded path, without the query ({@code /v1/sales/sales_by_brand_year_month})
 * @param query each parameter's values in the order they came ({@code a=1&a=2} is a list)
 * @param headers header values by name, any case
 */
public record ApiRequest(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers) {

  public ApiRequest {
    Map<String, List<String>> q = new java.util.LinkedHashMap<>();
    query.forEach((k, v) -> q.put(k, List.copyOf(v)));
    query = java.util.Collections.unmodifiableMap(q);
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
      List<String> both = new java.util.ArrayList<>(a);
      both.addAll(b);
      return List.copyOf(both);
    }));
    headers = java.util.Collections.unmodifiableMap(h);
  }

  /** A GET of {@code path} with no headers: what tests and the contract examples send. */
  public static ApiRequest get(String path, Map<String, List<String>> query) {
    return new ApiRequest("GET", path, query, Map.of());
  }

  /** The first value of a header, if present. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The method in upper case. */
  public String verb() {
    return method.toUpperCase(Locale.ROOT);
  }
}
