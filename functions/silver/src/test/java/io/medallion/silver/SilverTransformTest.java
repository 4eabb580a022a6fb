package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilverTransformTest {

  private final io.medallion.source.Source source = io.medallion.source.SourceRegistry.standard().find("breweries").orElseThrow();
  private final SilverTransform transform = new SilverTransform(source.silverSchema(), source.silverMapping());
  private final ByteArrayOutputStream rowsOut = new ByteArrayOutputStream();
  private final ByteArrayOutputStream rejectsOut = new ByteArrayOutputStream();
  private static final SilverTransform.Lineage LINEAGE =
      new SilverTransform.Lineage("r1", "gs://medallion-bronze/breweries/p.json", 17, Instant.parse("2026-11-23T09:00:00.123456Z"));

  private SilverTransform.Counts run(String... objects) throws Exception {
    try (SilverTransform.Load load = transform.new Load(rowsOut, rejectsOut)) {
      for (String o : objects) {
        load.read(new ByteArrayInputStream(o.getBytes(StandardCharsets.UTF_8)), LINEAGE);
      }
      return load.counts();
    }
  }

  private List<JsonObject> lines(ByteArrayOutputStream out) {
    List<JsonObject> result = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        result.add(JsonParser.parseString(line).getAsJsonObject());
      }
    }
    return result;
  }

  private JsonObject onlyRow(String record) throws Exception {
    run("[" + record + "]");
    List<JsonObject> rows = lines(rowsOut);
    assertEquals(1, rows.size(), "rejects: " + rejectsOut);
    return rows.get(0);
  }

  private JsonObject onlyReject(String record) throws Exception {
    run("[" + record + "]");
    assertEquals(List.of(), lines(rowsOut));
    List<JsonObject> rejects = lines(rejectsOut);
    assertEquals(1, rejects.size());
    return rejects.get(0);
  }

  @Test
  void apiRecord_becomesATypedRowWithLineage() throws Exception {
    JsonObject row = onlyRow("{\"id\":\"b1\",\"name\":\" (405) Brewing Co \",\"brewery_type\":\"Micro \",\"address_1\":\"\","
        + "\"city\":\"Norman\",\"state_province\":\"Oklahoma\",\"postal_code\":73069,\"country\":\"United States\","
        + "\"longitude\":\"-97.46818222\",\"latitude\":35.25738891,\"phone\":null,\"website_url\":\"http://405.com\","
        + "\"state\":\"Oklahoma\",\"street\":\"1716 Topeka St\"}");
    assertEquals("b1", row.get("brewery_id").getAsString());
    assertEquals("(405) Brewing Co", row.get("name").getAsString());
    assertEquals("micro", row.get("brewery_type").getAsString());
    assertFalse(row.has("address_1"), "blank string is NULL");
    assertFalse(row.has("phone"));
    assertEquals("73069", row.get("postal_code").getAsString());
    assertEquals(-97.46818222, row.get("longitude").getAsDouble());
    assertEquals(35.25738891, row.get("latitude").getAsDouble());
    assertFalse(row.has("state"), "fields outside the schema are dropped");
    assertEquals("r1", row.get("_run_id").getAsString());
    assertEquals(LINEAGE.sourceUri(), row.get("_source_uri").getAsString());
    assertEquals(17, row.get("_source_generation").getAsLong());
    assertEquals(0, row.get("_source_record").getAsLong());
    assertEquals("2026-11-23 09:00:00.123456", row.get("_ingested_at").getAsString());
  }

  /**
   * Plain strings are copied as their input bytes, others decoded, stripped and encoded again: the
   * bytes written are Jackson's encoding of the stripped text either way (4-byte characters as
   * escaped surrogates, escapes decoded and re-escaped, Unicode whitespace stripped), and a key
   * seen in one form is a duplicate in the other.
   */
  @Test
  void stringsCopiedOrDecoded_writeJacksonsEncodingOfTheStrippedText() throws Exception {
    String[] names = {
      "Brauhaus Zum L\u00f6wen", "Stra\u00dfe 7", "tab\\tname", "quote \\\"q\\\" end", "\ud83c\udf7a Beer",
      "Beer \ud83c\udf7a", "Beer \ud83c\udf7a Bar", "\u2003em space\u2003", "\u00e9t\u00e9", " padded ", "x", "back\\\\slash",
    };
    StringBuilder records = new StringBuilder("[");
    for (int i = 0; i < names.length; i++) {
      records.append(i == 0 ? "" : ",").append("{\"id\":\"k").append(i).append("\",\"name\":\"").append(names[i]).append("\"}");
    }
    // The same key as raw bytes and, padded, decoded: the second is a duplicate.
    records.append(",{\"id\":\"\u00e4-1\",\"name\":\"a\"},{\"id\":\" \u00e4-1 \",\"name\":\"b\"}]");
    SilverTransform.Counts c = run(records.toString());
    assertEquals(names.length + 1, c.rows(), "rejects: " + rejectsOut);
    assertEquals("DUPLICATE_KEY", lines(rejectsOut).get(0).get("reason").getAsString());
    com.fasterxml.jackson.databind.ObjectMapper jackson = new com.fasterxml.jackson.databind.ObjectMapper();
    String[] rows = rowsOut.toString(StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < names.length; i++) {
      String text = jackson.readValue("\"" + names[i] + "\"", String.class).strip();
      String expected = "\"name\":" + new String(jackson.writeValueAsBytes(text), StandardCharsets.UTF_8) + ",";
      assertTrue(rows[i].contains(expected), rows[i] + " should contain " + expected);
    }
    assertTrue(rows[4].contains("\\uD83C\\uDF7A Beer"), "a 4-byte character is escaped: " + rows[4]);
    assertTrue(rows[7].contains("\"name\":\"em space\""), "Unicode whitespace is stripped: " + rows[7]);
  }

  @Test
  void missingRequired_isRejectedWithReasonAndRawRecord() throws Exception {
    JsonObject r = onlyReject("{\"id\":\"b1\",\"name\":\"   \"}");
    assertEquals("MISSING_REQUIRED", r.get("reason").getAsString());
    assertEquals("name is required", r.get("message").getAsString());
    assertEquals("b1", r.getAsJsonObject("record").get("id").getAsString());
    assertEquals(0, r.get("source_record").getAsLong());
    assertEquals(onlyRejectReason("{\"name\":\"x\"}"), "MISSING_REQUIRED");
  }

  /**
   * A reject keeps the record's own text, only the white space between tokens left out: numbers and
   * escapes as written, a 4-byte character as its bytes, and both values of a field given twice.
   */
  @Test
  void reject_keepsTheRecordAsWritten_onlyWhiteSpaceBetweenTokensLeftOut() throws Exception {
    String record = "{ \"id\" : \"b1\",\n  \"name\": \"caf\\u00e9 \ud83c\udf7a \\\"q\\\" \", \"latitude\": 1e400,"
        + "\t\"longitude\": -0.0000001, \"tags\": [ 1.50 , true, null ] }";
    JsonObject r = onlyReject(record);
    assertEquals("OUT_OF_RANGE", r.get("reason").getAsString());
    String expected = "{\"id\":\"b1\",\"name\":\"caf\\u00e9 \ud83c\udf7a \\\"q\\\" \",\"latitude\":1e400,"
        + "\"longitude\":-0.0000001,\"tags\":[1.50,true,null]}";
    assertEquals("\"record\":" + expected + "}", tail(rejectsOut.toString(StandardCharsets.UTF_8).strip(), expected.length() + 10));

    rowsOut.reset();
    rejectsOut.reset();
    JsonObject twice = onlyReject("{\"id\":\"b2\",\"name\":\"first\",\"name\":\"second\"}");
    assertEquals("DUPLICATE_FIELD", twice.get("reason").getAsString());
    assertTrue(rejectsOut.toString(StandardCharsets.UTF_8).contains("\"record\":{\"id\":\"b2\",\"name\":\"first\",\"name\":\"second\"}}"),
        "both values of the repeated field are kept: " + rejectsOut);
  }

  @Test
  void rejectHoldingNaN_keepsItsRecordAsJson() throws Exception {
    JsonObject r = onlyReject("{\"id\":\"b1\",\"name\":\"n\",\"latitude\": NaN, \"longitude\":-Infinity}");
    assertEquals("NOT_A_NUMBER", r.get("reason").getAsString());
    // Strict JSON: NaN and Infinity, which are not, become strings.
    com.fasterxml.jackson.databind.JsonNode line =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(rejectsOut.toString(StandardCharsets.UTF_8));
    assertEquals("NaN", line.get("record").get("latitude").asText());
    assertEquals("-Infinity", line.get("record").get("longitude").asText());
  }

  private static String tail(String s, int length) {
    return s.substring(Math.max(0, s.length() - length));
  }

  private String onlyRejectReason(String record) throws Exception {
    rowsOut.reset();
    rejectsOut.reset();
    return onlyReject(record).get("reason").getAsString();
  }

  @Test
  void eachRuleHasItsReason() throws Exception {
    assertEquals("NOT_A_NUMBER", onlyRejectReason("{\"id\":\"a\",\"name\":\"n\",\"latitude\":\"n/a\"}"));
    assertEquals("NOT_A_NUMBER", onlyRejectReason("{\"id\":\"a\",\"name\":\"n\",\"latitude\":\"NaN\"}"));
    assertEquals("OUT_OF_RANGE", onlyRejectReason("{\"id\":\"a\",\"name\":\"n\",\"longitude\":200.5}"));
    assertEquals("OUT_OF_RANGE", onlyRejectReason("{\"id\":\"a\",\"name\":\"n\",\"latitude\":\"-90.01\"}"));
    assertEquals("WRONG_TYPE", onlyRejectReason("{\"id\":\"a\",\"name\":\"n\",\"address_1\":{\"street\":\"x\"}}"));
    assertEquals("WRONG_TYPE", onlyRejectReason("{\"id\":\"a\",\"name\":[\"n\"]}"));
    assertEquals("NOT_AN_OBJECT", onlyRejectReason("\"just a string\""));
    assertEquals("NOT_AN_OBJECT", onlyRejectReason("[1,2]"));
  }

  @Test
  void duplicateKeyInOneLoad_rejectsTheLaterRecordAcrossObjects() throws Exception {
    SilverTransform.Counts c = run("[{\"id\":\"a\",\"name\":\"first\"}]", "[{\"id\":\"a\",\"name\":\"second\"},{\"id\":\"b\",\"name\":\"b\"}]");
    assertEquals(3, c.records());
    assertEquals(2, c.rows());
    assertEquals(1, c.rejects());
    assertEquals("first", lines(rowsOut).get(0).get("name").getAsString());
    assertEquals("DUPLICATE_KEY", lines(rejectsOut).get(0).get("reason").getAsString());
  }

  @Test
  void ndjsonInput_isReadLikeAnArray() throws Exception {
    SilverTransform.Counts c = run("{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\",\"name\":\"B\"}\n\n{\"id\":\"c\"}\n");
    assertEquals(3, c.records());
    assertEquals(2, c.rows());
    assertEquals(1, c.rejects());
    assertEquals(1, lines(rowsOut).get(1).get("_source_record").getAsLong() );
  }

  @Test
  void recordsAlwaysEqualRowsPlusRejects() throws Exception {
    SilverTransform.Counts c = run("[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"a\",\"name\":\"A\"},7,{\"id\":\"c\",\"name\":\"C\",\"latitude\":\"x\"}]");
    assertEquals(c.records(), c.rows() + c.rejects());
    assertEquals(c.rows(), lines(rowsOut).size());
    assertEquals(c.rejects(), lines(rejectsOut).size());
  }

  @Test
  void malformedObjects_failWithWhereAndWhy() {
    for (String bad : new String[] {"", "   ", "not json", "[{\"id\":\"a\"", "42", "[] trailing", "[{\"id\":\"a\",}]",
        "[" + "[".repeat(5000) + "]".repeat(5000) + "]"}) {
      rowsOut.reset();
      rejectsOut.reset();
      MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> run(bad), bad.length() > 40 ? "deep nesting" : bad);
      assertTrue(e.getMessage().startsWith(LINEAGE.sourceUri()), e.getMessage());
    }
  }

  @Test
  void brokenNdjsonLine_isAMalformedJsonRejectWithItsLineAndText_andTheOtherLinesLoad() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int line = 1; line <= 10; line++) {
      ndjson.append(line == 6 ? "{\"id\":\"x\",,\"name\":\"broken\"}" : "{\"id\":\"b" + line + "\",\"name\":\"n\"}").append('\n');
    }
    SilverTransform.Counts c = run(ndjson.toString());
    assertEquals(10, c.records());
    assertEquals(9, c.rows());
    assertEquals(Map.of(RejectReason.MALFORMED_JSON, 1L), c.rejectsByReason());
    JsonObject reject = lines(rejectsOut).get(0);
    assertEquals("MALFORMED_JSON", reject.get("reason").getAsString());
    assertEquals(5, reject.get("source_record").getAsLong());
    assertEquals(6, reject.get("line").getAsLong());
    assertTrue(reject.get("message").getAsString().startsWith("line 6, column 11: Unexpected character (','"), reject.toString());
    assertEquals("{\"id\":\"x\",,\"name\":\"broken\"}", reject.get("raw").getAsString());
    assertFalse(reject.has("record"), "a broken record has no JSON to keep");
    assertEquals(9, lines(rowsOut).get(8).get("_source_record").getAsLong(), "records keep their place after the broken one");
    // The rows are those of the file without the broken line.
    List<JsonObject> rows = lines(rowsOut);
    rowsOut.reset();
    run(ndjson.toString().replace("{\"id\":\"x\",,\"name\":\"broken\"}\n", ""));
    List<JsonObject> without = lines(rowsOut);
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).remove("_source_record");
      without.get(i).remove("_source_record");
    }
    assertEquals(without, rows);
  }

  @Test
  void brokenNdjsonRecordsOfEveryKind_areOneRejectEach() throws Exception {
    String good = "{\"id\":\"g%d\",\"name\":\"n\"}\n";
    String[][] cases = {
        // what, the broken text (one line), where its fault is, the message
        {"a parser fault", "{\"id\":\"x\" \"name\":\"y\"}", "column 11", "was expecting comma"},
        {"an unclosed string", "{\"id\":\"x\",\"name\":\"cut", "column 22", "a string is not closed at the end of the line"},
        {"an unclosed object", "{\"id\":\"x\",\"name\":\"y\"", "column 21", "the record is not closed when the next line starts a new one"},
        {"a stray bracket", "}", "column 1", "unexpected '}'"},
        {"text that is not JSON", "hello, world", "column 1", "not a JSON value"},
        {"a word that looks like a literal", "nul", "column 1", "not a JSON value"},
        // (the parser places this fault after the byte that ends the bad sequence)
        {"invalid UTF-8", "{\"id\":\"x\",\"name\":\"Caf\u00e9\"}", "column 24", "Invalid UTF-8"},
    };
    for (String[] k : cases) {
      rowsOut.reset();
      rejectsOut.reset();
      byte[] broken = k[0].equals("invalid UTF-8") ? k[1].getBytes(StandardCharsets.ISO_8859_1) : k[1].getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream file = new ByteArrayOutputStream();
      file.write(String.format(good, 1).getBytes(StandardCharsets.UTF_8));
      file.write(String.format(good, 2).getBytes(StandardCharsets.UTF_8));
      file.write(broken);
      file.write('\n');
      file.write(String.format(good, 4).getBytes(StandardCharsets.UTF_8));
      SilverTransform.Counts c;
      try (SilverTransform.Load load = transform.new Load(rowsOut, rejectsOut)) {
        load.read(new ByteArrayInputStream(file.toByteArray()), LINEAGE);
        c = load.counts();
      }
      assertEquals(3, c.rows(), k[0] + ": " + rejectsOut);
      assertEquals(1, c.rejects(), k[0] + ": " + rejectsOut);
      JsonObject reject = lines(rejectsOut).get(0);
      assertEquals("MALFORMED_JSON", reject.get("reason").getAsString(), k[0]);
      assertEquals(3, reject.get("line").getAsLong(), k[0]);
      String message = reject.get("message").getAsString();
      assertTrue(message.startsWith("line 3, " + k[2] + ": ") && message.contains(k[3]), k[0] + ": " + message);
      assertEquals(new String(broken, StandardCharsets.UTF_8), reject.get("raw").getAsString(), k[0]);
    }
  }

  @Test
  void aRecordCutOffByTheEndOfAnNdjsonFile_isARejectAndTheRecordsBeforeItLoad() throws Exception {
    SilverTransform.Counts c = run("{\"id\":\"a\",\"name\":\"A\"}\n{\"id\":\"b\",\"name\":\"B\"}\n{\"id\":");
    assertEquals(2, c.rows());
    JsonObject reject = lines(rejectsOut).get(0);
    assertEquals("line 3, column 7: the record is not closed at the end of the file", reject.get("message").getAsString());
    assertEquals("{\"id\":", reject.get("raw").getAsString());
  }

  @Test
  void aLongBrokenLine_keepsABoundedExcerpt() throws Exception {
    String longLine = "{\"id\":\"x\",\"name\":\"" + "\u00e9".repeat(3000) + "\",,}";
    run("{\"id\":\"a\",\"name\":\"A\"}\n" + longLine + "\n");
    String raw = lines(rejectsOut).get(0).get("raw").getAsString();
    assertTrue(raw.endsWith("...") && raw.getBytes(StandardCharsets.UTF_8).length <= SilverTransform.RAW_EXCERPT + 3, raw.length() + " chars");
    assertTrue(longLine.startsWith(raw.substring(0, raw.length() - 3)), "cut before a character, not inside one");
  }

  @Test
  void oneObjectWrappingTheRecords_failsNamingTheKeyAndTheCount() {
    String[][] cases = {
        {"{\"data\":[{\"id\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"name\":\"B\"},{\"id\":\"c\",\"name\":\"C\"}]}",
            "is one JSON object holding an array of 3 objects under \"data\"; silver expects a JSON array of records or one record per line (NDJSON)"},
        {"{\n  \"results\": [\n    {\"id\": \"a\", \"name\": \"A\"}\n  ],\n  \"meta\": {\"count\": 1}\n}\n",
            "is one JSON object holding an array of 1 object under \"results\";"},
        {"{\"included\":[{\"x\":1}],\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"tags\":[\"t\"]}",
            "is one JSON object holding arrays of objects: 1 under \"included\", 2 under \"data\";"},
    };
    for (String[] c : cases) {
      rowsOut.reset();
      rejectsOut.reset();
      MalformedBronzeException e = assertThrows(MalformedBronzeException.class, () -> run(c[0]), c[0]);
      assertEquals(LINEAGE.sourceUri() + " " + c[1], e.getMessage().substring(0, LINEAGE.sourceUri().length() + 1 + c[1].length()));
    }
  }

  @Test
  void oneRealRecordInAFile_stillLoadsAsOneRecord() throws Exception {
    assertEquals(1, run("{\"id\":\"a\",\"name\":\"A\",\"tags\":[\"x\",\"y\"],\"owners\":[]}\n").rows());
    rowsOut.reset();
    // Two wrappers are two records: each is a reject, not a file-level failure.
    SilverTransform.Counts two = run("{\"data\":[{\"id\":\"a\"}]}\n{\"data\":[{\"id\":\"b\"}]}\n");
    assertEquals(2, two.rejects());
  }

  // ---- nested fields, arrays, timestamps and dates (IssuesFixture)

  private final SilverTransform issues = new SilverTransform(IssuesFixture.SCHEMA, IssuesFixture.MAPPING);

  private SilverTransform.Counts runIssues(String... objects) throws Exception {
    rowsOut.reset();
    rejectsOut.reset();
    try (SilverTransform.Load load = issues.new Load(rowsOut, rejectsOut)) {
      for (String o : objects) {
        load.read(new ByteArrayInputStream(o.getBytes(StandardCharsets.UTF_8)), LINEAGE);
      }
      return load.counts();
    }
  }

  private JsonObject issueRow(String record) throws Exception {
    runIssues("[" + record + "]");
    List<JsonObject> rows = lines(rowsOut);
    assertEquals(1, rows.size(), "rejects: " + rejectsOut);
    return rows.get(0);
  }

  /** The reject of one record: its reason and message. */
  private String issueReject(String record) throws Exception {
    runIssues("[" + record + "]");
    assertEquals(List.of(), lines(rowsOut));
    JsonObject reject = lines(rejectsOut).get(0);
    return reject.get("reason").getAsString() + " " + reject.get("message").getAsString();
  }

  @Test
  void nestedFieldsArraysAndTimes_becomeColumns() throws Exception {
    JsonObject row = issueRow(IssuesFixture.record(1347, ""));
    assertEquals(1347, row.get("issue_id").getAsLong());
    assertEquals("octocat", row.get("user_login").getAsString());
    assertEquals(JsonParser.parseString("[\"bug\",\"ui\"]"), row.get("label_names"), "each element's name, trimmed");
    assertEquals(JsonParser.parseString("[208045946,7]"), row.get("label_ids"));
    assertEquals(JsonParser.parseString("[\"en\",\"pt\"]"), row.get("languages"), "lowercased element by element");
    assertEquals("2011-04-22 13:33:48.000000", row.get("created_at").getAsString());
    assertFalse(row.has("closed_at"));
    assertEquals("1981-12-15", row.get("release_date").getAsString());
    assertEquals("https://open.spotify.com/show/x", row.get("spotify_url").getAsString());
  }

  @Test
  void nullOrMissingOnTheWay_isNull_andANullOrMissingArrayIsEmpty() throws Exception {
    for (String record : new String[] {
        "{\"id\":1,\"created_at\":\"2011-04-22T13:33:48Z\"}",
        "{\"id\":1,\"created_at\":\"2011-04-22T13:33:48Z\",\"user\":null,\"labels\":null,\"languages\":null,\"external_urls\":null}",
        "{\"id\":1,\"created_at\":\"2011-04-22T13:33:48Z\",\"user\":{},\"labels\":[],\"languages\":[],\"external_urls\":{\"x\":1}}",
        "{\"id\":1,\"created_at\":\"2011-04-22T13:33:48Z\",\"user\":{\"login\":\"  \"},\"external_urls\":{\"spotify\":null}}"}) {
      JsonObject row = issueRow(record);
      assertFalse(row.has("user_login") || row.has("spotify_url"), record + " -> " + row);
      for (String repeated : new String[] {"label_names", "label_ids", "languages"}) {
        assertEquals(new com.google.gson.JsonArray(), row.get(repeated), "written as [], never absent: " + record);
      }
    }
  }

  @Test
  void timestampsWithAZone_areWrittenAsTheirUtcInstant() throws Exception {
    String[][] cases = {
        {"2011-04-22T13:33:48Z", "2011-04-22 13:33:48.000000"},
        {" 2011-04-22t13:33:48z ", "2011-04-22 13:33:48.000000"},
        {"2011-04-22 13:33:48.5Z", "2011-04-22 13:33:48.500000"},
        {"2011-04-22T15:33:48.123456+02:00", "2011-04-22 13:33:48.123456"},
        {"2011-04-22T00:30:00-05:30", "2011-04-22 06:00:00.000000"},
        {"2024-03-01T01:00:00+02:00", "2024-02-29 23:00:00.000000"},
        {"9999-12-31T23:59:59.999999Z", "9999-12-31 23:59:59.999999"},
    };
    for (String[] c : cases) {
      JsonObject row = issueRow("{\"id\":1,\"created_at\":\"" + c[0] + "\"}");
      assertEquals(c[1], row.get("created_at").getAsString(), c[0]);
    }
  }

  @Test
  void anythingElseInATimestampOrDateColumn_isRejectedNamingTheField() throws Exception {
    String ok = "\"created_at\":\"2011-04-22T13:33:48Z\"";
    String[][] cases = {
        {"\"created_at\":\"2011-04-22T13:33:48\"", "INVALID_TIMESTAMP created_at: '2011-04-22T13:33:48' has no time zone"},
        {"\"created_at\":\"2011-04-22\"", "INVALID_TIMESTAMP created_at: '2011-04-22' is not an ISO 8601 timestamp"},
        {"\"created_at\":1303479228", "INVALID_TIMESTAMP created_at: a JSON number (1303479228) is not a timestamp"},
        {"\"created_at\":true", "INVALID_TIMESTAMP created_at: a JSON boolean (true) is not a timestamp"},
        {"\"created_at\":\"2024-02-30T10:00:00Z\"", "INVALID_TIMESTAMP created_at: '2024-02-30T10:00:00Z' is not a real date and time"},
        {"\"created_at\":\"2024-01-01T24:00:00Z\"", "INVALID_TIMESTAMP created_at: '2024-01-01T24:00:00Z' is not a real date and time"},
        {"\"created_at\":\"2024-01-01T10:00:00.1234567Z\"", "INVALID_TIMESTAMP created_at: '2024-01-01T10:00:00.1234567Z' has more than 6"},
        {"\"created_at\":\"2024-01-01T10:00:00+0200\"", "INVALID_TIMESTAMP created_at: '2024-01-01T10:00:00+0200' is not an ISO 8601"},
        {"\"created_at\":\"0001-01-01T00:30:00+01:00\"", "INVALID_TIMESTAMP created_at: '0001-01-01T00:30:00+01:00' is outside the years"},
        {"\"created_at\":\"yesterday\"", "INVALID_TIMESTAMP created_at: 'yesterday' is not an ISO 8601"},
        {"\"created_at\":{\"t\":1}", "WRONG_TYPE created_at: expected a timestamp, got a JSON object"},
        {"\"created_at\":\" \"", "MISSING_REQUIRED created_at is required"},
        {ok + ",\"closed_at\":\"2011-04-22\"", "INVALID_TIMESTAMP closed_at: '2011-04-22' is not an ISO 8601"},
        {ok + ",\"release_date\":\"2024-02-30\"", "INVALID_DATE release_date: '2024-02-30' is not a calendar date"},
        {ok + ",\"release_date\":\"2023-02-29\"", "INVALID_DATE release_date: '2023-02-29' is not a calendar date"},
        {ok + ",\"release_date\":\"1981-12\"", "INVALID_DATE release_date: '1981-12' is not a date (YYYY-MM-DD)"},
        {ok + ",\"release_date\":\"1981-12-15T00:00:00Z\"", "INVALID_DATE release_date: '1981-12-15T00:00:00Z' is not a date"},
        {ok + ",\"release_date\":19811215", "INVALID_DATE release_date: a JSON number (19811215) is not a date"},
    };
    for (String[] c : cases) {
      String got = issueReject("{\"id\":1," + c[0] + "}");
      assertTrue(got.startsWith(c[1]), c[0] + " -> " + got);
    }
    assertEquals("2024-02-29", issueRow("{\"id\":1," + ok + ",\"release_date\":\" 2024-02-29 \"}").get("release_date").getAsString());
  }

  @Test
  void eachFaultOnAPathOrInAnArray_isRejectedWithItsFieldPath() throws Exception {
    String ok = "\"id\":1,\"created_at\":\"2011-04-22T13:33:48Z\",";
    String[][] cases = {
        {"\"user\":\"octocat\"", "WRONG_TYPE user: expected an object, got a JSON string"},
        {"\"user\":[{\"login\":\"x\"}]", "WRONG_TYPE user: expected an object, got a JSON array"},
        {"\"user\":{\"login\":{\"a\":1}}", "WRONG_TYPE user.login: expected a string, got a JSON object"},
        {"\"external_urls\":7", "WRONG_TYPE external_urls: expected an object, got a JSON number"},
        {"\"labels\":{\"name\":\"bug\"}", "WRONG_TYPE labels: expected an array, got a JSON object"},
        {"\"labels\":[{\"name\":\"a\",\"id\":1},{\"name\":\"b\",\"id\":2},\"c\"]", "WRONG_TYPE labels[2]: expected an object, got a JSON string"},
        {"\"labels\":[{\"name\":\"a\",\"id\":1},{\"name\":\"b\",\"id\":2},{\"name\":[\"c\"],\"id\":3}]",
            "WRONG_TYPE labels[2].name: expected a string, got a JSON array"},
        {"\"labels\":[{\"name\":\"a\",\"id\":1},{\"id\":2}]", "MISSING_REQUIRED labels[1].name is required (an array element cannot be NULL)"},
        {"\"labels\":[{\"name\":\" \",\"id\":1}]", "MISSING_REQUIRED labels[0].name is required"},
        {"\"labels\":[null]", "MISSING_REQUIRED labels[0].name is required"},
        {"\"labels\":[{\"name\":\"a\",\"id\":\"x\"}]", "NOT_A_NUMBER labels[0].id: 'x' is not an integer"},
        {"\"labels\":[{\"name\":\"a\",\"id\":1},{\"name\":\"b\",\"id\":-1}]", "OUT_OF_RANGE labels[1].id: -1 is out of range"},
        {"\"languages\":\"en\"", "WRONG_TYPE languages: expected an array of string, got a JSON string"},
        {"\"languages\":[\"en\",null]", "MISSING_REQUIRED languages[1] is required (an array element cannot be NULL)"},
        {"\"languages\":[\"en\",{\"code\":\"pt\"}]", "WRONG_TYPE languages[1]: expected a string, got a JSON object"},
        {"\"languages\":[\"en\",[\"pt\"]]", "WRONG_TYPE languages[1]: expected a string, got a JSON array"},
    };
    for (String[] c : cases) {
      String got = issueReject("{" + ok + c[0] + "}");
      assertEquals(c[1], got.substring(0, Math.min(got.length(), c[1].length())), c[0] + " -> " + got);
    }
    // A number in a STRING array is its text, as in a STRING column.
    assertEquals(JsonParser.parseString("[\"1\",\"2.5\"]"), issueRow("{" + ok + "\"languages\":[1,2.5]}").get("languages"));
  }

  @Test
  void aRecordWithSeveralFaults_getsTheFirstColumnsReason_whateverTheFieldOrder() throws Exception {
    // title (a column before label_ids) is fine; user_login comes before label_names and created_at.
    String[] fields = {"\"id\":1", "\"user\":5", "\"labels\":[{\"name\":null}]", "\"created_at\":\"x\""};
    String forward = "{" + String.join(",", fields) + "}";
    java.util.List<String> reversed = new ArrayList<>(List.of(fields));
    java.util.Collections.reverse(reversed);
    String backward = "{" + String.join(",", reversed) + "}";
    assertEquals("WRONG_TYPE user: expected an object, got a JSON number", issueReject(forward));
    assertEquals("WRONG_TYPE user: expected an object, got a JSON number", issueReject(backward));
  }

  @Test
  void anIntegerKey_findsDuplicatesToo() throws Exception {
    SilverTransform.Counts c = runIssues("[" + IssuesFixture.record(7, "") + "," + IssuesFixture.record(7, "") + "]");
    assertEquals(1, c.rows());
    assertEquals(Map.of(RejectReason.DUPLICATE_KEY, 1L), c.rejectsByReason());
    assertEquals("issue_id 7 already seen in this load", lines(rejectsOut).get(0).get("message").getAsString());
  }

  @Test
  void aLoneRecordWithAnArrayOfObjectsItReads_isARecordNotAWrapper() throws Exception {
    assertEquals(1, runIssues(IssuesFixture.record(1, "") + "\n").rows(), "labels[] is read, so it wraps nothing");
    MalformedBronzeException e = assertThrows(MalformedBronzeException.class,
        () -> runIssues("{\"items\":[" + IssuesFixture.record(1, "") + "]}\n"));
    assertTrue(e.getMessage().contains("under \"items\""), e.getMessage());
  }

  @Test
  void pathsTheTableCannotTake_areRefusedWhenTheTransformIsMade() {
    String[][] cases = {
        {"labels[].name", "title", "the column must be REPEATED"},
        {"labels[]", "label_names", "ends at the array's elements"},
        {"a..b", "title", "empty field name"},
        {"a[0].b", "title", "only [] (each element of an array) may follow a field name"},
        {"a[].b[].c", "label_names", "more than one []"},
        {"user", "title", "meets another column's path at 'user'"},
    };
    for (String[] c : cases) {
      java.util.Map<String, String> renames = new java.util.HashMap<>(IssuesFixture.MAPPING.renames());
      renames.values().remove(c[1]);
      renames.put(c[0], c[1]);
      io.medallion.source.SilverMapping mapping = new io.medallion.source.SilverMapping(renames, "issue_id", Map.of(), java.util.Set.of());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SilverTransform(IssuesFixture.SCHEMA, mapping), c[0]);
      assertTrue(e.getMessage().startsWith("Source column ") && e.getMessage().contains(c[2]), c[0] + ": " + e.getMessage());
    }
  }
}
