package io.medallion.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medallion.event.InvalidEventException;
import io.medallion.port.JobIds;
import io.medallion.port.MessageBus;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * A "batch ready" notice: a source's system says records are waiting, and a pull run of that source
 * starts, as a run request on the run-requests topic (what a schedule or {@code medallion run}
 * publishes). The notice is signed as pushes to the source are.
 *
 * <p>The window a notice names is the run's ingest date ({@code {"ingest_date": "YYYY-MM-DD"}}, the
 * bronze partition; absent: the date ingest receives it). What the run reads is what any run of the
 * source reads: incremental resources from their last high-water mark to now, the others whole. A
 * bound on what the API returns would need an end parameter no declaration has; this does not
 * pretend to one.
 *
 * <p>With an {@code Idempotency-Key} the run id derives from the source and key: a notice sent
 * again names the same run, which ingest continues or, once done, leaves as it is.
 */
public final class NotifyReceiver {

  /** A notice is a few dozen bytes; anything near this is not one. */
  public static final int MAX_BODY_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, PushReceiver.Door> doors;
  private final SourceRegistry sources;
  private final MessageBus bus;
  private final String runRequestsTopic;
  private final Clock clock;

  public NotifyReceiver(
      Map<String, PushReceiver.Door> doors, SourceRegistry sources, MessageBus bus, String runRequestsTopic, Clock clock) {
    this.doors = Map.copyOf(doors);
    this.sources = sources;
    this.bus = bus;
    this.runRequestsTopic = runRequestsTopic;
    this.clock = clock;
  }

  public PushReceiver.Answer receive(PushReceiver.Push notice) throws IOException {
    PushReceiver.Answer closed = PushReceiver.closed(doors, notice.source());
    if (closed != null) {
      return closed;
    }
    PushReceiver.Door door = doors.get(notice.source());
    byte[] body = PushReceiver.bounded(notice.body(), MAX_BODY_BYTES);
    if (body == null) {
      return PushReceiver.refuse(413, "BODY_TOO_LARGE", "a notice is at most " + MAX_BODY_BYTES
          + " bytes: {\"ingest_date\": \"YYYY-MM-DD\"}, or nothing");
    }
    if (door.secret() != null) {
      String why = Signature.refusal(notice.header(Signature.HEADER), door.secret(), clock.instant(), body);
      if (why != null) {
        return PushReceiver.refuse(401, "BAD_SIGNATURE", why);
      }
    }
    Source source = sources.find(notice.source()).orElseThrow();
    if (source.client() == null) {
      return PushReceiver.refuse(409, "NOTHING_TO_PULL", "source '" + source.name() + "' has no API to pull"
          + " (its declaration has no client): post its records to /v1/sources/" + source.name() + "/records instead");
    }
    LocalDate ingestDate;
    try {
      ingestDate = ingestDate(body);
    } catch (InvalidEventException e) {
      return PushReceiver.refuse(400, "BAD_NOTICE", e.getMessage());
    }
    String key = notice.header("Idempotency-Key");
    if (key != null && key.length() > 255) {
      return PushReceiver.refuse(400, "BAD_IDEMPOTENCY_KEY", "Idempotency-Key is longer than 255 characters");
    }
    String runId = key != null
        ? "notify-" + JobIds.derive("n", source.name(), key).substring(2, 26)
        : RunIds.forMessage(clock.instant(), UUID.randomUUID().toString());
    RunRequest request = new RunRequest(source.name(), runId, null, ingestDate);
    byte[] json = request.toJson().getBytes(StandardCharsets.UTF_8);
    try {
      RunRequest.parse(json); // what ingest will read: never publish a request it would dead-letter
    } catch (InvalidEventException e) {
      throw new IllegalStateException("a notice made a run request ingest refuses: " + e.getMessage(), e);
    }
    String id = bus.publish(runRequestsTopic, new OutboundMessage(json, Map.of("trigger", "notify", "source", source.name())));
    return new PushReceiver.Answer(202, Map.of("code", "ACCEPTED", "run_id", runId, "message_id", id,
        "message", "a run of " + source.name() + " is requested" + (ingestDate == null ? "" : " for ingest date " + ingestDate)
            + ": follow it with ./medallion status " + runId + " or the ledger"));
  }

  /** The notice's ingest date, or null for none; anything but that one optional field is refused. */
  private static LocalDate ingestDate(byte[] body) throws InvalidEventException {
    String text = new String(body, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("the notice is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new InvalidEventException("a notice is a JSON object: {\"ingest_date\": \"YYYY-MM-DD\"}, or nothing");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("ingest_date")) {
        throw new InvalidEventException("a notice has no field '" + name + "': only ingest_date (YYYY-MM-DD)");
      }
    }
    JsonNode date = node.get("ingest_date");
    if (date == null || date.isNull()) {
      return null;
    }
    try {
      if (!date.isTextual() || !date.asText().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
        throw new DateTimeParseException("not YYYY-MM-DD", date.toString(), 0);
      }
      return LocalDate.parse(date.asText());
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("ingest_date is not a YYYY-MM-DD calendar date: " + date);
    }
  }
}
