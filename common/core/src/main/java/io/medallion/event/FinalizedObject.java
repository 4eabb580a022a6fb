package io.medallion.event;

import io.medallion.port.ObjectId;
import java.time.Instant;
import java.util.Map;

/** A new object version, as a storage finalize event describes it. */
public record FinalizedObject(
    ObjectId id,
    long generation,
    long size,
    String contentType,
    Map<String, String> metadata,
    Instant created) {

  public FinalizedObject {
    metadata = Map.copyOf(metadata);
  }
}
