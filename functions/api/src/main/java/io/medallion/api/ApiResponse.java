package io.medallion.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query API's answer, for any transport to write: a status, headers, a body (empty for 304).
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

  public ApiResponse {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
