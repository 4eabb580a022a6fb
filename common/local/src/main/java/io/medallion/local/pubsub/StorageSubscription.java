package io.medallion.local.pubsub;

import io.medallion.event.PubSubMessage;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The local stand-in of a Pub/Sub Cloud Storage subscription: the messages of a topic become
 * NDJSON objects in a bucket, one object per batch, a batch closed by whichever comes first of
 * its age ({@code max_duration}) and its size ({@code max_bytes}), named by the batch's start time
 * under a prefix as the subscription names its files
 * (https://cloud.google.com/pubsub/docs/create-cloudstorage-subscription).
 *
 * <p>Nothing acknowledged is lost: a message is appended to a spool file on disk, forced, before
 * the handler returns (and the bus acknowledges it); the spool becomes an object when the batch
 * closes, and a spool a killed process left behind becomes one when the next starts.
 *
 * <p>Work in progress for issue 17 (branch i17-push): not yet wired into the pipeline or serve.
 */
public final class StorageSubscription implements MessageHandler, AutoCloseable {

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/'batch-'yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path spool;
  private final ObjectStore objects;
  private final String bucket;
  private final String prefix;
  private final Duration maxDuration;
  private final long maxBytes;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private FileChannel channel;
  private Instant batchStart;
  private int batches;

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
    if (Files.exists(spool) && Files.size(spool) > 0) {
      // A killed process's batch: every message in it was acknowledged, so it must reach bronze.
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
  public synchronized void handle(PubSubMessage message, int deliveryAttempt) throws Exception {
    byte[] data = message.data();
    if (channel == null) {
      Files.createDirectories(spool.getParent()); // only once something is pushed
      channel = FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      batchStart = clock.instant();
    }
    channel.write(ByteBuffer.wrap(data));
    if (data.length > 0 && data[data.length - 1] != '\n') {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
    }
    channel.force(false); // durable before the bus hears it was handled
    if (channel.size() >= maxBytes) {
      close(batchStart);
    }
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
    channel.close();
    channel = null;
    publish(start);
  }

  /** The spool as one object named by its batch's start, then an empty spool. */
  private void publish(Instant start) throws IOException {
    ObjectId id = new ObjectId(bucket, prefix + NAME.format(start) + "-" + (++batches) + ".ndjson");
    byte[] body = Files.readAllBytes(spool);
    objects.createIfAbsent(id, "application/x-ndjson", Map.of(), body);
    Files.delete(spool);
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
