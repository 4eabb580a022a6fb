package io.medallion.local.replay;

import java.util.Objects;

/**
 * One generated record.
 *
 * @param json the record exactly as the API serializes it: one compact JSON object, fields in the
 *     API's order (or a deliberately broken variant of it)
 * @param expected what silver must make of it
 */
public record GeneratedBrewery(String json, Expected expected) {
  public GeneratedBrewery {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(expected, "expected");
  }
}
