package io.medallion.source.paginate;

import io.medallion.source.rest.Urls;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code page=base_page, base_page+1, ...} with an optional page size: stops at an empty page,
 * after {@code maximum_page} pages, or when a total in the body is reached (a total that counts
 * records needs a page size to say which page is the last). A total from an endpoint does not end
 * the paging: ingest compares it with what it read, and reading on to the empty page finds records
 * added meanwhile.
 */
final class PageNumberPaginator implements Paginator {

  private final PageNumber spec;
  private final Integer pageSize;

  PageNumberPaginator(PageNumber spec, Integer runPageSize) {
    this.spec = spec;
    if (runPageSize != null && spec.pageSizeParam() != null) {
      if (spec.maxPageSize() != null && runPageSize > spec.maxPageSize()) {
        throw new IllegalArgumentException("page size " + runPageSize + " is more than the API allows (max_page_size "
            + spec.maxPageSize() + ")");
      }
      this.pageSize = runPageSize;
    } else {
      this.pageSize = spec.pageSize();
    }
  }

  @Override
  public Map<String, String> firstParams() {
    return params(1).orElseThrow();
  }

  @Override
  public Optional<Map<String, String>> params(int number) {
    if (number < 1 || spec.maximumPage() != null && number > spec.maximumPage()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put(spec.pageParam(), Long.toString((long) spec.basePage() + number - 1));
    if (spec.pageSizeParam() != null && pageSize != null) {
      params.put(spec.pageSizeParam(), Integer.toString(pageSize));
    }
    return Optional.of(params);
  }

  @Override
  public boolean indexed() {
    return true;
  }

  @Override
  public boolean readsBody() {
    return false;
  }

  @Override
  public Total total() {
    return spec.total();
  }

  @Override
  public Optional<Next> next(Page page) {
    int n = page.number();
    if (page.recordCount() == 0 || spec.maximumPage() != null && n >= spec.maximumPage()) {
      return Optional.empty();
    }
    if (page.total().isPresent()) {
      long total = page.total().getAsLong();
      boolean reached = spec.total().countsPages() ? n >= total : pageSize != null && (long) n * pageSize >= total;
      if (reached) {
        return Optional.empty();
      }
    }
    String value = Long.toString((long) spec.basePage() + n);
    return Optional.of(new Next(Urls.withParam(page.request(), spec.pageParam(), value),
        spec.pageParam() + "=" + value, false));
  }
}
