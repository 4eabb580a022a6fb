package io.medallion.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} adapter must do. An adapter's test extends this class and
 * supplies a fresh, empty store.
 */
public abstract class ObjectStoreContractTest {

  protected static final String BUCKET = "contract-bucket";

  protected ObjectStore store;

  /** A new store with no objects in {@link #BUCKET}. */
  protected abstract ObjectStore newStore() throws Exception;

  @BeforeEach
  void createStore() throws Exception {
    store = newStore();
  }

  protected static ObjectId id(String name) {
    return new ObjectId(BUCKET, name);
  }

  protected static String md5Base64(byte[] bytes) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
  }

  @Test
  void createdObjectReadsBackWithItsBytesAndMetadata() throws Exception {
    byte[] body = "{\"id\":1}\n".getBytes(StandardCharsets.UTF_8);

    StoredObject created =
        store
            .createIfAbsent(id("breweries/a.json"), "application/json", Map.of("run", "r1"), body)
            .orElseThrow();

    assertEquals(id("breweries/a.json"), created.id());
    assertEquals(body.length, created.size());
    assertEquals("application/json", created.contentType());
    assertEquals(Map.of("run", "r1"), created.metadata());
    assertEquals(md5Base64(body), created.md5());
    assertTrue(created.generation() > 0, "generation " + created.generation());
    assertEquals(Optional.of(created), store.stat(created.id()));
    assertArrayEquals(body, store.readAllBytes(created.id()));
  }

  @Test
  void secondCreateOfSameNameReturnsEmptyAndKeepsFirstContent() throws Exception {
    ObjectId id = id("x.json");
    StoredObject first =
        store.createIfAbsent(id, "application/json", Map.of("v", "1"), bytes("first")).orElseThrow();

    Optional<StoredObject> second =
        store.createIfAbsent(id, "text/plain", Map.of("v", "2"), bytes("second, longer"));

    assertEquals(Optional.empty(), second);
    assertArrayEquals(bytes("first"), store.readAllBytes(id));
    assertEquals(Optional.of(first), store.stat(id));
  }

  @Test
  void failingBodyWriterPropagatesAndLeavesNothing() throws Exception {
    ObjectId id = id("broken/part.ndjson");
    IOException failure = new IOException("source went away");

    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                store.createIfAbsent(
                    id,
                    "application/json",
                    Map.of(),
                    out -> {
                      out.write(bytes("half a body"));
                      throw failure;
                    }));

    assertEquals(failure, thrown);
    assertEquals(Optional.empty(), store.stat(id));
    assertEquals(List.of(), store.list(BUCKET, ""));
    // The name is still free.
    assertTrue(store.createIfAbsent(id, "application/json", Map.of(), bytes("ok")).isPresent());
  }

  @Test
  void listReturnsObjectsWithPrefixSortedByName() throws Exception {
    for (String name : List.of("b/2", "a/1", "b/1", "c", "bb", "b/sub/3")) {
      store.createIfAbsent(id(name), null, Map.of(), bytes(name)).orElseThrow();
    }
    store.createIfAbsent(new ObjectId("other-bucket", "b/9"), null, Map.of(), bytes("x"));

    assertEquals(List.of("b/1", "b/2", "b/sub/3"), names(store.list(BUCKET, "b/")));
    assertEquals(List.of("b/1", "b/2", "b/sub/3", "bb"), names(store.list(BUCKET, "b")));
    assertEquals(
        List.of("a/1", "b/1", "b/2", "b/sub/3", "bb", "c"), names(store.list(BUCKET, "")));
    assertEquals(List.of(), store.list(BUCKET, "zz/"));
    assertEquals(List.of(), store.list("empty-bucket", ""));
  }

  @Test
  void concurrentCreatesOfOneNameHaveExactlyOneWinner() throws Exception {
    ObjectId id = id("race.json");
    int writers = 8;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<Optional<StoredObject>>> results = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        byte[] body = bytes("writer " + i);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.createIfAbsent(id, null, Map.of(), body);
                }));
      }
      start.countDown();
      List<StoredObject> winners = new java.util.ArrayList<>();
      for (var r : results) {
        r.get().ifPresent(winners::add);
      }

      assertEquals(1, winners.size(), "winners " + winners);
      assertEquals(Optional.of(winners.get(0)), store.stat(id));
      assertEquals(winners.get(0).md5(), md5Base64(store.readAllBytes(id)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void copyMakesANewObjectWithTheBytesAndNewMetadata_andLeavesTheSource() throws Exception {
    StoredObject source =
        store.createIfAbsent(id("sales/inbox/base 2017.xlsx"), "application/octet-stream", Map.of("a", "1"), bytes("cells"))
            .orElseThrow();

    StoredObject copy = store.copy(source.id(), source.generation(), id("sales/archive/run_id=r/base 2017.xlsx"),
        Map.of("medallion-run-id", "r")).orElseThrow();

    assertArrayEquals(bytes("cells"), store.readAllBytes(copy.id()));
    assertEquals(Map.of("medallion-run-id", "r"), copy.metadata());
    assertEquals(Optional.of(source), store.stat(source.id()));
    assertEquals(Optional.empty(), store.copy(source.id(), source.generation(), copy.id(), Map.of()),
        "a copy onto an existing object is create-only");
  }

  @Test
  void copyOfAVersionThatIsGone_throwsNoSuchFile() throws Exception {
    StoredObject source = store.createIfAbsent(id("a.csv"), "text/csv", Map.of(), bytes("x")).orElseThrow();

    assertThrows(NoSuchFileException.class, () -> store.copy(source.id(), source.generation() + 1, id("b.csv"), Map.of()));
    assertThrows(NoSuchFileException.class, () -> store.copy(id("missing.csv"), 1, id("b.csv"), Map.of()));
  }

  @Test
  void deleteRemovesThatVersionOnly() throws Exception {
    StoredObject object = store.createIfAbsent(id("inbox/a.csv"), "text/csv", Map.of(), bytes("x")).orElseThrow();

    assertEquals(false, store.delete(object.id(), object.generation() + 1), "another version is not deleted");
    assertEquals(Optional.of(object), store.stat(object.id()));
    assertTrue(store.delete(object.id(), object.generation()));
    assertEquals(Optional.empty(), store.stat(object.id()));
    assertEquals(false, store.delete(object.id(), object.generation()), "deleting what is gone is no error");
    assertTrue(store.createIfAbsent(object.id(), "text/csv", Map.of(), bytes("again")).isPresent(),
        "the name is free again");
  }

  @Test
  void statOfMissingObjectIsEmpty() throws Exception {
    assertEquals(Optional.empty(), store.stat(id("missing.json")));
  }

  @Test
  void openOfMissingObjectThrowsNoSuchFile() {
    assertThrows(NoSuchFileException.class, () -> store.open(id("missing.json")));
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  protected static List<String> names(List<StoredObject> objects) {
    return objects.stream().map(o -> o.id().name()).toList();
  }
}
