package io.medallion.source;

import java.io.IOException;
import java.util.OptionalLong;

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

  /**
   * How many records the listing holds right now, when the source can say (empty when it cannot).
   * Ingest asks at the start of every invocation and before the manifest: a total that moves
   * while the pages are read means offset paging may have repeated or skipped records.
   *
   * @throws SourceException when the source should say but fails to
   */
  default OptionalLong total() throws IOException {
    return OptionalLong.empty();
  }
}
