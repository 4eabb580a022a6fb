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
  /**
   * A REQUIRED column is missing, null or blank, or so is an element of an array (a REPEATED
   * column holds no NULL).
   */
  MISSING_REQUIRED,
  /**
   * An object or array where a scalar belongs, a scalar where an object or array does (on a path
   * to a nested field, or for a REPEATED column), or text that is not a boolean.
   */
  WRONG_TYPE,
  /** Text that does not parse as the column's number type. */
  NOT_A_NUMBER,
  /** A number outside the column's allowed range. */
  OUT_OF_RANGE,
  /** The business key was already seen in this load. */
  DUPLICATE_KEY,
  /**
   * Not an ISO 8601 timestamp with a time zone (or one the source's declared zone makes an instant
   * of), not a real instant in BigQuery's range, or not a DATETIME or TIME; a number is none of
   * them.
   */
  INVALID_TIMESTAMP,
  /** Not a {@code YYYY-MM-DD} calendar date. */
  INVALID_DATE,
  /** A field appears twice in one JSON object: which value is meant is unknown, so none is picked. */
  DUPLICATE_FIELD,
  /** A field no column reads, in a source that declares {@code unknown_fields: reject}. */
  UNKNOWN_FIELD,
  /**
   * A row of a CSV file with more or fewer fields than its header: which value belongs to which
   * column is unknown. The reject keeps the row's fields (those beyond the header under {@code _surplus}).
   */
  RAGGED_ROW,
  /** A spreadsheet row with an error cell ({@code #DIV/0!}, {@code #N/A}, ...): the reject names the cell. */
  CELL_ERROR
}
