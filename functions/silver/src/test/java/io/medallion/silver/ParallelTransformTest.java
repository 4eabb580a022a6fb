package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batches typed in parallel write exactly what one thread reading the whole object writes: the
 * same rows and rejects, byte for byte, whatever the batch size, thread count or read sizes.
 */
class ParallelTransformTest {

  private static final io.medallion.source.Source SOURCE = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();

  /** The output of one load over {@code objects}. */
  private record Output(byte[] rows, byte[] rejects, long records, long rowCount, long rejectCount) {}

  private static Output load(int threads, int batchBytes, boolean trickle, String... objects) throws Exception {
    SilverTransform transform = new SilverTransform(SOURCE.silverSchema(), SOURCE.silverMapping(), batchBytes);
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    ByteArrayOutputStream rejects = new ByteArrayOutputStream();
    SilverTransform.Counts c;
    try (SilverTransform.Load load = transform.new Load(rows, rejects, threads)) {
      int n = 0;
      for (String o : objects) {
        InputStream in = new ByteArrayInputStream(o.getBytes(StandardCharsets.UTF_8));
        load.read(trickle ? new Trickle(in) : in, new SilverTransform.Lineage(
            "r1", "gs://medallion-bronze/breweries/page-" + n++ + ".json", 7, Instant.parse("2026-11-23T09:00:00Z")));
      }
      c = load.counts();
    }
    return new Output(rows.toByteArray(), rejects.toByteArray(), c.records(), c.rows(), c.rejects());
  }

