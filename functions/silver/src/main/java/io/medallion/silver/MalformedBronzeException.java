package io.medallion.silver;

/**
 * A bronze object whose bytes are not records at all (not JSON, truncated, empty). Permanent: the
 * object stays in bronze untouched, the failure is recorded, nothing is loaded from it.
 */
public final class MalformedBronzeException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedBronzeException(String message, Throwable cause) {
    super(message, cause);
  }
}
