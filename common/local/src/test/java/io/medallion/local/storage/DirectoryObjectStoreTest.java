package io.medallion.local.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.ObjectStoreContractTest;
import io.medallion.port.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryObjectStoreTest extends ObjectStoreContractTest {

  @TempDir Path temp;
  private Path root;

  private final List<StoredObject> announced = Collections.synchronizedList(new ArrayList<>());

  @Override
  protected ObjectStore newStore() throws IOException {
    root = temp.resolve("root");
    DirectoryObjectStore s = new DirectoryObjectStore(root);
    s.addFinalizeListener(announced::add);
    return s;
  }

  private DirectoryObjectStore dirStore() {
    return (DirectoryObjectStore) store;
  }

  /** Writes a file the way a person's {@code cp} would, bypassing the store. */
  private Path copyIn(String name, String content) throws IOException {
    Path file = root.resolve(BUCKET).resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  @Test
  void copiedFileIsAnObjectWithGuessedContentType() throws Exception {
    Path json = copyIn("breweries/x.json", "{\"a\":1}\n");
    copyIn("breweries/y.ndjson", "{}\n");
    copyIn("breweries/z.csv", "a,b\n");

    StoredObject x = store.stat(id("breweries/x.json")).orElseThrow();

    assertEquals("application/json", x.contentType());
    assertEquals(Map.of(), x.metadata());
    assertEquals(md5Base64(bytes("{\"a\":1}\n")), x.md5());
    assertEquals(Files.size(json), x.size());
    assertEquals(Files.getLastModifiedTime(json).to(TimeUnit.MICROSECONDS), x.generation());
    assertEquals(
        "application/json", store.stat(id("breweries/y.ndjson")).orElseThrow().contentType());
    assertEquals(
        "application/octet-stream",
        store.stat(id("breweries/z.csv")).orElseThrow().contentType());
    assertEquals(
        List.of("breweries/x.json", "breweries/y.ndjson", "breweries/z.csv"),
        names(store.list(BUCKET, "breweries/")));
  }

  @Test
  void metadataSurvivesANewStoreOnTheSameRoot() throws Exception {
    StoredObject created =
        store.createIfAbsent(id("m.json"), "application/json", Map.of("k", "v"), bytes("{}"))
            .orElseThrow();

    assertEquals(Optional.of(created), new DirectoryObjectStore(root).stat(id("m.json")));
  }

  @Test
  void fileReplacedByHandLosesTheStaleSidecar() throws Exception {
    StoredObject created =
        store.createIfAbsent(id("r.json"), "text/plain", Map.of("k", "v"), bytes("old"))
            .orElseThrow();
    Path file = copyIn("r.json", "new content");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));

    StoredObject now = store.stat(id("r.json")).orElseThrow();

    assertEquals(Map.of(), now.metadata());
    assertEquals("application/json", now.contentType());
    assertEquals(md5Base64(bytes("new content")), now.md5());
    assertTrue(now.generation() > created.generation());
  }

  @Test
  void generationsAreStrictlyIncreasing() throws Exception {
    long last = 0;
    for (int i = 0; i < 50; i++) {
      long g = store.createIfAbsent(id("g/" + i), null, Map.of(), bytes("x")).orElseThrow()
          .generation();
      assertTrue(g > last, g + " after " + last);
      last = g;
    }
  }

  @Test
  void failedWriteLeavesNoTemporaryFiles() throws Exception {
    assertThrows(
        IOException.class,
        () -> store.createIfAbsent(id("f"), null, Map.of(), out -> {
          out.write(1);
          throw new IOException("boom");
        }));
    assertThrows(
        IllegalStateException.class,
        () -> store.createIfAbsent(id("f"), null, Map.of(), out -> {
          throw new IllegalStateException("bug");
        }));

    try (var leftovers = Files.list(root.resolve(".tmp"))) {
      assertEquals(List.of(), leftovers.toList());
    }
    assertFalse(Files.exists(root.resolve(BUCKET).resolve("f")));
    assertEquals(List.of(), announced);
  }

  @Test
  void storeCreatedObjectIsAnnouncedOnceAndNeverByTheWatcher() throws Exception {
    StoredObject created =
        store.createIfAbsent(id("s.json"), null, Map.of(), bytes("{}")).orElseThrow();

    dirStore().scanOnce();
    dirStore().scanOnce();
    dirStore().scanOnce();

    assertEquals(List.of(created), announced);
  }

  @Test
  void watcherAnnouncesACopiedFileExactlyOnce() throws Exception {
    copyIn("breweries/x.json", "{}\n");

    dirStore().scanOnce();
    assertEquals(List.of(), announced, "announced before it was seen stable");
    dirStore().scanOnce();
    dirStore().scanOnce();
    dirStore().scanOnce();

    assertEquals(List.of(store.stat(id("breweries/x.json")).orElseThrow()), announced);
  }

  @Test
  void halfWrittenFileIsAnnouncedOnlyWhenStable() throws Exception {
    Path file = copyIn("big.ndjson", "{\"part\":1}\n");
    dirStore().scanOnce();
    Files.writeString(file, "{\"part\":2}\n", StandardOpenOption.APPEND);
    dirStore().scanOnce();
    assertEquals(List.of(), announced, "announced while still growing");

    dirStore().scanOnce();

    assertEquals(1, announced.size());
    assertEquals(Files.size(file), announced.get(0).size());
  }

  @Test
  void replacedFileIsAnnouncedAgainAsANewGeneration() throws Exception {
    Path file = copyIn("v.json", "1");
    dirStore().scanOnce();
    dirStore().scanOnce();
    Files.writeString(file, "22");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    dirStore().scanOnce();
    dirStore().scanOnce();

    assertEquals(2, announced.size());
    assertTrue(announced.get(1).generation() > announced.get(0).generation());
  }

  @Test
  void filesPresentAtStartAreNotAnnouncedUnlessAsked() throws Exception {
    copyIn("old.json", "{}");
    DirectoryObjectStore quiet = new DirectoryObjectStore(root);
    DirectoryObjectStore eager = new DirectoryObjectStore(root, true);
    List<StoredObject> quietSeen = new ArrayList<>();
    List<StoredObject> eagerSeen = new ArrayList<>();
    quiet.addFinalizeListener(quietSeen::add);
    eager.addFinalizeListener(eagerSeen::add);

    for (int i = 0; i < 2; i++) {
      quiet.scanOnce();
      eager.scanOnce();
    }

    assertEquals(List.of(), quietSeen);
    assertEquals(List.of("old.json"), names(eagerSeen));
  }

  @Test
  void backgroundWatcherSurvivesAFailingListener() throws Exception {
    CountDownLatch seen = new CountDownLatch(2);
    dirStore().addFinalizeListener(o -> {
      seen.countDown();
      throw new IllegalStateException("listener bug");
    });
    dirStore().startWatching(Duration.ofMillis(10));
    try {
      copyIn("one.json", "1");
      waitFor(() -> announced.size() == 1);
      copyIn("two.json", "2");

      assertTrue(seen.await(5, TimeUnit.SECONDS), "watcher stopped after a listener failed");
      assertEquals(List.of("one.json", "two.json"), names(announced));
    } finally {
      dirStore().stopWatching();
    }
  }

  @Test
  void objectNamesCannotEscapeTheirBucket() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new ObjectId(BUCKET, "../secret"));
    assertThrows(IllegalArgumentException.class, () -> new ObjectId(BUCKET, "/etc/passwd"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createDirectories(root.resolve(BUCKET));
    Files.createSymbolicLink(root.resolve(BUCKET).resolve("link"), outside);

    IOException read = assertThrows(IOException.class, () -> store.open(id("link/secret.txt")));
    assertThrows(IOException.class, () -> store.stat(id("link/secret.txt")));
    assertThrows(
        IOException.class, () -> store.createIfAbsent(id("link/new.txt"), null, Map.of(), bytes("x")));

    assertFalse(read instanceof NoSuchFileException);
    assertTrue(read.getMessage().contains("outside the bucket"), read.getMessage());
    assertFalse(Files.exists(outside.resolve("new.txt")));
    assertEquals(List.of(), store.list(BUCKET, ""));
  }

  @Test
  void objectsAreReadableLikeACopiedFile() throws Exception {
    Path copied = copyIn("copied", "x");
    store.createIfAbsent(id("created"), null, Map.of(), bytes("x")).orElseThrow();

    assertEquals(
        Files.getPosixFilePermissions(copied),
        Files.getPosixFilePermissions(root.resolve(BUCKET).resolve("created")));
  }

  @Test
  void nameThatIsADirectoryOfOtherObjectsIsAnErrorNotAnExistingObject() throws Exception {
    store.createIfAbsent(id("a/b"), null, Map.of(), bytes("x")).orElseThrow();

    IOException e =
        assertThrows(
            IOException.class, () -> store.createIfAbsent(id("a"), null, Map.of(), bytes("y")));
    assertTrue(e.getMessage().contains("a/..."), e.getMessage());
  }

  @Test
  void hiddenDirectoriesAreNeverObjects() throws Exception {
    store.createIfAbsent(id("a.json"), null, Map.of("k", "v"), bytes("{}")).orElseThrow();

    assertEquals(List.of("a.json"), names(store.list(BUCKET, "")));
    assertThrows(IllegalArgumentException.class, () -> store.list(".meta", ""));
    assertThrows(IllegalArgumentException.class, () -> store.list(".tmp", ""));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out");
      Thread.sleep(5);
    }
  }
}
