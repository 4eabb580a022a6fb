package io.medallion.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.Manifest;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.ObjectId;
import io.medallion.port.StoredObject;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collection moves each pending pushed file into its run exactly once, whoever else collects at
 * the same time, and whatever a collection that died halfway left behind.
 */
class PushedCollectionTest {

  private static final String BRONZE = "bronze";
  private static final String STAGING = "staging";
  private static final LocalDate DATE = LocalDate.parse("2026-12-04");

  @TempDir Path root;
  private DirectoryObjectStore objects;
  private Source invoices;

  @BeforeEach
  void setUp() throws Exception {
    objects = new DirectoryObjectStore(root);
    invoices = SourceRegistry.standard().find("invoices").orElseThrow();
  }

  private PushedCollection collection(Clock clock) {
    return new PushedCollection(objects, BRONZE, STAGING, clock);
  }

  private StoredObject pushed(String name, String ndjson) throws Exception {
    return objects.createIfAbsent(new ObjectId(BRONZE, "invoices/pushed/" + name), "application/x-ndjson", Map.of(),
        ndjson.getBytes(StandardCharsets.UTF_8)).orElseThrow();
  }

  private static ObjectId manifest(String runId) {
    return BronzeLayout.manifest(BRONZE, "invoices", DATE, runId);
  }

  private List<Manifest.PageEntry> collect(String runId, Clock clock) throws Exception {
    return collection(clock).collect(invoices, DATE, runId, manifest(runId));
  }

  @Test
  void pendingFiles_areMovedIntoTheRun_asPagesCountingTheirRecords() throws Exception {
    pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n{\"a\":2}\n");
    // As a Cloud Storage subscription writes messages that end in a newline: a blank line after each.
    pushed("2026/12/04/10/batch-b-2.ndjson", "{\"a\":3}\n\n{\"a\":4}\n\n{\"a\":5}");

    List<Manifest.PageEntry> pages = collect("run-a", Clock.systemUTC());

    assertEquals(List.of(2L, 3L), pages.stream().map(Manifest.PageEntry::records).toList());
    assertTrue(pages.stream().allMatch(p -> p.pushed() && p.name().startsWith(BronzeLayout.pushedInRun("invoices", DATE, "run-a"))),
        pages.toString());
    assertTrue(objects.list(BRONZE, "invoices/pushed/").isEmpty(), "nothing left pending");
    StoredObject copy = objects.stat(new ObjectId(BRONZE, pages.get(0).name())).orElseThrow();
    assertEquals(BronzeLayout.ROLE_PAGE, copy.metadata().get(BronzeLayout.ROLE), "silver leaves it to the manifest");
    assertEquals("run-a", copy.metadata().get(BronzeLayout.RUN_ID));
    assertTrue(collect("run-b", Clock.systemUTC()).isEmpty(), "the next collection finds nothing");
  }

  @Test
  void aRetryOfACollectionThatDiedAfterItsCopy_finishesTheMove_withoutASecondCopy() throws Exception {
    StoredObject file = pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n");
    // What run-a did before it died: claimed the file and copied it, but did not delete it.
    claim(file, "run-a");
    objects.copy(file.id(), file.generation(), copyInRun("run-a", file), Map.of());

    List<Manifest.PageEntry> pages = collect("run-a", Clock.systemUTC());

    assertEquals(1, pages.size(), pages.toString());
    assertTrue(objects.list(BRONZE, "invoices/pushed/").isEmpty(), "the move finished");
  }

  @Test
  void anotherFileWrittenLaterUnderTheSameName_isCollectedToo() throws Exception {
    StoredObject first = pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n");
    collect("run-a", Clock.systemUTC());
    pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":2}\n{\"a\":3}\n");

    List<Manifest.PageEntry> pages = collect("run-a", Clock.systemUTC());

    assertEquals(List.of(2L, 1L), pages.stream().map(Manifest.PageEntry::records).sorted(java.util.Comparator.reverseOrder()).toList(),
        "both versions, each once: " + pages + " (first was generation " + first.generation() + ")");
  }

  @Test
  void aFileAnotherCollectionIsMoving_isLeftToIt() throws Exception {
    StoredObject file = pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n");
    claim(file, "run-b");

    assertTrue(collect("run-a", Clock.systemUTC()).isEmpty());
    assertTrue(objects.stat(file.id()).isPresent(), "run-b moves it");
  }

  @Test
  void aFileOfACollectionThatLoadedIt_isDeletedAsItsLeftover_notLoadedAgain() throws Exception {
    StoredObject file = pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n");
    claim(file, "run-b");
    objects.createIfAbsent(manifest("run-b"), "application/json", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));

    assertTrue(collect("run-a", Clock.systemUTC()).isEmpty());
    assertTrue(objects.stat(file.id()).isEmpty(), "run-b's move finished");
  }

  @Test
  void anAbandonedClaim_isTakenOver_andTheDeadCollectionsCopyRemoved() throws Exception {
    StoredObject file = pushed("2026/12/04/10/batch-a-1.ndjson", "{\"a\":1}\n");
    claim(file, "run-b");
    ObjectId deadCopy = copyInRun("run-b", file);
    objects.copy(file.id(), file.generation(), deadCopy, Map.of());
    Clock later = Clock.fixed(Instant.now().plus(PushedCollection.ABANDONED).plus(Duration.ofMinutes(1)), ZoneOffset.UTC);

    List<Manifest.PageEntry> pages = collect("run-a", later);

    assertEquals(1, pages.size());
    assertTrue(objects.stat(deadCopy).isEmpty(), "a retry of run-b cannot load it too");
    assertTrue(objects.stat(file.id()).isEmpty());
  }

  private static ObjectId copyInRun(String runId, StoredObject file) {
    return new ObjectId(BRONZE, BronzeLayout.pushedInRun("invoices", DATE, runId)
        + PushedCollection.copyName(file, BronzeLayout.pushedPrefix(SourceRegistry.standard().find("invoices").orElseThrow())));
  }

  private void claim(StoredObject file, String runId) throws Exception {
    String json = "{\"run_id\":\"" + runId + "\",\"manifest\":\"" + manifest(runId).uri() + "\",\"file\":\"" + file.id().uri() + "\"}";
    objects.createIfAbsent(BronzeLayout.pushedClaim(STAGING, "invoices", file.id().name(), file.generation()),
        "application/json", Map.of(), json.getBytes(StandardCharsets.UTF_8));
  }
}
