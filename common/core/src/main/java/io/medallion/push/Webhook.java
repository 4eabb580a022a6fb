package io.medallion.push;

import io.medallion.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The webhook's routes, whatever serves them (serve's local HTTP server, the deployed Cloud Run
 * function): {@code POST /v1/sources/<source>/records} to {@link PushReceiver}, {@code POST
 * /v1/sources/<source>/notify} to {@link NotifyReceiver}. Every answer is JSON with {@code code}
 * and {@code message}; every refusal is counted ({@link Metrics#webhookRefusal}).
 */
public final class Webhook {

  /** The routes' common prefix. */
  public static final String PREFIX = "/v1/sources/";
  /** Records pushed. */
  public static final String RECORDS = "records";
  /** A batch-ready notice. */
  public static final String NOTIFY = "notify";

  private static final Logger LOG = Logger.getLogger(Webhook.class.getName());

  /** One HTTP request: method, path (no query), headers (first value of each), body. */
  public record Request(String method, String path, Map<String, String> headers, InputStream body) {}

  private final PushReceiver records;
  private final NotifyReceiver notices;
  private final Metrics metrics;
  private final java.util.Set<String> doors;
  private final boolean secretUnset;

  public Webhook(PushReceiver records, NotifyReceiver notices, Map<String, PushReceiver.Door> doors, Metrics metrics) {
    this.records = records;
    this.notices = notices;
    this.doors = java.util.Set.copyOf(doors.keySet());
    this.secretUnset = doors.values().stream().anyMatch(d -> d.unsetSecret() != null);
    this.metrics = metrics;
  }

  /** Whether a door refuses everything because its declared secret had no value when it was built. */
  public boolean secretUnset() {
    return secretUnset;
  }

  public PushReceiver.Answer handle(Request request) {
    String path = request.path() == null ? "" : request.path();
    String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/", -1) : new String[0];
    boolean routed = parts.length == 2 && !parts[0].isEmpty() && (parts[1].equals(RECORDS) || parts[1].equals(NOTIFY));
    // Only a declared door's name becomes a meter tag: made-up names must not multiply the series.
    String source = routed && doors.contains(parts[0]) ? parts[0] : Metrics.UNKNOWN;
    PushReceiver.Answer answer;
    if (!routed) {
      answer = PushReceiver.refuse(404, "NOT_FOUND", "no route " + path + ": POST " + PREFIX + "<source>/" + RECORDS
          + " (records) or " + PREFIX + "<source>/" + NOTIFY + " (a batch is ready: pull it)");
    } else if (!"POST".equals(request.method())) {
      answer = PushReceiver.refuse(405, "METHOD_NOT_ALLOWED", request.method() + " " + path + ": only POST");
    } else {
      PushReceiver.Push push = new PushReceiver.Push(parts[0], request.headers(), request.body());
      try {
        answer = parts[1].equals(RECORDS) ? records.receive(push) : notices.receive(push);
      } catch (IOException e) {
        // The bus did not take it (or the key store failed): nothing is accepted, the sender retries.
        LOG.log(Level.WARNING, "webhook: " + path + " not accepted: " + e.getMessage(), e);
        // The sender hears that, not our topic or bucket names: those are in the log.
        answer = PushReceiver.refuse(503, "UNAVAILABLE", "not accepted, nothing kept (the message bus or key store"
            + " did not answer): send it again");
      }
    }
    if (answer.status() >= 400) {
      metrics.webhookRefusal(source, String.valueOf(answer.body().get("code")));
    }
    return answer;
  }
}
