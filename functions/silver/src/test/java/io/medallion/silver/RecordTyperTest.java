package io.medallion.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecordTyperTest {

  /** The pattern the hand-written check replaces, as the oracle. */
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Test
  void isDecimal_acceptsExactlyWhatThePatternAccepts() {
    List<String> inputs = List.of(
        "0", "-0", "+1", "12", "1.", "1.5", ".5", "-.5", "+.5e3", "1e5", "1E-5", "1.e+7", "-97.46818222",
        "", "+", "-", ".", "-.", "e5", ".e5", "1e", "1e+", "1.5.2", "1,5", "NaN", "Infinity", "0x1p3", "1d", "1f",
        "１２", "1 ", " 1", "--1", "1e5.5", "٣");
    for (String s : inputs) {
      assertEquals(DECIMAL.matcher(s).matches(), RecordTyper.isDecimal(s), "'" + s + "'");
    }
  }

  @Test
  void plainString_isReadAtTheParsersOffsetInTheSource() {
    // A parser restarted after a broken record counts from where it starts, not from the batch's start.
    byte[] batch = "{\"id\":,}  {\"id\":\"b1\"}".getBytes(StandardCharsets.UTF_8);
    int restart = 10;
    RecordTyper.Utf8 id = RecordTyper.plainString(batch, restart, 6, 100);
    assertEquals("b1", String.valueOf(id));
    assertNull(RecordTyper.plainString(batch, restart, -1, 100), "no location, no slice");
  }
}
