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

  /** An independent reading of the TIMESTAMP rule, with java.time: the canonical UTC text, or null. */
  private static final Pattern TIMESTAMP =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[Tt ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");
  private static final java.time.format.DateTimeFormatter CANONICAL =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(java.time.ZoneOffset.UTC);

  private static String oracleTimestamp(String s) {
    java.util.regex.Matcher m = TIMESTAMP.matcher(s);
    if (!m.matches()) {
      return null;
    }
    try {
      int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000").substring(0, 6)) * 1000;
      java.time.LocalDateTime local = java.time.LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)), nanos);
      java.time.ZoneOffset offset = m.group(8) != null ? java.time.ZoneOffset.UTC
          : java.time.ZoneOffset.ofHoursMinutes(Integer.parseInt(m.group(9) + m.group(10)), Integer.parseInt(m.group(9) + m.group(11)));
      java.time.Instant instant = local.toInstant(offset);
      int year = instant.atOffset(java.time.ZoneOffset.UTC).getYear();
      return local.getYear() == 0 || year < 1 || year > 9999 ? null : CANONICAL.format(instant);
    } catch (java.time.DateTimeException e) {
      return null;
    }
  }

  @Test
  void timestamp_acceptsAndConvertsExactlyWhatJavaTimeDoes() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(15);
    String[] seeds = {
        "2011-04-22T13:33:48Z", "2024-02-29T23:59:59.999999-00:30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+18:00",
        "1999-12-31 23:00:00.5+01:00", "2000-02-29t12:00:00z", "1900-02-28T12:00:00.000001-18:00", "2023-06-30T23:59:59+14:00",
    };
    String alphabet = "0123456789-:T Z+.z9";
    int accepted = 0;
    for (int n = 0; n < 200_000; n++) {
      StringBuilder s = new StringBuilder(seeds[r.nextInt(seeds.length)]);
      for (int k = r.nextInt(4); k > 0 && s.length() > 0; k--) {
        int at = r.nextInt(s.length());
        switch (r.nextInt(4)) {
          case 0 -> s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
          case 1 -> s.deleteCharAt(at);
          case 2 -> s.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
          default -> s.setCharAt(at, Character.isDigit(s.charAt(at)) ? (char) ('0' + r.nextInt(10)) : s.charAt(at));
        }
      }
      String text = s.toString();
      String expected = oracleTimestamp(text);
      Object got = SilverTime.timestamp(text);
      assertEquals(expected, got instanceof String ? got : null, "'" + text + "' -> " + got);
      accepted += expected == null ? 0 : 1;
    }
    // Both sides of the rule are exercised.
    org.junit.jupiter.api.Assertions.assertTrue(accepted > 20_000 && accepted < 180_000, accepted + " accepted");
  }

  @Test
  void timestamp_saysWhyNot() {
    assertEquals(SilverTime.Problem.NO_ZONE, SilverTime.timestamp("2011-04-22T13:33:48"));
    assertEquals(SilverTime.Problem.NO_ZONE, SilverTime.timestamp("2011-04-22T13:33:48.25"));
    assertEquals(SilverTime.Problem.TOO_PRECISE, SilverTime.timestamp("2011-04-22T13:33:48.1234567Z"));
    assertEquals(SilverTime.Problem.NOT_REAL, SilverTime.timestamp("2011-02-29T13:33:48Z"));
    assertEquals(SilverTime.Problem.NOT_REAL, SilverTime.timestamp("2011-04-22T13:33:60Z"));
    assertEquals(SilverTime.Problem.NOT_REAL, SilverTime.timestamp("2011-04-22T13:33:48+18:01"));
    assertEquals(SilverTime.Problem.OUT_OF_RANGE, SilverTime.timestamp("9999-12-31T23:59:59-00:01"));
    assertEquals(SilverTime.Problem.MALFORMED, SilverTime.timestamp("1303479228"));
    assertEquals(SilverTime.Problem.MALFORMED, SilverTime.timestamp("2011-04-22T13:33Z"));
  }

  @Test
  void date_acceptsExactlyTheCalendarDaysJavaTimeDoes() {
    java.time.LocalDate day = java.time.LocalDate.of(1582, 1, 1);
    for (int i = 0; i < 200_000; i++, day = day.plusDays(1)) {
      assertEquals(day.toString(), SilverTime.date(day.toString()));
    }
    for (String bad : new String[] {"2024-02-30", "2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01",
        "2024-1-01", "24-01-01", "2024/01/01", "2024-01-01T00:00:00Z", "20240101", "2024-01-01 "}) {
      org.junit.jupiter.api.Assertions.assertTrue(SilverTime.date(bad) instanceof SilverTime.Problem, bad);
    }
    assertEquals("2000-02-29", SilverTime.date("2000-02-29"));
  }
}
