package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Silver's exact types: decimals, civil times, bytes, JSON, nested records, unknown and duplicate fields. */
class SilverTypesTest {

  private static final String LINEAGE_COLUMNS =
      "{\"name\":\"_run_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
          + "{\"name\":\"_source_uri\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
          + "{\"name\":\"_source_generation\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
          + "{\"name\":\"_source_record\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
          + "{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\"},"
          + "{\"name\":\"_extra\",\"type\":\"JSON\"}";

  /** A nota fiscal, cut down: every new type once, a RECORD, a REPEATED RECORD holding a RECORD. */
  static final TableSchema INVOICES = TableSchema.parse("["
      + "{\"name\":\"key\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"2\"},"
      + "{\"name\":\"rate\",\"type\":\"BIGNUMERIC\"},"
      + "{\"name\":\"weight\",\"type\":\"FLOAT64\"},"
      + "{\"name\":\"count\",\"type\":\"INT64\"},"
      + "{\"name\":\"issued_at\",\"type\":\"TIMESTAMP\"},"
      + "{\"name\":\"local_at\",\"type\":\"DATETIME\"},"
      + "{\"name\":\"opens\",\"type\":\"TIME\"},"
      + "{\"name\":\"due\",\"type\":\"DATE\"},"
      + "{\"name\":\"signature\",\"type\":\"BYTES\"},"
      + "{\"name\":\"raw\",\"type\":\"JSON\"},"
      + "{\"name\":\"issuer\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"cnpj\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"state\",\"type\":\"STRING\"}]},"
      + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
      + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"quantity\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"4\"},"
      + "{\"name\":\"unit_price\",\"type\":\"NUMERIC\",\"precision\":\"15\",\"scale\":\"2\"},"
      + "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
      + "{\"name\":\"tax\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"icms\",\"type\":\"NUMERIC\"}]}]},"
      + LINEAGE_COLUMNS + "]");

  private static final SilverTransform.Lineage LINEAGE =
      new SilverTransform.Lineage("r1", "gs://medallion-bronze/invoices/p.json", 3, Instant.parse("2026-11-23T09:00:00Z"));

  private final ByteArrayOutputStream rows = new ByteArrayOutputStream();
  private final ByteArrayOutputStream rejects = new ByteArrayOutputStream();
  private SilverTransform.Counts counts;

  private void load(SilverMapping mapping, String bronze) throws Exception {
    SilverTransform transform = new SilverTransform(INVOICES, mapping);
    try (SilverTransform.Load load = transform.new Load(rows, rejects, 1)) {
      load.read(new ByteArrayInputStream(bronze.getBytes(StandardCharsets.UTF_8)), LINEAGE);
      counts = load.counts();
    }
  }

  private static SilverMapping mapping() {
    return new SilverMapping(Map.of(), "key", Map.of(), Set.of());
  }

  private static List<JsonObject> lines(ByteArrayOutputStream out) {
    List<JsonObject> result = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        result.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return result;
  }

  private JsonObject onlyRow(String record) throws Exception {
    load(mapping(), "[" + record + "]");
    assertEquals("", rejects.toString(StandardCharsets.UTF_8));
    List<JsonObject> out = lines(rows);
    assertEquals(1, out.size());
    return out.get(0);
  }

  private String onlyReject(String record) throws Exception {
    return onlyReject(mapping(), record);
  }

  private String onlyReject(SilverMapping mapping, String record) throws Exception {
    load(mapping, "[" + record + "]");
    assertEquals("", rows.toString(StandardCharsets.UTF_8));
    List<JsonObject> out = lines(rejects);
    assertEquals(1, out.size());
    return out.get(0).get("reason").getAsString() + ": " + out.get(0).get("message").getAsString();
  }

