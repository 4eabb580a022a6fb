package io.medallion.source.auth;

import io.medallion.source.SecretRef;
import java.util.List;

/** An API key in a header or a query parameter called {@code name}. */
public record ApiKey(String name, Location location, SecretRef apiKey) implements AuthSpec {

  /** Where the key goes. */
  public enum Location { HEADER, QUERY }

  @Override
  public String type() {
    return "api_key";
  }

  @Override
  public List<SecretRef> secrets() {
    return List.of(apiKey);
  }
}
