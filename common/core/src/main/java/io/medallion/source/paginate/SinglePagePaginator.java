package io.medallion.source.paginate;

import java.util.Optional;

/** One request, one page. */
final class SinglePagePaginator extends FollowingPaginator {

  @Override
  public boolean readsBody() {
    return false;
  }

  @Override
  public Optional<Next> next(Page page) {
    return Optional.empty();
  }
}
