package io.medallion.source;

import java.io.IOException;
import java.net.URI;

/**
 * A request, a retry or a wait would not end before the invocation's {@link Deadline}. Not a
 * failure of the source: ingest continues the run in a new invocation from the page it was on.
 */
public class OutOfTimeException extends IOException {

  private static final long serialVersionUID = 1L;

  public OutOfTimeException(URI uri, String what) {
    super("Out of time for " + uri + ": " + what);
  }
}