  @Test
  void everyType_isWrittenExactly_inTheFormBigQueryAndDuckDbLoad() throws Exception {
    JsonObject row = onlyRow("{\"key\":\"k1\",\"total\":1234567890123.45,\"rate\":\"0.12345678901234567890123456789012345678\","
        + "\"weight\":0.1,\"count\":\"42\",\"issued_at\":\"2026-03-01T10:00:00-03:00\",\"local_at\":\"2026-03-01T10:00:00.5\","
        + "\"opens\":\"08:30:00\",\"due\":\"2026-03-31\",\"signature\":\"aGVsbG8=\",\"raw\":{\"a\":[1,2.50,\"x\"],\"b\":null},"
        + "\"issuer\":{\"cnpj\":\"11222333000181\",\"state\":\"SP\"},"
        + "\"items\":[{\"sku\":\"A\",\"quantity\":1.5,\"unit_price\":\"10.00\",\"tags\":[\"x\"],\"tax\":{\"icms\":1.8}},"
        + "{\"sku\":\"B\",\"quantity\":2,\"unit_price\":0.99}]}");
    assertEquals("1234567890123.45", row.get("total").getAsString(), "a decimal is written as exact text");
    assertTrue(row.get("total").getAsJsonPrimitive().isString());
    assertEquals("0.12345678901234567890123456789012345678", row.get("rate").getAsString());
    assertEquals(0.1, row.get("weight").getAsDouble());
    assertEquals(42, row.get("count").getAsLong());
    assertEquals("2026-03-01 13:00:00.000000", row.get("issued_at").getAsString());
    assertEquals("2026-03-01 10:00:00.500000", row.get("local_at").getAsString());
    assertEquals("08:30:00.000000", row.get("opens").getAsString());
    assertEquals("2026-03-31", row.get("due").getAsString());
    assertEquals("aGVsbG8=", row.get("signature").getAsString());
    assertEquals(JsonParser.parseString("{\"a\":[1,2.50,\"x\"],\"b\":null}"), row.get("raw"));
    assertTrue(rows.toString(StandardCharsets.UTF_8).contains("\"raw\":{\"a\":[1,2.50,\"x\"],\"b\":null}"), "JSON kept as it came, compact");
    assertEquals(JsonParser.parseString("{\"cnpj\":\"11222333000181\",\"state\":\"SP\"}"), row.get("issuer"));
    assertEquals(JsonParser.parseString("[{\"sku\":\"A\",\"quantity\":\"1.5\",\"unit_price\":\"10.00\",\"tags\":[\"x\"],\"tax\":{\"icms\":\"1.8\"}},"
        + "{\"sku\":\"B\",\"quantity\":\"2\",\"unit_price\":\"0.99\",\"tags\":[]}]"), row.get("items"));
    assertFalse(row.has("_extra"), "no unknown field, no _extra");
  }

