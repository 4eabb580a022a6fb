package io.medallion.silver.format;

import io.medallion.schema.TableSchema;
import io.medallion.silver.format.csv.CsvRecords;
import io.medallion.silver.format.xlsx.XlsxRecords;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A dropped file's records as the NDJSON silver types ({@code SilverTransform.Load.read}), read
 * by the reader of its format: JSON and NDJSON pass through, and each data row of a CSV or xlsx
 * file becomes one object {@code {"_row": N, "<header>": "<text>", ...}}, values as JSON strings
 * (converted by {@link CellText} where the declaration's options say), an empty cell as null.
 * A row the reader cannot make a record of (ragged, an error cell) carries {@value #REJECT_FIELD}
 * and {@value #REJECT_MESSAGE_FIELD}, which silver's typer turns into a reject of that row.
 *
 * <p>Everything is streamed: records are written as they are read, a chunk at a time; nothing
 * holds the file's rows.
 */
public final class FileRecords {
  /** The first field of a file's record: the row number a person sees (CSV line, sheet row). */
  public static final String ROW_FIELD = "_row";
  /** After {@link #ROW_FIELD}: the row is a reject, for the {@code RejectReason} named here. */
  public static final String REJECT_FIELD = "_reject";
  /** After {@link #REJECT_FIELD}: why, for a person. */
  public static final String REJECT_MESSAGE_FIELD = "_reject_message";
  /** In a ragged row's reject: the fields beyond the header's columns. */
  public static final String SURPLUS_FIELD = "_surplus";

  private static final int BUFFER = 1 << 16;

  private FileRecords() {}

  /**
   * The file's records as UTF-8 NDJSON, one JSON object per data row, streamed. A gzip-compressed
   * file (its first two bytes say so) is read through gzip, whatever its type.
   *
   * @param uri the file's name in reports
   * @param schema the silver table: the type of each column guides how a cell is read
   * @param mapping which header feeds which column
   * @throws UnreadableFileException for a file that cannot be read (here, or from a later read of
   *     the stream): {@link UnreadableFileException#reason()} says why
   */
  public static InputStream open(FileFormat format, InputStream raw, String uri, TableSchema schema, SilverMapping mapping)
      throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      in = new BufferedInputStream(new Gunzipped(in, uri), BUFFER);
      in.mark(1);
      if (in.read() < 0) {
        throw new UnreadableFileException(UnreadableFileException.EMPTY_FILE, uri, "the file holds 0 bytes once gunzipped");
      }
      in.reset();
    } else if (b0 < 0) {
      throw new UnreadableFileException(UnreadableFileException.EMPTY_FILE, uri, "the file is 0 bytes long");
    }
    return switch (format.type()) {
      case JSON, NDJSON -> in;
      case CSV -> new CsvRecords(format, in, uri, new CellText(format, schema, mapping));
      case XLSX -> XlsxRecords.open(format, in, uri, new CellText(format, schema, mapping));
    };
  }

  /** Gunzipped bytes; a truncated or corrupt gzip stream refuses the file rather than failing the load. */
  private static final class Gunzipped extends FilterInputStream {
    private final String uri;
    private final InputStream compressed;
    private boolean opened;

    Gunzipped(InputStream compressed, String uri) {
      super(null);
      this.compressed = compressed;
      this.uri = uri;
    }

    private InputStream gzip() throws IOException {
      if (!opened) {
        opened = true;
        try {
          in = new GZIPInputStream(compressed, BUFFER);
        } catch (IOException e) {
          throw corrupt(e);
        }
      }
      return in;
    }

    @Override
    public int read() throws IOException {
      try {
        return gzip().read();
      } catch (UnreadableFileException e) {
        throw e;
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return gzip().read(b, off, len);
      } catch (UnreadableFileException e) {
        throw e;
      } catch (IOException e) {
        throw corrupt(e);
      }
    }

    @Override
    public void close() throws IOException {
      compressed.close();
    }

    private UnreadableFileException corrupt(IOException e) {
      return new UnreadableFileException(UnreadableFileException.CORRUPT_GZIP, uri,
          "the gzip stream is cut short or corrupt (" + e.getMessage() + ")", e);
    }
  }
}
