package io.medallion.source;

import java.io.IOException;
import java.net.URI;

/**
 * A source could not deliver a page. The message names the URL, the last HTTP status (if any) and
 * how many attempts were made, so a ledger row or a log line says everything on its own.
 *
 * <p>{@link #retryable()} tells the caller whether trying again later may help: true when the
 * attempts ran out on a transient failure (429, 5xx, network), false when the source answered
 * something that will not change (another 4xx, a body that is not a JSON array).
 */
public class SourceException extends IOException {

  private final URI uri;
  private final int status;
  private final int attempts;
  private final boolean retryable;

  /**
   * @param uri the URL that failed
   * @param status the last HTTP status, or 0 when no response came (network error, timeout)
   * @param attempts how many requests were sent
   * @param retryable whether a later retry may succeed
   */
  public SourceException(
      String message, URI uri, int status, int attempts, boolean retryable, Throwable cause) {
    super(message, cause);
    this.uri = uri;
    this.status = status;
    this.attempts = attempts;
    this.retryable = retryable;
  }

  public SourceException(String message, URI uri, int status, int attempts, boolean retryable) {
    this(message, uri, status, attempts, retryable, null);
  }

  public boolean retryable() {
    return retryable;
  }

  public URI uri() {
    return uri;
  }

  /** The last HTTP status, or 0 when no response came. */
  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }
}
