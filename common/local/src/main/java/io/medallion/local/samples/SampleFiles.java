package io.medallion.local.samples;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.DeclarationException;
import io.medallion.source.FileFormat;
import io.medallion.source.FileNamePattern;
import io.medallion.source.Source;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The sample files of a file source: its generated records ({@link RecordGenerator}, the spec's
 * {@code files} section per resource) written as the declaration says its files are: named by the
 * resource's file pattern with each part taken from the records (one file per year, per date), in
 * its format (an xlsx sheet with real date cells as Excel writes them; CSV in the declared
 * encoding, delimiter and decimal separator, dates in the declared pattern). No class here names a
 * source: the declaration and the silver schema (a column's type decides how its value is written)
 * say everything.
 *
 * <p>Deterministic: the same seed writes the same records into the same files (the bytes of an
 * xlsx also hold its creation time, so compare records, not bytes).
 */
public final class SampleFiles {

  /** Rows an xlsx writer keeps in memory; the rest are flushed to a temporary file (SXSSF). */
  private static final int ROWS_IN_MEMORY = 200;

  /** Excel's built-in short date format (14): what Excel gives a cell where a date is typed. */
  private static final short EXCEL_SHORT_DATE = 14;

  private SampleFiles() {}

  /** One file to write: its name under the directory and its records, in the order made. */
  public record SampleFile(String resource, String name, List<JsonObject> records) {
    public SampleFile {
      records = List.copyOf(records);
    }
  }

  /**
   * Writes every sample file of {@code source} into {@code dir} (created if absent) and returns
   * their paths in resource order, then name order of first record.
   *
   * @throws DeclarationException when the source names no generator or it has problems
   * @throws IllegalArgumentException when the source is not a file source, or a resource has no
   *     {@code files} in its generator spec
   * @throws IOException when a file cannot be written, or a value cannot be written in the
   *     declared encoding (nothing is replaced by '?')
   */
  public static List<Path> write(Source source, Path dir, long seed) throws IOException, DeclarationException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (SampleFile file : files(source, seed)) {
      Source.Resource r = source.resource(file.resource()).orElseThrow();
      Path path = dir.resolve(file.name());
      write(source, r, file.records(), path);
      written.add(path);
    }
    return written;
  }

  /**
   * The files {@link #write} writes, with the records each holds as the generator made them (JSON
   * values, ISO dates): what a test computes the expected silver and gold from.
   */
  public static List<SampleFile> files(Source source, long seed) throws DeclarationException {
    if (!source.isFileSource() && source.push() == null) {
      throw new IllegalArgumentException("source " + source.name() + " is not a file source: its records come from its API");
    }
    RecordGenerator generator = RecordGenerator.forSource(source);
    List<SampleFile> out = new ArrayList<>();
    for (Source.Resource r : source.resources()) {
      if (!source.isFileSource() && !r.name().equals(source.push().resource())) {
        continue; // a source that is pulled and pushed to: the records of its pushed resource, to post
      }
      RecordGenerator.SampleFiles spec = generator.sampleFiles(r.name()).orElseThrow(() -> new IllegalArgumentException(
          "the generator of " + source.name() + " says nothing of resource " + r.name()
              + "'s sample files: add \"files\": {\"records\": n, \"parts\": {...}} to its entry"));
      Map<String, List<JsonObject>> byName = new LinkedHashMap<>();
      int index = 0;
      for (GeneratedRecord g : generator.generate(spec.records(), seed).records(r.name())) {
        JsonObject record = JsonParser.parseString(g.json()).getAsJsonObject();
        String name = r.file() != null ? fileName(r, spec, record)
            // A pushed resource's records, in posts of at most PUSHED_PER_FILE for ./medallion post.
            : String.format(java.util.Locale.ROOT, "%s-%04d.ndjson", r.name(), index / PUSHED_PER_FILE + 1);
        index++;
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(record);
      }
      byName.forEach((name, records) -> out.add(new SampleFile(r.name(), name, records)));
    }
    return out;
  }

  /** The file a record goes to: the resource's pattern with each part from the record. */
  static String fileName(Source.Resource r, RecordGenerator.SampleFiles spec, JsonObject record) {
    String pattern = r.file().pattern().toString();
    if (pattern.contains("*")) {
      throw new IllegalArgumentException("resource " + r.name() + "'s pattern " + pattern
          + " has a *: which name a sample file has is not said");
    }
    Map<String, String> values = new LinkedHashMap<>();
    spec.parts().forEach((part, from) -> {
      JsonElement v = record.get(from.field());
      if (v == null || v.isJsonNull()) {
        throw new IllegalArgumentException("a record of " + r.name() + " has no " + from.field() + " for the part {" + part
            + "} of its file name: " + record);
      }
      values.put(part, from.dateFormat() == null ? v.getAsString()
          : LocalDate.parse(v.getAsString()).format(DateTimeFormatter.ofPattern(from.dateFormat())));
    });
    return FileNamePattern.fill(pattern, values);
  }

  /** Records per sample file of a push-only source: one post each, well under its body limit. */
  public static final int PUSHED_PER_FILE = 500;

  /** One file of {@code records}, in the resource's declared format (NDJSON for a pushed resource). */
  static void write(Source source, Source.Resource r, List<JsonObject> records, Path path) throws IOException {
    if (r.file() == null) {
      try (Writer w = Files.newBufferedWriter(path)) {
        for (JsonObject record : records) {
          w.write(record.toString());
          w.write('\n');
        }
      }
      return;
    }
    FileFormat format = r.file().format();
    List<String> fields = fields(records);
    List<FieldType> types = types(source, r, fields);
    switch (format.type()) {
      case XLSX -> writeXlsx(format, fields, types, records, path);
      case CSV -> writeCsv(format, fields, types, records, path);
      case NDJSON, JSON -> {
        try (Writer w = Files.newBufferedWriter(path)) {
          for (JsonObject o : records) {
            w.write(o.toString());
            w.write('\n');
          }
        }
      }
      default -> throw new IllegalStateException(format.type().toString());
    }
  }

  /** The header: every field of the records, in the order they first appear. */
  private static List<String> fields(List<JsonObject> records) {
    List<String> fields = new ArrayList<>();
    for (JsonObject o : records) {
      for (String k : o.keySet()) {
        if (!fields.contains(k)) {
          fields.add(k);
        }
      }
    }
    return fields;
  }

  /** Each field's silver column type (through the renames), or STRING for a field no column reads. */
  private static List<FieldType> types(Source source, Source.Resource r, List<String> fields) {
    TableSchema schema = source.silverSchema(r.silverTable());
    Map<String, String> renames = r.silver().renames();
    List<FieldType> types = new ArrayList<>();
    for (String f : fields) {
      int i = schema.indexOf(renames.getOrDefault(f, f));
      Field column = i < 0 ? null : schema.fields().get(i);
      types.add(column == null ? FieldType.STRING : column.type());
    }
    return types;
  }

  /**
   * An xlsx as Excel writes one: the declared sheet (earlier sheets empty when it is given by
   * position), a title line above a header row below row 1, numbers as numeric cells and dates as
   * serial numbers with the short date format.
   */
  private static void writeXlsx(FileFormat format, List<String> fields, List<FieldType> types, List<JsonObject> records, Path path)
      throws IOException {
    try (SXSSFWorkbook book = new SXSSFWorkbook(ROWS_IN_MEMORY)) {
      book.setCompressTempFiles(true);
      for (int i = 1; format.sheet() == null && i < format.sheetIndex(); i++) {
        book.createSheet("Planilha" + i);
      }
      Sheet sheet = book.createSheet(format.sheet() != null ? format.sheet() : "Planilha" + format.sheetIndex());
      CellStyle date = book.createCellStyle();
      date.setDataFormat(EXCEL_SHORT_DATE);
      int at = 0;
      if (format.headerRow() > 1) {
        sheet.createRow(at).createCell(0).setCellValue(path.getFileName().toString());
        at = format.headerRow() - 1;
      }
      Row header = sheet.createRow(at++);
      for (int c = 0; c < fields.size(); c++) {
        header.createCell(c).setCellValue(fields.get(c));
      }
      for (JsonObject o : records) {
        Row row = sheet.createRow(at++);
        for (int c = 0; c < fields.size(); c++) {
          JsonElement v = o.get(fields.get(c));
          if (v == null || v.isJsonNull()) {
            continue;
          }
          Cell cell = row.createCell(c);
          switch (types.get(c)) {
            case INT64, FLOAT64, NUMERIC, BIGNUMERIC -> {
              if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
                cell.setCellValue(v.getAsDouble());
              } else {
                cell.setCellValue(v.getAsString());
              }
            }
            case DATE -> {
              cell.setCellValue(LocalDate.parse(v.getAsString()));
              cell.setCellStyle(date);
            }
            case BOOL -> cell.setCellValue(v.getAsBoolean());
            default -> cell.setCellValue(v.isJsonPrimitive() ? v.getAsString() : v.toString());
          }
        }
      }
      try (OutputStream out = Files.newOutputStream(path)) {
        book.write(out);
      }
    }
  }

  /**
   * CSV as the declaration reads it: the declared delimiter, quote and encoding (a character it
   * cannot encode fails the write), CRLF line ends, RFC 4180 quoting where a value needs it;
   * decimals with the declared separator, dates in {@code date_format} (ISO without one).
   */
  private static void writeCsv(FileFormat format, List<String> fields, List<FieldType> types, List<JsonObject> records, Path path)
      throws IOException {
    CharsetEncoder encoder = format.encoding().newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    DateTimeFormatter dates = format.dateFormat() == null ? null : DateTimeFormatter.ofPattern(format.dateFormat());
    try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), encoder))) {
      for (int line = 1; line < format.headerRow(); line++) {
        w.write(quoted(format, line == 1 ? path.getFileName().toString() : ""));
        w.write("\r\n");
      }
      for (int c = 0; c < fields.size(); c++) {
        if (c > 0) {
          w.write(format.delimiter());
        }
        w.write(quoted(format, fields.get(c)));
      }
      w.write("\r\n");
      for (JsonObject o : records) {
        for (int c = 0; c < fields.size(); c++) {
          if (c > 0) {
            w.write(format.delimiter());
          }
          JsonElement v = o.get(fields.get(c));
          if (v == null || v.isJsonNull()) {
            continue;
          }
          String text = v.isJsonPrimitive() ? v.getAsString() : v.toString();
          switch (types.get(c)) {
            case FLOAT64, NUMERIC, BIGNUMERIC -> text = format.decimal() == ',' ? text.replace('.', ',') : text;
            case DATE -> text = dates == null ? text : LocalDate.parse(text).format(dates);
            default -> { }
          }
          w.write(quoted(format, text));
        }
        w.write("\r\n");
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(path + ": a value has a character " + format.encoding() + " cannot write", e);
    }
  }

  /** The value quoted (its quotes doubled) when it holds the delimiter, a quote or a line break. */
  private static String quoted(FileFormat format, String text) {
    char q = format.quote();
    if (text.indexOf(format.delimiter()) < 0 && text.indexOf(q) < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
      return text;
    }
    return q + text.replace(String.valueOf(q), String.valueOf(q) + q) + q;
  }
}
