package io.medallion.run;

import io.medallion.port.JobIds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Run ids: {@code yyyymmdd-hhmmss-xxxxxxxx}, readable, sortable and valid as a BigQuery label
 * value. Derived from the triggering message, so a redelivered message continues the same run.
 */
public final class RunIds {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  /** A run id for a start message published at {@code publishTime} with {@code messageId}. */
  public static String forMessage(Instant publishTime, String messageId) {
    return STAMP.format(publishTime) + "-" + JobIds.derive("m", messageId).substring(2, 10);
  }

  /** The run id of a file dropped into bronze: one run per object version. */
  public static String forDrop(String bucket, String name, long generation) {
    return "drop-" + JobIds.derive("d", bucket, name, Long.toString(generation)).substring(2, 18);
  }
}