  @Test
  void hostileValues_areRejects_namingTheFieldPathAndTheReason() throws Exception {
    String ok = "\"key\":\"k\",\"issuer\":{\"cnpj\":\"1\"}";
    String item = "{\"sku\":\"A\",\"unit_price\":1}";
    String[][] cases = {
        {"\"weight\":1e400", "OUT_OF_RANGE: weight: 1e400 is beyond FLOAT64 (about 1.8e308)"},
        {"\"weight\":1e-400", "OUT_OF_RANGE: weight: 1e-400 is too small for FLOAT64: it would become 0"},
        {"\"weight\":NaN", "NOT_A_NUMBER: weight: NaN is not a JSON number"},
        {"\"total\":\"12,50\"", "NOT_A_NUMBER: total: '12,50' is not a number (a decimal comma: silver reads a point)"},
        {"\"total\":12.345", "OUT_OF_RANGE: total: 12.345 has 3 digits after the point; NUMERIC(15, 2) keeps 2, and silver never rounds"},
        {"\"total\":1e13", "OUT_OF_RANGE: total: 1e13 is beyond NUMERIC(15, 2) (at most 9999999999999.99)"},
        {"\"count\":123456789012345678901234567890123456789", "OUT_OF_RANGE: count: 123456789012345678901234567890123456789 is outside INT64 (-2^63 to 2^63 - 1)"},
        {"\"rate\":\"abc\"", "NOT_A_NUMBER: rate: 'abc' is not a number"},
        {"\"items\":{\"sku\":\"A\"}", "WRONG_TYPE: items: expected an array of object, got a JSON object"},
        {"\"issuer\":[{\"cnpj\":\"1\"}],\"key\":\"k\"", "WRONG_TYPE: issuer: expected an object, got a JSON array"},
        {"\"items\":[" + item + "," + item + ",{\"sku\":\"C\",\"unit_price\":\"9.999\"}]",
            "OUT_OF_RANGE: items[2].unit_price: '9.999' has 3 digits after the point; NUMERIC(15, 2) keeps 2, and silver never rounds"},
        {"\"items\":[{\"sku\":\"A\",\"tax\":{\"icms\":{\"deep\":1}}}]", "WRONG_TYPE: items[0].tax.icms: expected a numeric, got a JSON object"},
        {"\"items\":[{\"unit_price\":1}]", "MISSING_REQUIRED: items[0].sku is required"},
        {"\"items\":[null]", "MISSING_REQUIRED: items[0] is required (an array element cannot be NULL)"},
        {"\"due\":\"2024-02-30\"", "INVALID_DATE: due: '2024-02-30' is not a calendar date"},
        {"\"issued_at\":\"2026-03-01T10:00:00\"", "INVALID_TIMESTAMP: issued_at: '2026-03-01T10:00:00' has no time zone (Z or \u00b1hh:mm): the instant it means is unknown"},
        {"\"local_at\":\"2026-03-01T10:00:00Z\"", "INVALID_TIMESTAMP: local_at: '2026-03-01T10:00:00Z' has a time zone: a DATETIME is a civil date and time without one (declare a TIMESTAMP column)"},
        {"\"opens\":\"25:00:00\"", "INVALID_TIMESTAMP: opens: '25:00:00' is not a real date and time"},
        {"\"signature\":\"not base64!\"", "WRONG_TYPE: signature: 'not base64!' is not base64"},
        {"\"count\":\"7\",\"count\":8", "DUPLICATE_FIELD: count appears twice in one object: JSON does not say which value is meant"},
        {"\"items\":[{\"sku\":\"A\",\"sku\":\"B\"}]", "DUPLICATE_FIELD: items[0].sku appears twice in one object: JSON does not say which value is meant"},
        {"\"raw\":[1,NaN]", "NOT_A_NUMBER: raw: NaN and Infinity are not JSON numbers"}};
    for (String[] c : cases) {
      rows.reset();
      rejects.reset();
      String record = "{" + ok + "," + c[0] + "}";
      if (c[0].startsWith("\"issuer\"")) {
        record = "{" + c[0] + "}";
      }
      assertEquals(c[1], onlyReject(record), record);
    }
  }

  @Test
  void aRecordWithAFaultyField_isOneReject_andTheOtherRecordsOfTheFileLoad() throws Exception {
    load(mapping(), "{\"key\":\"a\",\"issuer\":{\"cnpj\":\"1\"},\"total\":1.25}\n"
        + "{\"key\":\"b\",\"issuer\":{\"cnpj\":\"1\"},\"total\":1.255}\n"
        + "{\"key\":\"c\",\"issuer\":{\"cnpj\":\"1\"},\"weight\":NaN}\n"
        + "{\"key\":\"d\",\"issuer\":{\"cnpj\":\"1\"},\"total\":\"3\"}\n");
    assertEquals(List.of("a", "d"), lines(rows).stream().map(r -> r.get("key").getAsString()).toList());
    assertEquals(2, counts.rejects());
  }

