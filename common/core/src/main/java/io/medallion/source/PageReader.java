package io.medallion.source;

import java.io.IOException;

/** Reads one page of a paginated source API. */
@FunctionalInterface
public interface PageReader {

  /**
   * Fetches page {@code number} (1-based). An empty page ({@code recordCount() == 0}) ends the
   * run.
   *
   * @throws SourceException when the API fails after retries, or answers something unusable
   */
  Page fetch(int number) throws IOException;
}
