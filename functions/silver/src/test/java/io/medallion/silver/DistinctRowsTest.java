package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A distinct source ({@code silver.distinct}): a record whose typed values all equal an earlier
 * record's in the same load is a {@code DUPLICATE_ROW} reject naming that record; every other
 * record loads as before, and nothing is lost (records = rows + rejects).
 */
class DistinctRowsTest {

  private static final TableSchema SALES = TableSchema.parse("""
      [{"name": "id_linha", "type": "INT64", "mode": "REQUIRED"},
       {"name": "linha", "type": "STRING"},
       {"name": "data_venda", "type": "DATE"},
       {"name": "qtd_venda", "type": "INT64"},
       {"name": "_run_id", "type": "STRING"}, {"name": "_source_uri", "type": "STRING"},
       {"name": "_source_generation", "type": "INT64"}, {"name": "_source_record", "type": "INT64"},
       {"name": "_ingested_at", "type": "TIMESTAMP"}, {"name": "_extra", "type": "JSON"}]""");

  private final ByteArrayOutputStream rowsOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream rejectsOut = new ByteArrayOutputStream();

  private static SilverMapping mapping(String key, boolean distinct) {
    return new SilverMapping(Map.of(), key, Map.of(), Set.of(), SilverMapping.UnknownFields.KEEP, Set.of(), null, distinct);
  }

  private static SilverTransform.Lineage lineage(String object) {
    return new SilverTransform.Lineage("r1", "gs://bronze/sales/inbox/" + object, 3, Instant.parse("2026-12-01T10:00:00Z"));
  }

  private SilverTransform.Counts run(SilverMapping mapping, int batchBytes, int threads, String... objects) throws Exception {
    SilverTransform transform = new SilverTransform(SALES, mapping, batchBytes);
    try (SilverTransform.Load load = transform.new Load(rowsOut, rejectsOut, threads)) {
      for (int i = 0; i < objects.length; i++) {
        load.read(new ByteArrayInputStream(objects[i].getBytes(StandardCharsets.UTF_8)), lineage("base_" + (2017 + i) + ".ndjson"));
      }
      return load.counts();
    }
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

  private static String sale(int line, String day, Object quantity) {
    return "{\"id_linha\":" + line + ",\"linha\":\"Batom\",\"data_venda\":\"" + day + "\",\"qtd_venda\":" + quantity + "}\n";
  }

  @Test
  void anExactRepeat_isADuplicateRowNamingTheFirstRecord_andTheOthersLoad() throws Exception {
    SilverTransform.Counts c = run(mapping(null, true), 1 << 20, 1,
        sale(1, "2017-01-02", 5) + sale(2, "2017-01-02", 5) + sale(1, "2017-01-02", 5) + sale(1, "2017-01-02", 6));
    assertEquals(4, c.records());
    assertEquals(3, c.rows());
    assertEquals(Map.of(RejectReason.DUPLICATE_ROW, 1L), c.rejectsByReason());
    JsonObject reject = lines(rejectsOut).get(0);
    assertEquals(2, reject.get("source_record").getAsLong());
    assertEquals("every column equals record 0, the first with these values in this load", reject.get("message").getAsString());
    assertEquals(5, reject.getAsJsonObject("record").get("qtd_venda").getAsLong(), "the record kept as it came");
    assertEquals(List.of(0L, 1L, 3L), lines(rowsOut).stream().map(r -> r.get("_source_record").getAsLong()).toList());
  }

  @Test
  void valuesAreComparedTyped_aNumberAsTextAndANullAsAMissingField_areTheSameRow() throws Exception {
    SilverTransform.Counts c = run(mapping(null, true), 1 << 20, 1,
        sale(1, "2017-01-02", 5) + sale(1, "2017-01-02", "\"5\"")
            + "{\"id_linha\":1,\"data_venda\":\"2017-01-02\",\"qtd_venda\":5}\n"
            + "{\"id_linha\":1,\"linha\":null,\"data_venda\":\"2017-01-02\",\"qtd_venda\":5}\n"
            + "{\"id_linha\":1,\"linha\":\"Batom\",\"data_venda\":\"2017-01-02\",\"qtd_venda\":5,\"loja\":\"7\"}\n");
    assertEquals(3, c.rows(), "the first, the one without linha, and the one with an unknown field (kept in _extra)");
    assertEquals(List.of(1L, 3L), lines(rejectsOut).stream().map(r -> r.get("source_record").getAsLong()).toList());
    assertEquals("every column equals record 2, the first with these values in this load",
        lines(rejectsOut).get(1).get("message").getAsString());
  }

  @Test
  void aRepeatInALaterObject_namesTheObjectOfTheFirst_onEveryThreadCountAndBatchSize() throws Exception {
    StringBuilder year2017 = new StringBuilder();
    StringBuilder year2018 = new StringBuilder();
    for (int day = 1; day <= 28; day++) {
      for (int line = 1; line <= 20; line++) {
        year2017.append(sale(line, "2017-02-" + (day < 10 ? "0" : "") + day, line + day));
        year2018.append(sale(line, "2018-02-" + (day < 10 ? "0" : "") + day, line + day));
      }
    }
    year2018.append(sale(3, "2017-02-10", 13)); // 2017's record (10 - 1) * 20 + 2 = 182, again in 2018's file
    year2018.append(sale(4, "2018-02-01", 5)); // 2018's record 3
    for (int threads : new int[] {1, 3}) {
      for (int batch : new int[] {256, 1 << 20}) {
        rowsOut.reset();
        rejectsOut.reset();
        SilverTransform.Counts c = run(mapping(null, true), batch, threads, year2017.toString(), year2018.toString());
        String at = threads + " threads, batches of " + batch;
        assertEquals(2 * 560 + 2, c.records(), at);
        assertEquals(2 * 560, c.rows(), at);
        List<JsonObject> rejects = lines(rejectsOut);
        assertEquals(List.of("every column equals record 182 of gs://bronze/sales/inbox/base_2017.ndjson,"
                + " the first with these values in this load",
            "every column equals record 3, the first with these values in this load"),
            rejects.stream().map(r -> r.get("message").getAsString()).toList(), at);
        assertEquals(List.of(560L, 561L), rejects.stream().map(r -> r.get("source_record").getAsLong()).toList(), at);
      }
    }
  }

  @Test
  void withAKeyToo_anExactRepeatIsADuplicateRow_andTheSameKeyWithOtherValuesADuplicateKey() throws Exception {
    SilverTransform.Counts c = run(mapping("id_linha", true), 1 << 20, 1,
        sale(1, "2017-01-02", 5) + sale(1, "2017-01-02", 5) + sale(1, "2017-01-03", 5));
    assertEquals(1, c.rows());
    assertEquals(Map.of(RejectReason.DUPLICATE_ROW, 1L, RejectReason.DUPLICATE_KEY, 1L), c.rejectsByReason());
  }

  @Test
  void aSourceNotDistinct_loadsExactRepeatsAsRows() throws Exception {
    SilverTransform.Counts c = run(mapping(null, false), 1 << 20, 1, sale(1, "2017-01-02", 5) + sale(1, "2017-01-02", 5));
    assertEquals(2, c.rows());
    assertEquals(0, c.rejects());
  }
}
