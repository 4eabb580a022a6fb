package io.medallion.source.auth;

import io.medallion.source.SecretRef;
import java.util.List;

/** Public APIs: nothing is added to a request. */
public record NoAuth() implements AuthSpec {
  @Override
  public String type() {
    return "none";
  }

  @Override
  public List<SecretRef> secrets() {
    return List.of();
  }
}
