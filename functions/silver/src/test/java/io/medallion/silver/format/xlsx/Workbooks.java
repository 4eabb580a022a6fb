package io.medallion.silver.format.xlsx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Workbooks written part by part, for what POI does not write: error cells with their cached
 * value, the 1904 date system, macro-enabled packages, and zip bombs.
 */
final class Workbooks {
  static final String MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

  private Workbooks() {}

  /** A one-sheet workbook ("Vendas") whose sheetData holds {@code rows}. */
  static byte[] sheet(String rows) throws IOException {
    return build(rows, false, false);
  }

  static byte[] build(String rows, boolean date1904, boolean macros) throws IOException {
    Map<String, byte[]> parts = new LinkedHashMap<>();
    String mainType = macros
        ? "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    parts.put("[Content_Types].xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"
        + "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" + mainType + "\"/>"
        + "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        + "</Types>"));
    parts.put("_rels/.rels", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
        + " Target=\"xl/workbook.xml\"/></Relationships>"));
    parts.put("xl/workbook.xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<workbook xmlns=\"" + MAIN + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        + (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>")
        + "<sheets><sheet name=\"Vendas\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
    parts.put("xl/_rels/workbook.xml.rels", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\""
        + " Target=\"worksheets/sheet1.xml\"/>"
        + (macros ? "<Relationship Id=\"rId2\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\""
            + " Target=\"vbaProject.bin\"/>" : "")
        + "</Relationships>"));
    parts.put("xl/worksheets/sheet1.xml", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<worksheet xmlns=\"" + MAIN + "\"><sheetData>" + rows + "</sheetData></worksheet>"));
    if (macros) {
      // What a macro's compiled project looks like to a reader: bytes never run.
      parts.put("xl/vbaProject.bin", "Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc\"\nEnd Sub".getBytes(StandardCharsets.US_ASCII));
    }
    return zip(parts, null, 0);
  }

  /**
   * A workbook whose sheet, after a header row, holds {@code padding} bytes of white space:
   * they deflate to about a thousandth of their size.
   */
  static byte[] bomb(String header, long padding) throws IOException {
    byte[] plain = build(header, false, false);
    Map<String, byte[]> parts = new LinkedHashMap<>();
    try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(plain))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        parts.put(e.getName(), in.readAllBytes());
      }
    }
    return zip(parts, "xl/worksheets/sheet1.xml", padding);
  }

  private static byte[] zip(Map<String, byte[]> parts, String padded, long padding) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_COMPRESSION);
      for (Map.Entry<String, byte[]> p : parts.entrySet()) {
        zip.putNextEntry(new ZipEntry(p.getKey()));
        if (p.getKey().equals(padded)) {
          String xml = new String(p.getValue(), StandardCharsets.UTF_8);
          int cut = xml.indexOf("</sheetData>");
          zip.write(utf8(xml.substring(0, cut)));
          byte[] spaces = new byte[1 << 20];
          java.util.Arrays.fill(spaces, (byte) ' ');
          for (long written = 0; written < padding; written += spaces.length) {
            zip.write(spaces);
          }
          zip.write(utf8(xml.substring(cut)));
        } else {
          zip.write(p.getValue());
        }
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A row of inline-string header cells A.. for the sales columns. */
  static String header(int row) {
    String[] names = {"ID_MARCA", "MARCA", "VALOR", "DATA_VENDA", "REGISTRADO"};
    StringBuilder s = new StringBuilder("<row r=\"" + row + "\">");
    for (int i = 0; i < names.length; i++) {
      s.append("<c r=\"").append((char) ('A' + i)).append(row).append("\" t=\"inlineStr\"><is><t>").append(names[i]).append("</t></is></c>");
    }
    return s.append("</row>").toString();
  }
}
