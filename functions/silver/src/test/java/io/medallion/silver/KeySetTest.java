package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeySetTest {

  @Test
  void eachDistinctKeyIsNewOnce_beyondTheMemoryBufferAndThroughTableGrowth() throws Exception {
    try (KeySet keys = new KeySet()) {
      int n = 200_000; // ~8 MB of keys: most of them in the file, the table grown six times
      for (int i = 0; i < n; i++) {
        assertTrue(keys.add("brewery-" + i), "first time " + i);
      }
      for (int i = 0; i < n; i += 7) {
        assertFalse(keys.add("brewery-" + i), "again " + i);
      }
      assertTrue(keys.add("brewery-" + n));
      assertEquals(n + 1, keys.size());
    }
  }

  @Test
  void equalHashes_areToldApartByTheKeysThemselves() throws Exception {
    // Every key comes with the same hash: only the byte comparison keeps distinct keys apart.
    try (KeySet keys = new KeySet()) {
      for (int i = 0; i < 3_000; i++) {
        assertTrue(add(keys, "k" + i, 42L), "k" + i);
      }
      for (int i = 0; i < 3_000; i += 3) {
        assertFalse(add(keys, "k" + i, 42L), "k" + i);
      }
      assertEquals(3_000, keys.size());
    }
  }

  @Test
  void aKeyGivenAsBytesWithItsHash_findsTheSameKeyGivenAsText() throws Exception {
    try (KeySet keys = new KeySet()) {
      byte[] line = "xx-caf\u00e9-yy".getBytes(StandardCharsets.UTF_8);
      int from = 3;
      int length = "caf\u00e9".getBytes(StandardCharsets.UTF_8).length;
      assertTrue(keys.add(line, from, length, KeySet.hash(line, from, length)));
      assertFalse(keys.add("caf\u00e9"));
      assertTrue(keys.add("cafe"));
      assertFalse(keys.add("cafe".getBytes(StandardCharsets.UTF_8), 0, 4, KeySet.hash("cafe".getBytes(StandardCharsets.UTF_8), 0, 4)));
    }
  }

  private static boolean add(KeySet keys, String key, long hash) {
    byte[] bytes = new byte[3 * key.length()];
    return keys.add(bytes, 0, KeySet.encode(key, bytes, 0), hash);
  }

  @Test
  void keysThatUtf8WouldMerge_stayDistinct() throws Exception {
    try (KeySet keys = new KeySet()) {
      // String.getBytes(UTF_8) turns each lone surrogate into '?'.
      assertTrue(keys.add("a?"));
      assertTrue(keys.add("a\uD800"));
      assertTrue(keys.add("a\uDC00"));
      assertTrue(keys.add("a\u00e9"));
      assertTrue(keys.add("ae\u0301"));
      assertFalse(keys.add("a\uD800"));
      assertFalse(keys.add("a\u00e9"));
      assertTrue(keys.add(""));
      assertFalse(keys.add(""));
    }
  }
}
