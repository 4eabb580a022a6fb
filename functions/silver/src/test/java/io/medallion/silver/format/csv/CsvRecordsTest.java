package io.medallion.silver.format.csv;

import static io.medallion.silver.format.FormatFixture.HEADER;
import static io.medallion.silver.format.FormatFixture.csv;
import static io.medallion.silver.format.FormatFixture.load;
import static io.medallion.silver.format.FormatFixture.records;
import static io.medallion.silver.format.FormatFixture.refusal;
import static io.medallion.silver.format.FormatFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.silver.format.FormatFixture;
import io.medallion.silver.format.FormatFixture.Loaded;
import io.medallion.silver.format.UnreadableFileException;
import io.medallion.source.FileFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static FileFormat encoded(Charset charset) {
    return FormatFixture.csv(',', '"', 1, charset, '.', null, null, List.of());
  }

  @Test
  void eachDataRow_becomesARecordNamedByTheHeaderWithItsLineNumber() throws Exception {
    List<JsonObject> records = records(csv(), utf8(" ID_MARCA , MARCA,VALOR,DATA_VENDA,REGISTRADO\n1,Acme,10.5,,\n\n2,\"Big, \"\"Co\"\"\nline\",3,2019-01-02,\n"));
    assertEquals(2, records.size());
    assertEquals(2, records.get(0).get("_row").getAsLong());
    assertEquals("_row", records.get(0).keySet().iterator().next(), "the row number comes first");
    assertEquals("1", text(records.get(0), "ID_MARCA"), "header names trimmed");
    assertEquals("10.5", text(records.get(0), "VALOR"));
    assertTrue(records.get(0).get("DATA_VENDA").isJsonNull(), "an empty field is null");
    assertEquals(4, records.get(1).get("_row").getAsLong(), "the line the record starts on; the empty line 3 is skipped");
    assertEquals("Big, \"Co\"\nline", text(records.get(1), "MARCA"));
  }

  @Test
  void delimiterQuoteAndHeaderRow_areTheDeclaredOnes() throws Exception {
    FileFormat format = FormatFixture.csv(';', '\'', 3, StandardCharsets.UTF_8, '.', null, null, List.of());
    List<JsonObject> records = records(format, utf8("Relatório de vendas\ngerado em 2019\n"
        + "ID_MARCA;MARCA;VALOR;DATA_VENDA;REGISTRADO\n7;'Acme; Ltd';1;;\n"));
    assertEquals(1, records.size());
    assertEquals("Acme; Ltd", text(records.get(0), "MARCA"));
    assertEquals(4, records.get(0).get("_row").getAsLong());
  }

  @Test
  void everyDeclaredEncoding_readsAccents() throws Exception {
    String file = HEADER + "\n1,Ação Café €,1,,\n";
    for (Charset charset : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"))) {
      String expected = charset.equals(StandardCharsets.ISO_8859_1) ? "Ação Café ?" : "Ação Café €";
      List<JsonObject> records = records(encoded(charset), file.getBytes(charset));
      assertEquals(expected, text(records.get(0), "MARCA"), charset.name());
    }
    byte[] bom = utf8("\uFEFF" + file);
    assertEquals("1", text(records(csv(), bom).get(0), "ID_MARCA"), "the byte order mark is not part of the first name");
  }

  @Test
  void decimalCommaAndDatePatterns_becomeWhatTheTyperReads() throws Exception {
    FileFormat format = FormatFixture.csv(';', '"', 1, StandardCharsets.UTF_8, ',', "dd/MM/yyyy", "dd/MM/yyyy HH:mm", List.of("NA"));
    Loaded loaded = load(format, utf8("ID_MARCA;MARCA;VALOR;DATA_VENDA;REGISTRADO\n"
        + "1;a;1.234,56;31/12/2019;01/02/2020 13:45\n"
        + "2;NA;-12,5;01/01/2019;NA\n"
        + "3;c;1,2,3;01/01/2019;\n"
        + "4;d;7;31/02/2019;\n"));
    assertEquals(2, loaded.rows().size(), "rejects: " + loaded.rejects());
    JsonObject first = loaded.rows().get(0);
    assertEquals("1234.56", text(first, "valor"));
    assertEquals("2019-12-31", text(first, "data_venda"));
    assertEquals("2020-02-01 13:45:00.000000", text(first, "registrado"));
    assertEquals(2, first.get("_source_record").getAsLong(), "the lineage names the CSV line");
    assertEquals("-12.5", text(loaded.rows().get(1), "valor"));
    assertNull(text(loaded.rows().get(1), "marca"), "a null_values text is NULL");
    assertEquals("NOT_A_NUMBER", text(loaded.rejects().get(0), "reason"), "text that does not fit is left to the typer");
    assertEquals(4, loaded.rejects().get(0).get("source_record").getAsLong());
    assertEquals("INVALID_DATE", text(loaded.rejects().get(1), "reason"), "dates are read strictly: no 31 February");
    assertEquals(5, loaded.rejects().get(1).get("source_record").getAsLong());
  }

  @Test
  void gzippedFile_isReadThroughGzip() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(utf8(HEADER + "\n1,Ação,2,,\n"));
    }
    assertEquals("Ação", text(records(csv(), out.toByteArray()).get(0), "MARCA"));
    byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 12);
    refusal(csv(), cut, UnreadableFileException.CORRUPT_GZIP);
  }

  @Test
  void formulaLookingText_isKeptAsData() throws Exception {
    Loaded loaded = load(csv(), utf8(HEADER + "\n1,=cmd|' /C calc'!A0,,,\n2,+1,,,\n3,-1,,,\n4,@SUM(1),,,\n"));
    assertEquals(List.of("=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)"), loaded.rows().stream().map(r -> text(r, "marca")).toList());
  }

  @Test
  void raggedRows_areRejectsWithTheirLineWhileTheOthersLoad() throws Exception {
    Loaded loaded = load(csv(), utf8(HEADER + "\n1,a,1,,\n2,b,1,,,surplus\n3,c\n4,d,1,,\n"));
    assertEquals(List.of("1", "4"), loaded.rows().stream().map(r -> text(r, "id_marca")).toList());
    assertEquals(2, loaded.rejects().size());
    JsonObject tooMany = loaded.rejects().get(0);
    assertEquals("RAGGED_ROW", text(tooMany, "reason"));
    assertEquals(3, tooMany.get("source_record").getAsLong());
    assertEquals("line 3 has 6 fields where the header has 5", text(tooMany, "message"));
    assertEquals("surplus", tooMany.getAsJsonObject("record").getAsJsonArray("_surplus").get(0).getAsString(), "nothing is lost");
    assertEquals("b", text(tooMany.getAsJsonObject("record"), "MARCA"));
    assertEquals(4, loaded.rejects().get(1).get("source_record").getAsLong());
    assertEquals(2, loaded.counts().rejectsByReason().get(io.medallion.silver.RejectReason.RAGGED_ROW));
    assertFalse(loaded.counts().unknownFields().containsKey("_row"), "_row is no unknown field");
  }

  @Test
  void headerWithoutRows_isZeroRecords() throws Exception {
    assertEquals(List.of(), records(csv(), utf8(HEADER + "\n")));
  }

  @Test
  void zeroBytes_refuseTheFile() {
    refusal(csv(), new byte[0], UnreadableFileException.EMPTY_FILE);
  }

  @Test
  void wrongDelimiter_refusesTheFileNamingTheLikelyOne() {
    UnreadableFileException e = refusal(csv(), utf8(HEADER.replace(',', ';') + "\n1;a;1;;\n"), UnreadableFileException.WRONG_DELIMITER);
    assertTrue(e.detail().contains("';'"), e.detail());
  }

  @Test
  void headerNotMatching_refusesTheFileListingMissingAndFound() {
    UnreadableFileException e = refusal(csv(), utf8("ID_MARCA,Marca,VALOR,DATA,REGISTRADO\n1,a,1,,\n"), UnreadableFileException.MISSING_COLUMNS);
    assertTrue(e.detail().contains("MARCA, DATA_VENDA"), e.detail());
    assertTrue(e.detail().contains("it has: ID_MARCA, Marca, VALOR, DATA, REGISTRADO"), e.detail());
    assertTrue(e.detail().contains("Marca for MARCA"), e.detail());
    refusal(csv(), utf8(HEADER + ",MARCA\n"), UnreadableFileException.DUPLICATE_HEADER);
    refusal(csv(), utf8(HEADER + ",_row\n"), UnreadableFileException.RESERVED_HEADER);
  }

  @Test
  void unterminatedQuote_refusesTheFileNamingTheLineItOpened() {
    UnreadableFileException e = refusal(csv(), utf8(HEADER + "\n1,a,1,,\n2,\"b,1,,\n3,c,1,,\n"), UnreadableFileException.UNTERMINATED_QUOTE);
    assertTrue(e.detail().contains("line 3"), e.detail());
  }

  @Test
  void mixedEncodings_refuseTheFileNamingTheLine() throws Exception {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(utf8(HEADER + "\n1,Ação,1,,\n"));
    file.write("2,Ação,1,,\n".getBytes(StandardCharsets.ISO_8859_1));
    UnreadableFileException e = refusal(csv(), file.toByteArray(), UnreadableFileException.INVALID_ENCODING);
    assertTrue(e.detail().startsWith("line 3: the bytes 0xE7"), e.detail());
    refusal(encoded(StandardCharsets.ISO_8859_1), utf8("\uFEFF" + HEADER + "\n"), UnreadableFileException.INVALID_ENCODING);
  }

  @Test
  void refusalFoundWhileLoading_failsTheLoadNotARow() {
    byte[] file = utf8(HEADER + "\n1,a,1,,\n2,\"b,1,,\n");
    UnreadableFileException e = org.junit.jupiter.api.Assertions.assertThrows(UnreadableFileException.class, () -> load(csv(), file));
    assertEquals(UnreadableFileException.UNTERMINATED_QUOTE, e.reason());
  }
}
