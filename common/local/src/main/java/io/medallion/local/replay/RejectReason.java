package io.medallion.local.replay;

/**
 * Why silver rejects a brewery record instead of loading it. See {@link BreweryGenerator} for the
 * rules.
 */
public enum RejectReason {
  /** {@code id} or {@code name} is missing, null, or blank after trimming. */
  MISSING_REQUIRED,
  /** A string column holds a JSON object or array. */
  WRONG_TYPE,
  /** {@code longitude} or {@code latitude} is text that is not a number. */
  NOT_A_NUMBER,
  /** latitude outside [-90, 90] or longitude outside [-180, 180]. */
  OUT_OF_RANGE,
  /** An earlier record of the same load already has this {@code brewery_id}. */
  DUPLICATE_KEY
}
