package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    // Every key collides: only the byte comparison keeps distinct keys apart.
    try (KeySet keys = new KeySet((bytes, length) -> 42L)) {
      for (int i = 0; i < 3_000; i++) {
        assertTrue(keys.add("k" + i), "k" + i);
      }
      for (int i = 0; i < 3_000; i += 3) {
        assertFalse(keys.add("k" + i), "k" + i);
      }
    }
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
