package io.medallion.silver;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts a UTF-8 JSON array, or JSON values one after another (NDJSON), into batches of whole
 * records, so that batches can be parsed and typed in parallel and written in order.
 *
 * <p>It only finds where records start and end: it follows strings, escapes and bracket depth,
 * byte by byte, and checks the array's frame (commas, the closing bracket, nothing after it). All
 * other syntax is left to the JSON parser that reads each batch. Multi-byte UTF-8 never contains
 * an ASCII byte, so a byte-level scan cannot be fooled by text.
 *
 * <p>Memory: one buffer of about two batches, more only for a single record larger than a batch,
 * up to {@link #MAX_RECORD}.
 */
final class RecordSplitter {

  /** Bytes of input per batch, about. */
  static final int BATCH_BYTES = 1 << 20;
  /** Larger than any record the parser accepts (its string limit is 20 million characters). */
  static final int MAX_RECORD = 128 << 20;

  /**
   * Whole records, with the separators between them blanked so that a parser reads them as
   * values one after another.
   *
   * @param starts where record i starts in {@code bytes}
   * @param ends where it ends (exclusive)
   * @param firstRecord the position of record 0 in the object
   * @param line 1-based line of the batch's first byte in the object
   * @param column 1-based column of it
   */
  record Batch(byte[] bytes, int[] starts, int[] ends, int count, long firstRecord, long line, long column) {}

  private final InputStream in;
  private final String uri;
  private final boolean array;
  private final int batchBytes;

  private byte[] buf;
  private int len;
  private int pos;
  /** Offset in the object of buf[0]. */
  private long base;
  private long line = 1;
  /** Offset in the object of the current line's first byte. */
  private long lineStart;
  private MalformedBronzeException failure;

  private long records;
  private boolean closed;
  private boolean expectRecord = true;
  private boolean sawComma;

  // The batch being gathered: records from batchStart on; starts/ends relative to it.
  private int batchStart = -1;
  private long batchLine;
  private long batchColumn;
  private int[] starts = new int[256];
  private int[] ends = new int[256];
  private int count;
  private int recordStart;

  /**
   * @param in positioned after the opening {@code [} of an array, or at the first byte of the
   *     first value of NDJSON
   * @param array whether the values are an array's elements
   * @param consumed bytes of the object already read before {@code in}'s position
   */
  RecordSplitter(InputStream in, String uri, boolean array, long consumed, int batchBytes) {
    this.in = in;
    this.uri = uri;
    this.array = array;
    this.base = consumed;
    this.lineStart = 0;
    this.batchBytes = batchBytes;
    this.buf = new byte[Math.max(2 * batchBytes, 1 << 16)];
  }

  /**
   * The next batch, or null after the last. A fault in the input is thrown after the records
   * before it have been returned, so that faults are reported in the order they occur.
   */
  Batch next() throws IOException, MalformedBronzeException {
    if (failure != null) {
      throw failure;
    }
    try {
      return scan();
    } catch (MalformedBronzeException e) {
      if (count == 0) {
        throw e;
      }
      failure = e;
      return emit();
    }
  }

  private Batch scan() throws IOException, MalformedBronzeException {
    while (true) {
      if (pos == len) {
        if (!fill()) {
          return finish();
        }
        continue;
      }
      byte b = buf[pos];
      if (b == ' ' || b == '\t' || b == '\r') {
        pos++;
      } else if (b == '\n') {
        newline(pos++);
      } else if (closed) {
        throw malformed("content after the array");
      } else if (array && b == ',') {
        if (expectRecord) {
          throw malformed("a value is missing before ','");
        }
        expectRecord = true;
        sawComma = true;
        pos++;
      } else if (array && b == ']') {
        if (expectRecord && sawComma) {
          throw malformed("a value is missing before ']'");
        }
        closed = true;
        pos++;
      } else if (!expectRecord) {
        throw malformed("expected ',' or ']' after record " + (records - 1));
      } else if (b == '}' || b == ']') {
        throw malformed("unexpected '" + (char) b + "'");
      } else {
        int end = scanRecord();
        if (end < 0) {
          throw malformed("unexpected end of input inside record " + records);
        }
        Batch full = endRecord(end);
        if (full != null) {
          return full;
        }
      }
    }
  }

  /** What a byte means to the scan outside strings; most bytes mean nothing. */
  private static final byte[] CLASS = new byte[256];
  private static final byte QUOTE = 1;
  private static final byte OPEN = 2;
  private static final byte CLOSE = 3;
  private static final byte NEWLINE = 4;
  private static final byte DELIMITER = 5;

  static {
    CLASS['"'] = QUOTE;
    CLASS['{'] = OPEN;
    CLASS['['] = OPEN;
    CLASS['}'] = CLOSE;
    CLASS[']'] = CLOSE;
    CLASS['\n'] = NEWLINE;
    CLASS[' '] = DELIMITER;
    CLASS['\t'] = DELIMITER;
    CLASS['\r'] = DELIMITER;
    CLASS[','] = DELIMITER;
  }

  /**
   * Scans the record starting at {@code pos} to its end, refilling as needed. Returns its end, or
   * -1 when the input ends inside it (the caller reports that).
   */
  private int scanRecord() throws IOException, MalformedBronzeException {
    if (batchStart < 0) {
      batchStart = pos;
      batchLine = line;
      batchColumn = base + pos - lineStart + 1;
    }
    recordStart = pos;
    byte first = buf[pos];
    if (first != '{' && first != '[' && first != '"') {
      return scanScalar();
    }
    boolean inString = first == '"';
    boolean escaped = false;
    int depth = inString ? 0 : 1;
    int i = pos + 1;
    while (true) {
      if (inString) {
        // The tight loop: inside strings only a quote or a backslash matters.
        if (escaped && i < len) {
          escaped = false;
          i++;
        }
        while (i < len) {
          i = skipPlainText(i);
          if (i == len) {
            break;
          }
          byte b = buf[i++];
          if (b == '"') {
            inString = false;
            break;
          }
          if (b == '\\') {
            if (i < len) {
              i++;
            } else {
              escaped = true;
            }
          }
        }
        if (!inString && depth == 0) {
          pos = i;
          return i;
        }
      }
      while (!inString && i < len) {
        switch (CLASS[buf[i++] & 0xFF]) {
          case QUOTE -> inString = true;
          case OPEN -> depth++;
          case CLOSE -> {
            if (--depth == 0) {
              pos = i;
              return i;
            }
          }
          case NEWLINE -> newline(i - 1);
          default -> { }
        }
      }
      if (i == len) {
        pos = i;
        boolean more = fill(); // moves the buffer's content: positions come back from the fields
        i = pos;
        if (!more) {
          return -1;
        }
        if (i - recordStart > MAX_RECORD) {
          throw malformed("record " + records + " is larger than " + (MAX_RECORD >> 20) + " MiB");
        }
      }
    }
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;

  /**
   * Inside a string, skips eight bytes at a time while none is a quote or a backslash (the
   * classic "has a zero byte" bit trick); returns where to look byte by byte.
   */
  private int skipPlainText(int i) {
    while (i + 8 <= len) {
      long w = (long) LONGS.get(buf, i);
      long q = w ^ QUOTES;
      long s = w ^ BACKSLASHES;
      long found = ((q - ONES) & ~q | (s - ONES) & ~s) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += 8;
    }
    return i;
  }

  /** A number, literal or stray word: up to the next delimiter or the end of input. */
  private int scanScalar() throws IOException, MalformedBronzeException {
    int i = pos + 1;
    while (true) {
      while (i < len) {
        byte c = CLASS[buf[i] & 0xFF];
        if (c != 0) {
          pos = i;
          return i;
        }
        i++;
      }
      pos = i;
      boolean more = fill();
      i = pos;
      if (!more) {
        return i;
      }
      if (i - recordStart > MAX_RECORD) {
        throw malformed("record " + records + " is larger than " + (MAX_RECORD >> 20) + " MiB");
      }
    }
  }

  private Batch endRecord(int end) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
    }
    starts[count] = recordStart - batchStart;
    ends[count] = end - batchStart;
    count++;
    records++;
    expectRecord = !array;
    sawComma = false;
    return end - batchStart >= batchBytes ? emit() : null;
  }

  private Batch emit() {
    if (count == 0) {
      return null;
    }
    int length = ends[count - 1];
    byte[] bytes = Arrays.copyOfRange(buf, batchStart, batchStart + length);
    // Blank the separators between records, so a parser reads the values one after another.
    for (int r = 1; r < count; r++) {
      Arrays.fill(bytes, ends[r - 1], starts[r], (byte) ' ');
    }
    Batch batch =
        new Batch(bytes, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count), count, records - count, batchLine,
            batchColumn);
    batchStart = -1;
    count = 0;
    return batch;
  }

  private Batch finish() throws MalformedBronzeException {
    if (array && !closed) {
      throw malformed("unexpected end of input: the array is not closed");
    }
    return emit();
  }

  /**
   * Reads more input after {@code len}, first moving the batch being gathered (or, between
   * batches, the unread bytes) to the front of the buffer. Returns false at the end of input.
   */
  private boolean fill() throws IOException {
    int keep = batchStart >= 0 ? batchStart : pos;
    if (keep > 0) {
      System.arraycopy(buf, keep, buf, 0, len - keep);
      len -= keep;
      pos -= keep;
      base += keep;
      if (batchStart >= 0) {
        batchStart -= keep;
        recordStart -= keep;
      }
    }
    if (len == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, len, buf.length - len);
    if (n < 0) {
      return false;
    }
    len += n;
    return true;
  }

  private void newline(int at) {
    line++;
    lineStart = base + at + 1;
  }

  private MalformedBronzeException malformed(String what) {
    long column = base + pos - lineStart + 1;
    return new MalformedBronzeException(
        uri + " is not valid JSON at line " + line + ", column " + column + " (record " + records + "): " + what, null);
  }
}