  /** Records of every kind: clean, messy, each reject reason, duplicates far apart, tricky text. */
  private static String records(long seed, int count, boolean array) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "\"id\":\"" + (r.nextInt(10) == 0 ? "dup-" + r.nextInt(50) : "b-" + seed + "-" + i) + "\"";
      String record = switch (r.nextInt(12)) {
        case 0 -> "{" + id + ",\"name\":\"  \"}";
        case 1 -> "{" + id + ",\"name\":\"n\",\"latitude\":\"n/a\"}";
        case 2 -> "{" + id + ",\"name\":\"n\",\"longitude\":200.5}";
        case 3 -> "{" + id + ",\"name\":\"n\",\"city\":[\"a\",{\"b\":\"]}\"}]}";
        case 4 -> "[1,{\"id\":\"x\"}]";
        case 5 -> "\"a string, with [brackets] and \\\"quotes\\\"\"";
        case 6 -> "{" + id + ",\"name\":\"Caf\u00e9 \\\"Zw\u00f6lf\\\" \\\\ {[,]}\",\"extra\":{\"deep\":[[[\"}\"]]]}}";
        case 7 -> "{\n  " + id + ",\n  \"name\" : \"Pretty\",\n  \"latitude\" : \" 45.5 \"\n}";
        case 8 -> "{" + id + ",\"name\":\"n\",\"postal_code\":1.5e3,\"phone\":12345,\"brewery_type\":\" MICRO \"}";
        case 9 -> "null";
        // In NDJSON, broken records of every kind: each a reject, the records after them load.
        case 10 -> array ? "{" + id + ",\"name\":\"Fine\"}" : switch (r.nextInt(6)) {
          case 0 -> "{" + id + ",,\"name\":\"n\"}";
          case 1 -> "{" + id + ",\"name\":\"unclosed";
          case 2 -> "{" + id + ",\"name\":[\"unclosed\"";
          case 3 -> "}";
          case 4 -> "not json, \"at all\"";
          default -> "{\n  " + id + ",\n  \"name\" \"no colon\"\n}";
        };
        default -> "{" + id + ",\"name\":\"Brewery " + i + "\",\"longitude\":-97.46818222,\"latitude\":35.25738891}";
      };
      out.add(record);
    }
    return array ? "[\n" + String.join(",\n", out) + "\n]" : String.join("\n", out) + "\n";
  }

  @Test
  void anyThreadsAndBatchSizes_writeTheSameBytesAsOneThread() throws Exception {
    String[] objects = {records(1, 2_000, true), records(2, 1_500, false), records(3, 700, true)};
    Output sequential = load(1, Integer.MAX_VALUE / 4, false, objects);
    // 4,200 records, less where a broken NDJSON record runs over the lines after it.
    assertTrue(sequential.records() > 4_100 && sequential.records() <= 4_200, sequential.toString());
    String rejects = new String(sequential.rejects(), StandardCharsets.UTF_8);
    assertTrue(rejects.lines().filter(l -> l.contains("\"MALFORMED_JSON\"")).count() > 50, "broken NDJSON records are rejects");
    assertEquals(sequential.records(), sequential.rowCount() + sequential.rejectCount());
    assertTrue(sequential.rejectCount() > 1_000 && sequential.rowCount() > 1_000, sequential.toString());
    for (int threads : new int[] {1, 2, 4}) {
      for (int batch : new int[] {64, 700, 16_384}) {
        Output parallel = load(threads, batch, batch == 700, objects);
        String what = threads + " threads, batches of " + batch;
        assertArrayEquals(sequential.rows(), parallel.rows(), what);
        assertArrayEquals(sequential.rejects(), parallel.rejects(), what);
        assertEquals(sequential.rowCount(), parallel.rowCount(), what);
      }
    }
  }

  /** Like {@link #load}, for the nested issues table of {@link IssuesFixture}. */
  private static Output loadIssues(int threads, int batchBytes, boolean trickle, String... objects) throws Exception {
    SilverTransform transform = new SilverTransform(IssuesFixture.SCHEMA, IssuesFixture.MAPPING, batchBytes);
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    ByteArrayOutputStream rejects = new ByteArrayOutputStream();
    SilverTransform.Counts c;
    try (SilverTransform.Load load = transform.new Load(rows, rejects, threads)) {
      int n = 0;
      for (String o : objects) {
        InputStream in = new ByteArrayInputStream(o.getBytes(StandardCharsets.UTF_8));
        load.read(trickle ? new Trickle(in) : in, new SilverTransform.Lineage(
            "r1", "gs://medallion-bronze/issues/page-" + n++ + ".json", 7, Instant.parse("2026-11-23T09:00:00Z")));
      }
      c = load.counts();
    }
    return new Output(rows.toByteArray(), rejects.toByteArray(), c.records(), c.rows(), c.rejects());
  }

  /** Issues of every kind: clean, nested faults, array faults, timestamps with and without zones, dates. */
  private static String issues(long seed, int count, boolean array) {
    SplittableRandom r = new SplittableRandom(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = r.nextInt(10) == 0 ? r.nextInt(50) : 1_000_000L * seed + i;
      String more = switch (r.nextInt(14)) {
        case 0 -> ",\"user\":\"octocat\"";
        case 1 -> ",\"labels\":[{\"name\":\"a\",\"id\":1},\"b\"]";
        case 2 -> ",\"labels\":[{\"name\":\"a\",\"id\":\"x\"}]";
        case 3 -> ",\"labels\":[{\"id\":3}]";
        case 4 -> ",\"languages\":[\"en\",null,{\"x\":[1,{\"y\":\"]\"}]}]";
        case 5 -> ",\"created_at\":\"2011-04-22T13:33:48\"";
        case 6 -> ",\"created_at\":\"2011-04-22T15:33:48.25+02:00\",\"closed_at\":\"2011-04-23T00:00:00-11:30\"";
        case 7 -> ",\"release_date\":\"2024-02-30\"";
        case 8 -> ",\"user\":null,\"labels\":null,\"languages\":[],\"external_urls\":{}";
        case 9 -> ",\"user\":{\"login\":\" Caf\u00e9 \\\"q\\\" \"},\"labels\":[{\"name\":\"\ud83c\udf7a\",\"id\":2}]";
        default -> "";
      };
      String record = IssuesFixture.record(id, more);
      out.add(r.nextInt(3) == 0 ? record.replace(",", ",\n  ") : record);
    }
    return array ? "[\n" + String.join(",\n", out) + "\n]" : String.join("\n", out.stream().map(x -> x.replace("\n", "")).toList()) + "\n";
  }

  @Test
  void nestedRecords_anyThreadsAndBatchSizes_writeTheSameBytesAsOneThread() throws Exception {
    String[] objects = {issues(1, 1_500, true), issues(2, 1_000, false)};
    Output sequential = loadIssues(1, Integer.MAX_VALUE / 4, false, objects);
    assertEquals(2_500, sequential.records());
    String rejects = new String(sequential.rejects(), StandardCharsets.UTF_8);
    for (String reason : new String[] {"WRONG_TYPE", "NOT_A_NUMBER", "MISSING_REQUIRED", "INVALID_TIMESTAMP", "INVALID_DATE", "DUPLICATE_KEY"}) {
      assertTrue(rejects.contains("\"" + reason + "\""), reason);
    }
    assertTrue(sequential.rowCount() > 1_000, sequential.toString());
    for (int threads : new int[] {1, 2, 4}) {
      for (int batch : new int[] {64, 700, 16_384}) {
        Output parallel = loadIssues(threads, batch, batch == 700, objects);
        String what = threads + " threads, batches of " + batch;
        assertArrayEquals(sequential.rows(), parallel.rows(), what);
        assertArrayEquals(sequential.rejects(), parallel.rejects(), what);
        assertEquals(sequential.rowCount(), parallel.rowCount(), what);
      }
    }
  }

  @Test
  void brokenNdjsonRecords_areRejectsAtTheirLines_atAnyBatchSizeThreadsAndReads() throws Exception {
    String ok = "{\"id\":\"%s\",\"name\":\"n\"}";
    String pretty = "{\n  \"id\": \"%s\",\n  \"name\": \"Pretty\"\n}";
    Object[][] cases = {
        // what, the object, the broken record's line, where its fault is, rows
        {"a fault at line 1", "{\"id\":,}\n" + ok.formatted("a") + "\n", 1, "line 1, column 7", 1},
        {"a fault at line 6", lines(ok, 5) + "{\"id\":\"x\",,}\n" + ok.formatted("z") + "\n", 6, "line 6, column 11", 6},
        {"a fault after a multi-line record", pretty.formatted("p") + "\n" + pretty.formatted("q") + "\n{\"id\" \"x\"}\n", 9,
            "line 9, column 7", 2},
        {"a fault in a CRLF file", lines(ok, 3).replace("\n", "\r\n") + "{\"id\":\"x\" \"name\":1}\r\n" + ok.formatted("z") + "\r\n",
            4, "line 4, column 11", 4},
        {"a fault after blank lines", "\n\n" + ok.formatted("a") + "\n\n{\"id\":\"x\",}\n", 5, "line 5, column 11", 1},
        {"an unclosed string after a batch's worth of lines", lines(ok, 40) + "{\"id\":\"x\",\"name\":\"cut\n" + ok.formatted("z") + "\n",
            41, "line 41, column 22", 41},
    };
    for (Object[] c : cases) {
      for (int threads : new int[] {1, 2}) {
        for (int batch : new int[] {1, 16, 100, 1 << 20}) {
          String what = c[0] + ", " + threads + " threads, batches of " + batch;
          Output out = load(threads, batch, batch == 16, (String) c[1]);
          assertEquals((int) c[4], out.rowCount(), what);
          assertEquals(1, out.rejectCount(), what);
          com.google.gson.JsonObject reject =
              com.google.gson.JsonParser.parseString(new String(out.rejects(), StandardCharsets.UTF_8)).getAsJsonObject();
          assertEquals("MALFORMED_JSON", reject.get("reason").getAsString(), what);
          assertEquals((int) c[2], reject.get("line").getAsInt(), what);
          assertTrue(reject.get("message").getAsString().startsWith(c[3] + ": "), what + ": " + reject);
        }
      }
    }
  }

  @Test
  void aFaultInAnArray_failsTheObjectAtItsTrueLineAndColumn_atAnyBatchSize() {
    String ok = "  {\"id\":\"%s\",\"name\":\"n\"},\n";
    String[][] cases = {
        {"[\n" + lines(ok, 7) + "  {\"id\":\"x\",,\"name\":\"y\"},\n" + ok.formatted("z") + "  {}\n]", "line 9, column 13 (record 7)"},
        {"\r\n\r\n[\r\n" + lines(ok, 3).replace("\n", "\r\n") + "  {\"id\" 1}\r\n]", "line 7, column 9 (record 3)"},
        // An unclosed string makes the brackets after it meaningless: the parser finds the fault.
        {"[\n" + lines(ok, 4) + "  {\"id\":\"x\",\"name\":\"cut},\n" + lines(ok, 3) + "  {}\n]", "line 6, column 26 (record 4)"},
        {"[\n" + lines(ok, 2) + "  {\"id\":\"x\",\"name\":\"y\"}\n  {}\n]", "line 5, column 3 (record 3): expected ','"},
    };
    for (String[] c : cases) {
      for (int batch : new int[] {1, 16, 100, 1 << 20}) {
        MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> load(2, batch, batch == 16, c[0]), c[1]);
        assertTrue(e.getMessage().contains("is not valid JSON at " + c[1]), batch + ": " + e.getMessage());
      }
    }
  }

  /** {@code count} lines of {@code format}, each with its own id. */
  private static String lines(String format, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append(format.formatted("k" + i)).append(format.endsWith("\n") ? "" : "\n");
    }
    return out.toString();
  }

  @Test
  void isJsonScalar_acceptsExactlyWhatTheParserReadsAsOneScalar() throws Exception {
    com.fasterxml.jackson.core.JsonFactory json = new com.fasterxml.jackson.core.JsonFactory();
    for (String s : List.of("0", "-0", "12", "-1.5", "1e5", "1E+5", "2.5e-3", "true", "false", "null", "01", "+1", ".5", "1.",
        "1e", "-", "--1", "tru", "nulll", "True", "NaN", "Infinity", "0x10", "1.5.2", "abc", "1e5x")) {
      byte[] b = ("  " + s + "  ").getBytes(StandardCharsets.UTF_8);
      boolean parses;
      try (com.fasterxml.jackson.core.JsonParser p = json.createParser(s)) {
        parses = p.nextToken().isScalarValue() && p.nextToken() == null;
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        parses = false;
      }
      assertEquals(parses, RecordSplitter.isJsonScalar(b, 2, 2 + s.length()), s);
    }
  }

  @Test
  void duplicateKeysAcrossBatchesAndObjects_keepExactlyTheFirst() throws Exception {
    String first = "[{\"id\":\"a\",\"name\":\"first a\"},{\"id\":\"b\",\"name\":\"first b\"}]";
    String second = "{\"id\":\"b\",\"name\":\"second b\"}\n{\"id\":\" a \",\"name\":\"second a\"}\n{\"id\":\"c\",\"name\":\"c\"}\n";
    Output out = load(4, 16, false, first, second, first);
    String rows = new String(out.rows(), StandardCharsets.UTF_8);
    assertEquals(3, out.rowCount());
    assertTrue(rows.contains("first a") && rows.contains("first b") && rows.contains("\"c\""), rows);
    String rejects = new String(out.rejects(), StandardCharsets.UTF_8);
    assertEquals(4, rejects.lines().filter(l -> l.contains("DUPLICATE_KEY")).count(), rejects);
    assertTrue(rejects.contains("second b") && rejects.contains("second a"), rejects);
  }

  @Test
  void theFirstFaultInTheObjectIsTheOneReported_atAnyBatchSize() {
    // A parser fault in record 1 comes before the frame fault (no comma) at record 3.
    String bad = "[{\"id\":\"a\",\"name\":\"b\"},{\"id\":\"a\",},{\"id\":\"c\",\"name\":\"d\"} {\"id\":\"e\"}]";
    for (int batch : new int[] {1, 30, 1 << 20}) {
      MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> load(2, batch, false, bad));
      assertTrue(e.getMessage().contains("(record 1)"), batch + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("line 1, column 3"), batch + ": " + e.getMessage());
    }
  }

  @Test
  void theArraysFrame_isChecked() {
    String[][] cases = {
        {"[{\"id\":\"a\",\"name\":\"b\"} {\"id\":\"c\",\"name\":\"d\"}]", "expected ',' or ']' after record 0"},
        {"[{\"id\":\"a\",\"name\":\"b\"},]", "a value is missing before ']'"},
        {"[,{\"id\":\"a\",\"name\":\"b\"}]", "a value is missing before ','"},
        {"[{\"id\":\"a\",\"name\":\"b\"}]\n]", "content after the array"},
        {"[{\"id\":\"a\",\"name\":\"b\"}", "the array is not closed"},
        {"[{\"id\":\"a\",\"name\":\"b\"},{\"id\":\"[\"", "end of input inside record 1"},
    };
    for (String[] c : cases) {
      MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> load(1, 8, true, c[0]), c[0]);
      assertTrue(e.getMessage().contains("is not valid JSON") && e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
    }
  }

  @Test
  void invalidUtf8InAFieldTheSchemaIgnores_stillFailsTheObject() {
    byte[] latin1 = "[{\"id\":\"a\",\"name\":\"b\",\"street\":\"Stra\u00dfe\"}]".getBytes(StandardCharsets.ISO_8859_1);
    SilverTransform transform = new SilverTransform(SOURCE.silverSchema(), SOURCE.silverMapping());
    MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> {
      try (SilverTransform.Load load = transform.new Load(new ByteArrayOutputStream(), new ByteArrayOutputStream(), 1)) {
        load.read(new ByteArrayInputStream(latin1), new SilverTransform.Lineage("r", "gs://b/o", 1, Instant.EPOCH));
      }
    });
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void utf16AndUtf32Objects_areReadAsTheirText() throws Exception {
    String json = "[{\"id\":\"u\",\"name\":\"Z\u00fcrich \u00c9t\u00e9\"}]";
    Output utf8 = load(1, 1 << 20, false, json);
    for (String charset : new String[] {"UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32BE", "UTF-32LE"}) {
      SilverTransform transform = new SilverTransform(SOURCE.silverSchema(), SOURCE.silverMapping());
      ByteArrayOutputStream rows = new ByteArrayOutputStream();
      try (SilverTransform.Load load = transform.new Load(rows, new ByteArrayOutputStream(), 2)) {
        load.read(new ByteArrayInputStream(json.getBytes(java.nio.charset.Charset.forName(charset))),
            new SilverTransform.Lineage("r1", "gs://medallion-bronze/breweries/page-0.json", 7, Instant.parse("2026-11-23T09:00:00Z")));
      }
      assertArrayEquals(utf8.rows(), rows.toByteArray(), charset);
    }
  }

  @Test
  void aUtf8ByteOrderMark_isSkipped_andAStrayLeadByteIsNotJson() throws Exception {
    String json = "[{\"id\":\"b\",\"name\":\"Bom\"}]";
    byte[] bom = ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
    SilverTransform transform = new SilverTransform(SOURCE.silverSchema(), SOURCE.silverMapping());
    SilverTransform.Lineage lineage = new SilverTransform.Lineage("r1", "gs://medallion-bronze/breweries/page-0.json", 7,
        Instant.parse("2026-11-23T09:00:00Z"));
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    try (SilverTransform.Load load = transform.new Load(rows, new ByteArrayOutputStream(), 1)) {
      load.read(new ByteArrayInputStream(bom), lineage);
    }
    assertArrayEquals(load(1, 1 << 20, false, json).rows(), rows.toByteArray());
    for (byte[] bad : new byte[][] {{(byte) 0xEF, '[', ']'}, {(byte) 0xEF}, {(byte) 0xEF, (byte) 0xBB}}) {
      MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> {
        try (SilverTransform.Load load = transform.new Load(new ByteArrayOutputStream(), new ByteArrayOutputStream(), 1)) {
          load.read(new ByteArrayInputStream(bad), lineage);
        }
      });
      assertTrue(e.getMessage().contains("is not valid JSON"), e.getMessage());
    }
  }

  /** Hands out at most 7 bytes per read, so that records and escapes straddle every refill. */
  private static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 7));
    }
  }
}
