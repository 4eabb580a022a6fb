package io.medallion.silver.format.csv;

import io.medallion.silver.format.UnreadableFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a CSV file's bytes strictly, and follows its quoting, so that the two faults a CSV
 * parser cannot place are refused with their line: a byte that is not the declared encoding
 * (a Latin-1 {@code ç} in a UTF-8 file) and a quote opened and never closed (the parser would
 * read the rest of the file as one field). One pass over the characters, counting lines as the
 * parser does ({@code \n}, {@code \r\n} or a lone {@code \r}).
 */
final class CheckedReader extends Reader {
  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  /** A quote inside a quoted field: a second one escapes it, anything else closed the field. */
  private static final int QUOTE_IN_QUOTED = 3;

  private final InputStream in;
  private final String uri;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16);
  private final char quote;
  private final char delimiter;
  private boolean endOfInput;
  private boolean flushed;
  private long line = 1;
  private boolean afterCarriageReturn;
  private int state = FIELD_START;
  private long quoteOpenedOn;

  CheckedReader(InputStream in, Charset charset, char delimiter, char quote, String uri) {
    this.in = in;
    this.uri = uri;
    this.delimiter = delimiter;
    this.quote = quote;
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    bytes.flip();
  }

  /** Whether a quoted field is open where the parser has read to: it may be unterminated. */
  boolean inQuotedField() {
    return state == QUOTED;
  }

  /** The line where the quoted field open now started. */
  long quoteOpenedOn() {
    return quoteOpenedOn;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (flushed) {
      if (state == QUOTED) {
        throw new UnreadableFileException(UnreadableFileException.UNTERMINATED_QUOTE, uri,
            "the quote (" + quote + ") opened on line " + quoteOpenedOn + " is never closed: the end of the file"
                + " (line " + line + ") comes first");
      }
      return -1;
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (true) {
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      if (result.isError()) {
        scan(cbuf, off, out.position() - off);
        throw notEncoded(result.length());
      }
      if (result.isUnderflow() && endOfInput) {
        if (decoder.flush(out).isOverflow()) {
          break;
        }
        flushed = true;
        break;
      }
      if (result.isOverflow() || out.position() > off) {
        break;
      }
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        endOfInput = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }
    int produced = out.position() - off;
    scan(cbuf, off, produced);
    return produced > 0 ? produced : read(cbuf, off, len);
  }

  /** Follows lines and quoting over characters handed to the parser. */
  private void scan(char[] chars, int from, int count) {
    int s = state;
    long l = line;
    boolean cr = afterCarriageReturn;
    char q = quote;
    char d = delimiter;
    for (int i = from, end = from + count; i < end; i++) {
      char c = chars[i];
      if (c == '\n') {
        if (!cr) {
          l++;
        }
        cr = false;
        if (s != QUOTED) {
          s = FIELD_START;
        }
        continue;
      }
      if (c == '\r') {
        l++;
        cr = true;
        if (s != QUOTED) {
          s = FIELD_START;
        }
        continue;
      }
      cr = false;
      switch (s) {
        case FIELD_START:
          if (c == q) {
            s = QUOTED;
            quoteOpenedOn = l;
          } else if (c != d) {
            s = UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (c == d) {
            s = FIELD_START;
          }
          break;
        case QUOTED:
          if (c == q) {
            s = QUOTE_IN_QUOTED;
          }
          break;
        default: // QUOTE_IN_QUOTED
          s = c == q ? QUOTED : c == d ? FIELD_START : UNQUOTED;
          break;
      }
    }
    state = s;
    line = l;
    afterCarriageReturn = cr;
  }

  private UnreadableFileException notEncoded(int length) {
    StringBuilder hex = new StringBuilder();
    for (int k = 0; k < length && bytes.position() + k < bytes.limit(); k++) {
      hex.append(k == 0 ? "" : " ").append(String.format("0x%02X", bytes.get(bytes.position() + k) & 0xFF));
    }
    String charset = decoder.charset().name();
    String hint = decoder.charset().equals(StandardCharsets.UTF_8)
        ? " (text saved in another encoding, such as ISO-8859-1 or windows-1252? Declare it, or save the file as UTF-8)"
        : "";
    return new UnreadableFileException(UnreadableFileException.INVALID_ENCODING, uri,
        "line " + line + ": the bytes " + hex + " are not " + charset + hint);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
