package io.medallion.bronze;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import io.medallion.source.FileNamePattern;
import io.medallion.source.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where a file source's dropped file goes once read: to the archive once its load is confirmed,
 * to the quarantine (with a report beside it) when it cannot be read. A move is a create-only copy
 * and then a delete of exactly the version read, so a crash between the two leaves the file in
 * both places (the next delivery finishes the move), never in neither; a newer version dropped
 * under the same name meanwhile stays in the inbox for its own event.
 *
 * <pre>
 * &lt;inbox&gt;base_2017.xlsx                                       dropped
 * &lt;archive&gt;run_id=&lt;id&gt;/md5=&lt;hex&gt;/base_2017.xlsx               loaded, load confirmed
 * &lt;quarantine&gt;run_id=&lt;id&gt;/base_2017.xlsx                      not readable
 * &lt;quarantine&gt;run_id=&lt;id&gt;/base_2017.xlsx.report.json          why, where
 * </pre>
 */
public final class FileLifecycle {

  /** Object metadata: {@code true} loads the bytes even when a run loaded them already. */
  public static final String FORCE = "medallion-force";
  /** Object metadata of an archived or quarantined copy: where the file was dropped. */
  public static final String DROPPED_AS = "medallion-dropped-as";
  /** Object metadata of an archived copy: the MD5 of its bytes, hex. */
  public static final String MD5 = "medallion-md5";
  /** Object metadata of a quarantined copy: why. */
  public static final String REASON = "medallion-reason";

  private final ObjectStore objects;

  public FileLifecycle(ObjectStore objects) {
    this.objects = objects;
  }

  /** A file of a file source, as its name places it. */
  public record Placed(Source.Resource resource, Map<String, String> parts, String fileKey, String relativeName) {}

  /**
   * The resource whose pattern the name (relative to the inbox) matches, first in declaration
   * order, with the name's parts and the file's logical key; empty when none does.
   */
  public static Optional<Placed> place(Source source, String objectName) {
    String relative = objectName.substring(source.drops().inbox().length());
    for (Source.Resource r : source.resources()) {
      if (r.file() == null) {
        continue;
      }
      Optional<Map<String, String>> parts = r.file().pattern().match(relative);
      if (parts.isPresent()) {
        String key = r.file().key() == null ? null : FileNamePattern.fill(r.file().key(), parts.get());
        return Optional.of(new Placed(r, parts.get(), key, relative));
      }
    }
    return Optional.empty();
  }

  /** The name of a file below the inbox, or below the source's folder when it is not in the inbox. */
  public static String relativeName(Source source, String objectName) {
    if (source.drops().inInbox(objectName)) {
      return objectName.substring(source.drops().inbox().length());
    }
    return objectName.startsWith(source.name() + "/") ? objectName.substring(source.name().length() + 1) : objectName;
  }

  /** Where a loaded file's bytes are kept. */
  public static ObjectId archived(Source source, String bucket, String relativeName, String runId, String md5Hex) {
    return new ObjectId(bucket, source.drops().archive() + "run_id=" + runId + "/md5=" + md5Hex + "/" + relativeName);
  }

  /** Where an unreadable file is kept. */
  public static ObjectId quarantined(Source source, String bucket, String relativeName, String runId) {
    return new ObjectId(bucket, source.drops().quarantine() + "run_id=" + runId + "/" + relativeName);
  }

  /** The report beside a quarantined file. */
  public static ObjectId report(ObjectId quarantined) {
    return new ObjectId(quarantined.bucket(), quarantined.name() + ".report.json");
  }

  /**
   * Moves version {@code generation} of a dropped file to the archive of {@code runId}.
   *
   * @return where it is kept, or empty when that version was gone and no archived copy exists
   *     (someone removed or replaced it by hand before its load was confirmed)
   */
  public Optional<ObjectId> archive(Source source, ObjectId dropped, long generation, String runId) throws IOException {
    Optional<StoredObject> now = objects.stat(dropped).filter(o -> o.generation() == generation);
    String relative = relativeName(source, dropped.name());
    if (now.isEmpty()) {
      // Moved by an earlier delivery of the same completion: find its copy.
      String prefix = source.drops().archive() + "run_id=" + runId + "/";
      return objects.list(dropped.bucket(), prefix).stream().map(StoredObject::id)
          .filter(id -> id.name().endsWith("/" + relative)).findFirst();
    }
    String md5 = java.util.Objects.requireNonNullElse(StoredObject.hexMd5(now.get().md5()), "unknown");
    ObjectId to = archived(source, dropped.bucket(), relative, runId, md5);
    move(dropped, generation, to, Map.of(
        BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source.name(), DROPPED_AS, dropped.uri(), MD5, md5));
    return Optional.of(to);
  }

  /**
   * Writes the report, then moves version {@code generation} of a dropped file to the quarantine.
   *
   * @param reason a stable code (EMPTY_FILE, HEADER_MISMATCH, OUTSIDE_INBOX, ...)
   * @param detail what is wrong and where (lines, rows), for the person who fixes the file
   * @return where the file is kept
   */
  public ObjectId quarantine(
      Source source, ObjectId dropped, long generation, String runId, String reason, String detail, Instant at)
      throws IOException {
    ObjectId to = quarantined(source, dropped.bucket(), relativeName(source, dropped.name()), runId);
    JsonObject report = new JsonObject();
    report.addProperty("file", dropped.uri());
    report.addProperty("generation", generation);
    report.addProperty("source", source.name());
    report.addProperty("run_id", runId);
    report.addProperty("reason", reason);
    report.addProperty("detail", detail);
    report.addProperty("quarantined_at", at.toString());
    report.addProperty("kept_as", to.uri());
    report.addProperty("what_to_do", "fix the file and drop it into " + source.drops().inbox() + " again");
    // The report first: a crash before the move leaves the file in the inbox, where the
    // redelivered event finds it again; never a quarantined file without its reason.
    objects.createIfAbsent(report(to), "application/json", Map.of(BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source.name()),
        new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(report).getBytes(StandardCharsets.UTF_8));
    move(dropped, generation, to, Map.of(BronzeLayout.RUN_ID, runId, BronzeLayout.SOURCE, source.name(), DROPPED_AS,
        dropped.uri(), REASON, reason));
    return to;
  }

  /** Copy (create-only), then delete exactly that version; a copy already there is the same bytes. */
  private void move(ObjectId from, long generation, ObjectId to, Map<String, String> metadata) throws IOException {
    try {
      objects.copy(from, generation, to, metadata);
    } catch (NoSuchFileException e) {
      if (objects.stat(to).isEmpty()) {
        throw e;
      }
      return; // moved already
    }
    objects.delete(from, generation);
  }
}
