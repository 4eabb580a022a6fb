package io.medallion.ingest;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.Manifest;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import io.medallion.source.Source;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A collection run of a pushed source: the bronze files its Cloud Storage subscription wrote since
 * the last collection are moved into the run's folder and become the pages of its manifest, so
 * silver loads all of them in one load job per table. Collections run every {@code
 * push.load_every_minutes}, so a table gets at most 1440/n load jobs a day from pushes, whatever
 * their rate (BigQuery allows 1,500 per table per day).
 *
 * <p>A file is claimed before it moves (a create-only object in staging naming the run), so two
 * collections never both take it; a move is a create-only copy, then a delete of exactly the
 * claimed generation. A collection that died halfway is finished by its own retry (the claims and
 * copies it made are found again) or, once its claims are {@link #ABANDONED}, by a later
 * collection, which first removes the copy the dead one made.
 */
final class PushedCollection {

  private static final Logger LOG = Logger.getLogger(PushedCollection.class.getName());
  private static final Gson GSON = new Gson();

  /** Files one collection takes; the rest wait for the next (a load job takes 10,000 URIs). */
  static final int MAX_FILES = 5_000;

  /** A collection moves its files in seconds; a claim this old without a manifest is a dead one's. */
  static final Duration ABANDONED = Duration.ofMinutes(15);

  private final ObjectStore objects;
  private final String bronze;
  private final String staging;
  private final Clock clock;

  PushedCollection(ObjectStore objects, String bronze, String staging, Clock clock) {
    this.objects = objects;
    this.bronze = bronze;
    this.staging = staging;
    this.clock = clock;
  }

  /**
   * Moves the pending pushed files of {@code source} into run {@code runId} and lists every file
   * the run holds, as the pages of its manifest (empty when nothing was pushed since the last).
   */
  List<Manifest.PageEntry> collect(Source source, LocalDate date, String runId, ObjectId manifestId) throws IOException {
    String pending = BronzeLayout.pushedPrefix(source);
    String inRun = BronzeLayout.pushedInRun(source.name(), date, runId);
    List<StoredObject> files = new ArrayList<>(objects.list(bronze, pending));
    files.sort(Comparator.comparing(o -> o.id().name()));
    int moved = 0;
    for (StoredObject file : files.subList(0, Math.min(MAX_FILES, files.size()))) {
      if (claim(source, file, runId, manifestId, pending)) {
        ObjectId copy = new ObjectId(bronze, inRun + copyName(file, pending));
        objects.copy(file.id(), file.generation(), copy, Map.of(
            BronzeLayout.SOURCE, source.name(), BronzeLayout.RUN_ID, runId, BronzeLayout.ROLE, BronzeLayout.ROLE_PAGE,
            BronzeLayout.RESOURCE, source.push().resource()));
        objects.delete(file.id(), file.generation());
        moved++;
      }
    }
    if (files.size() > MAX_FILES) {
      LOG.info(() -> "collection " + runId + ": " + (files.size() - MAX_FILES) + " pushed files wait for the next collection");
    }
    int took = moved;
    LOG.fine(() -> "collection " + runId + ": moved " + took + " of " + files.size() + " pushed files");
    List<StoredObject> held = new ArrayList<>(objects.list(bronze, inRun));
    held.sort(Comparator.comparing(o -> o.id().name()));
    List<Manifest.PageEntry> pages = new ArrayList<>();
    for (StoredObject o : held) {
      pages.add(new Manifest.PageEntry(pages.size() + 1, o.id().name(), o.generation(), records(o.id()), o.size(), o.md5(),
          source.push().resource(), 0, null, true));
    }
    return pages;
  }

  /**
   * Whether this run may move {@code file}: it claimed it now or before. A file another run
   * claimed and loaded (its manifest exists) is a leftover of that run's move: deleted here.
   */
  private boolean claim(Source source, StoredObject file, String runId, ObjectId manifestId, String pending)
      throws IOException {
    ObjectId claim = BronzeLayout.pushedClaim(staging, source.name(), file.id().name(), file.generation());
    JsonObject mine = new JsonObject();
    mine.addProperty("run_id", runId);
    mine.addProperty("manifest", manifestId.uri());
    mine.addProperty("file", file.id().uri());
    byte[] body = GSON.toJson(mine).getBytes(StandardCharsets.UTF_8);
    if (objects.createIfAbsent(claim, "application/json", Map.of(), body).isPresent()) {
      return true;
    }
    Optional<StoredObject> held = objects.stat(claim);
    if (held.isEmpty()) {
      return false; // released between the two calls: the next collection takes it
    }
    JsonObject holder = GSON.fromJson(new String(objects.readAllBytes(claim), StandardCharsets.UTF_8), JsonObject.class);
    String holderRun = holder.get("run_id").getAsString();
    if (holderRun.equals(runId)) {
      return true; // this run's own retry
    }
    ObjectId holderManifest = ObjectId.fromUri(holder.get("manifest").getAsString());
    if (objects.stat(holderManifest).isPresent()) {
      // Loaded by that run, which died between its copy and its delete: finish the move.
      objects.delete(file.id(), file.generation());
      return false;
    }
    if (held.get().created().plus(ABANDONED).isAfter(clock.instant())) {
      return false; // another collection is moving it now
    }
    // That collection died before its manifest: its copy goes (a retry of it must not load the
    // file too), then this run claims the file afresh.
    String holderRunFolder = holderManifest.name().substring(0, holderManifest.name().lastIndexOf('/') + 1);
    ObjectId holderCopy = new ObjectId(bronze, holderRunFolder + "pushed/" + copyName(file, pending));
    Optional<StoredObject> copy = objects.stat(holderCopy);
    if (copy.isPresent()) {
      objects.delete(holderCopy, copy.get().generation());
    }
    LOG.warning(() -> "collection " + runId + ": takes " + file.id() + " over from collection " + holderRun
        + ", which claimed it " + held.get().created() + " and never finished");
    return objects.delete(claim, held.get().generation())
        && objects.createIfAbsent(claim, "application/json", Map.of(), body).isPresent();
  }

  /**
   * A pushed file's name inside a run: its path below the pushed folder as one segment, with its
   * generation (another file later written under the same name is another copy, never mistaken
   * for this one's).
   */
  static String copyName(StoredObject file, String pending) {
    String flat = file.id().name().substring(pending.length()).replace('/', '_');
    int dot = flat.lastIndexOf('.');
    return dot > 0
        ? flat.substring(0, dot) + "-g" + file.generation() + flat.substring(dot)
        : flat + "-g" + file.generation();
  }

  /**
   * The records of an NDJSON file: its lines holding anything but white space. A Cloud Storage
   * subscription writes each message's payload "as raw text, separated by a newline"
   * (CloudStorageConfig.TextConfig,
   * https://cloud.google.com/dotnet/docs/reference/Google.Cloud.PubSub.V1/latest/Google.Cloud.PubSub.V1.CloudStorageConfig.Types.TextConfig),
   * and a push's message already ends in one: a blank line follows each, and counts for nothing.
   */
  private long records(ObjectId id) throws IOException {
    long n = 0;
    boolean content = false;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = objects.open(id)) {
      for (int read; (read = in.read(buffer)) > 0; ) {
        for (int i = 0; i < read; i++) {
          byte b = buffer[i];
          if (b == '\n') {
            n += content ? 1 : 0;
            content = false;
          } else if (b != ' ' && b != '\t' && b != '\r') {
            content = true;
          }
        }
      }
    }
    return n + (content ? 1 : 0);
  }
}
