package io.medallion.silver.format;

import java.io.IOException;

/** A dropped file that cannot be read as its declared format: it is quarantined, with this as its report. */
public final class UnreadableFileException extends IOException {
  private final String reason;
  private final String detail;

  public UnreadableFileException(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
    this.detail = detail;
  }

  /** A stable code for what is wrong. */
  public String reason() {
    return reason;
  }

  /** What is wrong, where. */
  public String detail() {
    return detail;
  }
}
