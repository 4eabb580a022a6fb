package io.medallion.gcp.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.port.ObjectId;
import io.medallion.port.TypingJob;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The jobs the real client library submits when BigQuery types a big CSV file: each reads the
 * gs:// file through a temporary external table (every column STRING, the declared delimiter,
 * quote, encoding and header rows, quoted line breaks allowed, no jagged rows), with the lineage
 * as named query parameters; the rows and the rejects go out by EXPORT DATA beside the staging
 * objects. That the SQL is BigQuery SQL: GoldSqlIsBigQuerySqlTest; that it types as the function
 * types: WarehouseTypingParityTest, on DuckDB.
 */
class BigQueryTypingTest {

  private static final ObjectId FILE = new ObjectId("bronze", "payments/inbox/payments 2024 ação.csv");

  private FakeBigQueryServer fake;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() throws Exception {
    fake = new FakeBigQueryServer();
    warehouse = new BigQueryWarehouse(fake.client(), "US", Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static Field field(String name, FieldType type, Field.Mode mode) {
    return new Field(name, type, mode, null);
  }

  @Test
  void typeFile_readsTheFileThroughATemporaryExternalTable_andExportsRowsAndRejectsBesideTheStagingObjects() throws Exception {
    TableSchema schema = new TableSchema(List.of(
        field("payment_id", FieldType.STRING, Field.Mode.REQUIRED), field("amount", FieldType.FLOAT64, Field.Mode.NULLABLE),
        field("paid_on", FieldType.DATE, Field.Mode.NULLABLE), field("_file_key", FieldType.STRING, Field.Mode.NULLABLE),
        field("_run_id", FieldType.STRING, Field.Mode.REQUIRED), field("_source_uri", FieldType.STRING, Field.Mode.REQUIRED),
        field("_source_generation", FieldType.INT64, Field.Mode.REQUIRED),
        field("_source_record", FieldType.INT64, Field.Mode.REQUIRED),
        field("_ingested_at", FieldType.TIMESTAMP, Field.Mode.REQUIRED), field("_extra", FieldType.JSON, Field.Mode.NULLABLE)));
    FileFormat format = new FileFormat(FileFormat.Type.CSV, ';', '\'', 3, StandardCharsets.ISO_8859_1, ',', "dd/MM/yyyy", null,
        null, 1, List.of("NA"));
    TypingJob job = new TypingJob("medallion_silver_type_abc", FILE, format, List.of("ID", "amount", "paid_on", "NOTE"), schema,
        new SilverMapping(Map.of("ID", "payment_id"), "payment_id", Map.of(), Set.of()), "drop-1", 7,
        Instant.parse("2024-03-01T12:00:00Z"), "2024", new ObjectId("staging", "payments/run_id=drop-1/gen=7/rows"),
        new ObjectId("staging", "payments/run_id=drop-1/gen=7/rejects"), Map.of("pipeline", "medallion", "layer", "silver_typing"));

    warehouse.typeFile(job);

    List<FakeBigQueryServer.Request> inserts = fake.requests().stream()
        .filter(r -> r.method().equals("POST") && r.path().endsWith("/jobs")).toList();
    assertEquals(List.of("medallion_silver_type_abc_1", "medallion_silver_type_abc_2", "medallion_silver_type_abc_3"),
        inserts.stream().map(r -> r.body().getAsJsonObject("jobReference").get("jobId").getAsString()).toList());
    for (FakeBigQueryServer.Request insert : inserts) {
      JsonObject query = insert.body().getAsJsonObject("configuration").getAsJsonObject("query");
      assertEquals("silver_typing", insert.body().getAsJsonObject("configuration").getAsJsonObject("labels").get("layer").getAsString());
      assertFalse(query.get("useLegacySql").getAsBoolean());
      JsonObject table = query.getAsJsonObject("tableDefinitions").getAsJsonObject("raw_file");
      assertEquals("CSV", table.get("sourceFormat").getAsString());
      assertEquals(FILE.uri(), table.getAsJsonArray("sourceUris").get(0).getAsString());
      JsonObject csv = table.getAsJsonObject("csvOptions");
      assertEquals(";", csv.get("fieldDelimiter").getAsString());
      assertEquals("'", csv.get("quote").getAsString());
      assertEquals("ISO-8859-1", csv.get("encoding").getAsString());
      assertEquals(3, csv.get("skipLeadingRows").getAsInt(), "the header on line 3 and the lines above it");
      assertTrue(csv.get("allowQuotedNewlines").getAsBoolean());
      assertFalse(csv.get("allowJaggedRows").getAsBoolean());
      var fields = table.getAsJsonObject("schema").getAsJsonArray("fields");
      assertEquals(4, fields.size());
      assertEquals("c4", fields.get(3).getAsJsonObject().get("name").getAsString());
      assertEquals("STRING", fields.get(3).getAsJsonObject().get("type").getAsString());
      String sql = query.get("query").getAsString();
      String select = sql.startsWith("EXPORT DATA") ? sql.substring(sql.indexOf(") AS")) : sql; // past the export URI
      assertFalse(select.contains("drop-1") || select.contains("payments 2024"),
          "lineage values go as query parameters, never into the SQL text, save the export URIs: " + sql);
      assertTrue(query.getAsJsonArray("queryParameters").size() >= 4, query.toString());
    }
    String rows = inserts.get(0).body().getAsJsonObject("configuration").getAsJsonObject("query").get("query").getAsString();
    assertTrue(rows.startsWith("EXPORT DATA OPTIONS (uri = 'gs://staging/payments/run_id=drop-1/gen=7/rows-*.json', format = 'JSON'"),
        rows);
  }
}
