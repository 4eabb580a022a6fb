package io.medallion.local.pubsub;

import io.medallion.event.PubSubMessage;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stand-in of a Pub/Sub Cloud Storage subscription: the messages of a topic become
 * NDJSON objects in a bucket, one object per batch, a batch closed by whichever comes first of
 * its age ({@code max_duration}) and its size ({@code max_bytes}), named by the batch's start time
 * under a prefix as the subscription names its files
 * (https://cloud.google.com/pubsub/docs/create-cloudstorage-subscription).
 *
 * <p>Nothing acknowledged is lost: a message is appended to a spool file on disk, forced, before
 * {@link #append} returns (and the sender hears it was accepted); the spool becomes an object when
 * the batch closes, and a spool a killed process left behind becomes one when the next starts.
 * Concurrent appends share one force (a group commit): each append still waits until a force that
 * began after its bytes were written has ended, so the guarantee is the same as forcing each
 * message alone, at a fraction of the forces.
 *
 * <p>A closing batch is first renamed to a file that names its object, so a process killed while
 * it is being published publishes it again under the same name (create-if-absent): no batch
 * reaches bronze twice.
 */
public final class StorageSubscription implements MessageHandler, AutoCloseable {

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/'batch-'yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  /** A closing batch's file: this prefix, then its object's name with '/' as '~'. */
  private static final String CLOSING = "closing~";

  private final Path spool;
  private final ObjectStore objects;
  private final String bucket;
  private final String prefix;
  private final Duration maxDuration;
  private final long maxBytes;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final AtomicLong forces = new AtomicLong();
  /** Held by the one appender that forces for all; never while holding this object's lock. */
  private final Object forcing = new Object();
  private FileChannel channel; // guarded by this
  private long channelSize; // guarded by this
  private Instant batchStart; // guarded by this
  private long appended; // guarded by this: appends written so far
  private long forced; // guarded by this: appends known forced (or published)
  private int batches; // guarded by this
  private final String instance = Long.toHexString(new java.security.SecureRandom().nextInt() & 0xffffffL);

  /**
   * @param spool the file batches are kept in until they close; a leftover one is published now
   */
  public StorageSubscription(Path spool, ObjectStore objects, String bucket, String prefix, Duration maxDuration, long maxBytes,
      Clock clock) throws IOException {
    this.spool = spool;
    this.objects = objects;
    this.bucket = bucket;
    this.prefix = prefix;
    this.maxDuration = maxDuration;
    this.maxBytes = maxBytes;
    this.clock = clock;
    // A killed process's batches: every message in them was acknowledged, so they must reach bronze.
    for (Path closing : closingFiles()) {
      publishClosing(closing);
    }
    if (Files.exists(spool) && Files.size(spool) > 0) {
      publish(Files.getLastModifiedTime(spool).toInstant());
    }
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "storage-subscription-" + prefix);
      t.setDaemon(true);
      return t;
    });
    long tick = Math.max(50, Math.min(1000, maxDuration.toMillis() / 10));
    timer.scheduleAtFixedRate(this::closeIfOld, tick, tick, TimeUnit.MILLISECONDS);
  }

  @Override
  public void handle(PubSubMessage message, int deliveryAttempt) throws Exception {
    append(message.data());
  }

  /**
   * Appends one message's records (NDJSON) to the open batch and returns once they are forced to
   * disk: the local equivalent of Pub/Sub acknowledging a publish.
   */
  public void append(byte[] data) throws IOException {
    long mine;
    synchronized (this) {
      if (channel == null) {
        Files.createDirectories(spool.getParent());
        channel = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        channelSize = channel.size();
        batchStart = clock.instant();
      }
      boolean newline = data.length > 0 && data[data.length - 1] != '\n';
      ByteBuffer bytes = ByteBuffer.wrap(data);
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      if (newline) {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
      channelSize += data.length + (newline ? 1 : 0);
      mine = ++appended;
      if (channelSize >= maxBytes) {
        close(batchStart); // forces and publishes: this append is durable already
        return;
      }
    }
    forceUpTo(mine);
  }

  /**
   * Returns once append number {@code mine} is forced. One waiting appender forces for every
   * append written before its force began; the others find their number covered and return.
   */
  private void forceUpTo(long mine) throws IOException {
    synchronized (forcing) {
      FileChannel toForce;
      long covers;
      synchronized (this) {
        if (forced >= mine) {
          return;
        }
        toForce = channel;
        covers = appended;
      }
      try {
        toForce.force(false); // durable before the sender hears it was accepted
        forces.incrementAndGet();
      } catch (ClosedChannelException e) {
        // The batch closed meanwhile, and closing forces and publishes everything appended.
        synchronized (this) {
          if (forced >= mine) {
            return;
          }
        }
        throw e;
      }
      synchronized (this) {
        forced = Math.max(forced, covers);
      }
    }
  }

  /** How many times the spool was forced: fewer than appends when appends come together. */
  public long forces() {
    return forces.get();
  }

  private synchronized void closeIfOld() {
    try {
      if (channel != null && !clock.instant().isBefore(batchStart.plus(maxDuration))) {
        close(batchStart);
      }
    } catch (IOException | RuntimeException e) {
      // Logged and tried again at the next tick: a timer task that threw would never run again.
      java.util.logging.Logger.getLogger(StorageSubscription.class.getName())
          .warning(() -> "could not close the batch of " + prefix + ": " + e + "; retrying");
    }
  }

  private void close(Instant start) throws IOException {
    channel.force(false);
    forces.incrementAndGet();
    channel.close();
    channel = null;
    forced = appended;
    publish(start);
  }

  /**
   * The spool as one object named by its batch's start, then an empty spool. The spool is first
   * renamed to a file that names the object: a kill from here on publishes the same object again.
   */
  private void publish(Instant start) throws IOException {
    // This process's token and a counter: two batches never share a name, even across restarts
    // (a shared name would make create-if-absent drop the second).
    String name = prefix + NAME.format(start) + "-" + instance + "-" + (++batches) + ".ndjson";
    Path closing = spool.resolveSibling(CLOSING + spoolName() + "~" + name.replace('/', '~'));
    Files.move(spool, closing, StandardCopyOption.ATOMIC_MOVE);
    publishClosing(closing);
  }

  private void publishClosing(Path closing) throws IOException {
    String file = closing.getFileName().toString();
    String name = file.substring((CLOSING + spoolName() + "~").length()).replace('~', '/');
    objects.createIfAbsent(new ObjectId(bucket, name), "application/x-ndjson", Map.of(), Files.readAllBytes(closing));
    Files.delete(closing);
  }

  private String spoolName() {
    return spool.getFileName().toString();
  }

  /** Batches a killed process was publishing, oldest first. */
  private List<Path> closingFiles() throws IOException {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(spool.getParent())) {
      return found; // nothing was ever pushed here: the directory is made with the first batch
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(spool.getParent(), CLOSING + spoolName() + "~*")) {
      files.forEach(found::add);
    }
    found.sort(null);
    return found;
  }

  /** Closes the open batch now, whatever its age or size. */
  public synchronized void flush() throws IOException {
    if (channel != null) {
      close(batchStart);
    }
  }

  /** Closes the open batch now (a clean stop) and stops the timer. */
  @Override
  public synchronized void close() throws IOException {
    timer.shutdownNow();
    if (channel != null) {
      close(batchStart);
    }
  }
}
