package io.medallion.source.rest;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the pages of one resource of a declared source (for a child resource: of one parent
 * record), as its paginator and auth say. Thread-safe: pages that can be asked for independently
 * may be fetched concurrently.
 *
 * <p>Failures are {@link io.medallion.source.SourceException}s naming the source, the request (its
 * URL with secrets blanked) and what is wrong: retryable for 429, 5xx and I/O after the retries;
 * not for other statuses, a body that is not JSON (an HTML page), a selector that finds no array, a
 * next link to a host the declaration does not name, a cursor or link that repeats, a token
 * endpoint that refuses the credentials, a secret that is not set. {@link
 * io.medallion.source.OutOfTimeException} when the invocation's deadline comes first.
 */
public interface ResourceReader {

  /** The request of page 1 (with the incremental start parameter, when the run sends one). */
  PageRequest first();

  /**
   * The request of page {@code number}, when the paging allows asking for it without reading the
   * page before (page_number, offset); empty otherwise.
   */
  Optional<PageRequest> nth(int number);

  /** Fetches page {@code number} by {@code request}, retrying transient failures. */
  FetchedPage fetch(int number, PageRequest request) throws IOException;

  /**
   * The listing's size now, from the declared total endpoint; empty when the paging has none. When
   * {@link #checksConsistency()}, ingest asks at the start and after the last page, and reads again
   * when it moved.
   */
  OptionalLong total() throws IOException;

  /** Whether the declared total is to be checked for consistency (see {@code total.consistency}). */
  boolean checksConsistency();

  /** How many pages may be in flight at once (the declaration's max_concurrency, 1 when paging is sequential). */
  int maxConcurrency();
}
