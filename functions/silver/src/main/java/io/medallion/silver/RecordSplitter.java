package io.medallion.silver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
 * <p>A fault in an array loses its frame: the whole object fails, at the fault's line and column.
 * In NDJSON a broken record is one {@link Fault} and the scan goes on with the next record, so the
 * other records still load. Where a broken record ends follows the lines: a string still open at
 * the end of its line ends it there (JSON text cannot hold a raw line break), and so does a line
 * starting with '{' while a record is still open (a record may span lines, pretty-printed, but
 * then its inner lines are indented); text that is not a JSON value runs to the end of its line.
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
   * Whole records, with the commas between them blanked so that a parser reads them as values
   * one after another. Line breaks are kept, so positions in {@code bytes} map to the object's
   * lines and columns.
   *
   * @param starts where record i starts in {@code bytes}
   * @param ends where it ends (exclusive)
   * @param firstRecord the position of record 0 in the object
   * @param line 1-based line of the batch's first byte in the object
   * @param column 1-based column (in bytes) of it
   * @param array whether the records are an array's elements; otherwise NDJSON, whose broken
   *     records are rejects rather than the end of the object
   * @param faults per record, why the scan found it is not JSON (NDJSON only); null when no
   *     record of the batch is broken
   */
  record Batch(
      byte[] bytes, int[] starts, int[] ends, int count, long firstRecord, long line, long column, boolean array,
      Fault[] faults) {}

  /**
   * Why a record of NDJSON is not JSON, found by the scan.
   *
   * @param at where in the batch's bytes the fault is
   */
  record Fault(int at, String what) {}

  /**
   * A line of the object: its 1-based number, and the offset of its first byte (or of the first
   * byte after a byte order mark).
   */
  record Start(long line, long lineStart) {}

  private final InputStream in;
  private final String uri;
  private final boolean array;
  private final int batchBytes;
  private final JsonFactory json;

  private byte[] buf;
  private int len;
  private int pos;
  /** Offset in the object of buf[0]. */
  private long base;
  private long line = 1;
  /** Offset in the object of the current line's first byte. */
  private long lineStart;
  /** Line and line start at the current record's first byte. */
  private long recordLine;
  private long recordLineStart;
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
  private Fault[] faults;
  private int count;
  private int recordStart;
  /** Why the record being scanned is broken (NDJSON), or null; at its end, else at its start. */
  private String fault;
  private boolean faultAtEnd;

  /**
   * @param in positioned after the opening {@code [} of an array, or at the first byte of the
   *     first value of NDJSON
   * @param array whether the values are an array's elements
   * @param consumed bytes of the object already read before {@code in}'s position
   * @param start the line those bytes end on
   * @param json the parser that tells what is wrong with a record the array's end cuts off
   */
  RecordSplitter(
      InputStream in, String uri, boolean array, long consumed, Start start, int batchBytes, JsonFactory json) {
    this.in = in;
    this.uri = uri;
    this.array = array;
    this.json = json;
    this.base = consumed;
    this.line = start.line();
    this.lineStart = start.lineStart();
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
        if (array) {
          throw malformed("unexpected '" + (char) b + "'");
        }
        beginRecord();
        brokenToLineEnd("unexpected '" + (char) b + "'");
        Batch full = endRecord(pos);
        if (full != null) {
          return full;
        }
      } else {
        int end = scanRecord();
        if (end < 0) {
          throw cutOff();
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

  private void beginRecord() {
    if (batchStart < 0) {
      batchStart = pos;
      batchLine = line;
      batchColumn = base + pos - lineStart + 1;
    }
    recordStart = pos;
    recordLine = line;
    recordLineStart = lineStart;
  }

  /**
   * Scans the record starting at {@code pos} to its end, refilling as needed. Returns its end, or
   * -1 when the input ends inside an array's element (the caller reports that). In NDJSON a
   * broken record ends where {@link #fault} says.
   */
  private int scanRecord() throws IOException, MalformedBronzeException {
    beginRecord();
    byte first = buf[pos];
    if (first != '{' && first != '[' && first != '"') {
      int end = scanScalar();
      if (!array && !isJsonScalar(buf, recordStart, end)) {
        brokenToLineEnd("not a JSON value");
        return pos;
      }
      return end;
    }
    boolean inString = first == '"';
    boolean escaped = false;
    int depth = inString ? 0 : 1;
    int i = pos + 1;
    boolean afterLineBreak = false;
    while (true) {
      if (inString) {
        // The tight loop: inside strings only a quote or a backslash matters (and in NDJSON a
        // line break, which JSON strings cannot hold raw: the record is broken there).
        if (escaped && i < len) {
          escaped = false;
          if (!array && buf[i] == '\n') {
            return brokenString(i);
          }
          i++;
        }
        while (i < len) {
          i = array ? skipPlainText(i) : skipPlainTextInLine(i);
          if (i == len) {
            break;
          }
          byte b = buf[i++];
          if (b == '"') {
            inString = false;
            break;
          }
          if (b == '\\') {
            if (i == len) {
              escaped = true;
            } else if (!array && buf[i] == '\n') {
              return brokenString(i);
            } else {
              i++;
            }
          } else if (b == '\n' && !array) {
            return brokenString(i - 1);
          }
        }
        if (!inString && depth == 0) {
          pos = i;
          return i;
        }
      }
      if (afterLineBreak && i < len) {
        afterLineBreak = false; // a line break was the last byte before a refill
        if (buf[i] == '{') {
          return brokenAtLineStart(i);
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
          case NEWLINE -> {
            newline(i - 1);
            if (!array) {
              if (i == len) {
                afterLineBreak = true;
              } else if (buf[i] == '{') {
                return brokenAtLineStart(i);
              }
            }
          }
          default -> { }
        }
      }
      if (i == len) {
        pos = i;
        boolean more = fill(); // moves the buffer's content: positions come back from the fields
        i = pos;
        if (!more) {
          if (array) {
            return -1;
          }
          fault = "the record is not closed at the end of the file";
          faultAtEnd = true;
          return i;
        }
        if (i - recordStart > MAX_RECORD) {
          throw tooLarge();
        }
      }
    }
  }

  /** NDJSON: a string still open at the line break at {@code lineBreak} ends the record there. */
  private int brokenString(int lineBreak) {
    fault = "a string is not closed at the end of the line";
    faultAtEnd = true;
    pos = lineBreak; // the scan counts the line break
    return lineBreak;
  }

  /**
   * NDJSON: a line starting with '{' (at {@code brace}) while the record is open starts a new
   * record; the open one ends at the line break before it (already counted).
   */
  private int brokenAtLineStart(int brace) {
    fault = "the record is not closed when the next line starts a new one";
    faultAtEnd = true;
    pos = brace;
    return brace - 1;
  }

  /** NDJSON: the record is broken at its start and runs to the end of its line. */
  private void brokenToLineEnd(String what) throws IOException, MalformedBronzeException {
    fault = what;
    faultAtEnd = false;
    int i = pos;
    while (true) {
      while (i < len && buf[i] != '\n') {
        i++;
      }
      pos = i;
      if (i < len) {
        return;
      }
      boolean more = fill();
      i = pos;
      if (!more) {
        return;
      }
      if (i - recordStart > MAX_RECORD) {
        throw tooLarge();
      }
    }
  }

  /** Whether bytes [from, to) are one JSON number, {@code true}, {@code false} or {@code null}. */
  static boolean isJsonScalar(byte[] b, int from, int to) {
    if (isWord(b, from, to, "true") || isWord(b, from, to, "false") || isWord(b, from, to, "null")) {
      return true;
    }
    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    int i = from < to && b[from] == '-' ? from + 1 : from;
    if (i < to && b[i] == '0') {
      i++;
    } else {
      int digits = skipDigits(b, i, to);
      if (digits == i) {
        return false;
      }
      i = digits;
    }
    if (i < to && b[i] == '.') {
      int digits = skipDigits(b, i + 1, to);
      if (digits == i + 1) {
        return false;
      }
      i = digits;
    }
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int digits = skipDigits(b, i, to);
      if (digits == i) {
        return false;
      }
      i = digits;
    }
    return i == to;
  }

  private static boolean isWord(byte[] b, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[from + k] != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static int skipDigits(byte[] b, int i, int to) {
    while (i < to && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i;
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = '"' * ONES;
  private static final long BACKSLASHES = '\\' * ONES;
  private static final long LINE_BREAKS = '\n' * ONES;

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

  /** {@link #skipPlainText} that also stops at a line break (NDJSON). */
  private int skipPlainTextInLine(int i) {
    while (i + 8 <= len) {
      long w = (long) LONGS.get(buf, i);
      long q = w ^ QUOTES;
      long s = w ^ BACKSLASHES;
      long n = w ^ LINE_BREAKS;
      long found = ((q - ONES) & ~q | (s - ONES) & ~s | (n - ONES) & ~n) & HIGHS;
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
        throw tooLarge();
      }
    }
  }

  private Batch endRecord(int end) {
    if (count == starts.length) {
      starts = Arrays.copyOf(starts, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      if (faults != null) {
        faults = Arrays.copyOf(faults, count * 2);
      }
    }
    starts[count] = recordStart - batchStart;
    ends[count] = end - batchStart;
    if (fault != null) {
      if (faults == null) {
        faults = new Fault[starts.length];
      }
      faults[count] = new Fault((faultAtEnd ? end : recordStart) - batchStart, fault);
      fault = null;
    }
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
    // Blank the commas between an array's elements, so a parser reads the values one after
    // another; the rest of a separator is whitespace, line breaks included. NDJSON has no commas.
    if (array) {
      for (int r = 1; r < count; r++) {
        for (int k = ends[r - 1]; k < starts[r]; k++) {
          if (bytes[k] == ',') {
            bytes[k] = ' ';
          }
        }
      }
    }
    Batch batch =
        new Batch(bytes, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count), count, records - count, batchLine,
            batchColumn, array, faults == null ? null : Arrays.copyOf(faults, count));
    batchStart = -1;
    count = 0;
    faults = null;
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

  private MalformedBronzeException tooLarge() {
    return malformed("record " + records + " is larger than " + (MAX_RECORD >> 20) + " MiB");
  }

  /**
   * An array element the end of input cuts off. Where its brackets stop matching is no place to
   * report (an unclosed string swallows the lines after it), so the parser reads the element
   * and names its first fault, at that fault's line and column.
   */
  private MalformedBronzeException cutOff() {
    int at = len;
    String what = "unexpected end of input inside record " + records;
    try (JsonParser p = json.createParser(buf, recordStart, len - recordStart)) {
      while (p.nextToken() != null) {
        // read to the first fault
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      if (l != null && l.getByteOffset() >= 0 && l.getByteOffset() < len - recordStart) {
        at = recordStart + (int) l.getByteOffset();
        what = e.getOriginalMessage();
      }
    } catch (IOException e) {
      // Not from bytes in memory; the plain message stands.
    }
    long atLine = recordLine;
    long atLineStart = recordLineStart;
    for (int k = recordStart; k < at; k++) {
      if (buf[k] == '\n') {
        atLine++;
        atLineStart = base + k + 1;
      }
    }
    return new MalformedBronzeException(
        uri + " is not valid JSON at line " + atLine + ", column " + (base + at - atLineStart + 1)
            + " (record " + records + "): " + what, null);
  }
}
