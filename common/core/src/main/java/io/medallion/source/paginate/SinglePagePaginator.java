package io.medallion.source.paginate;

import java.util.Map;
import java.util.Optional;

/** One request, one page. */
final class SinglePagePaginator implements Paginator {

  @Override
  public Map<String, String> firstParams() {
    return Map.of();
  }

  @Override
  public Optional<Map<String, String>> params(int number) {
    return number == 1 ? Optional.of(Map.of()) : Optional.empty();
  }

  @Override
  public boolean indexed() {
    return false;
  }

  @Override
  public boolean readsBody() {
    return false;
  }

  @Override
  public Total total() {
    return null;
  }

  @Override
  public Optional<Next> next(Page page) {
    return Optional.empty();
  }
}
