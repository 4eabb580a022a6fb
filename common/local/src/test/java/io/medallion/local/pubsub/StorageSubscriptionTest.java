package io.medallion.local.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.PubSubMessage;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.StoredObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushed messages become bronze NDJSON files by size or age, and none acknowledged is lost to a kill. */
class StorageSubscriptionTest {

  @TempDir Path dir;

  private static PubSubMessage message(int i) {
    return new PubSubMessage("m" + i, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), Map.of(), Instant.now());
  }

  private String all(DirectoryObjectStore store) throws Exception {
    StringBuilder out = new StringBuilder();
    for (StoredObject o : store.list("bronze", "invoices/pushed/")) {
      out.append(new String(store.readAllBytes(o.id()), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  @Test
  void aBatchCloses_whenItsBytesOrItsAgeReachTheLimit() throws Exception {
    DirectoryObjectStore store = new DirectoryObjectStore(dir.resolve("buckets"));
    try (StorageSubscription s = new StorageSubscription(dir.resolve("spool/invoices.ndjson"), store, "bronze", "invoices/pushed/",
        Duration.ofMillis(300), 12, Clock.systemUTC())) {
      s.handle(message(1), 1); // 8 bytes with its newline
      s.handle(message(2), 1); // 16: at least 12, the batch closes
      s.handle(message(3), 1); // a new batch, which only its age closes
      assertEquals(1, store.list("bronze", "invoices/pushed/").size(), "closed by size");
      Thread.sleep(1200);
      assertEquals(2, store.list("bronze", "invoices/pushed/").size(), "the third closed by age");
    }
    assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", all(store));
  }

  @Test
  void messagesAcknowledgedBeforeAKill_reachBronzeWhenTheNextProcessStarts() throws Exception {
    Path spool = dir.resolve("spool/invoices.ndjson");
    DirectoryObjectStore store = new DirectoryObjectStore(dir.resolve("buckets"));
    StorageSubscription killed = new StorageSubscription(spool, store, "bronze", "invoices/pushed/", Duration.ofMinutes(5),
        1 << 20, Clock.systemUTC());
    for (int i = 1; i <= 3; i++) {
      killed.handle(message(i), 1);
    }
    // Killed: no close, no flush. The spool holds what was acknowledged.
    assertTrue(Files.size(spool) > 0);
    assertEquals(List.of(), store.list("bronze", "invoices/pushed/"));
    try (StorageSubscription next = new StorageSubscription(spool, store, "bronze", "invoices/pushed/", Duration.ofMinutes(5),
        1 << 20, Clock.systemUTC())) {
      assertEquals("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", all(store));
    }
  }
}
