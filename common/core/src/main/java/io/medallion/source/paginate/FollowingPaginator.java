package io.medallion.source.paginate;

import java.util.Map;
import java.util.Optional;

/**
 * Paging whose pages are known only from the one before (a link, a cursor) or that has one page:
 * page 1 has no paging parameters, no later page can be asked for directly (so pages are read one
 * after another), and no total is declared. Subclasses say only what leads to the next page.
 */
abstract class FollowingPaginator implements Paginator {

  @Override
  public final Map<String, String> firstParams() {
    return Map.of();
  }

  @Override
  public final Optional<Map<String, String>> params(int number) {
    return number == 1 ? Optional.of(Map.of()) : Optional.empty();
  }

  @Override
  public final boolean indexed() {
    return false;
  }

  @Override
  public final Total total() {
    return null;
  }
}
