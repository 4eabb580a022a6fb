package io.medallion.source.paginate;

/**
 * {@code offset=0, limit, 2*limit, ...} with {@code limit}: stops at an empty page, at the total, or
 * after {@code maximum_offset}. Any page can be asked for without the one before.
 */
public record Offset(
    String offsetParam, String limitParam, int limit, Integer maxLimit, Total total, Integer maximumOffset)
    implements PaginatorSpec {

  @Override
  public String type() {
    return "offset";
  }
}
