package io.medallion.source.paginate;

import static io.medallion.source.rest.Declared.client;
import static io.medallion.source.rest.Declared.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.rest.Declared;
import io.medallion.source.rest.FetchedPage;
import io.medallion.source.rest.Harness;
import io.medallion.source.rest.Readers;
import io.medallion.source.rest.ResourceReader;
import io.medallion.source.rest.ScriptedServer;
import io.medallion.source.rest.ScriptedServer.Reply;
import io.medallion.source.rest.ScriptedServer.Seen;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each paginator kind, read through the engine from a loopback server that pages like the APIs that use it. */
class PaginatorsTest {

  private static ScriptedServer server;
  private static ScriptedServer foreign;
  private final Harness h = new Harness();

  @BeforeAll
  static void start() throws IOException {
    server = new ScriptedServer();
    foreign = new ScriptedServer();
  }

  @AfterAll
  static void stop() {
    server.close();
    foreign.close();
  }

  @AfterEach
  void reset() {
    server.reset();
    foreign.reset();
  }

  private Source source(String endpoint) {
    return source("", endpoint);
  }

  private Source source(String clientMore, String endpoint) {
    return Declared.source("paged", client(server.base(), clientMore), resource("items", endpoint));
  }

  private List<FetchedPage> readAll(Source s) throws IOException {
    return h.readAll(s, h.settings(server.base()));
  }

  private ResourceReader reader(Source s) throws SourceException {
    return Readers.open(s, s.resources().get(0), h.settings(server.base()));
  }

