package io.medallion.port;

import java.time.Instant;
import java.util.Map;

/**
 * What an object store knows about one object version.
 *
 * @param generation the version number; GCS semantics: changes on every overwrite
 * @param metadata custom metadata (GCS "x-goog-meta-*"), never null
 * @param md5 base64 MD5 of the content, as GCS reports it
 */
public record StoredObject(
    ObjectId id,
    long generation,
    long size,
    String contentType,
    Map<String, String> metadata,
    Instant created,
    String md5) {

  public StoredObject {
    metadata = Map.copyOf(metadata);
  }
}
