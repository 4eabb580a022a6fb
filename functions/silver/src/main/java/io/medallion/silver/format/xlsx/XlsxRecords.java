package io.medallion.silver.format.xlsx;

import com.fasterxml.jackson.core.io.SerializedString;
import io.medallion.schema.FieldType;
import io.medallion.silver.RejectReason;
import io.medallion.silver.format.CellText;
import io.medallion.silver.format.FileRecords;
import io.medallion.silver.format.Header;
import io.medallion.silver.format.RecordStream;
import io.medallion.silver.format.UnreadableFileException;
import io.medallion.source.FileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.poi.openxml4j.exceptions.InvalidFormatException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;

/**
 * The data rows of one sheet of an xlsx (or xlsm) workbook as records ({@link FileRecords}).
 *
 * <p>How: the file is copied to a temporary file (a zip is read from its end, and POI would
 * otherwise hold the whole package in memory), opened with POI's OPC package, whose zip reader
 * refuses an entry that inflates more than 100 times its compressed size or past 4 GiB (a zip
 * bomb, {@code ZipSecureFile}); the sheet's XML is then pulled element by element (StAX), so one
 * row is in memory at a time. The shared strings (each distinct text once) and the styles are
 * read whole. Nothing is evaluated: a formula cell gives the value Excel cached, macros in an
 * xlsm are never looked at.
 *
 * <p>Cells by the type of the column they feed: numbers in DATE, DATETIME, TIMESTAMP and TIME
 * columns are Excel serial dates, numbers elsewhere their plain decimal text ({@code 3}, never
 * {@code 3.0} or {@code 1E+3}), unless the cell shows a date (its style), which a STRING column
 * gets as ISO text; booleans are {@code true}/{@code false}; text goes through {@link CellText}.
 * An error cell makes its row a {@link RejectReason#CELL_ERROR} reject, a value right of the
 * header's last column a {@link RejectReason#RAGGED_ROW} one. Rows without any value are skipped.
 */
