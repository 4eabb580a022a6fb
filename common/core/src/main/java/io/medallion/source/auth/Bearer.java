package io.medallion.source.auth;

import io.medallion.source.SecretRef;
import java.util.List;

/** {@code Authorization: Bearer <token>}. */
public record Bearer(SecretRef token) implements AuthSpec {
  @Override
  public String type() {
    return "bearer";
  }

  @Override
  public List<SecretRef> secrets() {
    return List.of(token);
  }
}
