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
  void aTableLargerThanTheHeapsShare_isMappedFromAFile_andStillExact() throws Exception {
    try (KeySet keys = new KeySet(true)) {
      int n = KeySet.HEAP_SLOTS; // more keys than three quarters of the heap's slots: the table moves to a file
      for (int i = 0; i < n; i++) {
        byte[] key = ("sale-" + i).getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, keys.addTagged(key, 0, key.length, KeySet.hash(key, 0, key.length), i), "new: " + i);
      }
      for (int i = 0; i < n; i += 997) {
        byte[] key = ("sale-" + i).getBytes(StandardCharsets.UTF_8);
        assertEquals(i, keys.addTagged(key, 0, key.length, KeySet.hash(key, 0, key.length), n + i), "seen first as " + i);
      }
      assertEquals(n, keys.size());
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

  @Test
  void aTaggedSet_answersTheTagAKeyWasFirstAddedWith_fromTheFileToo() throws Exception {
    try (KeySet rows = new KeySet(true)) {
      int n = 50_000; // beyond the memory buffer: most tags are read back from the file
      for (int i = 0; i < n; i++) {
        byte[] b = ("row-" + i).getBytes(StandardCharsets.UTF_8);
        assertEquals(-1, rows.addTagged(b, 0, b.length, KeySet.hash(b, 0, b.length), (long) i << 40 | 7L * i));
      }
      for (int i = 0; i < n; i += 11) {
        byte[] b = ("row-" + i).getBytes(StandardCharsets.UTF_8);
        assertEquals((long) i << 40 | 7L * i, rows.addTagged(b, 0, b.length, KeySet.hash(b, 0, b.length), 1), "row-" + i);
      }
      assertEquals(n, rows.size());
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
