package io.medallion.cli;

import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CreationHelper;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The bench's file-source inputs: a sales table as a flat file brings it (ids, names with accents,
 * quotes and delimiters inside them, a date, an amount, a rate, a flag, a timestamp), its silver
 * schema and mapping, and generated CSV and xlsx files of it of about a given size. One record in
 * 100 holds a quantity that is not a number, which silver rejects and DuckDB skips. Files are made
 * from a seed, so the same options make the same bytes, and are reused when there.
 */
final class BenchFiles {

  /** The CSV conventions a file is written in, and declared with. */
  enum Dialect {
    /** {@code ;} between fields, decimal comma, {@code dd/MM/yyyy} dates: a spreadsheet export in Brazil or Europe. */
    SEMICOLON(';', ',', "dd/MM/yyyy", "dd/MM/yyyy HH:mm:ss"),
    /** {@code ,} between fields, decimal point, ISO dates: nothing for silver to convert before typing. */
    COMMA(',', '.', null, null);

    final char delimiter;
    final char decimal;
    final String dateFormat;
    final String datetimeFormat;

    Dialect(char delimiter, char decimal, String dateFormat, String datetimeFormat) {
      this.delimiter = delimiter;
      this.decimal = decimal;
      this.dateFormat = dateFormat;
      this.datetimeFormat = datetimeFormat;
    }

    /** The file format a file source declares for files of this dialect. */
    FileFormat format() {
      return new FileFormat(FileFormat.Type.CSV, delimiter, '"', 1, StandardCharsets.UTF_8, decimal, dateFormat,
          datetimeFormat, null, 1, List.of());
    }
  }

  /** Header names, in file order, and the silver column each feeds. */
  static final Map<String, String> COLUMNS = columns();

  /** The silver table the files load into: the columns, then the lineage silver fills. */
  static final TableSchema SCHEMA = TableSchema.parse("["
      + "{\"name\":\"id_venda\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"id_marca\",\"type\":\"INT64\"},"
      + "{\"name\":\"marca\",\"type\":\"STRING\"},"
      + "{\"name\":\"id_linha\",\"type\":\"INT64\"},"
      + "{\"name\":\"linha\",\"type\":\"STRING\"},"
      + "{\"name\":\"data_venda\",\"type\":\"DATE\"},"
      + "{\"name\":\"qtd_venda\",\"type\":\"INT64\"},"
      + "{\"name\":\"valor\",\"type\":\"NUMERIC\"},"
      + "{\"name\":\"desconto\",\"type\":\"FLOAT64\"},"
      + "{\"name\":\"ativo\",\"type\":\"BOOL\"},"
      + "{\"name\":\"registrado\",\"type\":\"TIMESTAMP\"},"
      + "{\"name\":\"_run_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_uri\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_generation\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_record\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\"}]");

  /** Header names renamed to the columns; the sale id is the key; text timestamps are UTC. */
  static final SilverMapping MAPPING = new SilverMapping(COLUMNS, "id_venda", Map.of(), java.util.Set.of(),
      SilverMapping.UnknownFields.KEEP, java.util.Set.of(), ZoneOffset.UTC);

  /** The most data rows one sheet holds below its header row. */
  static final long MAX_SHEET_RECORDS = 1_048_575;

  /** The xlsx files' format: the first sheet, its header on row 1. */
  static final FileFormat XLSX = FileFormat.of(FileFormat.Type.XLSX);

  private static final String[] BRANDS = {
    "Café São João", "Açúcar União", "Pão de Açúcar; Ltda", "Móveis \"Bom Preço\"", "Niño, Hermanos & Cia",
    "Größe Bäckerei", "Crème Brûlée SA", "Ølhus", "Zé do Caixão", "Tudo=Junto"};
  private static final String[] LINES = {
    "Linha \"Premium\"", "Básica", "Orgânicos; Naturais", "Importados, Europa", "Congelados", "Padaria",
    "Bebidas não alcoólicas", "Limpeza", "Higiene & Beleza", "Pet"};
  /** The chars of each brand and line name beyond U+007F: each takes two bytes in UTF-8. */
  private static final int[][] NON_ASCII = {nonAscii(BRANDS), nonAscii(LINES)};
  private static final LocalDate FIRST_DAY = LocalDate.of(2017, 1, 1);
  private static final LocalDateTime FIRST_SECOND = LocalDateTime.of(2017, 1, 1, 0, 0);

  private BenchFiles() {}

