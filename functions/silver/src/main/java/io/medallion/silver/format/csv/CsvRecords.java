package io.medallion.silver.format.csv;

import com.fasterxml.jackson.core.io.SerializedString;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import io.medallion.schema.FieldType;
import io.medallion.silver.RejectReason;
import io.medallion.silver.format.CellText;
import io.medallion.silver.format.FileRecords;
import io.medallion.silver.format.Header;
import io.medallion.silver.format.RecordStream;
import io.medallion.silver.format.UnreadableFileException;
import io.medallion.source.FileFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A CSV file's data rows as records ({@link FileRecords}), parsed by FastCSV (RFC 4180: the
 * declared delimiter and quote, a doubled quote inside quotes, line breaks inside quoted fields).
 * Empty lines are skipped; lines before {@code header_row} too. A row with more or fewer fields
 * than the header becomes a {@link RejectReason#RAGGED_ROW} reject holding its fields. Text is
 * never evaluated: {@code =cmd|' /C calc'!A0} is text like any other.
 */
public final class CsvRecords extends RecordStream {
  /** The longest record, in characters: beyond it the file is refused rather than the heap exhausted. */
  static final int MAX_RECORD_CHARS = 4 << 20;

  private final String uri;
  private final CellText text;
  private final CheckedReader chars;
  private final CsvReader<Row> reader;
  private final Iterator<Row> rows;
  private final String[] names;
  private final SerializedString[] fieldNames;
  private final FieldType[] types;
  private final boolean[] converts;
  private final boolean nullValues;

  public CsvRecords(FileFormat format, BufferedInputStream in, String uri, CellText text) throws IOException {
    this.uri = uri;
    this.text = text;
    skipByteOrderMark(in, format, uri);
    this.chars = new CheckedReader(in, format.encoding(), format.delimiter(), format.quote(), uri);
    this.reader = CsvReader.builder()
        .fieldSeparator(format.delimiter())
        .quoteCharacter(format.quote())
        .commentStrategy(CommentStrategy.NONE)
        .skipEmptyLines(true)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .maxBufferSize(MAX_RECORD_CHARS)
        .build(new RowHandler(), chars);
    this.rows = reader.iterator();
    Row header = null;
    while (header == null) {
      Row r = next();
      if (r == null) {
        throw new UnreadableFileException(UnreadableFileException.NO_HEADER, uri,
            "no header: the file has no line with text"
                + (format.headerRow() > 1 ? " at or after line " + format.headerRow() + " (header_row)" : ""));
      }
      if (r.line >= format.headerRow()) {
        header = r;
      }
    }
    List<String> cells = new ArrayList<>(header.count);
    for (int i = 0; i < header.count; i++) {
      cells.add(header.field(i));
    }
    String where = "line " + header.line;
    names = Header.check(cells, uri, where, text, format.delimiter());
    fieldNames = new SerializedString[names.length];
    types = new FieldType[names.length];
    converts = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      // A column without a name: its values (if any) under column_<position>, an unknown field.
      fieldNames[i] = new SerializedString(names[i] != null ? names[i] : "column_" + (i + 1));
      types[i] = names[i] == null ? null : text.typeOf(names[i]);
      converts[i] = text.converts(types[i]);
    }
    this.nullValues = text.hasNullValues();
  }

  /**
   * Skips a UTF-8 byte order mark where UTF-8 is declared; one in a file declared in another
   * encoding, or a UTF-16 mark, says the declaration is wrong.
   */
  private static void skipByteOrderMark(BufferedInputStream in, FileFormat format, String uri) throws IOException {
    in.mark(3);
    int b0 = in.read();
    int b1 = in.read();
    int b2 = in.read();
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
      if (format.encoding().equals(StandardCharsets.UTF_8)) {
        return;
      }
      throw new UnreadableFileException(UnreadableFileException.INVALID_ENCODING, uri,
          "the file starts with a UTF-8 byte order mark, but the source declares " + format.encoding().name()
              + ": declare encoding UTF-8");
    }
    if (b0 == 0xFF && b1 == 0xFE || b0 == 0xFE && b1 == 0xFF) {
      throw new UnreadableFileException(UnreadableFileException.INVALID_ENCODING, uri,
          "the file is UTF-16 (its byte order mark says so): save it as UTF-8");
    }
    if (b0 == 'P' && b1 == 'K' && b2 == 3) {
      throw new UnreadableFileException(UnreadableFileException.INVALID_ENCODING, uri,
          "the file is a zip archive (an .xlsx?), not CSV text: declare type xlsx, or export the sheet as CSV");
    }
    in.reset();
  }

  /** The next non-empty record, or null at the end; the parser's faults refuse the file. */
  private Row next() throws IOException {
    try {
      return rows.hasNext() ? rows.next() : null;
    } catch (UncheckedIOException e) {
      throw unwrap(e);
    } catch (CsvParseException e) {
      IOException inner = unwrap(e);
      if (inner != null) {
        throw inner;
      }
      if (chars.inQuotedField()) {
        throw new UnreadableFileException(UnreadableFileException.UNTERMINATED_QUOTE, uri,
            "the quote opened on line " + chars.quoteOpenedOn() + " is not closed within " + (MAX_RECORD_CHARS >> 20)
                + " Mi characters", e);
      }
      String why = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage();
      throw new UnreadableFileException(UnreadableFileException.MALFORMED_CSV, uri, why, e);
    }
  }

  private static IOException unwrap(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnreadableFileException u) {
        return u;
      }
    }
    Throwable cause = e.getCause();
    return cause instanceof IOException io ? io : null;
  }

  @Override
  protected boolean writeRecord() throws IOException {
    Row r = next();
    if (r == null) {
      return false;
    }
    startRecord(r.line);
    int width = names.length;
    if (r.count != width) {
      markReject(RejectReason.RAGGED_ROW, "line " + r.line + " has " + r.count + (r.count == 1 ? " field" : " fields")
          + " where the header has " + width);
    }
    int n = Math.min(r.count, width);
    for (int i = 0; i < n; i++) {
      int from = r.starts[i];
      int length = r.starts[i + 1] - from;
      if (names[i] == null && length == 0) {
        continue;
      }
      json.writeFieldName(fieldNames[i]);
      if (length == 0) {
        json.writeNull();
      } else if (!converts[i] && !nullValues) {
        json.writeString(r.chars, from, length);
      } else {
        String value = new String(r.chars, from, length);
        if (nullValues && text.isNull(value)) {
          json.writeNull();
        } else {
          json.writeString(converts[i] ? text.convert(types[i], value) : value);
        }
      }
    }
    if (r.count > width) {
      json.writeFieldName(FileRecords.SURPLUS_FIELD);
      json.writeStartArray();
      for (int i = width; i < r.count; i++) {
        json.writeString(r.field(i));
      }
      json.writeEndArray();
    }
    endRecord();
    return true;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      super.close();
    }
  }

  /** One record's fields, copied out of the parser's buffer into one reused array. */
  static final class Row {
    long line;
    int count;
    char[] chars = new char[1024];
    int[] starts = new int[33];

    String field(int i) {
      return new String(chars, starts[i], starts[i + 1] - starts[i]);
    }
  }

  /** Fills one {@link Row}, reused record after record: nothing is kept. */
  private static final class RowHandler extends AbstractBaseCsvCallbackHandler<Row> {
    private final Row row = new Row();

    @Override
    protected void handleBegin(long startingLineNumber) {
      row.line = startingLineNumber;
      row.count = 0;
      row.starts[0] = 0;
    }

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
      int at = row.starts[row.count];
      if (at + len > row.chars.length) {
        row.chars = Arrays.copyOf(row.chars, Math.max(row.chars.length * 2, at + len));
      }
      System.arraycopy(buf, offset, row.chars, at, len);
      if (row.count + 2 > row.starts.length) {
        row.starts = Arrays.copyOf(row.starts, row.starts.length * 2);
      }
      row.count++;
      row.starts[row.count] = at + len;
    }

    @Override
    protected Row buildRecord() {
      return row;
    }
  }
}