public final class XlsxRecords extends RecordStream {
  private static final XMLInputFactory XML = xmlInputFactory();
  private static final byte[] ZIP = {'P', 'K', 3, 4};
  private static final byte[] OLE2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1};

  private final String uri;
  private final CellText text;
  private final Path file;
  private final OPCPackage pkg;
  private final InputStream sheetData;
  private final XMLStreamReader xml;
  private final ReadOnlySharedStringsTable strings;
  private final StylesTable styles;
  /** Per style index: 1 when it shows a date, -1 when not, 0 not yet known. */
  private byte[] dateStyles = new byte[64];
  private final boolean date1904;
  private final String sheetName;
  private String[] names;
  private SerializedString[] fieldNames;
  private FieldType[] types;
  private boolean[] converts;

  /** The row being read: its number and each cell's value (null: empty), errors and values right of the header. */
  private long rowNumber;
  private String[] values = new String[16];
  private final List<String> errors = new ArrayList<>();
  private final List<String> surplus = new ArrayList<>();
  private int maxColumn;

  private XlsxRecords(
      FileFormat format, String uri, CellText text, Path file, OPCPackage pkg, XSSFReader reader, Sheet sheet,
      boolean date1904) throws IOException, XMLStreamException, OpenXML4JException {
    this.uri = uri;
    this.text = text;
    this.file = file;
    this.pkg = pkg;
    this.date1904 = date1904;
    this.sheetName = sheet.name();
    try {
      this.strings = new ReadOnlySharedStringsTable(pkg, false);
    } catch (org.xml.sax.SAXException e) {
      throw new UnreadableFileException(UnreadableFileException.CORRUPT_XLSX, uri, "the shared strings are not XML: " + e.getMessage(), e);
    }
    this.styles = reader.getStylesTable();
    this.sheetData = reader.getSheet(sheet.relationId());
    this.xml = XML.createXMLStreamReader(sheetData);
    readHeader(format);
  }

  /**
   * The records of the declared sheet of the workbook {@code in}.
   *
   * @throws UnreadableFileException when the file is not an xlsx workbook, is protected by a
   *     password, is a zip bomb, lacks the sheet, or the sheet has no header
   */
  public static RecordStream open(FileFormat format, InputStream in, String uri, CellText text) throws IOException {
    Path file = Files.createTempFile("medallion-", ".xlsx");
    OPCPackage pkg = null;
    try {
      byte[] head = new byte[8];
      int headLength;
      try (OutputStream out = Files.newOutputStream(file)) {
        headLength = in.readNBytes(head, 0, head.length);
        out.write(head, 0, headLength);
        in.transferTo(out);
      } finally {
        in.close();
      }
      if (startsWith(head, headLength, OLE2)) {
        throw ole2(file, uri);
      }
      if (!startsWith(head, headLength, ZIP)) {
        throw new UnreadableFileException(UnreadableFileException.NOT_XLSX, uri,
            "the file is not an xlsx workbook (an xlsx is a zip archive; this one starts with bytes "
                + hex(head, headLength) + ")");
      }
      pkg = OPCPackage.open(file.toFile(), PackageAccess.READ);
      XSSFReader reader = new XSSFReader(pkg);
      Workbook workbook = Workbook.read(reader.getWorkbookData(), uri);
      Sheet sheet = workbook.pick(format, uri);
      return new XlsxRecords(format, uri, text, file, pkg, reader, sheet, workbook.date1904());
    } catch (UnreadableFileException e) {
      discard(pkg, file);
      throw e;
    } catch (IOException | OpenXML4JException | XMLStreamException | RuntimeException e) {
      discard(pkg, file);
      throw refusal(e, uri);
    }
  }

  /** An OLE2 (compound) file: an encrypted xlsx, whose package is inside, or a legacy .xls. */
  private static UnreadableFileException ole2(Path file, String uri) throws IOException {
    try (POIFSFileSystem fs = new POIFSFileSystem(file.toFile(), true)) {
      if (fs.getRoot().hasEntry("EncryptedPackage")) {
        return new UnreadableFileException(UnreadableFileException.PASSWORD_PROTECTED, uri,
            "the workbook is protected by a password (encrypted): save a copy without the password");
      }
    } catch (IOException | RuntimeException e) {
      return new UnreadableFileException(UnreadableFileException.NOT_XLSX, uri,
          "the file is a damaged OLE2 compound file, not an xlsx workbook", e);
    }
    return new UnreadableFileException(UnreadableFileException.NOT_XLSX, uri,
        "the file is an OLE2 compound file (a legacy .xls workbook?), not an xlsx: save it as .xlsx");
  }

  /** What a failure of POI or of the XML says about the file. */
  private static UnreadableFileException refusal(Exception e, String uri) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnreadableFileException u) {
        return u;
      }
      String m = t.getMessage();
      if (m != null && m.startsWith("Zip bomb detected")) {
        return new UnreadableFileException(UnreadableFileException.ZIP_BOMB, uri,
            "a part of the workbook inflates far beyond its compressed size (more than 100 times, or past 4 GiB):"
                + " refused before inflating it. " + m.lines().skip(2).findFirst().orElse(""), e);
      }
      if (t instanceof OutOfMemoryError) {
        break;
      }
    }
    return new UnreadableFileException(UnreadableFileException.CORRUPT_XLSX, uri,
        "the workbook cannot be read (corrupt or not an xlsx): " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  private static void discard(OPCPackage pkg, Path file) {
    if (pkg != null) {
      pkg.revert();
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file: the OS cleans it up
    }
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        xml.close();
      } catch (XMLStreamException ignored) {
        // closing a reader that failed
      }
      sheetData.close();
    } finally {
      discard(pkg, file);
      super.close();
    }
  }

  /** Reads up to the header: the first row with a value at or after {@code header_row}. */
  private void readHeader(FileFormat format) throws IOException {
    while (true) {
      if (!readRow()) {
        throw new UnreadableFileException(UnreadableFileException.EMPTY_SHEET, uri,
            "sheet \"" + sheetName + "\" has no header row"
                + (format.headerRow() > 1 ? " at or after row " + format.headerRow() + " (header_row)" : " (it is empty)"));
      }
      if (rowNumber >= format.headerRow() && maxColumn >= 0) {
        break;
      }
    }
    List<String> cells = new ArrayList<>(maxColumn + 1);
    for (int i = 0; i <= maxColumn; i++) {
      cells.add(values[i]);
    }
    names = Header.check(cells, uri, "row " + rowNumber + " of sheet \"" + sheetName + "\"", text, (char) 0);
    fieldNames = new SerializedString[names.length];
    types = new FieldType[names.length];
    converts = new boolean[names.length];
    for (int i = 0; i < names.length; i++) {
      fieldNames[i] = new SerializedString(names[i] != null ? names[i] : "column_" + columnName(i));
      types[i] = names[i] == null ? null : text.typeOf(names[i]);
      converts[i] = text.converts(types[i]);
    }
  }

  @Override
  protected boolean writeRecord() throws IOException {
    do {
      if (!readRow()) {
        return false;
      }
    } while (maxColumn < 0 && errors.isEmpty()); // a row without values is no record
    startRecord(rowNumber);
    if (!errors.isEmpty()) {
      markReject(RejectReason.CELL_ERROR, (errors.size() == 1 ? "cell " : "cells ") + String.join(", ", errors)
          + ": a formula error in the workbook");
    } else if (!surplus.isEmpty()) {
      markReject(RejectReason.RAGGED_ROW, "row " + rowNumber + " has values right of the header's last column: "
          + String.join(", ", surplus));
    }
    int width = Math.min(names.length, maxColumn + 1);
    for (int i = 0; i < width; i++) {
      if (values[i] == null) {
        if (names[i] != null) {
          json.writeFieldName(fieldNames[i]);
          json.writeNull();
        }
        continue;
      }
      json.writeFieldName(fieldNames[i]);
      json.writeString(values[i]);
    }
    if (!surplus.isEmpty()) {
      json.writeFieldName(FileRecords.SURPLUS_FIELD);
      json.writeStartArray();
      for (int i = names.length; i <= maxColumn; i++) {
        if (values[i] != null) {
          json.writeString(values[i]);
        }
      }
      json.writeEndArray();
    }
    endRecord();
    return true;
  }

  /**
   * Reads the next {@code <row>} into {@link #values} (converted for its column), {@link #errors}
   * and {@link #surplus}; false at the sheet's end.
   */
  private boolean readRow() throws IOException {
    try {
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.START_ELEMENT && xml.getLocalName().equals("row")) {
          String r = xml.getAttributeValue(null, "r");
          rowNumber = r == null ? rowNumber + 1 : Long.parseLong(r);
          readCells();
          return true;
        }
        if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("sheetData")) {
          return false;
        }
      }
      return false;
    } catch (XMLStreamException | RuntimeException e) {
      throw refusal(e, uri);
    }
  }

  private void readCells() throws XMLStreamException, IOException {
    Arrays.fill(values, 0, Math.max(0, Math.min(values.length, maxColumn + 1)), null);
    errors.clear();
    surplus.clear();
    maxColumn = -1;
    int column = -1;
    while (true) {
      int event = xml.next();
      if (event == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("row")) {
        return;
      }
      if (event != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("c")) {
        continue;
      }
      String ref = xml.getAttributeValue(null, "r");
      column = ref == null ? column + 1 : column(ref);
      String type = xml.getAttributeValue(null, "t");
      String style = xml.getAttributeValue(null, "s");
      String raw = null;
      String inline = null;
      // The cell's children: <f> (ignored: the cached <v> is the value), <v>, <is> for inline text.
      while (true) {
        int e = xml.next();
        if (e == XMLStreamConstants.END_ELEMENT && xml.getLocalName().equals("c")) {
          break;
        }
        if (e != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        switch (xml.getLocalName()) {
          case "v" -> raw = xml.getElementText();
          case "is" -> inline = inlineText();
          default -> skipElement();
        }
      }
      String value = value(column, type, style, raw, inline);
      if (value == null) {
        continue;
      }
      if ("e".equals(type)) {
        errors.add(cellName(column) + " (" + value + ")");
      } else if (names != null && column >= names.length) {
        surplus.add(cellName(column));
      }
      if (column >= values.length) {
        values = Arrays.copyOf(values, Math.max(values.length * 2, column + 1));
      }
      values[column] = value;
      maxColumn = Math.max(maxColumn, column);
    }
  }

  /** The text of an {@code <is>} element: its runs' {@code <t>} texts, without phonetic guides. */
  private String inlineText() throws XMLStreamException {
    StringBuilder s = new StringBuilder();
    int depth = 1;
    while (depth > 0) {
      int e = xml.next();
      if (e == XMLStreamConstants.START_ELEMENT) {
        if (xml.getLocalName().equals("t")) {
          s.append(xml.getElementText());
        } else if (xml.getLocalName().equals("rPh")) {
          skipElement();
        } else {
          depth++;
        }
      } else if (e == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
    return s.toString();
  }

  private void skipElement() throws XMLStreamException {
    int depth = 1;
    while (depth > 0) {
      int e = xml.next();
      if (e == XMLStreamConstants.START_ELEMENT) {
        depth++;
      } else if (e == XMLStreamConstants.END_ELEMENT) {
        depth--;
      }
    }
  }

  /** A cell's value as the text its column's typer reads, or null for an empty cell. */
  private String value(int column, String type, String style, String raw, String inline) {
    FieldType columnType = names == null || column >= types.length ? null : types[column];
    String s;
    if (type == null || type.equals("n")) {
      if (raw == null || raw.isEmpty()) {
        return null;
      }
      return names == null ? plain(raw) : number(raw, columnType, style);
    }
    switch (type) {
      case "s" -> {
        if (raw == null || raw.isEmpty()) {
          return null;
        }
        try {
          s = strings.getItemAt(Integer.parseInt(raw.strip())).getString();
        } catch (RuntimeException e) {
          s = null;
        }
        if (s == null) {
          throw new IllegalStateException("cell " + cellName(column) + " refers to shared string " + raw + ", which the workbook lacks");
        }
      }
      case "inlineStr" -> s = inline != null ? inline : raw;
      case "b" -> {
        return raw == null || raw.isEmpty() ? null : raw.strip().equals("1") || raw.strip().equalsIgnoreCase("true") ? "true" : "false";
      }
      case "e" -> {
        return raw == null || raw.isEmpty() ? "#ERROR" : raw;
      }
      default -> s = raw; // "str" (a formula's text), "d" (ISO date text)
    }
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (text.isNull(s)) {
      return null;
    }
    return columnType != null && converts[column] ? text.convert(columnType, s) : s;
  }

  /** A numeric cell for a column of {@code type}: a serial date, or its plain decimal text. */
  private String number(String raw, FieldType type, String style) {
    double serial;
    boolean temporal = type == FieldType.DATE || type == FieldType.DATETIME || type == FieldType.TIMESTAMP || type == FieldType.TIME;
    if (!temporal && (type != FieldType.STRING && type != null || !isDateStyle(style))) {
      return plain(raw);
    }
    try {
      serial = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      return raw;
    }
    String iso = ExcelDates.iso(serial, date1904, type == null ? FieldType.STRING : type);
    return iso != null ? iso : plain(raw);
  }

  /** {@code 3}, {@code 0.1}, {@code 12345678901234567890}: never {@code 3.0} nor an exponent. */
  static String plain(String raw) {
    try {
      BigDecimal d = new BigDecimal(raw.strip());
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    } catch (NumberFormatException e) {
      return raw;
    }
  }

  /** Whether style {@code s} (an index into the cell formats) shows a date or time. */
  private boolean isDateStyle(String s) {
    if (s == null || styles == null) {
      return false;
    }
    int i;
    try {
      i = Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return false;
    }
    if (i < 0 || i >= styles.getNumCellStyles()) {
      return false;
    }
    if (i >= dateStyles.length) {
      dateStyles = Arrays.copyOf(dateStyles, Math.max(dateStyles.length * 2, i + 1));
    }
    if (dateStyles[i] == 0) {
      XSSFCellStyle style = styles.getStyleAt(i);
      boolean date = style != null && DateUtil.isADateFormat(style.getDataFormat(), style.getDataFormatString());
      dateStyles[i] = (byte) (date ? 1 : -1);
    }
    return dateStyles[i] == 1;
  }

  /** The 0-based column of a cell reference ({@code AB12} is 27). */
  static int column(String ref) {
    int c = 0;
    for (int i = 0; i < ref.length(); i++) {
      char ch = ref.charAt(i);
      if (ch < 'A' || ch > 'Z') {
        break;
      }
      c = c * 26 + (ch - 'A' + 1);
    }
    return c - 1;
  }

  /** The letters of 0-based column {@code c} ({@code 27} is {@code AB}). */
  static String columnName(int c) {
    StringBuilder s = new StringBuilder();
    for (int n = c + 1; n > 0; n = (n - 1) / 26) {
      s.insert(0, (char) ('A' + (n - 1) % 26));
    }
    return s.toString();
  }

  private String cellName(int column) {
    return columnName(column) + rowNumber;
  }

  private static boolean startsWith(byte[] head, int length, byte[] magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (head[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  private static String hex(byte[] b, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(String.format("%02X", b[i] & 0xFF));
    }
    return s.toString();
  }

  /** Pull parsing with no DTD and no external entity: a workbook's XML never needs them. */
  private static XMLInputFactory xmlInputFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }

  /** One sheet of the workbook: its name and the relationship that leads to its part. */
  record Sheet(String name, String relationId) {}

  /** What the workbook part says: its sheets in order, and its date system. */
  record Workbook(List<Sheet> sheets, boolean date1904) {
    private static final String RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static final String STRICT_RELATIONSHIPS = "http://purl.oclc.org/ooxml/officeDocument/relationships";

    static Workbook read(InputStream in, String uri) throws XMLStreamException, IOException {
      List<Sheet> sheets = new ArrayList<>();
      boolean date1904 = false;
      try (in) {
        XMLStreamReader x = XML.createXMLStreamReader(in);
        while (x.hasNext()) {
          if (x.next() != XMLStreamConstants.START_ELEMENT) {
            continue;
          }
          if (x.getLocalName().equals("workbookPr")) {
            String d = x.getAttributeValue(null, "date1904");
            date1904 = "1".equals(d) || "true".equalsIgnoreCase(d);
          } else if (x.getLocalName().equals("sheet")) {
            String id = x.getAttributeValue(RELATIONSHIPS, "id");
            if (id == null) {
              id = x.getAttributeValue(STRICT_RELATIONSHIPS, "id");
            }
            sheets.add(new Sheet(x.getAttributeValue(null, "name"), id));
          }
        }
        x.close();
      }
      return new Workbook(sheets, date1904);
    }

    /** The sheet the format names, by name or else by 1-based index. */
    Sheet pick(FileFormat format, String uri) throws UnreadableFileException {
      List<String> listed = sheets.stream().map(s -> "\"" + s.name() + "\"").toList();
      if (format.sheet() != null) {
        for (Sheet s : sheets) {
          if (format.sheet().equals(s.name())) {
            return s;
          }
        }
        throw new UnreadableFileException(UnreadableFileException.SHEET_NOT_FOUND, uri,
            "no sheet named \"" + format.sheet() + "\"; the workbook has " + String.join(", ", listed));
      }
      if (format.sheetIndex() < 1 || format.sheetIndex() > sheets.size()) {
        throw new UnreadableFileException(UnreadableFileException.SHEET_NOT_FOUND, uri,
            "no sheet " + format.sheetIndex() + ": the workbook has " + sheets.size()
                + (sheets.size() == 1 ? " sheet: " : " sheets: ") + String.join(", ", listed));
      }
      return sheets.get(format.sheetIndex() - 1);
    }
  }
}
