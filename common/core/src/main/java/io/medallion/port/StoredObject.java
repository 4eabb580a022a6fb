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

  /**
   * The hex form of a base64 MD5 as GCS gives it (an object's, or a finalize event's), or null
   * when there is none or it is not 16 bytes.
   */
  public static String hexMd5(String base64Md5) {
    if (base64Md5 == null || base64Md5.isEmpty()) {
      return null;
    }
    try {
      byte[] md5 = java.util.Base64.getDecoder().decode(base64Md5);
      return md5.length == 16 ? java.util.HexFormat.of().formatHex(md5) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