  /** {@code n} records {@code {"id": first..}} as JSON array text. */
  private static String records(int first, int n) {
    List<String> out = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      out.add("{\"id\":" + i + "}");
    }
    return "[" + String.join(",", out) + "]";
  }

  private static List<String> queries(List<Seen> seen) {
    return seen.stream().map(Seen::pathAndQuery).toList();
  }

  /** A listing of {@code size} records served by page (1-based {@code page}, {@code per_page}). */
  private static Function<Seen, Reply> pagesOf(int size, String pageParam, int base, String wrap) {
    return s -> {
      int page = Integer.parseInt(s.param(pageParam)) - base;
      int per = Integer.parseInt(s.param("per_page"));
      int from = page * per;
      int n = Math.max(0, Math.min(per, size - from));
      String array = records(from, n);
      return Reply.ok(wrap == null ? array : wrap.replace("RECORDS", array));
    };
  }

  // ---------------------------------------------------------------- page_number

  @Test
  void pageNumber_readsUntilAnEmptyPage() throws IOException {
    server.route(pagesOf(5, "page", 1, null));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/b\",\"paginator\":{\"type\":\"page_number\","
        + "\"page_size_param\":\"per_page\",\"page_size\":2}}"));
    assertEquals(List.of(2, 2, 1, 0), pages.stream().map(FetchedPage::recordCount).toList());
    assertEquals(List.of("/b?page=1&per_page=2", "/b?page=2&per_page=2", "/b?page=3&per_page=2", "/b?page=4&per_page=2"),
        queries(server.seen()));
  }

  @Test
  void pageNumber_nthAsksForAnyPageDirectly_fromTheBasePage() throws IOException {
    Source s = source("{\"path\":\"/b\",\"params\":{\"q\":\"x\"},\"paginator\":{\"type\":\"page_number\",\"base_page\":0,"
        + "\"page_param\":\"p\",\"page_size_param\":\"per_page\",\"page_size\":10}}");
    ResourceReader r = reader(s);
    assertEquals(server.base() + "/b?q=x&p=0&per_page=10", r.first().toString());
    assertEquals(server.base() + "/b?q=x&p=6&per_page=10", r.nth(7).orElseThrow().toString());
    server.route(pagesOf(100, "p", 0, null));
    FetchedPage seventh = r.fetch(7, r.nth(7).orElseThrow());
    assertEquals(10, seventh.recordCount());
    assertEquals(server.base() + "/b?q=x&p=7&per_page=10", seventh.next().orElseThrow().toString());
  }

  @Test
  void pageNumber_stopsAfterMaximumPage() throws IOException {
    server.route(pagesOf(1000, "page", 1, null));
    Source s = source("{\"path\":\"/b\",\"paginator\":{\"type\":\"page_number\",\"page_size_param\":\"per_page\","
        + "\"page_size\":2,\"maximum_page\":3}}");
    assertEquals(3, readAll(s).size());
    assertEquals(3, server.seen().size());
    assertTrue(reader(s).nth(4).isEmpty(), "no page after the maximum");
    assertTrue(reader(s).nth(3).isPresent());
  }

  @Test
  void pageNumber_stopsWhenTheBodysTotalOfRecordsIsReached_withoutAskingForAnEmptyPage() throws IOException {
    server.route(pagesOf(5, "page", 1, "{\"data\":RECORDS,\"meta\":{\"total\":\"5\"}}"));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/b\",\"data_selector\":\"data\",\"paginator\":{"
        + "\"type\":\"page_number\",\"page_size_param\":\"per_page\",\"page_size\":2,\"total\":{\"path\":\"meta.total\"}}}"));
    assertEquals(List.of(2, 2, 1), pages.stream().map(FetchedPage::recordCount).toList());
    assertEquals(OptionalLong.of(5), pages.get(0).total(), "a total sent as a string counts too");
    assertEquals(3, server.seen().size());
  }

  @Test
  void pageNumber_aTotalOfPages_endsAtThatPage() throws IOException {
    server.route(pagesOf(1000, "page", 1, "{\"items\":RECORDS,\"total_pages\":2}"));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/b\",\"data_selector\":\"items\",\"paginator\":{"
        + "\"type\":\"page_number\",\"page_size_param\":\"per_page\",\"page_size\":3,"
        + "\"total\":{\"path\":\"total_pages\",\"counts\":\"pages\"}}}"));
    assertEquals(2, pages.size());
  }

  @Test
  void pageNumber_aBodyWithoutItsDeclaredTotal_failsClearly() {
    server.route(s -> Reply.ok("{\"items\":[{\"id\":1}]}"));
    SourceException e = h.failure(source("{\"path\":\"/b\",\"data_selector\":\"items\",\"paginator\":{"
        + "\"type\":\"page_number\",\"total\":{\"path\":\"count\"}}}"), h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("the body has no total at 'count'"), e.getMessage());
  }

  // ---------------------------------------------------------------- offset

  @Test
  void offset_stepsByTheLimit_andStopsAtTheBodysTotal() throws IOException {
    server.route(s -> {
      int offset = Integer.parseInt(s.param("offset"));
      int limit = Integer.parseInt(s.param("limit"));
      return Reply.ok("{\"results\":" + records(offset, Math.max(0, Math.min(limit, 7 - offset))) + ",\"count\":7}");
    });
    Source s = source("{\"path\":\"/o\",\"data_selector\":\"results\",\"paginator\":{\"type\":\"offset\",\"limit\":3,"
        + "\"total\":{\"path\":\"count\"}}}");
    List<FetchedPage> pages = readAll(s);
    assertEquals(List.of(3, 3, 1), pages.stream().map(FetchedPage::recordCount).toList());
    assertEquals(List.of("/o?offset=0&limit=3", "/o?offset=3&limit=3", "/o?offset=6&limit=3"), queries(server.seen()));
    assertEquals(server.base() + "/o?offset=30&limit=3", reader(s).nth(11).orElseThrow().toString());
    assertEquals(4, reader(s).maxConcurrency());
  }

  @Test
  void offset_withoutATotal_stopsAtAnEmptyPageOrTheMaximumOffset() throws IOException {
    server.route(s -> Reply.ok(Integer.parseInt(s.param("start")) >= 4 ? "[]" : records(0, 2)));
    assertEquals(3, readAll(source("{\"path\":\"/o\",\"paginator\":{\"type\":\"offset\",\"offset_param\":\"start\","
        + "\"limit_param\":\"n\",\"limit\":2}}")).size());
    server.reset();
    server.route(s -> Reply.ok(records(0, 2)));
    Source capped = source("{\"path\":\"/o\",\"paginator\":{\"type\":\"offset\",\"limit\":2,\"maximum_offset\":6}}");
    assertEquals(3, readAll(capped).size(), "offsets 0, 2 and 4 are below 6");
    assertTrue(reader(capped).nth(4).isEmpty());
  }

  // ---------------------------------------------------------------- json_link

  @Test
  void jsonLink_followsTheNextUrl_absoluteOrRelative_untilNull() throws IOException {
    server.script(
        Reply.ok("{\"items\":[{\"id\":1}],\"next\":\"" + server.base() + "/v1/search?offset=1&limit=1\"}"),
        Reply.ok("{\"items\":[{\"id\":2}],\"next\":\"search?offset=2&limit=1\"}"),
        Reply.ok("{\"items\":[{\"id\":3}],\"next\":null}"));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/v1/search\",\"params\":{\"q\":\"brand\"},"
        + "\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\",\"next_url_path\":\"next\"}}"));
    assertEquals(3, pages.size());
    assertEquals(List.of("/v1/search?q=brand", "/v1/search?offset=1&limit=1", "/v1/search?offset=2&limit=1"),
        queries(server.seen()));
    assertTrue(pages.get(2).next().isEmpty());
  }

  @Test
  void jsonLink_atADotPath_endsWhenAbsent_andCannotBeAskedForByNumber() throws IOException {
    server.script(Reply.ok("{\"shows\":{\"items\":[],\"next\":\"/v1/x?page=2\"}}"), Reply.ok("{\"shows\":{\"items\":[]}}"));
    Source s = source("{\"path\":\"/v1/x\",\"data_selector\":\"shows.items\",\"paginator\":{\"type\":\"json_link\","
        + "\"next_url_path\":\"shows.next\"}}");
    assertEquals(2, readAll(s).size());
    assertEquals(Optional.empty(), reader(s).nth(2));
  }

  @Test
  void jsonLink_thatIsNotAString_failsClearly() {
    server.script(Reply.ok("{\"items\":[{}],\"next\":{\"href\":\"/x\"}}"));
    SourceException e = h.failure(source("{\"path\":\"/x\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
        + "\"next_url_path\":\"next\"}}"), h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("next_url_path 'next' is a JSON object with href, not a URL"), e.getMessage());
  }

  @Test
  void jsonLink_toAForeignHost_isRefused_andNothingIsSentThere() {
    server.script(Reply.ok("{\"items\":[{}],\"next\":\"" + foreign.base() + "/steal?page=2\"}"));
    SourceException e = h.failure(source("\"auth\":{\"type\":\"bearer\",\"token\":{\"secret\":\"API_TOKEN\"}}",
        "{\"path\":\"/x\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\",\"next_url_path\":\"next\"}}"),
        settingsWithToken());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().startsWith("source paged, resource items: GET " + server.base() + "/x (page 1) answered"
        + " with the next link at 'next' '" + foreign.base() + "/steal?page=2', which points at host 127.0.0.1:"
        + foreign.base().getPort() + ", which is neither the base URL's host (127.0.0.1:" + server.base().getPort()
        + ") nor in client.allowed_hosts []"), e.getMessage());
    assertTrue(foreign.seen().isEmpty());
  }

  private io.medallion.source.rest.ReadSettings settingsWithToken() {
    h.secretValues.put("API_TOKEN", "tok-3141592653");
    return h.settings(server.base());
  }

  @Test
  void jsonLink_toAnAllowedHost_isFollowed_withTheCredentials() throws IOException {
    server.script(Reply.ok("{\"items\":[{}],\"next\":\"" + foreign.base() + "/cdn?page=2\"}"));
    foreign.script(Reply.ok("{\"items\":[{}],\"next\":null}"));
    String allowed = "\"allowed_hosts\":[\"127.0.0.1:" + foreign.base().getPort() + "\"],"
        + "\"auth\":{\"type\":\"bearer\",\"token\":{\"secret\":\"API_TOKEN\"}}";
    Source s = source(allowed, "{\"path\":\"/x\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
        + "\"next_url_path\":\"next\"}}");
    assertEquals(2, h.readAll(s, settingsWithToken()).size());
    assertEquals("Bearer tok-3141592653", foreign.seen().get(0).header("Authorization"));
  }

  @Test
  void jsonLink_thatRepeatsAnEarlierPage_isALoop() {
    server.script(
        Reply.ok("{\"items\":[{}],\"next\":\"/x?page=2\"}"),
        Reply.ok("{\"items\":[{}],\"next\":\"/x?page=3\"}"),
        Reply.ok("{\"items\":[{}],\"next\":\"/x?page=2\"}"));
    SourceException e = h.failure(source("{\"path\":\"/x\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
        + "\"next_url_path\":\"next\"}}"), h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("GET " + server.base() + "/x?page=3 (page 3) answered with the next link at 'next'"
        + " '/x?page=2', which asks for page 2 again (" + server.base() + "/x?page=2): a loop"), e.getMessage());
    assertEquals(3, server.seen().size());
  }

  @Test
  void jsonLink_toThePageItself_isALoop() {
    server.script(Reply.ok("{\"items\":[{}],\"next\":\"/x\"}"));
    SourceException e = h.failure(source("{\"path\":\"/x\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
        + "\"next_url_path\":\"next\"}}"), h.settings(server.base()));
    assertTrue(e.getMessage().contains("which asks for the page just read again: a loop"), e.getMessage());
  }

  @Test
  void jsonLink_toTheDeclaredHost_movesWithAReplacedBaseUrl() throws IOException {
    Source s = Declared.source("spotify", "{\"base_url\":\"https://api.spotify.com\"}",
        resource("items", "{\"path\":\"/v1/search\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
            + "\"next_url_path\":\"next\"}}"));
    server.script(Reply.ok("{\"items\":[{}],\"next\":\"https://api.spotify.com/v1/search?offset=1\"}"),
        Reply.ok("{\"items\":[],\"next\":null}"));
    List<FetchedPage> pages = h.readAll(s, h.settings(server.base()));
    assertEquals(server.base() + "/v1/search?offset=1", pages.get(0).next().orElseThrow().toString());
    assertEquals(List.of("/v1/search", "/v1/search?offset=1"), queries(server.seen()));
  }

  // ---------------------------------------------------------------- header_link

  @Test
  void headerLink_followsRelNext_amongSeveralLinksWithQuotedParams() throws IOException {
    String page2 = server.base() + "/repos/o/r/issues?per_page=2&page=2";
    server.script(
        Reply.of(200, records(0, 2), "Link", "<" + server.base() + "/repos/o/r/issues?page=1>; rel=\"prev first\"; "
            + "title=\"a, b; c\", <" + page2 + ">; rel=\"next\", <" + server.base() + "/repos/o/r/issues?page=9>; rel=last"),
        Reply.of(200, records(2, 2), "Link", "</repos/o/r/issues?per_page=2&page=3>; Rel=\"NEXT\""),
        Reply.ok(records(4, 1)));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/repos/o/r/issues\",\"params\":{\"per_page\":2},"
        + "\"paginator\":{\"type\":\"header_link\"}}"));
    assertEquals(List.of(2, 2, 1), pages.stream().map(FetchedPage::recordCount).toList());
    assertEquals(List.of("/repos/o/r/issues?per_page=2", "/repos/o/r/issues?per_page=2&page=2",
        "/repos/o/r/issues?per_page=2&page=3"), queries(server.seen()));
  }

  @Test
  void headerLink_withAnotherDeclaredRel() throws IOException {
    server.script(Reply.of(200, "[{}]", "Link", "</x?p=2>; rel=\"next\", </x?p=9>; rel=\"following\""), Reply.ok("[]"));
    readAll(source("{\"path\":\"/x\",\"paginator\":{\"type\":\"header_link\",\"rel\":\"following\"}}"));
    assertEquals("/x?p=9", server.seen().get(1).pathAndQuery());
  }

  @Test
  void headerLink_toAForeignHost_isRefused() {
    server.script(Reply.of(200, "[{}]", "Link", "<" + foreign.base() + "/x?page=2>; rel=\"next\""));
    SourceException e = h.failure(source("{\"path\":\"/x\",\"paginator\":{\"type\":\"header_link\"}}"),
        h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("the Link header's rel=\"next\" <" + foreign.base() + "/x?page=2>, which points at"
        + " host 127.0.0.1:" + foreign.base().getPort()), e.getMessage());
    assertTrue(foreign.seen().isEmpty());
  }

  @Test
  void headerLink_thatDoesNotParse_failsClearly() {
    server.script(Reply.of(200, "[{}]", "Link", "<" + server.base() + "/x?page=2; rel=next"));
    SourceException e = h.failure(source("{\"path\":\"/x\",\"paginator\":{\"type\":\"header_link\"}}"),
        h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("is not RFC 8288: a '<' without its '>'"), e.getMessage());
  }

  @Test
  void linkHeaderParsing() throws PagingException {
    List<LinkHeader.Link> links = LinkHeader.parse(List.of(
        "<https://a.example/x?a=1,2>; rel=\"next\"; title=\"x;y,\\\"z\\\"\"",
        " , <b>;rel=prev;anchor=\"#q\" ,<c>; rel=\"last next\""));
    assertEquals(3, links.size());
    assertEquals("https://a.example/x?a=1,2", links.get(0).target());
    assertEquals("x;y,\"z\"", links.get(0).params().get("title"));
    assertEquals("#q", links.get(1).params().get("anchor"));
    assertEquals("https://a.example/x?a=1,2", LinkHeader.find(links, "NEXT").orElseThrow().target());
    assertEquals("c", LinkHeader.find(links, "last").orElseThrow().target());
    assertTrue(LinkHeader.find(links, "first").isEmpty());
    assertTrue(LinkHeader.parse(List.of("")).isEmpty());
  }

  // ---------------------------------------------------------------- cursor

  @Test
  void cursor_isSentBackAsItsParam_withTheOtherParams_untilNullOrEmpty() throws IOException {
    server.script(
        Reply.ok("{\"data\":[{}],\"meta\":{\"next_cursor\":\"abc=\"}}"),
        Reply.ok("{\"data\":[{}],\"meta\":{\"next_cursor\":42}}"),
        Reply.ok("{\"data\":[{}],\"meta\":{\"next_cursor\":\"\"}}"));
    List<FetchedPage> pages = readAll(source("{\"path\":\"/c\",\"params\":{\"limit\":10},\"data_selector\":\"data\","
        + "\"paginator\":{\"type\":\"cursor\",\"cursor_path\":\"meta.next_cursor\",\"cursor_param\":\"after\"}}"));
    assertEquals(3, pages.size());
    assertEquals(List.of("/c?limit=10", "/c?limit=10&after=abc%3D", "/c?limit=10&after=42"), queries(server.seen()));
  }

  @Test
  void cursor_thatRepeats_isALoop() {
    server.script(Reply.ok("{\"data\":[{}],\"cursor\":\"A\"}"), Reply.ok("{\"data\":[{}],\"cursor\":\"B\"}"),
        Reply.ok("{\"data\":[{}],\"cursor\":\"A\"}"));
    SourceException e = h.failure(source("{\"path\":\"/c\",\"data_selector\":\"data\","
        + "\"paginator\":{\"type\":\"cursor\",\"cursor_path\":\"cursor\",\"cursor_param\":\"cursor\"}}"),
        h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("(page 3) answered with the cursor 'A' at 'cursor', which asks for page 2 again"),
        e.getMessage());
  }

  // ---------------------------------------------------------------- single_page

  @Test
  void singlePage_isOneRequest() throws IOException {
    server.script(Reply.ok(records(0, 4)));
    Source s = source("{\"path\":\"/all\",\"paginator\":{\"type\":\"single_page\"}}");
    List<FetchedPage> pages = readAll(s);
    assertEquals(1, pages.size());
    assertEquals(4, pages.get(0).recordCount());
    assertEquals(1, reader(s).maxConcurrency());
    assertTrue(reader(s).nth(2).isEmpty());
  }

  @Test
  void aClientPaginator_servesEveryResourceThatDeclaresNone() throws IOException {
    server.script(Reply.ok("[{}]"), Reply.ok("[]"));
    Source s = source("\"paginator\":{\"type\":\"page_number\",\"page_param\":\"pg\"}", "{\"path\":\"/d\"}");
    assertEquals(2, readAll(s).size());
    assertEquals("/d?pg=2", server.seen().get(1).pathAndQuery());
  }
}
