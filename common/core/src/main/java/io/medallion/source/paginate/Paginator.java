package io.medallion.source.paginate;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a declared paginator does at run time: the paging parameters of the first page (and of any
 * page, where the paging allows asking for one directly), and the request of the page after one
 * that was read. One small class per kind, chosen by {@link #of} from the declared {@link
 * PaginatorSpec}; the kinds and their stopping rules follow dlt's rest_api paginators.
 *
 * <p>A paginator holds no state between pages: everything it needs comes with the {@link Page}, so
 * one paginator serves pages read concurrently, and a run resumed from a stored request goes on
 * exactly where it stopped. Safety (a next link to a foreign host, a request that repeats) is the
 * engine's, not the paginator's.
 */
public interface Paginator {

  /**
   * The runtime paginator of {@code spec}.
   *
   * @param pageSize the run's page size, or null for the declared one; applies where the paging
   *     sends a page size (page_number with a page_size_param, offset) and is ignored elsewhere
   * @throws IllegalArgumentException when {@code pageSize} is above the declared maximum
   */
  static Paginator of(PaginatorSpec spec, Integer pageSize) {
    Objects.requireNonNull(spec, "spec");
    if (pageSize != null && pageSize < 1) {
      throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
    }
    if (spec instanceof PageNumber p) {
      return new PageNumberPaginator(p, pageSize);
    } else if (spec instanceof Offset o) {
      return new OffsetPaginator(o, pageSize);
    } else if (spec instanceof JsonLink j) {
      return new JsonLinkPaginator(j);
    } else if (spec instanceof HeaderLink h) {
      return new HeaderLinkPaginator(h);
    } else if (spec instanceof Cursor c) {
      return new CursorPaginator(c);
    }
    return new SinglePagePaginator();
  }

  /** The paging parameters of page 1, sent after the endpoint's own. */
  Map<String, String> firstParams();

  /**
   * The paging parameters of page {@code number} (1-based), when any page can be asked for without
   * reading the one before; empty for paging that follows references, and past a declared maximum.
   */
  Optional<Map<String, String>> params(int number);

  /** Whether {@link #params} answers: pages may then be read concurrently. */
  boolean indexed();

  /** Whether {@link #next} reads the body: when no one does, the engine only counts records. */
  boolean readsBody();

  /** The declared total (a path in each body, or an endpoint), or null. */
  Total total();

  /**
   * The request after {@code page}; empty at the end.
   *
   * @throws PagingException when the response says something the paging cannot use (a next link
   *     that is not a URL, a cursor that is an object, a Link header that does not parse)
   */
  Optional<Next> next(Page page) throws PagingException;

  /**
   * A page as the paginator sees it.
   *
   * @param number 1-based
   * @param request the URL it was read by (without credentials)
   * @param body the parsed body, or null when {@link #readsBody()} is false
   * @param recordCount how many records the data selector found
   * @param total the listing's total as this body says, when the total is declared per body
   */
  record Page(int number, URI request, JsonNode body, HttpHeaders headers, int recordCount, OptionalLong total) {}

  /**
   * The following request.
   *
   * @param url absolute, without credentials
   * @param reference what in the response led there, for messages (the link, the cursor)
   * @param serverLink whether the server wrote the URL (json_link, header_link): then its host is
   *     checked before credentials go there
   */
  record Next(URI url, String reference, boolean serverLink) {}
}
