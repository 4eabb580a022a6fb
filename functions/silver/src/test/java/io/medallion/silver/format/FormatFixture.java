package io.medallion.silver.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.schema.TableSchema;
import io.medallion.silver.SilverTransform;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A sales table as the file-source tests read it, and helpers to read a file into records, rows and rejects. */
public final class FormatFixture {
  /** Sales rows: the header names of a spreadsheet, renamed to lower-case columns. */
  public static final TableSchema SALES = TableSchema.parse("["
      + "{\"name\":\"id_marca\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"marca\",\"type\":\"STRING\"},"
      + "{\"name\":\"valor\",\"type\":\"NUMERIC\"},"
      + "{\"name\":\"data_venda\",\"type\":\"DATE\"},"
      + "{\"name\":\"registrado\",\"type\":\"DATETIME\"},"
      + "{\"name\":\"_run_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_uri\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_generation\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_source_record\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"_extra\",\"type\":\"JSON\"}]");
  public static final SilverMapping MAPPING = new SilverMapping(
      Map.of("ID_MARCA", "id_marca", "MARCA", "marca", "VALOR", "valor", "DATA_VENDA", "data_venda", "REGISTRADO", "registrado"),
      "id_marca", Map.of(), Set.of());
  public static final String HEADER = "ID_MARCA,MARCA,VALOR,DATA_VENDA,REGISTRADO";
  public static final String URI = "gs://bronze/sales/inbox/vendas 2019.csv";

  private FormatFixture() {}

  public static FileFormat csv() {
    return FileFormat.of(FileFormat.Type.CSV);
  }

  public static FileFormat xlsx() {
    return FileFormat.of(FileFormat.Type.XLSX);
  }

  /** {@code base} with other CSV options. */
  public static FileFormat csv(char delimiter, char quote, int headerRow, Charset encoding, char decimal, String dateFormat,
      String datetimeFormat, List<String> nullValues) {
    return new FileFormat(FileFormat.Type.CSV, delimiter, quote, headerRow, encoding, decimal, dateFormat, datetimeFormat,
        null, 1, nullValues);
  }

  public static FileFormat sheet(String name, int index, int headerRow) {
    return new FileFormat(FileFormat.Type.XLSX, ',', '"', headerRow, StandardCharsets.UTF_8, '.', null, null, name, index, List.of());
  }

  /** The records a reader makes of {@code file}, one JSON object each. */
  public static List<JsonObject> records(FileFormat format, byte[] file) throws IOException {
    try (InputStream in = FileRecords.open(format, new ByteArrayInputStream(file), URI, SALES, MAPPING)) {
      return lines(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** What refuses {@code file}, from opening it or reading it to the end. */
  public static UnreadableFileException refusal(FileFormat format, byte[] file) {
    return assertThrows(UnreadableFileException.class, () -> records(format, file));
  }

  public static UnreadableFileException refusal(FileFormat format, byte[] file, String reason) {
    UnreadableFileException e = refusal(format, file);
    assertEquals(reason, e.reason(), e.getMessage());
    return e;
  }

  /** Rows and rejects silver makes of a file, through {@code SilverTransform.Load}. */
  public record Loaded(List<JsonObject> rows, List<JsonObject> rejects, SilverTransform.Counts counts) {}

  public static Loaded load(FileFormat format, byte[] file) throws IOException {
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    ByteArrayOutputStream rejects = new ByteArrayOutputStream();
    SilverTransform transform = new SilverTransform(SALES, MAPPING);
    SilverTransform.Counts counts;
    try (SilverTransform.Load load = transform.new Load(rows, rejects, 2);
        InputStream in = FileRecords.open(format, new ByteArrayInputStream(file), URI, SALES, MAPPING)) {
      load.read(in, new SilverTransform.Lineage("r1", URI, 7, Instant.parse("2026-01-02T03:04:05Z")));
      counts = load.counts();
    } catch (io.medallion.silver.MalformedBronzeException e) {
      throw new AssertionError(e);
    }
    return new Loaded(lines(rows.toString(StandardCharsets.UTF_8)), lines(rejects.toString(StandardCharsets.UTF_8)), counts);
  }

  public static List<JsonObject> lines(String ndjson) {
    List<JsonObject> result = new ArrayList<>();
    for (String line : ndjson.split("\n")) {
      if (!line.isBlank()) {
        result.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return result;
  }

  /** A field's text, or null for a JSON null or no field. */
  public static String text(JsonObject o, String field) {
    return o.has(field) && !o.get(field).isJsonNull() ? o.get(field).getAsString() : null;
  }
}
