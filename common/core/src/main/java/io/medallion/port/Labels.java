package io.medallion.port;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * BigQuery job labels: the keys and values the pipeline marks its jobs with (the log sink in
 * terraform/logging.tf filters on them), and the label rules, checked before a job is sent rather
 * than after it is refused.
 */
public final class Labels {

  /** Key of the label every pipeline job carries, with value {@link #PIPELINE_NAME}. */
  public static final String PIPELINE = "pipeline";
  public static final String PIPELINE_NAME = "medallion";
  /** Key of the layer label: {@code silver} on load jobs, {@code gold} on model jobs, {@code ops}. */
  public static final String LAYER = "layer";

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  private static final Pattern VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

  private Labels() {}

  /** True when {@code value} may be a label value (so it can be attached rather than refused). */
  public static boolean isValidValue(String value) {
    return value != null && VALUE.matcher(value).matches();
  }

  public static void requireValid(Map<String, String> labels) {
    labels.forEach(
        (k, v) -> {
          if (!KEY.matcher(k).matches() || !VALUE.matcher(v).matches()) {
            throw new IllegalArgumentException(
                "Invalid job label " + k + "=" + v + ": lowercase letters, digits, _ and - only");
          }
        });
  }
}
