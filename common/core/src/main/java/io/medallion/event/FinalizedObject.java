package io.medallion.event;

import io.medallion.port.ObjectId;
import java.time.Instant;
import java.util.Map;

/**
 * A new object version, as a storage finalize event describes it.
 *
 * @param md5 base64 MD5 of the content as GCS reports it ({@code md5Hash}), or null when the event
 *     has none (GCS gives composite objects only a CRC32C)
 */
public record FinalizedObject(
    ObjectId id,
    long generation,
    long size,
    String contentType,
    Map<String, String> metadata,
    Instant created,
    String md5) {

  public FinalizedObject {
    metadata = Map.copyOf(metadata);
  }

  /** An object whose event carries no MD5. */
  public FinalizedObject(
      ObjectId id, long generation, long size, String contentType, Map<String, String> metadata, Instant created) {
    this(id, generation, size, contentType, metadata, created, null);
  }
}
