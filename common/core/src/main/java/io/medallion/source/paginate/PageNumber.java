package io.medallion.source.paginate;

/**
 * {@code page=base_page, base_page+1, ...}: stops at an empty page, after the total, or after
 * {@code maximum_page}. Any page can be asked for without the one before, so several are read at
 * once.
 *
 * @param pageSizeParam null when the API takes no page size
 * @param pageSize null for the API's default
 * @param maxPageSize the API's largest page, null when it does not say
 * @param total null when the API gives none
 * @param maximumPage null for no limit
 */
public record PageNumber(
    String pageParam, int basePage, String pageSizeParam, Integer pageSize, Integer maxPageSize, Total total,
    Integer maximumPage) implements PaginatorSpec {

  @Override
  public String type() {
    return "page_number";
  }
}
