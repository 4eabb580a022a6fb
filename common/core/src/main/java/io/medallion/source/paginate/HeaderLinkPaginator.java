package io.medallion.source.paginate;

import java.util.List;
import java.util.Optional;

/**
 * The next page's URL is the RFC 8288 {@code Link} header's target with the declared relation
 * ({@code rel="next"}, GitHub's paging); no such link ends. A relative target is resolved against
 * the request that returned it.
 */
final class HeaderLinkPaginator extends FollowingPaginator {

  private final HeaderLink spec;

  HeaderLinkPaginator(HeaderLink spec) {
    this.spec = spec;
  }

  @Override
  public boolean readsBody() {
    return false;
  }

  @Override
  public Optional<Next> next(Page page) throws PagingException {
    List<String> values = page.headers() == null ? List.of() : page.headers().allValues("Link");
    Optional<LinkHeader.Link> link = LinkHeader.find(LinkHeader.parse(values), spec.rel());
    if (link.isEmpty()) {
      return Optional.empty();
    }
    String what = "the Link header's rel=\"" + spec.rel() + "\"";
    String target = link.get().target();
    return Optional.of(new Next(References.resolve(page.request(), target, what), what + " <" + target + ">", true));
  }
}
