package io.medallion.source.paginate;

/** One request, one page. */
public record SinglePage() implements PaginatorSpec {

  @Override
  public String type() {
    return "single_page";
  }
}
