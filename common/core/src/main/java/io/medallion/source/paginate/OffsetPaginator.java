package io.medallion.source.paginate;

import io.medallion.source.rest.Urls;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code offset=0, limit, 2*limit, ...}: stops at an empty page, when the next offset reaches
 * {@code maximum_offset}, or when it reaches a total in the body.
 */
final class OffsetPaginator implements Paginator {

  private final Offset spec;
  private final int limit;

  OffsetPaginator(Offset spec, Integer runPageSize) {
    this.spec = spec;
    if (runPageSize != null) {
      if (spec.maxLimit() != null && runPageSize > spec.maxLimit()) {
        throw new IllegalArgumentException("page size " + runPageSize + " is more than the API allows (max_limit "
            + spec.maxLimit() + ")");
      }
      this.limit = runPageSize;
    } else {
      this.limit = spec.limit();
    }
  }

  @Override
  public Map<String, String> firstParams() {
    return params(1).orElseThrow();
  }

  @Override
  public Optional<Map<String, String>> params(int number) {
    long offset = (long) (number - 1) * limit;
    if (number < 1 || number > 1 && spec.maximumOffset() != null && offset >= spec.maximumOffset()) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put(spec.offsetParam(), Long.toString(offset));
    params.put(spec.limitParam(), Integer.toString(limit));
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
    long nextOffset = (long) page.number() * limit;
    if (page.recordCount() == 0 || spec.maximumOffset() != null && nextOffset >= spec.maximumOffset()) {
      return Optional.empty();
    }
    if (page.total().isPresent()) {
      long total = page.total().getAsLong();
      if (spec.total().countsPages() ? page.number() >= total : nextOffset >= total) {
        return Optional.empty();
      }
    }
    String value = Long.toString(nextOffset);
    return Optional.of(new Next(Urls.withParam(page.request(), spec.offsetParam(), value),
        spec.offsetParam() + "=" + value, false));
  }
}
