package io.medallion.silver.format.xlsx;

import static io.medallion.silver.format.FormatFixture.load;
import static io.medallion.silver.format.FormatFixture.records;
import static io.medallion.silver.format.FormatFixture.refusal;
import static io.medallion.silver.format.FormatFixture.sheet;
import static io.medallion.silver.format.FormatFixture.text;
import static io.medallion.silver.format.FormatFixture.xlsx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.silver.format.FormatFixture.Loaded;
import io.medallion.silver.format.UnreadableFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.poi.poifs.crypt.EncryptionInfo;
import org.apache.poi.poifs.crypt.EncryptionMode;
import org.apache.poi.poifs.crypt.Encryptor;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

class XlsxRecordsTest {

  /**
   * A workbook as people make them: a first sheet "Resumo", the data on "Vendas" under a title
   * row (the header on row 2), real date styles, shared strings, a formula with its cached value,
   * a merged cell.
   */
  static byte[] salesWorkbook() throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook()) {
      wb.createSheet("Resumo").createRow(0).createCell(0).setCellValue("see Vendas");
      Sheet s = wb.createSheet("Vendas");
      CellStyle date = wb.createCellStyle();
      date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy"));
      CellStyle dateTime = wb.createCellStyle();
      dateTime.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("dd/mm/yyyy hh:mm"));
      s.createRow(0).createCell(0).setCellValue("Vendas de 2019");
      Row h = s.createRow(1);
      String[] names = {"ID_MARCA", "MARCA", "VALOR", "DATA_VENDA", "REGISTRADO"};
      for (int i = 0; i < names.length; i++) {
        h.createCell(i).setCellValue(names[i]);
      }
      Row r = s.createRow(2);
      r.createCell(0).setCellValue(1.0);
      r.createCell(1).setCellValue("Ação");
      r.createCell(2).setCellValue(3.0);
      r.createCell(3).setCellValue(LocalDate.of(2019, 3, 4));
      r.getCell(3).setCellStyle(date);
      r.createCell(4).setCellValue(LocalDateTime.of(2019, 3, 4, 10, 30));
      r.getCell(4).setCellStyle(dateTime);
      r = s.createRow(3);
      r.createCell(0).setCellValue(2.0);
      r.createCell(1).setCellValue(123.0); // a number in a STRING column
      r.createCell(2).setCellFormula("C3*2+0.25");
      r = s.createRow(4);
      r.createCell(0).setCellValue(3.0);
      r.createCell(1).setCellValue(LocalDate.of(2020, 1, 31)); // a date cell in a STRING column
      r.getCell(1).setCellStyle(date);
      r.createCell(2).setCellValue(0.1);
      r = s.createRow(5);
      r.createCell(0).setCellValue(4.0);
      r.createCell(1).setCellValue(true);
      r.createCell(2).setCellValue(12345678901234567890.0);
      r = s.createRow(6);
      r.createCell(0).setCellValue(5.0);
      r.createCell(1).setCellValue("Merged");
      s.createRow(7).createCell(0).setCellValue(6.0);
      s.addMergedRegion(new CellRangeAddress(6, 7, 1, 2));
      wb.getCreationHelper().createFormulaEvaluator().evaluateAll(); // caches the formula's value, as Excel does
      return bytes(wb);
    }
  }

  private static byte[] bytes(Workbook wb) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    wb.write(out);
    return out.toByteArray();
  }

  @Test
  void sheetByNameOrIndex_givesItsRowsWithExcelRowNumbers() throws Exception {
    List<JsonObject> byName = records(sheet("Vendas", 1, 2), salesWorkbook());
    List<JsonObject> byIndex = records(sheet(null, 2, 2), salesWorkbook());
    assertEquals(byName, byIndex);
    assertEquals(6, byName.size());
    assertEquals(3, byName.get(0).get("_row").getAsLong(), "row 3 as Excel shows it");
    assertEquals("1", text(byName.get(0), "ID_MARCA"), "1.0 is 1");
    assertEquals("Ação", text(byName.get(0), "MARCA"));
    assertEquals("3", text(byName.get(0), "VALOR"));
    assertEquals("2019-03-04", text(byName.get(0), "DATA_VENDA"));
    assertEquals("2019-03-04T10:30:00", text(byName.get(0), "REGISTRADO"));
  }

  @Test
  void cellsOfEveryKind_readAsTheirColumnWants() throws Exception {
    List<JsonObject> records = records(sheet("Vendas", 1, 2), salesWorkbook());
    assertEquals("123", text(records.get(1), "MARCA"), "a number in a STRING column is its plain text");
    assertEquals("6.25", text(records.get(1), "VALOR"), "a formula gives its cached value");
    assertEquals("2020-01-31", text(records.get(2), "MARCA"), "a date cell in a STRING column is ISO text");
    assertEquals("0.1", text(records.get(2), "VALOR"));
    assertEquals("true", text(records.get(3), "MARCA"));
    assertEquals("12345678901234567000", text(records.get(3), "VALOR"), "no exponent");
    assertEquals("Merged", text(records.get(4), "MARCA"));
    assertNull(text(records.get(5), "MARCA"), "only the first cell of a merged range holds the value");
    Loaded loaded = load(sheet("Vendas", 1, 2), salesWorkbook());
    assertEquals(6, loaded.rows().size(), "rejects: " + loaded.rejects());
    assertEquals(3, loaded.rows().get(0).get("_source_record").getAsLong());
    assertEquals("2019-03-04", text(loaded.rows().get(0), "data_venda"));
    assertEquals("2019-03-04 10:30:00.000000", text(loaded.rows().get(0), "registrado"));
  }

  @Test
  void streamingWorkbook_withInlineStrings_reads() throws Exception {
    try (SXSSFWorkbook wb = new SXSSFWorkbook(50)) {
      Sheet s = wb.createSheet("Vendas");
      Row h = s.createRow(0);
      String[] names = {"ID_MARCA", "MARCA", "VALOR", "DATA_VENDA", "REGISTRADO"};
      for (int i = 0; i < names.length; i++) {
        h.createCell(i).setCellValue(names[i]);
      }
      for (int i = 1; i <= 500; i++) {
        Row r = s.createRow(i);
        r.createCell(0).setCellValue(i);
        r.createCell(1).setCellValue("marca " + i);
        r.createCell(2).setCellValue(i * 1.5);
      }
      byte[] file = bytes(wb);
      Loaded loaded = load(xlsx(), file);
      assertEquals(500, loaded.rows().size());
      assertEquals("marca 500", text(loaded.rows().get(499), "marca"));
      assertEquals("750", text(loaded.rows().get(499), "valor"));
      assertEquals(501, loaded.rows().get(499).get("_source_record").getAsLong());
      wb.dispose();
    }
  }

  @Test
  void serialDates_followTheWorkbooksDateSystem() throws Exception {
    String rows = Workbooks.header(1)
        + "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"D2\"><v>59</v></c></row>"
        + "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"D3\"><v>61</v></c><c r=\"E3\"><v>43831.75</v></c></row>"
        + "<row r=\"4\"><c r=\"A4\"><v>3</v></c><c r=\"D4\"><v>60</v></c></row>";
    Loaded system1900 = load(xlsx(), Workbooks.build(rows, false, false));
    assertEquals(List.of("1900-02-28", "1900-03-01"), system1900.rows().stream().map(r -> text(r, "data_venda")).toList());
    assertEquals("2020-01-01 18:00:00.000000", text(system1900.rows().get(1), "registrado"));
    JsonObject leapDay = system1900.rejects().get(0);
    assertEquals("INVALID_DATE", text(leapDay, "reason"), "day 60 is 1900-02-29, which never was");
    assertEquals(4, leapDay.get("source_record").getAsLong());
    Loaded system1904 = load(xlsx(), Workbooks.build(rows, true, false));
    assertEquals(List.of("1904-02-29", "1904-03-02", "1904-03-01"), system1904.rows().stream().map(r -> text(r, "data_venda")).toList());
  }

  @Test
  void errorCell_makesItsRowARejectWhileTheOthersLoad() throws Exception {
    String rows = Workbooks.header(1)
        + "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"C2\"><v>5</v></c></row>"
        + "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"C3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>"
        + "<row r=\"5\"><c r=\"A5\"><v>3</v></c><c r=\"B5\" t=\"e\"><f>VLOOKUP(1,Z1:Z2,2)</f><v>#N/A</v></c></row>";
    Loaded loaded = load(xlsx(), Workbooks.sheet(rows));
    assertEquals(1, loaded.rows().size());
    assertEquals(2, loaded.rejects().size());
    JsonObject div = loaded.rejects().get(0);
    assertEquals("CELL_ERROR", text(div, "reason"));
    assertEquals(3, div.get("source_record").getAsLong());
    assertTrue(text(div, "message").contains("C3 (#DIV/0!)"), text(div, "message"));
    assertEquals("2", text(div.getAsJsonObject("record"), "ID_MARCA"), "the row's values are kept");
    assertEquals(5, loaded.rejects().get(1).get("source_record").getAsLong());
  }

  @Test
  void valueRightOfTheHeader_isARaggedRowReject() throws Exception {
    String rows = Workbooks.header(1)
        + "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
        + "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"G3\" t=\"inlineStr\"><is><t>nota</t></is></c></row>";
    Loaded loaded = load(xlsx(), Workbooks.sheet(rows));
    assertEquals(1, loaded.rows().size());
    assertEquals("RAGGED_ROW", text(loaded.rejects().get(0), "reason"));
    assertTrue(text(loaded.rejects().get(0), "message").contains("G3"));
  }

  @Test
  void formulaLookingText_isKeptAsData() throws Exception {
    String rows = Workbooks.header(1)
        + "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>=cmd|' /C calc'!A0</t></is></c></row>"
        + "<row r=\"3\"><c r=\"A3\"><v>2</v></c><c r=\"B3\" t=\"inlineStr\"><is><t>@SUM(1)</t></is></c></row>";
    Loaded loaded = load(xlsx(), Workbooks.sheet(rows));
    assertEquals(List.of("=cmd|' /C calc'!A0", "@SUM(1)"), loaded.rows().stream().map(r -> text(r, "marca")).toList());
  }

  @Test
  void macroEnabledWorkbook_isReadAsData() throws Exception {
    String rows = Workbooks.header(1) + "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>";
    Loaded loaded = load(xlsx(), Workbooks.build(rows, false, true));
    assertEquals(1, loaded.rows().size());
  }

  @Test
  void emptySheet_refusesTheFile() throws Exception {
    refusal(xlsx(), Workbooks.sheet(""), UnreadableFileException.EMPTY_SHEET);
    assertEquals(List.of(), records(xlsx(), Workbooks.sheet(Workbooks.header(1))), "a header and no rows is no error");
  }

  @Test
  void missingSheet_refusesTheFileListingTheSheets() throws Exception {
    UnreadableFileException e = refusal(sheet("Sales", 1, 1), salesWorkbook(), UnreadableFileException.SHEET_NOT_FOUND);
    assertTrue(e.detail().contains("\"Resumo\", \"Vendas\""), e.detail());
    refusal(sheet(null, 3, 1), salesWorkbook(), UnreadableFileException.SHEET_NOT_FOUND);
  }

  @Test
  void headerNotMatching_refusesTheFile() throws Exception {
    refusal(sheet("Resumo", 1, 1), salesWorkbook(), UnreadableFileException.MISSING_COLUMNS);
  }

  @Test
  void passwordProtectedWorkbook_refusesTheFile() throws Exception {
    POIFSFileSystem fs = new POIFSFileSystem();
    EncryptionInfo info = new EncryptionInfo(EncryptionMode.agile);
    Encryptor encryptor = info.getEncryptor();
    encryptor.confirmPassword("segredo");
    try (OutputStream os = encryptor.getDataStream(fs)) {
      os.write(salesWorkbook());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    fs.writeFilesystem(out);
    fs.close();
    refusal(xlsx(), out.toByteArray(), UnreadableFileException.PASSWORD_PROTECTED);
  }

  @Test
  void corruptOrForeignFile_refusesTheFile() throws Exception {
    byte[] workbook = salesWorkbook();
    byte[] cut = java.util.Arrays.copyOf(workbook, workbook.length / 2);
    refusal(xlsx(), cut, UnreadableFileException.CORRUPT_XLSX);
    refusal(xlsx(), "ID_MARCA,MARCA\n1,a\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), UnreadableFileException.NOT_XLSX);
    ByteArrayOutputStream ole2 = new ByteArrayOutputStream();
    try (POIFSFileSystem fs = new POIFSFileSystem()) {
      fs.createDocument(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), "Workbook");
      fs.writeFilesystem(ole2);
    }
    refusal(xlsx(), ole2.toByteArray(), UnreadableFileException.NOT_XLSX);
  }

  @Test
  void zipBomb_isRefusedBeforeItInflates() throws Exception {
    byte[] bomb = Workbooks.bomb(Workbooks.header(1), 64L << 20);
    assertTrue(bomb.length < 1 << 20, "a small file: " + bomb.length);
    refusal(xlsx(), bomb, UnreadableFileException.ZIP_BOMB);
  }
}
