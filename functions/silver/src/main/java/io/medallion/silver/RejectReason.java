package io.medallion.silver;

/** Why silver refused a bronze record; each reject carries one. */
public enum RejectReason {
  /**
   * A record of NDJSON that is not JSON (a broken line); the reject keeps its line and an excerpt
   * of its text. In a JSON array a fault fails the whole object instead.
   */
  MALFORMED_JSON,
  /** The array element or NDJSON line is not a JSON object. */
  NOT_AN_OBJECT,
  /** A REQUIRED column is missing, null or blank. */
  MISSING_REQUIRED,
  /** An object or array where a scalar belongs. */
  WRONG_TYPE,
  /** Text that does not parse as the column's number type. */
  NOT_A_NUMBER,
  /** A number outside the column's allowed range. */
  OUT_OF_RANGE,
  /** The business key was already seen in this load. */
  DUPLICATE_KEY
}
