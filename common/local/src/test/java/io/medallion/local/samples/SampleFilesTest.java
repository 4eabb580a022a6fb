package io.medallion.local.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample files of the two example file sources: what their generators promise (checked here
 * with this test's own arithmetic), written as their declarations say their files are.
 */
class SampleFilesTest {

  static final Source SALES = SourceRegistry.standard().find("sales").orElseThrow();
  static final Source AUDIENCE = SourceRegistry.standard().find("audience").orElseThrow();
  static final long SEED = 7;

  @Test
  void sales_oneSpreadsheetPerYear_theDeclaredSheet_realDateCells_andEveryRecordOfThatYear(@TempDir Path dir) throws Exception {
    List<SampleFiles.SampleFile> files = SampleFiles.files(SALES, SEED);
    List<Path> written = SampleFiles.write(SALES, dir, SEED);
    assertEquals(List.of("base_2017.xlsx", "base_2018.xlsx", "base_2019.xlsx"),
        written.stream().map(p -> p.getFileName().toString()).toList());
    for (int f = 0; f < files.size(); f++) {
      List<JsonObject> records = files.get(f).records();
      try (XSSFWorkbook book = new XSSFWorkbook(Files.newInputStream(written.get(f)))) {
        Sheet sheet = book.getSheet("Vendas");
        Row header = sheet.getRow(0);
        List<String> names = new ArrayList<>();
        header.forEach(c -> names.add(c.getStringCellValue()));
        assertEquals(List.of("ID_MARCA", "MARCA", "ID_LINHA", "LINHA", "DATA_VENDA", "QTD_VENDA"), names);
        assertEquals(records.size(), sheet.getLastRowNum());
        for (int i = 0; i < records.size(); i++) {
          Row row = sheet.getRow(i + 1);
          JsonObject r = records.get(i);
          Cell day = row.getCell(4);
          assertEquals(CellType.NUMERIC, day.getCellType());
          assertTrue(DateUtil.isCellDateFormatted(day), "an Excel date cell, row " + (i + 2));
          assertEquals(LocalDate.parse(r.get("DATA_VENDA").getAsString()), day.getLocalDateTimeCellValue().toLocalDate());
          assertEquals(2017 + f, day.getLocalDateTimeCellValue().getYear());
          assertEquals(r.get("ID_LINHA").getAsLong(), (long) row.getCell(2).getNumericCellValue());
          assertEquals(CellType.NUMERIC, row.getCell(5).getCellType());
          assertEquals(r.get("QTD_VENDA").getAsLong(), (long) row.getCell(5).getNumericCellValue());
          assertEquals(r.get("MARCA").getAsString(), row.getCell(1).getStringCellValue());
        }
      }
    }
  }

  @Test
  void sales_everyLineEveryDayOfThreeYears_unitsFromTheSeasonsFactors_andAFewExactRepeats() throws Exception {
    Map<Long, BigDecimal> base = Map.of(101L, bd("38"), 102L, bd("52"), 103L, bd("24"), 201L, bd("30"), 202L, bd("61"),
        203L, bd("44"), 301L, bd("70"), 302L, bd("47"), 303L, bd("18"), 401L, bd("35"));
    String[] months = {"0.85", "0.80", "0.92", "0.95", "1.35", "1.15", "0.90", "1.05", "0.95", "1.00", "1.22", "1.60"};
    Map<DayOfWeek, String> weekdays = Map.of(DayOfWeek.SUNDAY, "0.55", DayOfWeek.MONDAY, "0.90", DayOfWeek.TUESDAY, "0.95",
        DayOfWeek.WEDNESDAY, "1.00", DayOfWeek.THURSDAY, "1.05", DayOfWeek.FRIDAY, "1.25", DayOfWeek.SATURDAY, "1.30");
    List<JsonObject> all = new ArrayList<>();
    SampleFiles.files(SALES, SEED).forEach(f -> all.addAll(f.records()));
    Set<String> seen = new HashSet<>();
    Set<String> lineDays = new HashSet<>();
    int repeats = 0;
    Map<Integer, Long> decemberOverFebruary = new HashMap<>();
    for (JsonObject r : all) {
      if (!seen.add(r.toString())) {
        repeats++;
        continue;
      }
      LocalDate day = LocalDate.parse(r.get("DATA_VENDA").getAsString());
      long line = r.get("ID_LINHA").getAsLong();
      assertEquals(line / 100, r.get("ID_MARCA").getAsLong(), "a line's id starts with its brand's");
      assertTrue(lineDays.add(line + " " + day), "one record per line and day: " + r);
      assertTrue(!day.isBefore(LocalDate.of(2017, 1, 1)) && !day.isAfter(LocalDate.of(2019, 12, 31)), r.toString());
      BigDecimal expected = base.getOrDefault(line, line == 402 ? bd("40") : bd("12"))
          .multiply(bd(months[day.getMonthValue() - 1])).multiply(bd(weekdays.get(day.getDayOfWeek())))
          .multiply(bd(new String[] {"1.00", "1.06", "1.12"}[day.getYear() - 2017]));
      long units = r.get("QTD_VENDA").getAsLong();
      assertTrue(units >= expected.multiply(bd("0.80")).setScale(0, RoundingMode.HALF_UP).longValue()
          && units <= expected.multiply(bd("1.20")).setScale(0, RoundingMode.HALF_UP).longValue(), units + " of " + r);
      if (day.getMonthValue() == 12 || day.getMonthValue() == 2) {
        decemberOverFebruary.merge(day.getYear(), day.getMonthValue() == 12 ? units : -units, Long::sum);
      }
    }
    assertEquals(13_140, all.size());
    // One record in each block of 1,000 repeats an earlier one: 13 whole blocks, and the last 140 records may hold one.
    assertTrue(repeats == 13 || repeats == 14, "repeats: " + repeats);
    assertEquals(13_140 - repeats, lineDays.size(), "the rest is one record per line and day");
    decemberOverFebruary.forEach((year, difference) -> assertTrue(difference > 0, "Christmas sells more than February in " + year));
    assertEquals(SampleFiles.files(SALES, SEED), SampleFiles.files(SALES, SEED), "the same seed, the same files");
    assertNotEquals(SampleFiles.files(SALES, SEED), SampleFiles.files(SALES, SEED + 1));
  }

  @Test
  void audience_twoCsvsPerDate_inWindows1252_withSemicolons_decimalCommas_andBrazilianDates(@TempDir Path dir) throws Exception {
    List<SampleFiles.SampleFile> files = SampleFiles.files(AUDIENCE, SEED);
    List<Path> written = SampleFiles.write(AUDIENCE, dir, SEED);
    assertEquals(84, written.size(), "42 days, two files each");
    assertEquals("audiencia_20240902.csv", written.get(0).getFileName().toString());
    assertEquals("disponibilidade_20241013.csv", written.get(83).getFileName().toString());
    Charset windows1252 = Charset.forName("windows-1252");
    DateTimeFormatter brazilian = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    boolean sawAccent = false;
    for (int f = 0; f < written.size(); f++) {
      byte[] bytes = Files.readAllBytes(written.get(f));
      String text = new String(bytes, windows1252);
      assertArrayEquals(bytes, text.getBytes(windows1252), "every byte is windows-1252");
      String[] lines = text.split("\r\n", -1);
      assertEquals("", lines[lines.length - 1], "CRLF after every line");
      List<JsonObject> records = files.get(f).records();
      assertEquals(records.size() + 2, lines.length, "a header, the records, the last line's end");
      boolean audience = files.get(f).resource().equals("audience");
      assertEquals(audience ? "SINAL;COD_PROGRAMA;PROGRAMA;DATA_EXIBICAO;HORA_INICIO;AUDIENCIA_MEDIA" : "SINAL;DATA;SEGUNDOS_DISPONIVEIS",
          lines[0]);
      for (int i = 0; i < records.size(); i++) {
        JsonObject r = records.get(i);
        String[] cells = lines[i + 1].split(";", -1);
        assertEquals(r.get("SINAL").getAsString(), cells[0]);
        if (audience) {
          assertEquals(r.get("PROGRAMA").getAsString(), cells[2]);
          sawAccent |= cells[2].equals("Jornal da Manhã");
          assertEquals(LocalDate.parse(r.get("DATA_EXIBICAO").getAsString()).format(brazilian), cells[3]);
          assertTrue(cells[4].matches("[0-2][0-9]:[0-5][0-9]:00"), cells[4]);
          assertTrue(cells[5].matches("[0-9]+,[0-9]{1,2}|[0-9]+"), "a decimal comma: " + cells[5]);
          assertEquals(new BigDecimal(r.get("AUDIENCIA_MEDIA").getAsString()), new BigDecimal(cells[5].replace(',', '.')));
        } else {
          assertEquals(LocalDate.parse(r.get("DATA").getAsString()).format(brazilian), cells[1]);
          assertEquals(r.get("SEGUNDOS_DISPONIVEIS").getAsString(), cells[2]);
        }
      }
    }
    assertTrue(sawAccent, "Jornal da Manhã, its ã one windows-1252 byte");
    byte[] first = Files.readAllBytes(written.get(0));
    assertTrue(indexOf(first, "Jornal da Manh\u00e3".getBytes(windows1252)) >= 0
        && indexOf(first, "Jornal da Manh\u00e3".getBytes(java.nio.charset.StandardCharsets.UTF_8)) < 0, "not UTF-8");
  }

  @Test
  void audience_aWeeklyGrid_theSameProgramInASlotOnTheSameWeekday_sixWeeksOfTenSignals() throws Exception {
    List<JsonObject> audience = new ArrayList<>();
    List<JsonObject> availability = new ArrayList<>();
    for (SampleFiles.SampleFile f : SampleFiles.files(AUDIENCE, SEED)) {
      (f.resource().equals("audience") ? audience : availability).addAll(f.records());
      LocalDate day = LocalDate.parse(f.records().get(0).get(f.resource().equals("audience") ? "DATA_EXIBICAO" : "DATA").getAsString());
      assertTrue(f.name().endsWith(day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv"), "a file holds its date's records: " + f.name());
    }
    assertEquals(2_520, audience.size());
    assertEquals(420, availability.size());
    Map<String, String> slotProgram = new HashMap<>();
    Set<String> programs = new HashSet<>();
    Set<String> signals = new HashSet<>();
    for (JsonObject r : audience) {
      LocalDate day = LocalDate.parse(r.get("DATA_EXIBICAO").getAsString());
      String slot = r.get("SINAL").getAsString() + " " + day.getDayOfWeek() + " " + r.get("HORA_INICIO").getAsString();
      String before = slotProgram.putIfAbsent(slot, r.get("COD_PROGRAMA").getAsString());
      assertTrue(before == null || before.equals(r.get("COD_PROGRAMA").getAsString()), "one program per slot and weekday: " + slot);
      programs.add(r.get("COD_PROGRAMA").getAsString());
      signals.add(r.get("SINAL").getAsString());
      double rating = r.get("AUDIENCIA_MEDIA").getAsDouble();
      assertTrue(rating > 0 && rating < 100, r.toString());
    }
    assertEquals(10, signals.size());
    assertTrue(programs.size() >= 25, "about 30 programs: " + programs.size());
    assertEquals(10 * 6 * 7, slotProgram.size(), "every signal's 6 slots on each weekday");
    long none = availability.stream().filter(r -> r.get("SEGUNDOS_DISPONIVEIS").getAsLong() == 0).count();
    assertTrue(none > 10 && none < 90, "about one day in ten without time for sale: " + none);
  }

  private static BigDecimal bd(String s) {
    return new BigDecimal(s);
  }

  private static int indexOf(byte[] in, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= in.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (in[i + k] != what[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
