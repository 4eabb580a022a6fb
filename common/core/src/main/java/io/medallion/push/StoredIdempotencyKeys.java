package io.medallion.push;

import io.medallion.port.JobIds;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import java.io.IOException;
import java.util.Map;

/**
 * Idempotency keys as create-only objects in the staging bucket, one per source and key:
 * {@code <source>/push_keys/k_<sha256 of the key>.json}, empty, kept as long as staging keeps its
 * objects. The same layout on directory buckets and on Cloud Storage, so the local webhook and the
 * deployed one agree. The key is hashed: any text a sender chose never becomes an object name.
 */
public record StoredIdempotencyKeys(ObjectStore objects, String bucket) implements PushReceiver.IdempotencyKeys {

  /** Where the key of {@code source} is kept. */
  public ObjectId id(String source, String key) {
    return new ObjectId(bucket, source + "/push_keys/" + JobIds.derive("k", key) + ".json");
  }

  @Override
  public boolean seen(String source, String key) throws IOException {
    return objects.stat(id(source, key)).isPresent();
  }

  @Override
  public void remember(String source, String key) throws IOException {
    // Create-only: a concurrent retry that published too remembers the same key; neither fails.
    objects.createIfAbsent(id(source, key), "application/json", Map.of(), new byte[0]);
  }
}
