package io.medallion.local.storage;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import io.medallion.local.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link ObjectStore} whose buckets are directories: object {@code gs://b/some/name} is the
 * file {@code <root>/b/some/name}, so copying a file into a bucket directory makes it an object.
 *
 * <p>Writes are create-only and atomic: the body goes to {@code <root>/.tmp/}, is fsynced, and is
 * published with a hard link, which fails when the target exists. Object metadata lives in a JSON
 * sidecar {@code <root>/.meta/<bucket>/<name>.json}, written before the link. The data file's
 * modification time is set to the generation so that a sidecar can be recognised as stale when
 * someone replaces the file by hand; files without a matching sidecar are objects with guessed
 * metadata.
 *
 * <p>Finalize listeners hear of every object this store creates and, while watching, of files
 * that appear on disk by other means, each (name, version) once. Symbolic links are never objects,
 * and no path through a symbolic link may leave its bucket directory.
 *
 * <p>Thread-safe. Several processes may share a root, but only create-only publication (the hard
 * link) is coordinated between them; sidecars and notifications are per process.
 */
public final class DirectoryObjectStore implements ObjectStore {

  private static final Logger LOG = Logger.getLogger(DirectoryObjectStore.class.getName());
  private static final Gson GSON = new Gson();
  private static final String TMP_DIR = ".tmp";
  private static final String META_DIR = ".meta";
  /** Per-name locks, striped so the table stays bounded however many names are written. */
  private static final int LOCK_STRIPES = 64;

  private final Path root;
  private final Path tmp;
  private final Path meta;
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final AtomicLong lastGeneration = new AtomicLong();
  private final List<Consumer<StoredObject>> listeners = new CopyOnWriteArrayList<>();
  /** The file version (size, mtime) each name was last announced with, or created at. */
  private final Map<ObjectId, FileVersion> announced = new ConcurrentHashMap<>();
  /** Versions seen once by the watcher, announced when the next scan sees them unchanged. */
  private final Map<ObjectId, FileVersion> settling = new HashMap<>();
  /** MD5 of files without a sidecar, so that listing them does not reread them every time. */
  private final Map<ObjectId, Md5Entry> md5Cache = new ConcurrentHashMap<>();
  private ScheduledExecutorService watcher;
  private final List<Consumer<Stray>> strayListeners = new CopyOnWriteArrayList<>();
  /** Strays already reported, so each is reported once. */
  private final Set<Path> reportedStrays = ConcurrentHashMap.newKeySet();

  /** A store over {@code root}; files already present are treated as announced. */
  public DirectoryObjectStore(Path root) throws IOException {
    this(root, false);
  }

  /**
   * A store over {@code root}, created if needed.
   *
   * @param announceExisting when true the watcher also announces the files present now; when
   *     false only files that appear later are announced
   */
  public DirectoryObjectStore(Path root, boolean announceExisting) throws IOException {
    // The real path, so that symbolic links can be detected by comparing real paths with it.
    this.root = Files.createDirectories(root).toRealPath();
    this.tmp = Files.createDirectories(this.root.resolve(TMP_DIR));
    this.meta = Files.createDirectories(this.root.resolve(META_DIR));
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new Object();
    }
    if (!announceExisting) {
      // The baseline is taken now rather than when watching starts, so that a file copied in
      // between construction and startWatching is still announced.
      walkAll((id, attrs) -> announced.put(id, FileVersion.of(attrs)));
    }
  }

  /** The directory holding the buckets. */
  public Path root() {
    return root;
  }

  /**
   * The file holding {@code id} (which may not exist), checked to stay inside its bucket. Lets
   * local adapters such as a warehouse read objects directly.
   */
  public Path path(ObjectId id) throws IOException {
    return resolve(id);
  }

  @Override
  public PendingObject create(ObjectId id, String contentType, Map<String, String> metadata)
      throws IOException {
    Path target = resolve(id);
    String type = contentType != null ? contentType : guessContentType(id.name());
    Map<String, String> meta = metadata != null ? Map.copyOf(metadata) : Map.of();
    return new PendingFile(id, target, type, meta, tempPath("obj-"));
  }

  /** A body streaming into a temp file; {@link #commit()} links it into the bucket. */
  private final class PendingFile implements PendingObject {
    private final ObjectId id;
    private final Path target;
    private final String type;
    private final Map<String, String> meta;
    private final Path temp;
    private final FileChannel file;
    private final MessageDigest md5 = md5();
    private final DigestOutputStream out;
    private boolean done;

    PendingFile(ObjectId id, Path target, String type, Map<String, String> meta, Path temp)
        throws IOException {
      this.id = id;
      this.target = target;
      this.type = type;
      this.meta = meta;
      this.temp = temp;
      this.file = FileChannel.open(temp, CREATE_NEW, WRITE);
      this.out = new DigestOutputStream(new NoCloseOutputStream(Channels.newOutputStream(file)), md5);
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
      StoredObject object;
      try {
        out.flush();
        long size = file.size();
        file.force(true);
        file.close();
        long generation = nextGeneration();
        Files.setLastModifiedTime(temp, FileTime.from(generation, TimeUnit.MICROSECONDS));
        // Read the time back: a filesystem with coarser timestamps stores less than we set, and
        // the sidecar must match what stat() will see.
        long mtime = toMicros(Files.getLastModifiedTime(temp));
        Instant created = Instant.EPOCH.plus(generation, ChronoUnit.MICROS);
        String md5Base64 = Base64.getEncoder().encodeToString(md5.digest());
        Sidecar sidecar = new Sidecar(generation, size, mtime, type, meta, created.toString(), md5Base64);
        object = new StoredObject(id, generation, size, type, meta, created, md5Base64);
        if (!publish(id, target, temp, sidecar)) {
          return Optional.empty();
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      notifyListeners(object);
      return Optional.of(object);
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        file.close();
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Writes the sidecar and links the temp file into place; false when the name was taken. */
  private boolean publish(ObjectId id, Path target, Path temp, Sidecar sidecar)
      throws IOException {
    Path sidecarPath = sidecarPath(id);
    FileVersion version = new FileVersion(sidecar.size(), sidecar.mtimeMicros());
    // The lock keeps a losing writer of the same name in this process from replacing the
    // winner's sidecar.
    synchronized (lockFor(id)) {
      if (taken(id, target)) {
        return false;
      }
      createParentInsideBucket(id, target);
      Files.createDirectories(sidecarPath.getParent());
      writeAtomically(sidecarPath, GSON.toJson(sidecar).getBytes(StandardCharsets.UTF_8));
      // Recorded before the link so that the watcher can never see the file unrecorded.
      FileVersion previous = announced.put(id, version);
      try {
        Files.createLink(target, temp);
        return true;
      } catch (IOException e) {
        restore(id, previous);
        Files.deleteIfExists(sidecarPath);
        if (e instanceof FileAlreadyExistsException && taken(id, target)) {
          return false; // someone else (another process, a person) created it first
        }
        throw e;
      }
    }
  }

  /**
   * Whether an object occupies {@code target}. A directory there means other objects are named
   * {@code <name>/...}; GCS allows both, a directory tree cannot, so that is an error.
   */
  private static boolean taken(ObjectId id, Path target) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "Cannot create " + id.uri() + ": objects named " + id.name() + "/... exist, and a"
              + " local bucket cannot hold a file and a directory of the same name");
    }
    return Files.exists(target, LinkOption.NOFOLLOW_LINKS);
  }

  /** A fresh name in .tmp; not createTempFile, whose owner-only mode the object would keep. */
  private Path tempPath(String prefix) {
    return tmp.resolve(prefix + UUID.randomUUID() + ".part");
  }

  private void restore(ObjectId id, FileVersion previous) {
    if (previous == null) {
      announced.remove(id);
    } else {
      announced.put(id, previous);
    }
  }

  @Override
  public Optional<StoredObject> stat(ObjectId id) throws IOException {
    Path file = resolve(id);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return attrs.isRegularFile() ? Optional.of(describe(id, file, attrs)) : Optional.empty();
  }

  @Override
  public InputStream open(ObjectId id) throws IOException {
    Path file = resolve(id);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(id.uri());
    }
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Deletes the file and its sidecar if the file is still that version; the watcher forgets it,
   * so a file copied in again under the same name is announced as new.
   */
  @Override
  public boolean delete(ObjectId id, long generation) throws IOException {
    synchronized (lockFor(id)) {
      Optional<StoredObject> now = stat(id);
      if (now.isEmpty() || now.get().generation() != generation) {
        return false;
      }
      Files.deleteIfExists(resolve(id));
      Files.deleteIfExists(sidecarPath(id));
      announced.remove(id);
      md5Cache.remove(id);
      return true;
    }
  }

  @Override
  public List<StoredObject> list(String bucket, String prefix) throws IOException {
    Path bucketDir = bucketDir(bucket);
    String p = prefix == null ? "" : prefix;
    // Walk only the deepest directory the prefix names, when that is a safe name.
    Path start = bucketDir;
    int slash = p.lastIndexOf('/');
    if (slash > 0) {
      try {
        start = resolve(new ObjectId(bucket, p.substring(0, slash)));
      } catch (IllegalArgumentException e) {
        return List.of(); // no object name can start with an invalid directory name
      }
    }
    List<StoredObject> result = new ArrayList<>();
    walk(
        bucket,
        bucketDir,
        start,
        (id, attrs) -> {
          if (id.name().startsWith(p)) {
            try {
              result.add(describe(id, resolve(id), attrs));
            } catch (NoSuchFileException e) {
              // deleted while listing: not an object any more
            }
          }
        });
    result.sort(Comparator.comparing(o -> o.id().name()));
    return result;
  }

  /** Registers a listener for finalized objects; it runs on the creating or watcher thread. */
  public void addFinalizeListener(Consumer<StoredObject> listener) {
    listeners.add(listener);
  }

  /**
   * Starts a daemon thread that calls {@link #scanOnce()} every {@code pollInterval}, so files a
   * person copies in are announced once they have stopped changing.
   */
  public synchronized void startWatching(Duration pollInterval) {
    if (watcher != null) {
      throw new IllegalStateException("Already watching " + root);
    }
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "directory-store-watcher");
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, pollInterval.toMillis());
    watcher.scheduleWithFixedDelay(this::scanLogged, 0, millis, TimeUnit.MILLISECONDS);
  }

  /** Stops the watcher thread, waiting briefly for a scan in progress. */
  public void stopWatching() throws InterruptedException {
    ScheduledExecutorService w;
    synchronized (this) {
      w = watcher;
      watcher = null;
    }
    if (w != null) {
      // shutdown() cancels the periodic scan without interrupting file I/O of one in progress.
      w.shutdown();
      w.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Announces files that appeared by other means than this store: a file is announced when two
   * consecutive scans see it with the same size and modification time (so a half-copied file is
   * not), and each version of a name is announced once.
   */
  public void scanOnce() throws IOException {
    Map<ObjectId, FileVersion> ready = new HashMap<>();
    synchronized (settling) {
      Map<ObjectId, FileVersion> seen = new HashMap<>();
      List<Stray> strays = new ArrayList<>();
      walkAll(
          new FileVisitor() {
            @Override
            public void visit(ObjectId id, BasicFileAttributes attrs) {
              FileVersion version = FileVersion.of(attrs);
              if (version.equals(announced.get(id))) {
                return;
              }
              if (version.equals(settling.get(id))) {
                ready.put(id, version);
              } else {
                seen.put(id, version);
              }
            }

            @Override
            public void stray(Path path, String reason) {
              if (reportedStrays.add(path)) {
                strays.add(new Stray(path, reason));
              }
            }
          });
      for (Stray stray : strays) {
        for (Consumer<Stray> listener : strayListeners) {
          try {
            listener.accept(stray);
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Stray listener failed for " + stray.path(), e);
          }
        }
      }
      settling.clear();
      settling.putAll(seen);
      List<ObjectId> ids = new ArrayList<>(ready.keySet());
      ids.sort(Comparator.comparing(ObjectId::uri)); // a predictable order for listeners
      for (ObjectId id : ids) {
        announceIfStill(id, ready.get(id));
      }
    }
  }

  /** Announces {@code id} if its file is still the stable {@code version} and not announced. */
  private void announceIfStill(ObjectId id, FileVersion stable) throws IOException {
    StoredObject object;
    // Under the name's lock, so a store write of this name cannot slip between check and record.
    synchronized (lockFor(id)) {
      Path file = resolve(id);
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return;
      }
      FileVersion version = FileVersion.of(attrs);
      if (!attrs.isRegularFile() || !version.equals(stable) || version.equals(announced.get(id))) {
        return; // changed since the scan (later scans will judge it again) or already announced
      }
      object = describe(id, file, attrs);
      announced.put(id, version);
    }
    notifyListeners(object);
  }

  private void scanLogged() {
    try {
      scanOnce();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Scan of " + root + " failed; retrying at the next poll", e);
    }
  }

  private void notifyListeners(StoredObject object) {
    for (Consumer<StoredObject> listener : listeners) {
      try {
        listener.accept(object);
      } catch (RuntimeException e) {
        // The object is committed either way; a listener's failure must not undo or stop that.
        LOG.log(Level.SEVERE, "Finalize listener failed for " + object.id(), e);
      }
    }
  }

  private StoredObject describe(ObjectId id, Path file, BasicFileAttributes attrs)
      throws IOException {
    long size = attrs.size();
    long mtime = toMicros(attrs.lastModifiedTime());
    Sidecar sidecar = readSidecar(id);
    if (sidecar != null && sidecar.size() == size && sidecar.mtimeMicros() == mtime) {
      return new StoredObject(
          id,
          sidecar.generation(),
          size,
          sidecar.contentType(),
          sidecar.metadata() == null ? Map.of() : sidecar.metadata(),
          Instant.parse(sidecar.created()),
          sidecar.md5());
    }
    // A file without a matching sidecar: copied in (or replaced) by hand.
    return new StoredObject(
        id,
        mtime,
        size,
        guessContentType(id.name()),
        Map.of(),
        attrs.lastModifiedTime().toInstant(),
        md5Of(id, file, new FileVersion(size, mtime)));
  }

  private Sidecar readSidecar(ObjectId id) {
    try {
      Sidecar s =
          GSON.fromJson(Files.readString(sidecarPath(id), StandardCharsets.UTF_8), Sidecar.class);
      return s != null && s.contentType() != null && s.created() != null && s.md5() != null
          ? s
          : null;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | JsonParseException e) {
      LOG.log(Level.WARNING, "Ignoring unreadable metadata of " + id, e);
      return null;
    }
  }

  private String md5Of(ObjectId id, Path file, FileVersion version) throws IOException {
    Md5Entry cached = md5Cache.get(id);
    if (cached != null && cached.version().equals(version)) {
      return cached.md5();
    }
    MessageDigest md5 = md5();
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md5.update(buffer, 0, n);
      }
    }
    String value = Base64.getEncoder().encodeToString(md5.digest());
    md5Cache.put(id, new Md5Entry(version, value));
    return value;
  }

  /** GCS-style generation: microseconds since the epoch, strictly increasing in this process. */
  private long nextGeneration() {
    long now = toMicros(Instant.now());
    return lastGeneration.updateAndGet(last -> Math.max(last + 1, now));
  }

  private Object lockFor(ObjectId id) {
    return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
  }

  /** Content type of a file copied in by hand, from its extension. */
  static String guessContentType(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".json") || n.endsWith(".ndjson") || n.endsWith(".jsonl")
        ? "application/json"
        : "application/octet-stream";
  }

  private Path bucketDir(String bucket) {
    new ObjectId(bucket, "x"); // validates the bucket name with the port's rules
    return root.resolve(bucket);
  }

  /**
   * The file of {@code id}. ObjectId already rejects names that could escape; this checks again
   * on the resolved path, and checks that no symbolic link on the way leads out of the bucket.
   */
  private Path resolve(ObjectId id) throws IOException {
    Path bucketDir = bucketDir(id.bucket());
    Path file = bucketDir.resolve(id.name()).normalize();
    if (!file.startsWith(bucketDir) || file.equals(bucketDir)) {
      throw escape(id, file);
    }
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    // root is a real path, so any symbolic link on the way (the bucket itself included) shows.
    if (existing != null && existing.startsWith(bucketDir)) {
      Path real = existing.toRealPath();
      if (!real.startsWith(bucketDir)) {
        throw escape(id, real);
      }
    }
    return file;
  }

  private void createParentInsideBucket(ObjectId id, Path target) throws IOException {
    Path parent = Files.createDirectories(target.getParent());
    // resolve() checked the existing ancestors; a symlink could have been planted since.
    if (!parent.toRealPath().startsWith(bucketDir(id.bucket()))) {
      throw escape(id, parent.toRealPath());
    }
  }

  private static IOException escape(ObjectId id, Path where) {
    return new IOException(
        "Refusing " + id.uri() + ": its path resolves to " + where + ", outside the bucket");
  }

  private Path sidecarPath(ObjectId id) {
    return meta.resolve(id.bucket()).resolve(id.name() + ".json");
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    AtomicFiles.replace(target, tempPath("meta-"), bytes);
  }


  private interface FileVisitor {
    void visit(ObjectId id, BasicFileAttributes attrs) throws IOException;

    /** An entry of a bucket directory that is no object, and why. */
    default void stray(Path path, String reason) {}
  }

  /** An entry of a bucket directory that is not an object: a symbolic link, a name GCS would refuse. */
  public record Stray(Path path, String reason) {}

  /** Every stray entry of every bucket now. */
  public List<Stray> strays() throws IOException {
    List<Stray> found = new ArrayList<>();
    walkAll(new FileVisitor() {
      @Override
      public void visit(ObjectId id, BasicFileAttributes attrs) {}

      @Override
      public void stray(Path path, String reason) {
        found.add(new Stray(path, reason));
      }
    });
    return found;
  }

  /** Hears of each stray entry once, when the watcher first sees it. */
  public void addStrayListener(Consumer<Stray> listener) {
    strayListeners.add(listener);
  }

  /** Visits every regular file of every bucket. */
  private void walkAll(FileVisitor visitor) throws IOException {
    List<Path> buckets;
    try (var entries = Files.list(root)) {
      buckets = entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path dir : buckets) {
      String bucket = dir.getFileName().toString();
      try {
        bucketDir(bucket); // hidden directories (.tmp, .meta) are not valid bucket names
      } catch (IllegalArgumentException e) {
        continue;
      }
      walk(bucket, dir, dir, visitor);
    }
  }

  /** Visits the regular files under {@code start}, without following symbolic links. */
  private static void walk(String bucket, Path bucketDir, Path start, FileVisitor visitor)
      throws IOException {
    if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (attrs.isRegularFile()) {
                String problem = nameProblem(bucket, bucketDir.relativize(file));
                if (problem == null) {
                  visitor.visit(objectId(bucket, bucketDir.relativize(file)), attrs);
                } else if (!file.getFileName().toString().startsWith(".")) {
                  visitor.stray(file, "its name cannot be an object name (" + problem + ")");
                }
              } else if (attrs.isSymbolicLink()) {
                visitor.stray(file, "it is a symbolic link; copy the file itself in");
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE; // deleted while walking
              }
              throw e;
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Why {@code relative} cannot name an object, or null when it can. */
  private static String nameProblem(String bucket, Path relative) {
    try {
      objectIdOrThrow(bucket, relative);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static ObjectId objectIdOrThrow(String bucket, Path relative) {
    StringBuilder name = new StringBuilder();
    for (Path segment : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    return new ObjectId(bucket, name.toString());
  }

  private static ObjectId objectId(String bucket, Path relative) {
    StringBuilder name = new StringBuilder();
    for (Path segment : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    try {
      return new ObjectId(bucket, name.toString());
    } catch (IllegalArgumentException e) {
      LOG.fine(() -> "Skipping file that is not a valid object name: " + e.getMessage());
      return null;
    }
  }

  private static long toMicros(FileTime time) {
    return time.to(TimeUnit.MICROSECONDS);
  }

  private static long toMicros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the watcher compares between scans; equal versions mean an unchanged file. */
  private record FileVersion(long size, long mtimeMicros) {
    static FileVersion of(BasicFileAttributes attrs) {
      return new FileVersion(attrs.size(), toMicros(attrs.lastModifiedTime()));
    }
  }

  private record Md5Entry(FileVersion version, String md5) {}

  /**
   * The sidecar JSON. {@code size} and {@code mtimeMicros} identify the data file it describes.
   */
  private record Sidecar(
      long generation,
      long size,
      long mtimeMicros,
      String contentType,
      Map<String, String> metadata,
      String created,
      String md5) {}

  /** Keeps the body writer from closing the file before it is fsynced. */
  private static final class NoCloseOutputStream extends java.io.FilterOutputStream {
    NoCloseOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
