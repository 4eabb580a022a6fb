package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.local.replay.RecordGenerator;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import io.medallion.source.SourceFiles;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's DuckDB side: its SQL comes from a source's silver schema and mapping (nested paths,
 * arrays, RECORD, REPEATED and NUMERIC columns alike), and reads the same rows from the one JSON
 * array, the NDJSON file and the bronze page files made from it.
 */
class DuckDbRaceTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"breweries", "github_issues", "podcasts"})
  void everyInput_readsTheSameRows(String name) throws Exception {
    Source source = SourceRegistry.standard().find(name).orElseThrow();
    Source.Resource resource = source.resources().get(0);
    Path array = dir.resolve(name + ".json");
    try (OutputStream out = Files.newOutputStream(array)) {
      RecordGenerator.forSource(source).writeJsonArray(resource.name(), 7, 450, out);
    }
    DuckDbRace race = new DuckDbRace(source, resource);
    String pages = BenchInputs.pages(array, source, resource);
    int perPage = BenchInputs.recordsPerPage(source.paginator(resource));
    try (var files = Files.newDirectoryStream(Path.of(pages).getParent(), "page-*.json")) {
      int count = 0;
      for (Path ignored : files) {
        count++;
      }
      assertEquals((450 + perPage - 1) / perPage, count, "pages of " + perPage + " records");
    }

    List<String> fromArray = rows(race.select(DuckDbRace.Input.ARRAY, array.toString()));
    assertTrue(fromArray.size() >= 440, name + ": at most the generator's invalid records skipped, got " + fromArray.size());
    assertEquals(fromArray, rows(race.select(DuckDbRace.Input.NDJSON, BenchInputs.ndjson(array).toString())), name);
    assertEquals(fromArray, rows(race.select(DuckDbRace.Input.PAGES, pages)), name);
  }

  @Test
  void pageGlob_namesEachRowsPageFile() throws Exception {
    Source source = SourceRegistry.standard().find("breweries").orElseThrow();
    Path array = dir.resolve("breweries.json");
    try (OutputStream out = Files.newOutputStream(array)) {
      RecordGenerator.forSource(source).writeJsonArray("breweries", 7, 450, out);
    }
    String pages = BenchInputs.pages(array, source, source.resources().get(0));
    assertTrue(pages.endsWith("breweries/ingest_date=2026-01-01/run_id=bench/page-*.json"), pages);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT _source_uri, count(*) FROM ("
            + new DuckDbRace(source, source.resources().get(0)).select(DuckDbRace.Input.PAGES, pages)
            + ") GROUP BY 1 ORDER BY 1")) {
      List<String> uris = new ArrayList<>();
      while (r.next()) {
        uris.add(r.getString(1).replaceAll(".*/", "") + "=" + r.getLong(2));
      }
      assertEquals(List.of("page-00001.json=200", "page-00002.json=200", "page-00003.json=50"), uris);
    }
  }

  /** The second line of the race: nested invoices with RECORD, REPEATED RECORD and NUMERIC columns. */
  @Test
  void nestedRecordsAndDecimals_typedAsTheWarehouseStoresThem() throws Exception {
    Source source = invoices();
    Source.Resource resource = source.resources().get(0);
    Path array = dir.resolve("invoices.json");
    Files.writeString(array, """
        [
        {"id":"I-1","total":"12.50","customer":{"name":" Ada ","country":"GB"},\
        "lines":[{"sku":"a","qty":2,"unit_price":1.25},{"sku":"b","qty":1,"unit_price":10}],"tags":[{"code":"x"},{"code":"y"}],"paid_at":["2026-01-05T01:00:00+01:00"],"issued_at":"2026-01-02T12:00:00+02:00"},
        {"id":"I-2","total":3,"customer":null,"lines":[],"tags":[],"issued_at":"2026-01-03T00:00:00Z"},
        {"id":"I-3","total":7.1,"customer":{"name":"Bo","country":null},\
        "lines":[{"sku":"c","qty":3,"unit_price":"2.37"}],"tags":[{"code":"z"}],"issued_at":"2026-01-04T00:00:00Z"}
        ]
        """);
    DuckDbRace race = new DuckDbRace(source, resource);
    String select = race.select(DuckDbRace.Input.ARRAY, array.toString());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET TimeZone = 'UTC'");
      s.execute("CREATE TABLE t AS " + select);
      try (ResultSet r = s.executeQuery("SELECT typeof(invoice_total), typeof(customer), typeof(lines), typeof(issued_at),"
          + " invoice_total, customer.name, lines[2].unit_price, CAST(issued_at AS VARCHAR), CAST(paid_at AS VARCHAR)"
          + " FROM t WHERE invoice_id = 'I-1'")) {
        assertTrue(r.next());
        assertEquals("DECIMAL(12,2)", r.getString(1));
        assertEquals("STRUCT(\"name\" VARCHAR, country VARCHAR)", r.getString(2));
        assertEquals("STRUCT(sku VARCHAR, qty BIGINT, unit_price DECIMAL(10,2))[]", r.getString(3));
        assertEquals("TIMESTAMP", r.getString(4));
        assertEquals("12.50", r.getBigDecimal(5).toPlainString());
        assertEquals(" Ada ", r.getString(6), "nested strings as read: silver trims top-level strings only");
        assertEquals("10.00", r.getBigDecimal(7).toPlainString());
        assertEquals("2026-01-02 10:00:00", r.getString(8), "the offset applied, as BigQuery stores it");
        assertEquals("['2026-01-05 00:00:00']", r.getString(9), "each element's offset applied");
      }
      assertEquals(List.of("I-1|2|[x, y]", "I-2|0|[]", "I-3|1|[z]"),
          column(s, "SELECT invoice_id || '|' || len(lines) || '|' || CAST(tag_codes AS VARCHAR) FROM t ORDER BY 1"));
    }
    // The same rows from the NDJSON and from pages whose records sit at the data selector's path.
    List<String> fromArray = rows(select);
    assertEquals(fromArray, rows(race.select(DuckDbRace.Input.NDJSON, BenchInputs.ndjson(array).toString())));
    String pages = BenchInputs.pages(array, source, resource);
    assertTrue(Files.readString(Path.of(pages).resolveSibling("page-00001.json")).startsWith("{\"data\":{\"invoices\":[{"));
    assertEquals(fromArray, rows(race.select(DuckDbRace.Input.PAGES, pages)));
  }

  @Test
  void arrayNotOneRecordPerLine_isRefusedClearly() throws Exception {
    Source source = SourceRegistry.standard().find("breweries").orElseThrow();
    Path array = dir.resolve("compact.json");
    Files.writeString(array, "[{\"id\":\"a\"},{\"id\":\"b\"}]");
    IOException e = assertThrows(IOException.class, () -> BenchInputs.ndjson(array));
    assertTrue(e.getMessage().contains("not a JSON array with one record per line"), e.getMessage());
    assertTrue(Files.notExists(dir.resolve("compact.ndjson")), "no half-made input kept for reuse");
    assertThrows(IOException.class, () -> BenchInputs.pages(array, source, source.resources().get(0)));
    assertTrue(Files.notExists(dir.resolve("compact.pages")));
  }

  private Source invoices() throws Exception {
    Path root = dir.resolve("declarations");
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.createDirectories(root.resolve("sql/invoices"));
    Files.writeString(root.resolve("schemas/bigquery/silver/invoices.json"), """
        [{"name":"invoice_id","type":"STRING","mode":"REQUIRED"},
         {"name":"invoice_total","type":"NUMERIC","precision":12,"scale":2},
         {"name":"customer","type":"RECORD","fields":[{"name":"name","type":"STRING"},{"name":"country","type":"STRING"}]},
         {"name":"lines","type":"RECORD","mode":"REPEATED","fields":[{"name":"sku","type":"STRING"},
           {"name":"qty","type":"INT64"},{"name":"unit_price","type":"NUMERIC","precision":10,"scale":2}]},
         {"name":"tag_codes","type":"STRING","mode":"REPEATED"},
         {"name":"paid_at","type":"TIMESTAMP","mode":"REPEATED"},
         {"name":"issued_at","type":"TIMESTAMP","mode":"REQUIRED"},
         {"name":"_run_id","type":"STRING","mode":"REQUIRED"},{"name":"_source_uri","type":"STRING","mode":"REQUIRED"},
         {"name":"_source_generation","type":"INT64","mode":"REQUIRED"},{"name":"_source_record","type":"INT64","mode":"REQUIRED"},
         {"name":"_ingested_at","type":"TIMESTAMP","mode":"REQUIRED"},{"name":"_extra","type":"JSON"}]
        """);
    Files.writeString(root.resolve("sql/invoices/invoices_summary.sql"), "select 1 as n");
    String renames = String.join(", ", List.of("\"id\": \"invoice_id\"", "\"total\": \"invoice_total\"",
        "\"tags[].code\": \"tag_codes\""));
    Files.writeString(root.resolve("schemas/sources/invoices.json"), """
        {"name": "invoices", "domain": "finance", "description": "d", "client": {"base_url": "https://api.example.com"},
         "resources": [{"name": "invoices", "endpoint": {"path": "/invoices", "data_selector": "data.invoices",
           "paginator": {"type": "offset", "limit": 2}},
           "silver": {"table": "invoices", "renames": {%s}}}],
         "gold": {"models": ["invoices_summary"], "main_table": "invoices_summary", "main_order": "n"}}
        """.formatted(renames));
    return SourceDeclarations.load(SourceFiles.directory(root), "invoices");
  }

  /** Each row as text without {@code _source_uri} (which names the input), sorted. */
  private static List<String> rows(String select) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      return column(s, "SELECT CAST(r AS VARCHAR) AS row FROM (SELECT * EXCLUDE (_source_uri) FROM (" + select
          + ")) r ORDER BY row");
    }
  }

  private static List<String> column(Statement s, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }
}
