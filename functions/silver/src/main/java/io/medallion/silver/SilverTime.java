package io.medallion.silver;

import java.util.List;

/**
 * Reads TIMESTAMP and DATE values of source records and writes them in the one form silver rows
 * carry.
 *
 * <p>A TIMESTAMP is ISO 8601 as RFC 3339 profiles it: {@code YYYY-MM-DDThh:mm:ss}, an optional
 * fraction of 1 to 6 digits, and a zone, {@code Z} or {@code ±hh:mm} ({@code t}, {@code z} and a
 * space for the {@code T} are taken too). It is written as its UTC instant, {@code YYYY-MM-DD
 * hh:mm:ss.ffffff}: BigQuery's canonical TIMESTAMP text, which a JSON load reads as UTC when it
 * carries no zone (https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-json:
 * "YYYY-MM-DD" dates with dashes and an "hh:mm:ss" time with colons;
 * https://cloud.google.com/bigquery/docs/reference/standard-sql/data-types#timestamp_type: "When a
 * time zone is not explicitly specified, the default time zone, UTC, is used"), and which the
 * local warehouse casts as UTC. Silver's own {@code _ingested_at} has the same form.
 *
 * <p>Refused, never guessed: a timestamp without a zone (whose instant depends on a zone the
 * source does not say), a fraction finer than BigQuery's microseconds (never rounded), a day or
 * time that does not exist, and an instant outside BigQuery's years 0001 to 9999.
 *
 * <p>A DATE is {@code YYYY-MM-DD} exactly, a day of the proleptic Gregorian calendar, written as
 * it came.
 */
final class SilverTime {

  private SilverTime() {}

  /** Why a text is not a TIMESTAMP or DATE. */
  enum Problem {
    NO_ZONE("has no time zone (Z or \u00b1hh:mm): the instant it means is unknown"),
    TOO_PRECISE("has more than 6 fractional digits: BigQuery keeps microseconds"),
    NOT_REAL("is not a real date and time"),
    OUT_OF_RANGE("is outside the years 0001 to 9999 in UTC"),
    MALFORMED("is not an ISO 8601 timestamp with a time zone (2011-04-22T13:33:48Z)"),
    IN_GAP("does not exist in the source's time zone (the clocks skipped it)"),
    AMBIGUOUS("happens twice in the source's time zone (the clocks went back): which instant is meant is unknown"),
    HAS_ZONE("has a time zone: a DATETIME is a civil date and time without one (declare a TIMESTAMP column)"),
    NOT_A_DATETIME("is not an ISO 8601 date and time (2024-02-29T13:33:48, up to 6 fractional digits)"),
    NOT_A_TIME("is not a time of day (hh:mm:ss, up to 6 fractional digits)"),
    NOT_A_DAY("is not a calendar date"),
    NOT_A_DATE("is not a date (YYYY-MM-DD)");

    final String why;

    Problem(String why) {
      this.why = why;
    }
  }

  /**
   * {@code text} (stripped, not blank) as the UTC text silver writes, or the {@link Problem} that
   * keeps it from being a timestamp.
   */
  static Object timestamp(String text) {
    return timestamp(text, null);
  }

  /**
   * As {@link #timestamp(String)}, but text without a zone is in {@code zone} (the source's declared
   * one) when it is not null: a local time the zone skips or repeats is refused, never guessed.
   */
  static Object timestamp(String text, java.time.ZoneId defaultZone) {
    int n = text.length();
    if (n < 19 || !datePart(text) || text.charAt(10) != 'T' && text.charAt(10) != 't' && text.charAt(10) != ' '
        || !digits(text, 11, 13) || text.charAt(13) != ':' || !digits(text, 14, 16) || text.charAt(16) != ':'
        || !digits(text, 17, 19)) {
      return Problem.MALFORMED;
    }
    int i = 19;
    int micros = 0;
    if (i < n && text.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      int count = i - start;
      if (count == 0) {
        return Problem.MALFORMED;
      }
      if (count > 6) {
        return Problem.TOO_PRECISE;
      }
      micros = number(text, start, i);
      for (int k = count; k < 6; k++) {
        micros *= 10;
      }
    }
    int offsetMinutes;
    char zone = i == n ? 0 : text.charAt(i);
    if (i == n) {
      if (defaultZone == null) {
        return Problem.NO_ZONE;
      }
      int y = number(text, 0, 4);
      int mo = number(text, 5, 7);
      int d = number(text, 8, 10);
      int h = number(text, 11, 13);
      int mi = number(text, 14, 16);
      int se = number(text, 17, 19);
      if (y < 1 || !realDay(y, mo, d) || h > 23 || mi > 59 || se > 59) {
        return Problem.NOT_REAL;
      }
      List<java.time.ZoneOffset> offsets =
          defaultZone.getRules().getValidOffsets(java.time.LocalDateTime.of(y, mo, d, h, mi, se));
      if (offsets.isEmpty()) {
        return Problem.IN_GAP;
      }
      if (offsets.size() > 1) {
        return Problem.AMBIGUOUS;
      }
      offsetMinutes = offsets.get(0).getTotalSeconds() / 60;
    } else if ((zone == 'Z' || zone == 'z') && i + 1 == n) {
      offsetMinutes = 0;
    } else if ((zone == '+' || zone == '-') && i + 6 == n && digits(text, i + 1, i + 3) && text.charAt(i + 3) == ':'
        && digits(text, i + 4, i + 6)) {
      int hours = number(text, i + 1, i + 3);
      int minutes = number(text, i + 4, i + 6);
      if (minutes > 59 || hours * 60 + minutes > 18 * 60) {
        return Problem.NOT_REAL;
      }
      offsetMinutes = (zone == '-' ? -1 : 1) * (hours * 60 + minutes);
    } else {
      return Problem.MALFORMED;
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 7);
    int day = number(text, 8, 10);
    int hour = number(text, 11, 13);
    int minute = number(text, 14, 16);
    int second = number(text, 17, 19);
    if (!realDay(year, month, day) || hour > 23 || minute > 59 || second > 59) {
      return Problem.NOT_REAL;
    }
    if (offsetMinutes != 0) {
      long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second
          - offsetMinutes * 60L;
      long days = Math.floorDiv(seconds, 86_400L);
      int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
      long civil = civilFromDays(days);
      year = (int) (civil >> 9);
      month = (int) (civil >> 5) & 0xF;
      day = (int) civil & 0x1F;
      hour = secondOfDay / 3_600;
      minute = secondOfDay / 60 % 60;
      second = secondOfDay % 60;
    }
    if (year < 1 || year > 9999) {
      return Problem.OUT_OF_RANGE;
    }
    char[] out = new char[26];
    put(out, 0, year, 4);
    out[4] = '-';
    put(out, 5, month, 2);
    out[7] = '-';
    put(out, 8, day, 2);
    out[10] = ' ';
    put(out, 11, hour, 2);
    out[13] = ':';
    put(out, 14, minute, 2);
    out[16] = ':';
    put(out, 17, second, 2);
    out[19] = '.';
    put(out, 20, micros, 6);
    return new String(out);
  }

