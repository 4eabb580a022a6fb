package io.medallion.silver;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The business keys seen so far in one load, answering "first time?" exactly, in bounded heap.
 *
 * <p>The heap holds one {@code long} per slot of an open-addressing table: 26 bits of the key's
 * 64-bit hash and the offset of the key's bytes in a temporary file (38 bits). A key whose stored
 * hash bits match is read back from the file and compared byte for byte, so a hash collision can
 * never drop a record; it only costs a read, and with 26 bits such false matches are about one per
 * 60 million probes. Five million keys (a 2 GB input) take a 64 MiB table; the key bytes, about
 * 40 per key, go to the file (on Cloud Run, /tmp is memory: size the function for it).
 *
 * <p>A tagged set (the rows of a distinct load) also keeps a {@code long} with each key, 8 more
 * bytes in the file: where the key was first seen, which {@link #addTagged} answers for a repeat.
 *
 * <p>Keys are written one char at a time in a modified UTF-8 (each UTF-16 unit on its own), so two
 * different strings never have the same bytes, lone surrogates included.
 */
final class KeySet implements Closeable {

  private static final int HASH_BITS = 26;
  private static final int OFFSET_BITS = 64 - HASH_BITS;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
  private static final int MAX_CAPACITY = 1 << HASH_BITS;
  private static final int BUFFER = 1 << 16;

  /**
   * The slots: in the heap while small, then in a memory-mapped temporary file, so that a load of
   * tens of millions of keys (a 1 GB CSV has eleven million) keeps the Java heap bounded: 16 million
   * slots are 128 MiB, and the growth from 64 to 128 MiB would need both at once.
   */
  private java.nio.LongBuffer table = java.nio.LongBuffer.allocate(1 << 12);
  /** Slots kept in the heap at most; a larger table is mapped from a file. */
  static final int HEAP_SLOTS = 1 << 20;
  private Path tablePath;
  private int size;
  private final byte[] pending = new byte[BUFFER];
  private int pendingLength;
  /** Bytes of keys in the file; keys at offsets from here on are still in {@link #pending}. */
  private long flushed;
  private Path path;
  private FileChannel file;
  private byte[] scratch = new byte[256];
  private byte[] stored = new byte[256];
  /** Bytes of the tag kept before each key's bytes: 8 in a tagged set, else none. */
  private final int tagBytes;

  /** A set of keys alone. */
  KeySet() {
    this(false);
  }

  /** @param tagged whether each key keeps a tag ({@link #addTagged}) */
  KeySet(boolean tagged) {
    this.tagBytes = tagged ? Long.BYTES : 0;
  }

  /** Adds the key; returns false when it was there already. */
  boolean add(String key) {
    int length = encode(key, scratch(key.length() * 3), 0);
    return add(scratch, 0, length, hash(scratch, 0, length));
  }

  /**
   * Adds the key whose bytes are {@code bytes[offset, offset + length)}, in the encoding {@link
   * #encode} writes (UTF-8 with no 4-byte character is the same), and whose {@link #hash} is
   * {@code hash}: workers compute it, so that the thread that keeps the set only probes and
   * appends. Returns false when the key was there already. Any hash is correct, only slower if
   * it collides: equal stored bits are always confirmed by comparing the bytes.
   */
  boolean add(byte[] bytes, int offset, int length, long hash) {
    return !probe(bytes, offset, length, hash, 0);
  }

  /**
   * In a tagged set, adds the key with {@code tag}: -1 when it is new, else the tag it was added
   * with first (tags are not negative). The key's bytes and hash are as {@link #add(byte[], int,
   * int, long)} takes them.
   */
  long addTagged(byte[] bytes, int offset, int length, long hash, long tag) {
    if (tagBytes == 0 || tag < 0) {
      throw new IllegalArgumentException(tagBytes == 0 ? "not a tagged set" : "a tag is not negative, got " + tag);
    }
    if (!probe(bytes, offset, length, hash, tag)) {
      return -1;
    }
    long earlier = 0;
    for (int k = 4; k < 4 + Long.BYTES; k++) {
      earlier = earlier << 8 | (stored[k] & 0xFF);
    }
    return earlier;
  }

  /**
   * Finds the key, or adds it (with {@code tag} in a tagged set): true when it was there, its
   * stored bytes then in {@link #stored}.
   */
  private boolean probe(byte[] bytes, int offset, int length, long hash, long tag) {
    int bits = (int) (hash >>> (64 - HASH_BITS));
    java.nio.LongBuffer table = this.table;
    int mask = table.capacity() - 1;
    for (int slot = slotOf(bits); ; slot = (slot + 1) & mask) {
      long entry = table.get(slot);
      if (entry == 0) {
        table.put(slot, ((long) bits << OFFSET_BITS) | (append(bytes, offset, length, tag) + 1));
        if (++size > table.capacity() * 3L / 4) {
          grow();
        }
        return false;
      }
      if ((int) (entry >>> OFFSET_BITS) == bits && sameKey((entry & OFFSET_MASK) - 1, bytes, offset, length)) {
        return true;
      }
    }
  }

  int size() {
    return size;
  }

  @Override
  public void close() throws IOException {
    if (file != null) {
      file.close();
      Files.deleteIfExists(path);
      file = null;
    }
    if (tablePath != null) {
      // The mapping itself goes when the buffer is collected; the file's name goes now.
      Files.deleteIfExists(tablePath);
      tablePath = null;
    }
    table = java.nio.LongBuffer.allocate(1);
  }

  /** The home slot: the top bits of the stored hash bits, as many as the table needs. */
  private int slotOf(int bits) {
    return bits >>> (HASH_BITS - Integer.numberOfTrailingZeros(table.capacity()));
  }

  private void grow() {
    if (table.capacity() == MAX_CAPACITY) {
      throw new IllegalStateException(
          "More than " + MAX_CAPACITY * 3L / 4 + " distinct keys in one load: split the input into smaller objects");
    }
    java.nio.LongBuffer old = table;
    Path oldPath = tablePath;
    table = slots(old.capacity() * 2);
    int mask = table.capacity() - 1;
    for (int i = 0; i < old.capacity(); i++) {
      long entry = old.get(i);
      if (entry != 0) {
        int slot = slotOf((int) (entry >>> OFFSET_BITS));
        while (table.get(slot) != 0) {
          slot = (slot + 1) & mask;
        }
        table.put(slot, entry);
      }
    }
    if (oldPath != null) {
      try {
        Files.deleteIfExists(oldPath);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Zeroed slots: in the heap up to {@link #HEAP_SLOTS}, else mapped from a new temporary file. */
  private java.nio.LongBuffer slots(int count) {
    if (count <= HEAP_SLOTS) {
      tablePath = null;
      return java.nio.LongBuffer.allocate(count);
    }
    try {
      tablePath = Files.createTempFile("medallion-keyslots-", ".bin");
      try (FileChannel channel = FileChannel.open(tablePath, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        // A sparse file of zeros, mapped: pages are read and written by the OS, not held by the heap.
        return channel.map(FileChannel.MapMode.READ_WRITE, 0, (long) count * Long.BYTES).asLongBuffer();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot map the key table of " + count + " slots", e);
    }
  }

  /** Appends the encoded key (its length first, then its tag in a tagged set) and returns its offset. */
  private long append(byte[] bytes, int from, int length, long tag) {
    long offset = flushed + pendingLength;
    if (offset + 4 + tagBytes + length > OFFSET_MASK - 1) {
      throw new IllegalStateException("Keys of one load exceed " + (OFFSET_MASK >> 30) + " GiB");
    }
    writePending(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length}, 0, 4);
    if (tagBytes > 0) {
      byte[] t = new byte[Long.BYTES];
      for (int k = 0; k < Long.BYTES; k++) {
        t[k] = (byte) (tag >>> (56 - 8 * k));
      }
      writePending(t, 0, Long.BYTES);
    }
    writePending(bytes, from, length);
    return offset;
  }

  private void writePending(byte[] bytes, int from, int length) {
    int done = 0;
    while (done < length) {
      if (pendingLength == BUFFER) {
        flush();
      }
      int n = Math.min(length - done, BUFFER - pendingLength);
      System.arraycopy(bytes, from + done, pending, pendingLength, n);
      pendingLength += n;
      done += n;
    }
  }

  private void flush() {
    try {
      if (file == null) {
        path = Files.createTempFile("medallion-keys-", ".bin");
        file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
      }
      ByteBuffer b = ByteBuffer.wrap(pending, 0, pendingLength);
      while (b.hasRemaining()) {
        file.write(b, flushed + b.position());
      }
      flushed += pendingLength;
      pendingLength = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the load's keys to " + path, e);
    }
  }

  /** Whether the key stored at {@code offset} equals {@code bytes[from, from + length)}. */
  private boolean sameKey(long offset, byte[] bytes, int from, int length) {
    int head = 4 + tagBytes;
    if (stored.length < length + head) {
      stored = new byte[length + head];
    }
    read(offset, stored, length + head);
    int storedLength = ((stored[0] & 0xFF) << 24) | ((stored[1] & 0xFF) << 16) | ((stored[2] & 0xFF) << 8) | (stored[3] & 0xFF);
    return storedLength == length && Arrays.equals(stored, head, head + length, bytes, from, from + length);
  }

  /** Reads up to {@code length} bytes from {@code offset}, from the buffer or the file. */
  private void read(long offset, byte[] into, int length) {
    int done = 0;
    try {
      while (done < length && offset + done < flushed) {
        int n = file.read(ByteBuffer.wrap(into, done, (int) Math.min(length - done, flushed - offset - done)), offset + done);
        if (n < 0) {
          return;
        }
        done += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the load's keys from " + path, e);
    }
    int fromPending = (int) Math.max(0, offset + done - flushed);
    int n = Math.min(length - done, pendingLength - fromPending);
    if (n > 0) {
      System.arraycopy(pending, fromPending, into, done, n);
    }
  }

  private byte[] scratch(int length) {
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    return scratch;
  }

  /**
   * Writes the key at {@code into[at]}, each char on its own (1 to 3 bytes; {@code into} has room
   * for {@code 3 * key.length()}); returns the bytes written. Text with no surrogate comes out
   * as its UTF-8.
   */
  static int encode(String key, byte[] into, int at) {
    int n = at;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x80) {
        into[n++] = (byte) c;
      } else if (c < 0x800) {
        into[n++] = (byte) (0xC0 | (c >> 6));
        into[n++] = (byte) (0x80 | (c & 0x3F));
      } else {
        into[n++] = (byte) (0xE0 | (c >> 12));
        into[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        into[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return n - at;
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * A 64-bit hash of {@code bytes[offset, offset + length)}, eight at a time (keys are ids of some tens of
   * bytes), each word multiplied in, then a final mix so that the top bits are well spread.
   */
  static long hash(byte[] bytes, int offset, int length) {
    long h = 0xCBF29CE484222325L ^ length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * 0x9E3779B97F4A7C15L), 29) * 0xBF58476D1CE4E5B9L;
    }
    for (; i < end; i++) {
      h = (h ^ (bytes[i] & 0xFF)) * 0x100000001B3L;
    }
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }

}
