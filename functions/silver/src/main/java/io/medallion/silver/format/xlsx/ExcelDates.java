package io.medallion.silver.format.xlsx;

import io.medallion.schema.FieldType;
import java.time.LocalDate;

/**
 * Excel's serial dates as ISO text: a number of days, the fraction the time of day. In the 1900
 * system (the default) day 1 is 1900-01-01 and day 60 is 1900-02-29, a day that never was (Lotus
 * 1-2-3 took 1900 for a leap year and Excel kept it), so days after it are one less than counted;
 * in the 1904 system (old Mac workbooks, {@code <workbookPr date1904="1"/>}) day 0 is 1904-01-01.
 */
final class ExcelDates {
  private static final long MILLIS_PER_DAY = 86_400_000L;
  /** Day 60 of the 1900 system: not a date, so left as text a DATE column rejects. */
  static final String LEAP_YEAR_BUG_DAY = "1900-02-29";

  private ExcelDates() {}

  /**
   * Serial {@code serial} as ISO text for a column of {@code type} (DATE, DATETIME, TIMESTAMP,
   * TIME, or a STRING column that shows a date cell as text). A DATE given a time of day, or a
   * TIME a day, is written with both, so the typer rejects it rather than lose part of it; a
   * negative serial (no date in Excel) is returned as null for the caller to keep the number.
   */
  static String iso(double serial, boolean date1904, FieldType type) {
    if (!(serial >= 0) || serial > 2_958_465) { // 9999-12-31, Excel's last day
      return null;
    }
    long days = (long) Math.floor(serial);
    long millis = Math.round((serial - days) * MILLIS_PER_DAY);
    if (millis == MILLIS_PER_DAY) {
      days++;
      millis = 0;
    }
    String date = date(days, date1904);
    String time = time(millis);
    if (type == FieldType.TIME) {
      return days == 0 ? time : date + "T" + time;
    }
    if (type == FieldType.DATE || type == FieldType.STRING) {
      return millis == 0 ? date : date + "T" + time;
    }
    return date + "T" + time;
  }

  private static String date(long days, boolean date1904) {
    if (!date1904 && days == 60) {
      return LEAP_YEAR_BUG_DAY;
    }
    LocalDate d = date1904
        ? LocalDate.of(1904, 1, 1).plusDays(days)
        : (days < 60 ? LocalDate.of(1899, 12, 31) : LocalDate.of(1899, 12, 30)).plusDays(days);
    // By hand: LocalDate.toString and String.format cost more than the rest of a cell.
    char[] c = new char[10];
    put(c, 0, d.getYear(), 4);
    c[4] = '-';
    put(c, 5, d.getMonthValue(), 2);
    c[7] = '-';
    put(c, 8, d.getDayOfMonth(), 2);
    return new String(c);
  }

  /** {@code hh:mm:ss}, with milliseconds when there are any. */
  private static String time(long millis) {
    int ms = (int) (millis % 1000);
    long seconds = millis / 1000;
    char[] c = new char[ms == 0 ? 8 : 12];
    put(c, 0, (int) (seconds / 3600), 2);
    c[2] = ':';
    put(c, 3, (int) (seconds / 60 % 60), 2);
    c[5] = ':';
    put(c, 6, (int) (seconds % 60), 2);
    if (ms != 0) {
      c[8] = '.';
      put(c, 9, ms, 3);
    }
    return new String(c);
  }

  private static void put(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
