package io.medallion.local.replay;

import java.util.Objects;

/**
 * One generated record.
 *
 * @param json the record exactly as the API sends it: one compact JSON object, fields in the API's
 *     order (or a deliberately broken variant of it)
 * @param expected what silver must make of it
 * @param parent for a child resource's record, the position of its parent record in the parent
 *     resource's list; -1 for a top-level record
 */
public record GeneratedRecord(String json, Expected expected, int parent) {
  public GeneratedRecord {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(expected, "expected");
  }

  /** A top-level record. */
  public GeneratedRecord(String json, Expected expected) {
    this(json, expected, -1);
  }
}
