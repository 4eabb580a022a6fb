package io.medallion.silver;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medallion.bronze.BronzeLayout;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.RunLedger;
import io.medallion.port.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which run loaded the bytes of a dropped file, so that the same bytes dropped again, under any
 * name, are recognised and not added to silver twice.
 *
 * <p>A claim is a create-only object in the staging bucket, {@code
 * <source>/drop_md5=<hex>/claim-00001.json}, naming the run that holds those bytes; the store's
 * create-only write decides between concurrent deliveries, on GCS as locally. A run claims the
 * bytes only once its silver step has read the file and kept rows from it (one that fails, or
 * rejects every record, claims nothing, so the same bytes load when dropped again after a fix
 * elsewhere), and before it records that step and submits its load job, so a redelivery of the
 * same drop finds its own claim and goes on. A claim
 * whose run's load job failed is passed on: the next drop of those bytes takes the next number.
 * Runs from ingest (a manifest) are never checked: a source may well return the same page twice.
 */
final class DropClaims {

  private static final Gson GSON = new Gson();
  private static final Pattern CLAIM = Pattern.compile(".*/claim-(\\d+)\\.json");
  /** Claims lost to concurrent drops before giving up (for a retry of the event). */
  private static final int ATTEMPTS = 5;

  /** A run's claim on a file's bytes. */
  record Claim(int ordinal, String runId, String sourceUri, String md5) {}

  /** Whether a drop may load bytes others may have claimed. */
  private sealed interface Verdict {}

  /** The drop's own run holds them: a redelivery, go on. */
  private record Held() implements Verdict {}

  /** No run holds them: claim number {@code ordinal} is the next. */
  private record Free(int ordinal) implements Verdict {}

  /** Another run holds them. */
  private record Taken(Claim by) implements Verdict {}

  private final ObjectStore objects;
  private final RunLedger ledger;
  private final String bucket;

  DropClaims(ObjectStore objects, RunLedger ledger, String stagingBucket) {
    this.objects = objects;
    this.ledger = ledger;
    this.bucket = stagingBucket;
  }

  /** The claim of another run on these bytes, if one holds them; looks only, claims nothing. */
  Optional<Claim> heldByAnother(String source, String md5Hex, String runId) throws IOException {
    return verdict(source, md5Hex, runId) instanceof Taken taken ? Optional.of(taken.by()) : Optional.empty();
  }

  /**
   * Claims the bytes for {@code runId}, unless another run holds them: then its claim.
   *
   * @param force take the next claim even when another run holds the bytes (a drop forced to load
   *     again): later drops of them are then recognised as this run's
   * @throws IOException also when concurrent drops keep taking the next claim (a retry decides)
   */
  Optional<Claim> claim(String source, String md5Hex, String runId, String sourceUri, boolean force) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Verdict verdict = verdict(source, md5Hex, runId);
      if (verdict instanceof Held) {
        return Optional.empty();
      }
      if (verdict instanceof Taken taken && !force) {
        return Optional.of(taken.by());
      }
      int ordinal = verdict instanceof Taken taken ? taken.by().ordinal() + 1 : ((Free) verdict).ordinal();
      JsonObject body = new JsonObject();
      body.addProperty("run_id", runId);
      body.addProperty("source_uri", sourceUri);
      body.addProperty("md5", md5Hex);
      Optional<StoredObject> created = objects.createIfAbsent(
          BronzeLayout.dropClaim(bucket, source, md5Hex, ordinal), "application/json",
          Map.of(BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source),
          GSON.toJson(body).getBytes(StandardCharsets.UTF_8));
      if (created.isPresent()) {
        return Optional.empty();
      }
      // Another drop of the same bytes took that number first: look again.
    }
    throw new IOException(
        "Could not claim the bytes (md5 " + md5Hex + ") of " + sourceUri + " for run " + runId + ": other drops of"
            + " the same bytes kept claiming them first, " + ATTEMPTS + " times");
  }

  private Verdict verdict(String source, String md5Hex, String runId) throws IOException {
    int last = 0;
    StoredObject lastClaim = null;
    for (StoredObject o : objects.list(bucket, BronzeLayout.dropClaimsPrefix(source, md5Hex))) {
      Matcher m = CLAIM.matcher(o.id().name());
      if (!m.matches()) {
        continue;
      }
      if (runId.equals(o.metadata().get(BronzeLayout.RUN_ID))) {
        return new Held();
      }
      int ordinal = Integer.parseInt(m.group(1));
      if (ordinal > last) {
        last = ordinal;
        lastClaim = o;
      }
    }
    if (lastClaim == null) {
      return new Free(1);
    }
    String holder = lastClaim.metadata().get(BronzeLayout.RUN_ID);
    if (holder == null || loadFailed(holder)) {
      return new Free(last + 1);
    }
    return new Taken(read(lastClaim.id(), last, holder, md5Hex));
  }

  /** Whether BigQuery refused the run's load: then its claim holds nothing in silver. */
  private boolean loadFailed(String runId) throws IOException {
    boolean failed = false;
    for (RunEvent e : ledger.events(runId)) {
      if (e.stage() == Stage.SILVER_LOAD) {
        if (e.status() == Status.SUCCEEDED) {
          return false;
        }
        failed |= e.status() == Status.FAILED;
      }
    }
    return failed;
  }

  private Claim read(ObjectId id, int ordinal, String runId, String md5Hex) throws IOException {
    String uri = null;
    try {
      JsonObject body = GSON.fromJson(new String(objects.readAllBytes(id), StandardCharsets.UTF_8), JsonObject.class);
      if (body != null && body.has("source_uri")) {
        uri = body.get("source_uri").getAsString();
      }
    } catch (RuntimeException e) {
      // A claim someone edited by hand: its metadata still names the run.
    }
    return new Claim(ordinal, runId, uri == null ? id.uri() : uri, md5Hex);
  }
}
