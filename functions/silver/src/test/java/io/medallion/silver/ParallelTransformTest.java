package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.breweries.BreweriesSource;
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

  private static final BreweriesSource SOURCE = new BreweriesSource();

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
    assertEquals(4_200, sequential.records());
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
        {"{\"id\":\"a\",\"name\":\"b\"}\n}", "unexpected '}'"},
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
