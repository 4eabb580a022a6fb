package io.medallion.port;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port to a bucket store (GCS, or directories locally).
 *
 * <p>Every write is create-only and atomic: an object is either absent or complete, and an
 * existing object is never replaced. This is what makes redelivered events harmless.
 */
public interface ObjectStore {

  /** Streams an object body; the store commits it only when this returns normally. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Creates {@code id} with the bytes {@code body} writes, unless it already exists.
   *
   * @return the new object, or empty when an object of that name already existed (it is left as
   *     it was and {@code body} may not have been called)
   * @throws IOException when the write failed; nothing was committed
   */
  Optional<StoredObject> createIfAbsent(
      ObjectId id, String contentType, Map<String, String> metadata, BodyWriter body)
      throws IOException;

  /** Convenience for small bodies. */
  default Optional<StoredObject> createIfAbsent(
      ObjectId id, String contentType, Map<String, String> metadata, byte[] bytes)
      throws IOException {
    return createIfAbsent(id, contentType, metadata, out -> out.write(bytes));
  }

  /** The current version of {@code id}, or empty. */
  Optional<StoredObject> stat(ObjectId id) throws IOException;

  /**
   * Opens the current version for streaming.
   *
   * @throws java.nio.file.NoSuchFileException when the object does not exist
   */
  InputStream open(ObjectId id) throws IOException;

  /** Objects whose names start with {@code prefix}, sorted by name. */
  List<StoredObject> list(String bucket, String prefix) throws IOException;

  /** Reads a whole object: for manifests and other small objects only. */
  default byte[] readAllBytes(ObjectId id) throws IOException {
    try (InputStream in = open(id)) {
      return in.readAllBytes();
    }
  }
}
