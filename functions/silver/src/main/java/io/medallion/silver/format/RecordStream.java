package io.medallion.silver.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.medallion.silver.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * NDJSON records written on demand by a format reader: each time the reader of this stream has
 * taken every byte, the next {@link #CHUNK} bytes or so of records are written. So a file of any
 * size is read as it is consumed, with one chunk (and one record) in memory, and no thread.
 */
public abstract class RecordStream extends InputStream {
  /** Bytes of records written at a time. */
  static final int CHUNK = 1 << 16;

  private static final JsonFactory JSON = new JsonFactory();
  private static final SerializedString ROW = new SerializedString(FileRecords.ROW_FIELD);
  private static final SerializedString REJECT = new SerializedString(FileRecords.REJECT_FIELD);
  private static final SerializedString REJECT_MESSAGE = new SerializedString(FileRecords.REJECT_MESSAGE_FIELD);

  private final Chunk chunk = new Chunk();
  /** Where the records are written: the reader's values go in as JSON strings. */
  protected final JsonGenerator json;
  private int position;
  private boolean ended;

  protected RecordStream() throws IOException {
    json = JSON.createGenerator(chunk);
    json.setRootValueSeparator(null);
  }

  /** Writes the next record, or returns false when there are no more. */
  protected abstract boolean writeRecord() throws IOException;

  /** Starts a record: {@code {"_row": row}}. */
  protected final void startRecord(long row) throws IOException {
    json.writeStartObject();
    json.writeFieldName(ROW);
    json.writeNumber(row);
  }

  /** Marks the record started as a reject for {@code reason}: silver keeps its values in the reject. */
  protected final void markReject(RejectReason reason, String message) throws IOException {
    json.writeFieldName(REJECT);
    json.writeString(reason.name());
    json.writeFieldName(REJECT_MESSAGE);
    json.writeString(message);
  }

  protected final void endRecord() throws IOException {
    json.writeEndObject();
    json.writeRaw('\n');
  }

  @Override
  public int read() throws IOException {
    if (!available(1)) {
      return -1;
    }
    return chunk.array()[position++] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!available(1)) {
      return -1;
    }
    int n = Math.min(len, chunk.size() - position);
    System.arraycopy(chunk.array(), position, b, off, n);
    position += n;
    return n;
  }

  /** Whether bytes are there to read, writing the next chunk of records if need be. */
  private boolean available(int wanted) throws IOException {
    while (chunk.size() - position < wanted) {
      if (ended) {
        return false;
      }
      chunk.reset();
      position = 0;
      while (chunk.size() + json.getOutputBuffered() < CHUNK) {
        if (!writeRecord()) {
          ended = true;
          break;
        }
      }
      json.flush();
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    ended = true;
    json.close();
  }

  /** A byte array stream that lends its array. */
  private static final class Chunk extends ByteArrayOutputStream {
    Chunk() {
      super(CHUNK + (CHUNK >> 2));
    }

    byte[] array() {
      return buf;
    }
  }
}