  private static int[] nonAscii(String[] names) {
    int[] n = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      n[i] = (int) names[i].chars().filter(ch -> ch > 0x7f).count();
    }
    return n;
  }

  private static Map<String, String> columns() {
    Map<String, String> c = new LinkedHashMap<>();
    for (String column : List.of("id_venda", "id_marca", "marca", "id_linha", "linha", "data_venda", "qtd_venda",
        "valor", "desconto", "ativo", "registrado")) {
      c.put(column.toUpperCase(java.util.Locale.ROOT), column);
    }
    return java.util.Collections.unmodifiableMap(c);
  }

  /** One generated sale: the record numbered {@code id} of the seed's sequence. */
  private record Sale(long id, int brand, int line, LocalDate day, String quantity, long cents, double discount,
      boolean active, LocalDateTime registered, boolean noDiscount) {

    static Sale next(long id, SplittableRandom random) {
      int brand = random.nextInt(BRANDS.length);
      LocalDate day = FIRST_DAY.plusDays(random.nextInt(3 * 365));
      // One in 100 has a quantity that is not a number: silver rejects it, DuckDB skips it.
      String quantity = random.nextInt(100) == 0 ? "dez" : Integer.toString(1 + random.nextInt(500));
      return new Sale(id, brand, random.nextInt(LINES.length), day, quantity, random.nextLong(100, 10_000_000),
          random.nextInt(1000) / 1000.0, random.nextBoolean(),
          FIRST_SECOND.plusSeconds(random.nextLong(3L * 365 * 86_400)), random.nextInt(20) == 0);
    }
  }

  /** A generated CSV file and how many data rows it holds. */
  record Generated(Path file, long records) {}

  /**
   * A CSV file of {@code dialect} of at least {@code bytes} bytes (the header and whole rows), made
   * from {@code seed} in {@code dir}, or the one made before with the same options.
   */
  static Generated csv(Path dir, long bytes, long seed, Dialect dialect) throws IOException {
    Path file = dir.resolve("sales-" + bytes + "b-" + dialect.name().toLowerCase(java.util.Locale.ROOT) + "-seed" + seed
        + ".csv");
    Path count = dir.resolve(file.getFileName() + ".records");
    if (Files.exists(file) && Files.exists(count)) {
      return new Generated(file, Long.parseLong(Files.readString(count).strip()));
    }
    Path partial = dir.resolve(file.getFileName() + ".partial");
    SplittableRandom random = new SplittableRandom(seed);
    long records = 0;
    try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      String header = String.join(String.valueOf(dialect.delimiter), COLUMNS.keySet()) + "\n";
      out.write(header);
      long written = header.length();
      StringBuilder row = new StringBuilder(256);
      while (written < bytes) {
        row.setLength(0);
        Sale sale = Sale.next(++records, random);
        csvRow(sale, dialect, row);
        out.append(row);
        // UTF-8 bytes: the chars, and one more for each accented one (all in the names, none beyond U+07FF)
        written += row.length() + NON_ASCII[0][sale.brand()] + NON_ASCII[1][sale.line()];
      }
    }
    if (Files.size(partial) < bytes) {
      throw new IllegalStateException("generated " + Files.size(partial) + " bytes, fewer than " + bytes);
    }
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(count, Long.toString(records));
    return new Generated(file, records);
  }

  private static void csvRow(Sale s, Dialect d, StringBuilder b) {
    char sep = d.delimiter;
    b.append(s.id()).append(sep).append(s.brand() + 1).append(sep);
    quoted(BRANDS[s.brand()], d, b);
    b.append(sep).append(s.line() + 1).append(sep);
    quoted(LINES[s.line()], d, b);
    b.append(sep);
    if (d.dateFormat != null) { // dd/MM/yyyy
      twoDigits(s.day().getDayOfMonth(), b);
      b.append('/');
      twoDigits(s.day().getMonthValue(), b);
      b.append('/').append(s.day().getYear());
    } else {
      b.append(s.day());
    }
    b.append(sep).append(s.quantity()).append(sep);
    b.append(s.cents() / 100).append(d.decimal);
    twoDigits((int) (s.cents() % 100), b);
    b.append(sep);
    if (!s.noDiscount()) {
      String discount = Double.toString(s.discount());
      b.append(d.decimal == ',' ? discount.replace('.', ',') : discount);
    }
    b.append(sep).append(s.active()).append(sep);
    LocalDateTime t = s.registered();
    if (d.datetimeFormat != null) { // dd/MM/yyyy HH:mm:ss
      twoDigits(t.getDayOfMonth(), b);
      b.append('/');
      twoDigits(t.getMonthValue(), b);
      b.append('/').append(t.getYear()).append(' ');
    } else {
      b.append(t.toLocalDate()).append('T');
    }
    twoDigits(t.getHour(), b);
    b.append(':');
    twoDigits(t.getMinute(), b);
    b.append(':');
    twoDigits(t.getSecond(), b);
    if (d.datetimeFormat == null) {
      b.append('Z');
    }
    b.append('\n');
  }

  /** Text in quotes when it holds the delimiter or a quote (doubled inside), as RFC 4180 writes it. */
  private static void quoted(String text, Dialect d, StringBuilder b) {
    if (text.indexOf(d.delimiter) < 0 && text.indexOf('"') < 0) {
      b.append(text);
    } else {
      b.append('"').append(text.replace("\"", "\"\"")).append('"');
    }
  }

  private static void twoDigits(int n, StringBuilder b) {
    if (n < 10) {
      b.append('0');
    }
    b.append(n);
  }

  /**
   * An xlsx file of about {@code bytes} bytes, written by POI's streaming writer: shared strings
   * for the names, a date cell in a date style for the day, a date-time cell for the timestamp,
   * numbers as numeric cells (the bad quantities as text). Its rows are sized by a small sample
   * first, so the file comes within a few percent of {@code bytes}, unless that needs more rows
   * than a sheet holds ({@link #MAX_SHEET_RECORDS}): then it is one full sheet, smaller.
   */
  static Generated xlsx(Path dir, long bytes, long seed) throws IOException {
    Path file = dir.resolve("sales-" + bytes + "b-seed" + seed + ".xlsx");
    Path count = dir.resolve(file.getFileName() + ".records");
    if (Files.exists(file) && Files.exists(count)) {
      return new Generated(file, Long.parseLong(Files.readString(count).strip()));
    }
    long sample = 5_000;
    Path sampleFile = dir.resolve(file.getFileName() + ".sample");
    writeXlsx(sampleFile, sample, seed);
    double bytesPerRecord = (double) Files.size(sampleFile) / sample;
    Files.delete(sampleFile);
    // An xlsx sheet holds at most 1,048,576 rows (Excel's limit, which POI enforces): the header and these.
    long records = Math.max(1, Math.min(MAX_SHEET_RECORDS, Math.round(bytes / bytesPerRecord)));
    Path partial = dir.resolve(file.getFileName() + ".partial");
    writeXlsx(partial, records, seed);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(count, Long.toString(records));
    return new Generated(file, records);
  }

  private static void writeXlsx(Path file, long records, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    // Shared strings, as Excel writes text; SXSSF keeps them in memory, a few dozen here.
    try (SXSSFWorkbook workbook = new SXSSFWorkbook(null, 500, true, true)) {
      CreationHelper helper = workbook.getCreationHelper();
      CellStyle date = workbook.createCellStyle();
      date.setDataFormat(helper.createDataFormat().getFormat("dd/mm/yyyy"));
      CellStyle dateTime = workbook.createCellStyle();
      dateTime.setDataFormat(helper.createDataFormat().getFormat("dd/mm/yyyy hh:mm:ss"));
      CellStyle amount = workbook.createCellStyle();
      amount.setDataFormat(helper.createDataFormat().getFormat("#,##0.00"));
      Sheet sheet = workbook.createSheet("vendas");
      Row header = sheet.createRow(0);
      int c = 0;
      for (String name : COLUMNS.keySet()) {
        header.createCell(c++).setCellValue(name);
      }
      for (long r = 1; r <= records; r++) {
        Sale s = Sale.next(r, random);
        Row row = sheet.createRow((int) r);
        row.createCell(0).setCellValue(s.id());
        row.createCell(1).setCellValue(s.brand() + 1);
        row.createCell(2).setCellValue(BRANDS[s.brand()]);
        row.createCell(3).setCellValue(s.line() + 1);
        row.createCell(4).setCellValue(LINES[s.line()]);
        var day = row.createCell(5);
        day.setCellValue(s.day());
        day.setCellStyle(date);
        var quantity = row.createCell(6);
        if (s.quantity().equals("dez")) {
          quantity.setCellValue(s.quantity());
        } else {
          quantity.setCellValue(Integer.parseInt(s.quantity()));
        }
        var value = row.createCell(7);
        value.setCellValue(s.cents() / 100.0);
        value.setCellStyle(amount);
        if (!s.noDiscount()) {
          row.createCell(8).setCellValue(s.discount());
        }
        row.createCell(9).setCellValue(s.active());
        var registered = row.createCell(10);
        registered.setCellValue(s.registered());
        registered.setCellStyle(dateTime);
      }
      try (OutputStream out = Files.newOutputStream(file)) {
        workbook.write(out);
      }
      workbook.dispose();
    }
  }
}
