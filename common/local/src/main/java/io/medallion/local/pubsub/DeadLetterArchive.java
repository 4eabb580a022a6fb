package io.medallion.local.pubsub;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.medallion.event.PubSubMessage;
import io.medallion.event.Utf8;
import io.medallion.local.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Keeps dead letters on disk so they outlive the process: subscribed to a dead-letter topic, it
 * writes each message to {@code <dir>/<publishTime-millis>-<messageId>.json}, and {@link #list()}
 * reads them back.
 *
 * <p>The data is stored as text when it is valid UTF-8 (so a person can read it) and as base64
 * otherwise. Files are written atomically; a redelivered dead letter rewrites the same file.
 */
public final class DeadLetterArchive implements MessageHandler {

  /** A dead letter read back from the archive. */
  public record DeadLetter(Path file, PubSubMessage message) {

    /** The subscription that gave up on the message. */
    public String sourceSubscription() {
      return message.attributes().get(InProcessPubSub.SOURCE_SUBSCRIPTION_ATTRIBUTE);
    }

    /** Why the last delivery attempt failed, or null. */
    public String lastError() {
      return message.attributes().get(InProcessPubSub.LAST_ERROR_ATTRIBUTE);
    }
  }

  private static final Logger LOG = Logger.getLogger(DeadLetterArchive.class.getName());
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
  private static final String UTF_8 = "utf-8";
  private static final String BASE64 = "base64";

  private final Path dir;
  private final List<java.util.function.Consumer<DeadLetter>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** An archive in {@code dir}, created if needed. */
  public DeadLetterArchive(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  /** Anything messages can be subscribed on: the in-process bus, or the Pub/Sub emulator. */
  @FunctionalInterface
  public interface Subscriptions {
    void subscribe(String topic, String subscription, SubscriptionPolicy policy, MessageHandler handler)
        throws IOException;
  }

  /**
   * An archive in {@code dir} subscribed to {@code deadLetterTopic} as subscription {@code
   * <deadLetterTopic>-archive}. A failed write is retried every few seconds.
   */
  public static DeadLetterArchive attach(Subscriptions subscriptions, String deadLetterTopic, Path dir)
      throws IOException {
    DeadLetterArchive archive = new DeadLetterArchive(dir);
    SubscriptionPolicy retry =
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    subscriptions.subscribe(deadLetterTopic, deadLetterTopic + "-archive", retry, archive);
    return archive;
  }

  public Path directory() {
    return dir;
  }

  @Override
  public void handle(PubSubMessage message, int deliveryAttempt) throws IOException {
    DeadLetter kept = new DeadLetter(write(message), message);
    for (var listener : listeners) {
      try {
        listener.accept(kept);
      } catch (RuntimeException e) {
        // Kept either way; a listener that only reports must not make the bus redeliver it.
        LOG.log(Level.WARNING, "Dead-letter listener failed for " + kept.file(), e);
      }
    }
  }

  /** Hears of each dead letter once it is on disk (the CLI's {@code serve} reports them). */
  public void addListener(java.util.function.Consumer<DeadLetter> listener) {
    listeners.add(listener);
  }

  /** Writes {@code message} to its file, replacing an identical earlier write. */
  public Path write(PubSubMessage message) throws IOException {
    byte[] data = message.data();
    String text = Utf8.decode(data).orElse(null);
    Stored stored =
        new Stored(
            message.messageId(),
            message.publishTime().toString(),
            message.attributes(),
            text != null ? text : Base64.getEncoder().encodeToString(data),
            text != null ? UTF_8 : BASE64);
    String name = message.publishTime().toEpochMilli() + "-" + message.messageId() + ".json";
    Path target = dir.resolve(name);
    if (!target.getParent().equals(dir)) {
      throw new IOException("Message id " + message.messageId() + " is not a plain file name");
    }
    // A dot-prefixed temp file in the same directory, so the final move is a rename and list()
    // never sees it.
    Path temp = dir.resolve(".dead-letter-" + UUID.randomUUID() + ".tmp");
    AtomicFiles.replace(target, temp, GSON.toJson(stored).getBytes(StandardCharsets.UTF_8));
    return target;
  }

  /** The archived dead letters, oldest first. Unreadable files are logged and skipped. */
  public List<DeadLetter> list() throws IOException {
    List<Path> files;
    try (Stream<Path> entries = Files.list(dir)) {
      files =
          entries
              .filter(p -> p.getFileName().toString().matches("\\d+-.+\\.json"))
              .toList();
    }
    List<DeadLetter> result = new ArrayList<>();
    for (Path file : files) {
      try {
        result.add(new DeadLetter(file, read(file)));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "Skipping unreadable dead letter " + file, e);
      }
    }
    // Numeric ids sort by length first, so message 10 comes after message 9.
    result.sort(
        Comparator.comparing((DeadLetter d) -> d.message().publishTime())
            .thenComparing(d -> d.message().messageId().length())
            .thenComparing(d -> d.message().messageId()));
    return result;
  }

  private static PubSubMessage read(Path file) throws IOException {
    Stored s;
    try {
      s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Stored.class);
    } catch (JsonParseException e) {
      throw new IOException("Not a dead letter: " + e.getMessage(), e);
    }
    if (s == null || s.messageId() == null || s.publishTime() == null || s.data() == null) {
      throw new IOException("Not a dead letter: fields missing");
    }
    byte[] data =
        BASE64.equals(s.dataEncoding())
            ? Base64.getDecoder().decode(s.data())
            : s.data().getBytes(StandardCharsets.UTF_8);
    try {
      return new PubSubMessage(
          s.messageId(),
          data,
          s.attributes() == null ? Map.of() : s.attributes(),
          Instant.parse(s.publishTime()));
    } catch (DateTimeParseException e) {
      throw new IOException("Bad publishTime " + s.publishTime(), e);
    }
  }

  /** The JSON form of a dead letter file. */
  private record Stored(
      String messageId,
      String publishTime,
      Map<String, String> attributes,
      String data,
      String dataEncoding) {}
}
