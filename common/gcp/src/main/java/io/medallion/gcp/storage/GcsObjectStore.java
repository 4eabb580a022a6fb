package io.medallion.gcp.storage;

import com.google.api.gax.paging.Page;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * An {@link ObjectStore} over Google Cloud Storage.
 *
 * <p>Writes are resumable uploads with the precondition {@code ifGenerationMatch=0}
 * ({@link BlobWriteOption#doesNotExist()}): GCS makes the object visible only when the upload is
 * finalized, and refuses to finalize it with 412 Precondition Failed when a live object of that
 * name exists, so create-only publication is atomic on the server, across processes. A 412 is
 * reported as {@link Optional#empty()} by {@link PendingObject#commit()}.
 *
 * <p>Every {@link StorageException} is rethrown as an {@link IOException} whose message names the
 * operation and the {@code gs://} URI. Thread-safe when the {@link Storage} client is (it is);
 * a {@link PendingObject} is for one thread.
 */
public final class GcsObjectStore implements ObjectStore {

  private static final Logger LOG = Logger.getLogger(GcsObjectStore.class.getName());
  /** HTTP status GCS answers when {@code ifGenerationMatch=0} finds a live object. */
  static final int PRECONDITION_FAILED = 412;
  /** Gathers small writes before they reach the upload channel, which copies each one. */
  private static final int STREAM_BUFFER = 64 * 1024;

  private final Storage storage;

  /** A store over {@code storage}; the caller creates, configures and owns the client. */
  public GcsObjectStore(Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
  }

  @Override
  public PendingObject create(ObjectId id, String contentType, Map<String, String> metadata)
      throws IOException {
    BlobInfo info =
        BlobInfo.newBuilder(blobId(id))
            .setContentType(contentType) // null lets GCS apply its default
            .setMetadata(metadata == null || metadata.isEmpty() ? null : Map.copyOf(metadata))
            .build();
    WriteChannel channel;
    try {
      channel = storage.writer(info, BlobWriteOption.doesNotExist());
    } catch (StorageException e) {
      // Starting the resumable session may already check the precondition.
      if (isPreconditionFailure(e)) {
        return new PendingUpload(id, null);
      }
      throw failure("create", id, e);
    }
    return new PendingUpload(id, channel);
  }

  /**
   * A resumable upload in progress. Nothing is visible in the bucket until {@link #commit()}
   * finalizes it by closing the channel.
   */
  private final class PendingUpload implements PendingObject {
    private final ObjectId id;
    /** Null when GCS refused the session because the object exists. */
    private final WriteChannel channel;
    private final OutputStream out;
    private boolean done;

    PendingUpload(ObjectId id, WriteChannel channel) {
      this.id = id;
      this.channel = channel;
      this.out =
          channel == null
              ? OutputStream.nullOutputStream() // the commit will report "exists" anyway
              : new BufferedOutputStream(
                  new UploadStream(id, Channels.newOutputStream(channel)), STREAM_BUFFER);
    }

    @Override
    public OutputStream stream() {
      return out;
    }

    @Override
    public Optional<StoredObject> commit() throws IOException {
      if (done) {
        throw new IllegalStateException(id + " was already committed or discarded");
      }
      done = true;
      if (channel == null) {
        return Optional.empty();
      }
      try {
        out.flush();
        channel.close(); // finalizes the upload; this is where GCS checks ifGenerationMatch=0
      } catch (IOException | StorageException e) {
        if (isPreconditionFailure(e)) {
          return Optional.empty();
        }
        throw failure("create", id, e);
      }
      // WriteChannel does not expose the object it finalized (StorageWriteChannel#getObject is
      // not public, BlobWriteSession is @BetaApi), so read it back. Writes are create-only, so
      // this is the object just written unless someone deleted it in between.
      Blob blob = get(id, "create");
      if (blob == null) {
        throw new IOException("Failed to create " + id.uri() + ": gone right after upload");
      }
      return Optional.of(describe(blob));
    }

    /**
     * Discards an uncommitted upload by abandoning it: closing the channel would finalize it, and
     * the client has no call to cancel a resumable session. GCS never shows an unfinalized
     * upload and expires its session (after a week).
     */
    @Override
    public void close() {
      done = true;
    }
  }

  @Override
  public Optional<StoredObject> stat(ObjectId id) throws IOException {
    return Optional.ofNullable(get(id, "stat")).map(GcsObjectStore::describe);
  }

  @Override
  public InputStream open(ObjectId id) throws IOException {
    // Checked first so that a missing object fails here rather than on the first read (the
    // reader is lazy); the reader is pinned to the generation found, so the stream never mixes
    // two versions.
    Blob blob = get(id, "open");
    if (blob == null) {
      throw new NoSuchFileException(id.uri());
    }
    try {
      return new DownloadStream(
          id,
          Channels.newInputStream(
              storage.reader(BlobId.of(id.bucket(), id.name(), blob.getGeneration()))));
    } catch (StorageException e) {
      throw failure("open", id, e);
    }
  }

  /**
   * A server-side copy (objects.rewrite, driven to the end by {@code CopyWriter#getResult}) of
   * that generation, create-only by {@code ifGenerationMatch=0} on the target: no byte passes
   * through the function, whatever the file's size.
   * https://cloud.google.com/storage/docs/copying-renaming-moving-objects
   */
  @Override
  public Optional<StoredObject> copy(ObjectId from, long generation, ObjectId to, Map<String, String> metadata)
      throws IOException {
    Blob source = get(from, "copy");
    if (source == null || source.getGeneration() != generation) {
      throw new NoSuchFileException(from.uri() + "#" + generation);
    }
    try {
      Blob copy = storage.copy(Storage.CopyRequest.newBuilder()
              .setSource(BlobId.of(from.bucket(), from.name(), generation))
              .setTarget(BlobInfo.newBuilder(blobId(to)).setContentType(source.getContentType()).setMetadata(metadata).build(),
                  Storage.BlobTargetOption.doesNotExist())
              .build())
          .getResult();
      return Optional.of(describe(copy));
    } catch (StorageException e) {
      if (isPreconditionFailure(e)) {
        return Optional.empty();
      }
      throw failure("copy to " + to.uri() + " from", from, e);
    }
  }

  /** Deletes with {@code ifGenerationMatch}: a newer version someone uploaded meanwhile stays. */
  @Override
  public boolean delete(ObjectId id, long generation) throws IOException {
    try {
      return storage.delete(blobId(id), Storage.BlobSourceOption.generationMatch(generation));
    } catch (StorageException e) {
      if (isPreconditionFailure(e)) {
        return false;
      }
      throw failure("delete", id, e);
    }
  }

  @Override
  public List<StoredObject> list(String bucket, String prefix) throws IOException {
    String where = "gs://" + bucket + "/" + (prefix == null ? "" : prefix);
    List<StoredObject> result = new ArrayList<>();
    try {
      Page<Blob> page =
          prefix == null || prefix.isEmpty()
              ? storage.list(bucket)
              : storage.list(bucket, BlobListOption.prefix(prefix));
      for (Blob blob : page.iterateAll()) { // follows every page
        try {
          result.add(describe(blob));
        } catch (IllegalArgumentException e) {
          // Written by someone else under a name the port refuses (e.g. "a//b"): not ours to read.
          LOG.fine(() -> "Skipping object with an invalid name: " + e.getMessage());
        }
      }
    } catch (StorageException e) {
      throw new IOException("Failed to list " + where + ": " + e.getMessage(), e);
    }
    result.sort(Comparator.comparing(o -> o.id().name()));
    return result;
  }

  private Blob get(ObjectId id, String action) throws IOException {
    try {
      return storage.get(blobId(id));
    } catch (StorageException e) {
      throw failure(action, id, e);
    }
  }

  private static BlobId blobId(ObjectId id) {
    return BlobId.of(id.bucket(), id.name());
  }

  static StoredObject describe(BlobInfo blob) {
    Map<String, String> metadata = new HashMap<>();
    if (blob.getMetadata() != null) {
      // GCS allows null values (a key being removed by a patch); the port's map does not.
      blob.getMetadata().forEach((k, v) -> metadata.put(k, v == null ? "" : v));
    }
    Instant created =
        blob.getCreateTimeOffsetDateTime() == null
            ? null
            : blob.getCreateTimeOffsetDateTime().toInstant();
    return new StoredObject(
        new ObjectId(blob.getBucket(), blob.getName()),
        blob.getGeneration() == null ? 0 : blob.getGeneration(),
        blob.getSize() == null ? 0 : blob.getSize(),
        blob.getContentType(),
        metadata,
        created,
        blob.getMd5());
  }

  /** Whether {@code e}, or any of its causes, is GCS's 412 Precondition Failed. */
  static boolean isPreconditionFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StorageException se && se.getCode() == PRECONDITION_FAILED) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** {@code e} as an IOException naming the action and object (kept as is if it names both). */
  static IOException failure(String action, ObjectId id, Exception e) {
    if (e instanceof IOException io
        && io.getMessage() != null
        && io.getMessage().startsWith("Failed to ")
        && io.getMessage().contains(id.uri())) {
      return io; // from UploadStream: already says what failed
    }
    return new IOException("Failed to " + action + " " + id.uri() + ": " + e.getMessage(), e);
  }

  /**
   * The body writer's view of the upload. Closing it only flushes, because closing the channel
   * would finalize the upload before {@link PendingObject#commit()}; client errors become
   * IOExceptions naming the object.
   */
  private static final class UploadStream extends FilterOutputStream {
    private final ObjectId id;

    UploadStream(ObjectId id, OutputStream out) {
      super(out);
      this.id = id;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (StorageException e) {
        throw failure("upload to", id, e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (StorageException e) {
        throw failure("upload to", id, e);
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Turns client errors surfacing during reads into IOExceptions naming the object. */
  private static final class DownloadStream extends FilterInputStream {
    private final ObjectId id;

    DownloadStream(ObjectId id, InputStream in) {
      super(in);
      this.id = id;
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (StorageException e) {
        throw failure("read", id, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (StorageException e) {
        throw failure("read", id, e);
      }
    }
  }
}
