package io.medallion.source.rest;

import java.util.Arrays;
import java.util.Optional;

/**
 * One page as it came over the wire, and what the engine read from it.
 *
 * @param number the 1-based page number within its resource (and parent record)
 * @param body the response body, byte for byte (bronze keeps it as it came)
 * @param recordCount how many records the data selector found in it
 * @param next the request of the following page, empty at the end
 * @param maxCursor the highest incremental cursor value among its records, if the resource is incremental
 * @param total the listing's total as this page's body says, when the paginator reads one from each page
 */
public record FetchedPage(
    int number, byte[] body, int recordCount, Optional<PageRequest> next, Optional<String> maxCursor,
    java.util.OptionalLong total) {

  public FetchedPage {
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  public boolean isEmpty() {
    return recordCount == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FetchedPage p && number == p.number && recordCount == p.recordCount
        && Arrays.equals(body, p.body) && next.equals(p.next) && maxCursor.equals(p.maxCursor) && total.equals(p.total);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(body) * 31 + number;
  }

  @Override
  public String toString() {
    return "FetchedPage[number=" + number + ", records=" + recordCount + ", bytes=" + body.length + ", next=" + next + "]";
  }
}
