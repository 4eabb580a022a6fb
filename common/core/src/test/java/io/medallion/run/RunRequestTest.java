package io.medallion.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class RunRequestTest {

  private static RunRequest parse(String json) throws InvalidEventException {
    return RunRequest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String reason(String json) {
    return assertThrows(InvalidEventException.class, () -> parse(json)).getMessage();
  }

  @Test
  void minimalRequest_hasOnlyASource() throws Exception {
    RunRequest r = parse("{\"source\":\"breweries\"}");
    assertEquals("breweries", r.source());
    assertNull(r.runId());
    assertNull(r.startPage());
  }

  @Test
  void fullRequest_roundTrips() throws Exception {
    RunRequest r = new RunRequest("breweries", "20261123-090000-abcdef12", 7, LocalDate.parse("2026-11-23"));
    assertEquals(r, parse(r.toJson()));
    RunRequest withUrl = r.withSourceUrl(java.net.URI.create("https://api.openbrewerydb.org"));
    assertEquals(withUrl, parse(withUrl.toJson()));
    RunRequest replay = r.withSourceUrl(java.net.URI.create("replay:breweries?records=300&seed=7"));
    assertEquals(replay, parse(replay.toJson()));
  }

  @Test
  void badInput_getsAClearReason() {
    assertTrue(reason("{\"source\":").contains("not valid JSON"));
    assertTrue(reason("").contains("empty"));
    assertTrue(reason("{}").contains("source"));
    assertTrue(reason("{\"source\":\"breweries\",\"extra\":1}").contains("extra"));
    assertTrue(reason("{\"source\":\"Breweries; drop table x\"}").contains("source"));
    assertTrue(reason("{\"source\":\"breweries\",\"run_id\":\"UPPER case\"}").contains("run_id"));
    assertTrue(reason("{\"source\":\"breweries\",\"start_page\":0}").contains("start_page"));
    assertTrue(reason("{\"source\":\"breweries\",\"source_url\":\"https://u:p@api.example.com\"}").contains("source_url"));
    assertTrue(reason("{\"source\":\"breweries\",\"source_url\":\"file:///etc/passwd\"}").contains("source_url"));
    assertTrue(reason("{\"source\":\"breweries\",\"ingest_date\":\"2026-02-30\"}").contains("ingest_date"));
    assertTrue(reason("[\"breweries\"]").contains("schema"));
  }

  @Test
  void nonUtf8OrOversize_isRejectedBeforeParsing() {
    assertTrue(assertThrows(InvalidEventException.class, () -> RunRequest.parse(new byte[] {(byte) 0xff, (byte) 0xfe}))
        .getMessage().contains("UTF-8"));
    byte[] big = ("{\"source\":\"" + "a".repeat(RunRequest.MAX_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertTrue(assertThrows(InvalidEventException.class, () -> RunRequest.parse(big)).getMessage().contains("bytes"));
  }

  @Test
  void runIds_areDeterministicPerMessageAndLabelSafe() {
    var t = java.time.Instant.parse("2026-11-23T09:26:13Z");
    assertEquals(RunIds.forMessage(t, "m1"), RunIds.forMessage(t, "m1"));
    assertTrue(RunIds.forMessage(t, "m1").matches("20261123-092613-[0-9a-f]{8}"));
    assertTrue(!RunIds.forMessage(t, "m1").equals(RunIds.forMessage(t, "m2")));
    assertTrue(RunIds.forDrop("b", "breweries/x.json", 5).matches("drop-[0-9a-f]{16}"));
  }
}
