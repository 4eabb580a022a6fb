package io.medallion.silver.format.xlsx;

import io.medallion.schema.FieldType;
import java.time.LocalDate;
import java.time.LocalTime;

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
    if (date1904) {
      return LocalDate.of(1904, 1, 1).plusDays(days).toString();
    }
    if (days == 60) {
      return LEAP_YEAR_BUG_DAY;
    }
    return (days < 60 ? LocalDate.of(1899, 12, 31) : LocalDate.of(1899, 12, 30)).plusDays(days).toString();
  }

  /** {@code hh:mm:ss}, with milliseconds when there are any. */
  private static String time(long millis) {
    LocalTime t = LocalTime.ofNanoOfDay(millis * 1_000_000L);
    String hms = String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
    int ms = (int) (millis % 1000);
    return ms == 0 ? hms : hms + String.format(".%03d", ms);
  }
}
