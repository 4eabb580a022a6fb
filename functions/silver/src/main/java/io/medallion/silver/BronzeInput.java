package io.medallion.silver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;

/**
 * Opens a bronze object for {@link RecordSplitter}: finds its encoding (UTF-8, or UTF-16/32 as
 * JSON allows, transcoded to UTF-8 on the fly) and its shape (a JSON array, or JSON objects one
 * after another), and explains an object that is neither.
 */
final class BronzeInput {

  private BronzeInput() {}

  /**
   * A splitter over the object's records.
   *
   * @throws MalformedBronzeException when the object is empty or does not start an array or object
   */
  static RecordSplitter open(InputStream raw, String uri, JsonFactory json, int batchBytes)
      throws IOException, MalformedBronzeException {
    PushbackInputStream in = new PushbackInputStream(utf8(raw), 3);
    long consumed = 0;
    // Where the first value's line starts: after a byte order mark, which is no column of text.
    RecordSplitter.Start start = new RecordSplitter.Start(1, 0);
    int b = in.read();
    if (b == 0xEF) { // a UTF-8 byte order mark, which JSON parsers skip
      int b1 = in.read();
      int b2 = in.read();
      if (b1 != 0xBB || b2 != 0xBF) {
        in.unread(new byte[] {(byte) b, (byte) b1, (byte) b2}, 0, b2 < 0 ? (b1 < 0 ? 1 : 2) : 3);
        throw notArrayOrObjects(in, uri, json);
      }
      consumed += 3;
      start = new RecordSplitter.Start(1, consumed);
      b = in.read();
    }
    while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
      consumed++;
      if (b == '\n') {
        start = new RecordSplitter.Start(start.line() + 1, consumed);
      }
      b = in.read();
    }
    if (b < 0) {
      throw new MalformedBronzeException(uri + " is empty: no JSON in it", null);
    }
    if (b == '[') {
      return new RecordSplitter(in, uri, true, consumed + 1, start, batchBytes, json);
    }
    in.unread(b);
    if (b == '{') {
      return new RecordSplitter(in, uri, false, consumed, start, batchBytes, json);
    }
    throw notArrayOrObjects(in, uri, json);
  }

  /** What a parser makes of an object that starts with neither '[' nor '{'. */
  private static MalformedBronzeException notArrayOrObjects(InputStream in, String uri, JsonFactory json)
      throws IOException {
    try (JsonParser p = json.createParser(in)) {
      JsonToken first = p.nextToken();
      return new MalformedBronzeException(
          uri + ": expected a JSON array or JSON objects one per line, found " + first.asString(), null);
    } catch (JsonProcessingException e) {
      return new MalformedBronzeException(uri + " is not valid JSON (record 0): " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The object as UTF-8: UTF-16 and UTF-32 (told by a byte order mark or by the zero bytes of
   * ASCII text, as RFC 4627 section 3 describes) are transcoded; anything else passes through.
   */
  static InputStream utf8(InputStream raw) throws IOException {
    byte[] head = raw.readNBytes(4);
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), raw);
    Charset charset = wideCharset(head);
    return charset == null ? whole : new Utf8Encoding(new InputStreamReader(whole, charset));
  }

  private static Charset wideCharset(byte[] h) {
    if (h.length < 2) {
      return null;
    }
    int b0 = h[0] & 0xFF;
    int b1 = h[1] & 0xFF;
    boolean four = h.length == 4;
    if (four && b0 == 0 && b1 == 0 && ((h[2] & 0xFF) == 0xFE && (h[3] & 0xFF) == 0xFF || h[2] == 0)) {
      return Charset.forName("UTF-32BE");
    }
    if (four && h[2] == 0 && h[3] == 0 && (b0 == 0xFF && b1 == 0xFE || b1 == 0)) {
      return Charset.forName("UTF-32LE");
    }
    if (b0 == 0xFE && b1 == 0xFF || b0 == 0 && b1 != 0) {
      return StandardCharsets.UTF_16BE;
    }
    if (b0 == 0xFF && b1 == 0xFE || b0 != 0 && b1 == 0) {
      return StandardCharsets.UTF_16LE;
    }
    return null;
  }

  /** Characters re-encoded as UTF-8 bytes. A byte order mark comes out as the UTF-8 one. */
  private static final class Utf8Encoding extends InputStream {
    private final Reader reader;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    private final CharBuffer chars = CharBuffer.allocate(8192).flip();
    private final ByteBuffer bytes = ByteBuffer.allocate(8192 * 3).flip();
    private boolean end;

    Utf8Encoding(Reader reader) {
      this.reader = reader;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (!bytes.hasRemaining()) {
        if (end && !chars.hasRemaining()) {
          return -1;
        }
        chars.compact();
        int n = end ? -1 : reader.read(chars);
        chars.flip();
        end = n < 0;
        bytes.clear();
        CoderResult r = encoder.encode(chars, bytes, end);
        if (r.isError()) {
          r.throwException();
        }
        bytes.flip();
      }
      int n = Math.min(len, bytes.remaining());
      bytes.get(b, off, n);
      return n;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
