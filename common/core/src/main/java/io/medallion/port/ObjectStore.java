package io.medallion.port;

import java.io.Closeable;
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
 * existing object is never replaced. This is what makes redelivered events harmless. The one
 * other change is {@link #delete}, of a version named by its generation, which a file source's
 * lifecycle uses to move a file out of its inbox once a copy is safe elsewhere.
 */
public interface ObjectStore {

  /** Streams an object body; the store commits it only when this returns normally. */
  @FunctionalInterface
  interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /** An object being written: nothing is visible until {@link #commit()}. */
  interface PendingObject extends Closeable {

    /** Where the body goes. */
    OutputStream stream();

    /**
     * Makes the object visible, unless an object of that name exists already.
     *
     * @return the new object, or empty when one existed (it is left as it was)
     */
    Optional<StoredObject> commit() throws IOException;

    /** Discards the object if it was not committed; a no-op after commit. */
    @Override
    void close() throws IOException;
  }

  /**
   * Starts writing {@code id}. Use when one pass writes several objects (silver's rows and
   * rejects); otherwise {@link #createIfAbsent} is simpler.
   */
  PendingObject create(ObjectId id, String contentType, Map<String, String> metadata)
      throws IOException;

  /**
   * Creates {@code id} with the bytes {@code body} writes, unless it already exists.
   *
   * @return the new object, or empty when an object of that name already existed (it is left as
   *     it was)
   * @throws IOException when the write failed; nothing was committed
   */
  default Optional<StoredObject> createIfAbsent(
      ObjectId id, String contentType, Map<String, String> metadata, BodyWriter body)
      throws IOException {
    try (PendingObject pending = create(id, contentType, metadata)) {
      body.writeTo(pending.stream());
      return pending.commit();
    }
  }

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

  /**
   * Copies version {@code generation} of {@code from} to {@code to} with {@code metadata}, unless
   * {@code to} exists already. The store streams the bytes through; GCS copies on the server.
   *
   * @return the copy, or empty when {@code to} existed (it is left as it was)
   * @throws java.nio.file.NoSuchFileException when that version of {@code from} is gone
   */
  default Optional<StoredObject> copy(ObjectId from, long generation, ObjectId to, Map<String, String> metadata)
      throws IOException {
    StoredObject source = stat(from).filter(o -> o.generation() == generation)
        .orElseThrow(() -> new java.nio.file.NoSuchFileException(from.uri() + "#" + generation));
    try (InputStream in = open(from)) {
      return createIfAbsent(to, source.contentType(), metadata, out -> in.transferTo(out));
    }
  }

  /**
   * Deletes {@code id} if its current version is {@code generation}.
   *
   * @return false when it is gone already, or was replaced by another version (then left as it is)
   */
  boolean delete(ObjectId id, long generation) throws IOException;

  /** Reads a whole object: for manifests and other small objects only. */
  default byte[] readAllBytes(ObjectId id) throws IOException {
    try (InputStream in = open(id)) {
      return in.readAllBytes();
    }
  }
}
