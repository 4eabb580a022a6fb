package io.medallion.event;

/**
 * An event that can never be processed as it is (bad JSON, unknown source, wrong shape). Retrying
 * cannot help: functions record it once, keep it in the dead letters and acknowledge it.
 */
public class InvalidEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
