package io.medallion.source.paginate;

/** The next page's URL is in the body at {@code nextUrlPath} (Spotify's {@code next}); null ends. */
public record JsonLink(String nextUrlPath) implements PaginatorSpec {

  @Override
  public String type() {
    return "json_link";
  }
}
