package io.medallion.gold;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.ledger.RunSummary;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request to rebuild a source's gold from silver: its incremental models over the silver rows
 * ingested from {@code from} to {@code to} (UTC days, both included), its snapshots and tables
 * whole, then its checks; and/or the models named in {@code fullRefresh} rebuilt whole. Published
 * to gold's topic with the attribute {@code medallion_request=backfill} ({@code medallion
 * backfill}, or {@code gcloud pubsub topics publish} on GCP), it runs as the run {@code runId}.
 *
 * <p>Running one twice gives the same tables: a MERGE of rows already merged changes nothing.
 */
public record BackfillRequest(String source, LocalDate from, LocalDate to, List<String> fullRefresh, String runId) {

  /** The request attribute's value that asks for a backfill. */
  public static final String ATTRIBUTE_VALUE = "backfill";

  public BackfillRequest {
    fullRefresh = List.copyOf(fullRefresh);
  }

  /** Whether it names a date range (else it only refreshes models). */
  public boolean hasRange() {
    return from != null;
  }

  /** The silver window of the range: from {@code from}'s start to the start of the day after {@code to}. */
  GoldStep.Window window() {
    return GoldStep.Window.backfill(from.atStartOfDay(ZoneOffset.UTC).toInstant(), to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /**
   * Why the request cannot run, before anything is written: an unknown source or model, a model
   * that is not incremental or a snapshot asked for a range, a reversed range or one in the
   * future, neither a range nor a model, a bad run id. Empty: it can run.
   */
  public Optional<String> problem(SourceRegistry sources, Instant now) {
    Optional<Source> found = source == null ? Optional.empty() : sources.find(source);
    if (found.isEmpty()) {
      return Optional.of(source == null ? "a backfill names its source" : "no source '" + source + "'; known: " + sources.names());
    }
    Source s = found.get();
    if (runId == null || !runId.startsWith(RunSummary.BACKFILL_PREFIX) || !runId.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      return Optional.of("run_id '" + runId + "' must start with " + RunSummary.BACKFILL_PREFIX
          + " and be lowercase letters, digits, _ and -, at most 63 characters");
    }
    if ((from == null) != (to == null)) {
      return Optional.of("a backfill range needs both --from and --to");
    }
    if (from == null && fullRefresh.isEmpty()) {
      return Optional.of("nothing to do: give a range (--from and --to) or a model to refresh whole (--full-refresh MODEL)");
    }
    if (from != null) {
      LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
      if (from.isAfter(to)) {
        return Optional.of("the range is reversed: --from " + from + " is after --to " + to);
      }
      if (to.isAfter(today)) {
        return Optional.of("the range ends in the future: --to " + to + " is after today (" + today + ", UTC); silver has nothing there yet");
      }
      List<String> incremental = s.goldModels().stream()
          .filter(m -> s.gold().materialization(m).kind() != Source.Materialization.Kind.TABLE).toList();
      if (incremental.isEmpty()) {
        return Optional.of("source " + source + " has no incremental or snapshot model: its tables are rebuilt whole on every"
            + " run, so a range means nothing (use --full-refresh MODEL, or a run)");
      }
    }
    for (String model : fullRefresh) {
      if (!s.goldModels().contains(model)) {
        return Optional.of("--full-refresh " + model + ": not a model of " + source + "; its models are " + s.goldModels());
      }
    }
    return Optional.empty();
  }

  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("source", source);
    if (from != null) {
      o.addProperty("from", from.toString());
      o.addProperty("to", to.toString());
    }
    JsonArray refresh = new JsonArray();
    fullRefresh.forEach(refresh::add);
    o.add("full_refresh", refresh);
    o.addProperty("run_id", runId);
    return o.toString();
  }

  /** @throws IllegalArgumentException naming what is wrong with the JSON */
  public static BackfillRequest parse(String json) {
    try {
      JsonObject o = JsonParser.parseString(json).getAsJsonObject();
      List<String> refresh = new ArrayList<>();
      if (o.has("full_refresh") && o.get("full_refresh").isJsonArray()) {
        for (JsonElement e : o.getAsJsonArray("full_refresh")) {
          refresh.add(e.getAsString());
        }
      }
      return new BackfillRequest(text(o, "source"), date(o, "from"), date(o, "to"), refresh, text(o, "run_id"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("a backfill request is {\"source\", \"from\", \"to\" (YYYY-MM-DD), \"full_refresh\": [models],"
          + " \"run_id\"}: " + e.getMessage(), e);
    }
  }

  private static String text(JsonObject o, String name) {
    return o.has(name) && !o.get(name).isJsonNull() ? o.get(name).getAsString() : null;
  }

  private static LocalDate date(JsonObject o, String name) {
    String t = text(o, name);
    try {
      return t == null ? null : LocalDate.parse(t);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " '" + t + "' is not a date YYYY-MM-DD");
    }
  }
}
