package io.medallion.source.paginate;

/** The next page's URL is in the RFC 8288 {@code Link} header with {@code rel} (GitHub); none ends. */
public record HeaderLink(String rel) implements PaginatorSpec {

  @Override
  public String type() {
    return "header_link";
  }
}
