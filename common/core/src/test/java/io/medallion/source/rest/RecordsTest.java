package io.medallion.source.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.medallion.source.Source.Incremental;
import io.medallion.source.Source.Incremental.Compare;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RecordsTest {

  private static List<JsonNode> records(String json, String selector) throws Exception {
    return Records.of(json.getBytes(StandardCharsets.UTF_8), selector);
  }

  @Test
  void selectsTheTopLevelArrayOrADotPath() throws Exception {
    assertEquals(2, records("[{\"id\":1},{\"id\":2}]", "$").size());
    assertEquals(1, records("{\"shows\":{\"items\":[{\"id\":\"s1\"}]}}", "shows.items").size());
    assertEquals("s1", Records.text(records("{\"shows\":{\"items\":[{\"id\":\"s1\"}]}}", "shows.items").get(0), "id")
        .orElseThrow());
    assertEquals(0, records("null", "$").size());
    assertEquals(0, records("{\"data\":null}", "data").size());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "[1,2,3]", "[]", "null", " [ {\"a\":[1,{\"b\":[]}]} , \"]\" ] ", "{\"a\":1}", "[1] [2]", "[1,", "''", "<html>",
  })
  void countingByStreaming_agreesWithSelecting(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Object streamed;
    Object selected;
    try {
      streamed = Records.countTopLevel(bytes);
    } catch (Records.UnexpectedBodyException e) {
      streamed = e.getMessage().replaceAll(" at byte \\d+|\\(.*\\)", "");
    }
    try {
      selected = Records.of(bytes, "$").size();
    } catch (Records.UnexpectedBodyException e) {
      selected = e.getMessage().replaceAll(" at byte \\d+|\\(.*\\)", "");
    }
    assertEquals(selected, streamed);
  }

  @Test
  void fieldsByDotPath_asText() throws Exception {
    JsonNode r = records("[{\"id\":7,\"user\":{\"login\":\"octo\",\"site_admin\":false},\"labels\":[\"a\"],\"n\":null}]", "$")
        .get(0);
    assertEquals(Optional.of("7"), Records.text(r, "id"));
    assertEquals(Optional.of("octo"), Records.text(r, "user.login"));
    assertEquals(Optional.of("false"), Records.text(r, "user.site_admin"));
    assertEquals(Optional.of("[\"a\"]"), Records.text(r, "labels"));
    assertEquals(Optional.empty(), Records.text(r, "n"));
    assertEquals(Optional.empty(), Records.text(r, "user.login.more"));
    assertEquals(Optional.empty(), Records.text(r, "missing"));
  }

  @ParameterizedTest
  @CsvSource({
    "2026-01-02T10:00:00Z, 2026-01-02T10:00:00Z",
    "2026-01-02T10:00:00.123456Z, 2026-01-02T10:00:00.123456Z",
    "2026-01-02T11:00:00+01:00, 2026-01-02T10:00:00Z",
    "2026-01-02T05:00:00.5-05:00, 2026-01-02T10:00:00.5Z",
    "2026-01-02T10:00:00, 2026-01-02T10:00:00Z",
    "2026-01-02, 2026-01-02T00:00:00Z",
  })
  void timestamps_withOrWithoutFraction_zOrOffset(String text, String instant) {
    assertEquals(Instant.parse(instant), Records.timestamp(text));
  }

  private static Incremental cursor(Compare how) {
    return new Incremental("v", "since", "0", how);
  }

  @Test
  void maxCursor_comparesAsDeclared() throws Exception {
    List<JsonNode> rs = records("[{\"v\":\"9\"},{\"v\":\"10\"},{\"x\":1},{\"v\":null},{\"v\":2.5}]", "$");
    assertEquals(Optional.of("10"), Records.maxCursor(rs, cursor(Compare.NUMBER)));
    assertEquals(Optional.of("9"), Records.maxCursor(rs, cursor(Compare.TEXT)));
    assertEquals(Optional.empty(), Records.maxCursor(records("[{}]", "$"), cursor(Compare.TIMESTAMP)));
    List<JsonNode> times = records("[{\"v\":\"2026-01-02T10:00:00Z\"},{\"v\":\"2026-01-02T10:30:00+01:00\"}]", "$");
    assertEquals(Optional.of("2026-01-02T10:00:00Z"), Records.maxCursor(times, cursor(Compare.TIMESTAMP)));
    Records.UnexpectedBodyException e = assertThrows(Records.UnexpectedBodyException.class,
        () -> Records.maxCursor(records("[{\"v\":1},{\"v\":\"ten\"}]", "$"), cursor(Compare.NUMBER)));
    assertEquals("record 2: v is 'ten', not a number (incremental.compare is number)", e.getMessage());
  }

  @Test
  void compare_forTheHighWaterMarkOfSeveralPages() {
    assertTrue(Records.compare("2026-01-02T10:00:00Z", "2026-01-02T10:30:00+01:00", Compare.TIMESTAMP) > 0);
    assertTrue(Records.compare("10", "9", Compare.NUMBER) > 0);
    assertTrue(Records.compare("10", "9", Compare.TEXT) < 0);
    assertThrows(IllegalArgumentException.class, () -> Records.compare("x", "9", Compare.NUMBER));
  }
}