  @Test
  void unknownFields_areKeptWithTheirRow_byPath_andCountedByName() throws Exception {
    load(mapping(), "[{\"key\":\"a\",\"discount\":1.10,\"issuer\":{\"cnpj\":\"1\",\"phone\":\"+55\"},"
        + "\"items\":[{\"sku\":\"A\",\"promo\":\"X\"},{\"sku\":\"B\"},{\"sku\":\"C\",\"promo\":{\"p\":[1]}}]},"
        + "{\"key\":\"b\",\"discount\":2,\"issuer\":{\"cnpj\":\"1\"}},{\"key\":\"c\",\"issuer\":{\"cnpj\":\"1\"}}]");
    List<JsonObject> out = lines(rows);
    assertEquals(JsonParser.parseString("{\"discount\":1.10,\"issuer.phone\":\"+55\",\"items[0].promo\":\"X\",\"items[2].promo\":{\"p\":[1]}}"),
        out.get(0).get("_extra"));
    assertTrue(rows.toString(StandardCharsets.UTF_8).contains("\"discount\":1.10"), "numbers kept as they came");
    assertEquals(JsonParser.parseString("{\"discount\":2}"), out.get(1).get("_extra"));
    assertFalse(out.get(2).has("_extra"));
    assertEquals(Map.of("discount", 2L, "issuer.phone", 1L, "items[].promo", 1L), counts.unknownFields());
  }

  @Test
  void unknownFields_declaredDropped_areNeitherKeptNorCounted_andOthersStillAre() throws Exception {
    SilverMapping m = new SilverMapping(Map.of(), "key", Map.of(), Set.of(), SilverMapping.UnknownFields.KEEP,
        Set.of("discount", "items[].promo", "issuer"), null);
    load(m, "[{\"key\":\"a\",\"discount\":1,\"new\":true,\"issuer\":{\"cnpj\":\"1\",\"phone\":\"+55\"},\"items\":[{\"sku\":\"A\",\"promo\":\"X\"}]}]");
    assertEquals(JsonParser.parseString("{\"new\":true}"), lines(rows).get(0).get("_extra"));
    assertEquals(Map.of("new", 1L), counts.unknownFields());
  }

  @Test
  void unknownFields_underDrop_areCountedNotKept_underReject_areRejects() throws Exception {
    SilverMapping drop = new SilverMapping(Map.of(), "key", Map.of(), Set.of(), SilverMapping.UnknownFields.DROP, Set.of(), null);
    load(drop, "[{\"key\":\"a\",\"issuer\":{\"cnpj\":\"1\"},\"discount\":1}]");
    assertFalse(lines(rows).get(0).has("_extra"));
    assertEquals(Map.of("discount", 1L), counts.unknownFields());
    rows.reset();
    SilverMapping reject = new SilverMapping(Map.of(), "key", Map.of(), Set.of(), SilverMapping.UnknownFields.REJECT, Set.of(), null);
    assertEquals("UNKNOWN_FIELD: items[0].promo is not a column of the table, and the source rejects unknown fields"
            + " (add the column to the schema, or name the field in silver.drop)",
        onlyReject(reject, "{\"key\":\"a\",\"issuer\":{\"cnpj\":\"1\"},\"items\":[{\"sku\":\"A\",\"promo\":1}]}"));
  }

  @Test
  void aTimestampWithoutAZone_isInTheSourcesDeclaredZone_andAnAmbiguousOneIsRefused() throws Exception {
    SilverMapping saoPaulo = new SilverMapping(Map.of(), "key", Map.of(), Set.of(), SilverMapping.UnknownFields.KEEP, Set.of(),
        ZoneId.of("America/Sao_Paulo"));
    load(saoPaulo, "[{\"key\":\"a\",\"issuer\":{\"cnpj\":\"1\"},\"issued_at\":\"2026-03-01T10:00:00\"}]");
    assertEquals("2026-03-01 13:00:00.000000", lines(rows).get(0).get("issued_at").getAsString());
    rows.reset();
    rejects.reset();
    SilverMapping newYork = new SilverMapping(Map.of(), "key", Map.of(), Set.of(), SilverMapping.UnknownFields.KEEP, Set.of(),
        ZoneId.of("America/New_York"));
    assertEquals("INVALID_TIMESTAMP: issued_at: '2026-11-01T01:30:00' happens twice in the source's time zone (the clocks went back):"
        + " which instant is meant is unknown", onlyReject(newYork, "{\"key\":\"a\",\"issuer\":{\"cnpj\":\"1\"},\"issued_at\":\"2026-11-01T01:30:00\"}"));
  }
}
