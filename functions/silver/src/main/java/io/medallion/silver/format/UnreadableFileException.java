package io.medallion.silver.format;

import java.io.IOException;

/**
 * A dropped file that cannot be read as records at all: empty, a header that does not match the
 * declaration, an unterminated quote, bytes that are not the declared encoding, a spreadsheet
 * that is corrupt, protected or a zip bomb. The file is refused whole (quarantined with a report),
 * unlike a bad row, which is a reject among the others.
 */
public final class UnreadableFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The stable codes of {@link #reason()}: reports and tests name them. */
  public static final String EMPTY_FILE = "EMPTY_FILE";
  public static final String CORRUPT_GZIP = "CORRUPT_GZIP";
  public static final String NO_HEADER = "NO_HEADER";
  public static final String MISSING_COLUMNS = "MISSING_COLUMNS";
  public static final String WRONG_DELIMITER = "WRONG_DELIMITER";
  public static final String DUPLICATE_HEADER = "DUPLICATE_HEADER";
  public static final String RESERVED_HEADER = "RESERVED_HEADER";
  public static final String UNTERMINATED_QUOTE = "UNTERMINATED_QUOTE";
  public static final String MALFORMED_CSV = "MALFORMED_CSV";
  public static final String INVALID_ENCODING = "INVALID_ENCODING";
  public static final String NOT_XLSX = "NOT_XLSX";
  public static final String CORRUPT_XLSX = "CORRUPT_XLSX";
  public static final String PASSWORD_PROTECTED = "PASSWORD_PROTECTED";
  public static final String SHEET_NOT_FOUND = "SHEET_NOT_FOUND";
  public static final String EMPTY_SHEET = "EMPTY_SHEET";
  public static final String ZIP_BOMB = "ZIP_BOMB";

  private final String reason;
  private final String detail;

  public UnreadableFileException(String reason, String uri, String detail) {
    this(reason, uri, detail, null);
  }

  public UnreadableFileException(String reason, String uri, String detail, Throwable cause) {
    super(uri + ": " + reason + ": " + detail, cause);
    this.reason = reason;
    this.detail = detail;
  }

  /** One of the codes above, for the quarantine report and for counting. */
  public String reason() {
    return reason;
  }

  /** What is wrong and where (line or row numbers), for a person to fix the file. */
  public String detail() {
    return detail;
  }
}
