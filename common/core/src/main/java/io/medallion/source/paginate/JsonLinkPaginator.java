package io.medallion.source.paginate;

import java.util.Optional;

/**
 * The next page's URL is in the body at {@code next_url_path} (Spotify's {@code next}); a null,
 * empty or missing one ends. A relative link is resolved against the request that returned it.
 */
final class JsonLinkPaginator extends FollowingPaginator {

  private final JsonLink spec;

  JsonLinkPaginator(JsonLink spec) {
    this.spec = spec;
  }

  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public Optional<Next> next(Page page) throws PagingException {
    Optional<String> link = References.text(page.body(), spec.nextUrlPath(), "next_url_path");
    if (link.isEmpty()) {
      return Optional.empty();
    }
    String what = "the next link at '" + spec.nextUrlPath() + "'";
    return Optional.of(new Next(References.resolve(page.request(), link.get(), what),
        what + " '" + link.get() + "'", true));
  }
}