  /**
   * {@code text} (stripped, not blank) as BigQuery's canonical DATETIME text ({@code YYYY-MM-DD
   * hh:mm:ss.ffffff}), or the {@link Problem}: {@code T}, {@code t} or a space between date and
   * time, 1 to 6 fractional digits, and no zone.
   */
  static Object datetime(String text) {
    int n = text.length();
    if (n < 19 || !datePart(text) || text.charAt(10) != 'T' && text.charAt(10) != 't' && text.charAt(10) != ' ') {
      return Problem.NOT_A_DATETIME;
    }
    Object time = time(text.substring(11));
    if (time == Problem.HAS_ZONE) {
      return time;
    }
    if (time instanceof Problem) {
      return time == Problem.NOT_REAL || time == Problem.TOO_PRECISE ? time : Problem.NOT_A_DATETIME;
    }
    int year = number(text, 0, 4);
    if (year < 1 || !realDay(year, number(text, 5, 7), number(text, 8, 10))) {
      return Problem.NOT_REAL;
    }
    return text.substring(0, 10) + " " + time;
  }

  /** {@code hh:mm:ss[.f{1,6}]} as {@code hh:mm:ss.ffffff}, or the {@link Problem}. */
  static Object time(String text) {
    int n = text.length();
    if (n < 8 || !digits(text, 0, 2) || text.charAt(2) != ':' || !digits(text, 3, 5) || text.charAt(5) != ':'
        || !digits(text, 6, 8)) {
      return Problem.NOT_A_TIME;
    }
    int i = 8;
    int micros = 0;
    if (i < n && text.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(text.charAt(i))) {
        i++;
      }
      if (i == start) {
        return Problem.NOT_A_TIME;
      }
      if (i - start > 6) {
        return Problem.TOO_PRECISE;
      }
      micros = number(text, start, i);
      for (int k = i - start; k < 6; k++) {
        micros *= 10;
      }
    }
    if (i < n) {
      char c = text.charAt(i);
      return c == 'Z' || c == 'z' || c == '+' || c == '-' ? Problem.HAS_ZONE : Problem.NOT_A_TIME;
    }
    if (number(text, 0, 2) > 23 || number(text, 3, 5) > 59 || number(text, 6, 8) > 59) {
      return Problem.NOT_REAL;
    }
    char[] out = new char[15];
    text.getChars(0, 8, out, 0);
    out[8] = '.';
    put(out, 9, micros, 6);
    return new String(out);
  }

  /** {@code text} (stripped, not blank) if it is a DATE, else the {@link Problem}. */
  static Object date(String text) {
    if (text.length() != 10 || !datePart(text)) {
      return Problem.NOT_A_DATE;
    }
    int year = number(text, 0, 4);
    return year >= 1 && realDay(year, number(text, 5, 7), number(text, 8, 10)) ? text : Problem.NOT_A_DAY;
  }

  /** {@code YYYY-MM-DD} at the start: digits and dashes, not yet checked as a day. */
  private static boolean datePart(String s) {
    return s.length() >= 10 && digits(s, 0, 4) && s.charAt(4) == '-' && digits(s, 5, 7) && s.charAt(7) == '-' && digits(s, 8, 10);
  }

  private static boolean realDay(int year, int month, int day) {
    return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
  }

  private static int daysIn(int year, int month) {
    return switch (month) {
      case 2 -> year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  static long daysFromCivil(long year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    long era = Math.floorDiv(year, 400);
    long yearOfEra = year - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** The date of a day since 1970-01-01, packed as {@code year << 9 | month << 5 | day}. */
  static long civilFromDays(long days) {
    days += 719_468;
    long era = Math.floorDiv(days, 146_097);
    long dayOfEra = days - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long mp = (5 * dayOfYear + 2) / 153;
    int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    return year << 9 | (long) month << 5 | day;
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static int number(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      v = v * 10 + (s.charAt(i) - '0');
    }
    return v;
  }

  private static void put(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
