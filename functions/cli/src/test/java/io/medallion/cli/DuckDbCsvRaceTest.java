package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.silver.SilverTransform;
import io.medallion.silver.format.FileRecords;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bench's CSV race reads the same values on both sides: silver (the CSV reader, then the
 * typer) and DuckDB's {@code read_csv} with the statement {@link DuckDbCsvRace} makes keep the
 * same rows with the same typed values, in each dialect; DuckDB skips exactly what silver rejects.
 */
class DuckDbCsvRaceTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(BenchFiles.Dialect.class)
  void silverAndDuckDb_keepTheSameRowsAndValues(BenchFiles.Dialect dialect) throws Exception {
    BenchFiles.Generated csv = BenchFiles.csv(dir, 60_000, 7, dialect);
    assertTrue(Files.size(csv.file()) >= 60_000 && Files.size(csv.file()) < 60_300, "size: " + Files.size(csv.file()));
    String text = Files.readString(csv.file());
    assertTrue(text.contains("\"Pão de Açúcar; Ltda\"") || dialect != BenchFiles.Dialect.SEMICOLON, "a quoted delimiter");
    assertTrue(text.contains("\"Linha \"\"Premium\"\"\""), "a doubled quote");

    Path silverRows = dir.resolve("silver.ndjson");
    SilverTransform.Counts counts;
    try (InputStream in = FileRecords.open(dialect.format(), Files.newInputStream(csv.file()), "bench.csv",
            BenchFiles.SCHEMA, BenchFiles.MAPPING);
        OutputStream rows = Files.newOutputStream(silverRows);
        OutputStream rejects = OutputStream.nullOutputStream();
        SilverTransform.Load load = new SilverTransform(BenchFiles.SCHEMA, BenchFiles.MAPPING).new Load(rows, rejects, 2)) {
      load.read(in, new SilverTransform.Lineage("bench", "bench.csv", 1, Instant.parse("2026-01-01T00:00:00Z")));
      counts = load.counts();
    }
    assertEquals(csv.records(), counts.records());
    assertTrue(counts.rejects() > 0 && counts.rejects() < csv.records() / 30, "the bad quantities: " + counts.rejects());

    Path duckRows = dir.resolve("duck.ndjson");
    DuckDbCsvRace race = new DuckDbCsvRace(BenchFiles.SCHEMA, BenchFiles.MAPPING, dialect.format());
    String typed = "SELECT id_venda, id_marca, marca, id_linha, linha, CAST(data_venda AS DATE) d, qtd_venda,"
        + " CAST(valor AS DECIMAL(38, 9)) v, CAST(desconto AS DOUBLE) ds, ativo, CAST(registrado AS TIMESTAMP) r FROM read_json(";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute(race.copy(csv.file(), duckRows));
      s.execute("CREATE TABLE silver AS " + typed + "'" + silverRows + "')");
      s.execute("CREATE TABLE duck AS " + typed + "'" + duckRows + "')");
      try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM silver), (SELECT count(*) FROM duck),"
          + " (SELECT count(*) FROM (SELECT * FROM silver EXCEPT ALL SELECT * FROM duck)),"
          + " (SELECT count(*) FROM (SELECT * FROM duck EXCEPT ALL SELECT * FROM silver)),"
          + " (SELECT count(*) FROM silver WHERE ds IS NULL), (SELECT count(DISTINCT marca) FROM silver)")) {
        r.next();
        assertEquals(counts.rows(), r.getLong(1));
        assertEquals(counts.rows(), r.getLong(2), "DuckDB skips what silver rejects, no more");
        assertEquals(0, r.getLong(3), "silver rows DuckDB does not have");
        assertEquals(0, r.getLong(4), "DuckDB rows silver does not have");
        assertTrue(r.getLong(5) > 0, "some empty discounts, NULL on both sides");
        assertEquals(10, r.getLong(6), "every brand, accents and quotes kept");
      }
    }
  }

  @Test
  void datePatterns_becomeStrftime() {
    assertEquals("%d/%m/%Y %H:%M:%S", DuckDbCsvRace.strftime("dd/MM/yyyy HH:mm:ss"));
    assertEquals("%Y-%m-%d", DuckDbCsvRace.strftime("uuuu-MM-dd"));
    assertThrows(IllegalArgumentException.class, () -> DuckDbCsvRace.strftime("d/M/yy"));
  }

  @Test
  void sameOptions_reuseTheFile() throws Exception {
    BenchFiles.Generated first = BenchFiles.csv(dir, 10_000, 3, BenchFiles.Dialect.COMMA);
    byte[] bytes = Files.readAllBytes(first.file());
    BenchFiles.Generated again = BenchFiles.csv(dir, 10_000, 3, BenchFiles.Dialect.COMMA);
    assertEquals(first, again);
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    assertEquals(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
        Files.readString(BenchFiles.csv(other, 10_000, 3, BenchFiles.Dialect.COMMA).file()), "the seed makes the bytes");
  }
}
