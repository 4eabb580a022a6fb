package io.medallion.source.rest;

import java.net.URI;
import java.util.Objects;

/**
 * The request of one page, without credentials: the full URL with the paging parameters. It is
 * what bronze records as the next page's request ({@code medallion-next}), so a run resumes where
 * it stopped with any paginator; auth is added when it is sent, never stored.
 */
public record PageRequest(URI url) {
  public PageRequest {
    Objects.requireNonNull(url, "url");
  }

  @Override
  public String toString() {
    return url.toString();
  }
}
