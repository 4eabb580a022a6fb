package io.medallion.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.auth.Authenticator;
import io.medallion.source.paginate.Paginator;
import io.medallion.source.paginate.PagingException;
import io.medallion.source.paginate.Total;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The engine's {@link ResourceReader}: requests built from the declaration, sent through a {@link
 * Transport} with the declared auth, bodies checked and read by the declared selector and paginator.
 * See {@link Readers#open} for what it refuses and why.
 */
final class RestResourceReader implements ResourceReader {

  /** Redirects followed at most, per request. */
  static final int MAX_REDIRECTS = 5;

  private static final Logger LOG = Logger.getLogger(RestResourceReader.class.getName());

  private final Source source;
  private final Source.Resource resource;
  private final ReadSettings settings;
  private final Paginator paginator;
  private final Authenticator auth;
  private final boolean credentials;
  private final Transport transport;
  private final URI baseUrl;
  private final boolean baseReplaced;
  private final String path;
  private final Map<String, String> params;
  private final Map<String, String> headers;
  private final boolean needsTree;
  private final boolean followRedirects;
  /** Every request this reader read (redacted, canonical form) and the page it was read as: a repeat is a loop. */
  private final Map<String, Integer> read = new ConcurrentHashMap<>();

  RestResourceReader(Source source, Source.Resource resource, ReadSettings settings, Paginator paginator,
      Authenticator auth, Transport transport, String path, Map<String, String> params, boolean followRedirects) {
    this.source = source;
    this.resource = resource;
    this.settings = settings;
    this.paginator = paginator;
    this.auth = auth;
    this.credentials = !"none".equals(source.client().auth().type());
    this.transport = transport;
    this.baseUrl = settings.baseUrl();
    this.baseReplaced = !sameBase(settings.baseUrl(), source.defaultBaseUrl());
    this.path = path;
    this.params = params;
    Map<String, String> h = new LinkedHashMap<>(source.client().headers());
    h.putAll(resource.endpoint().headers());
    this.headers = h;
    Total total = paginator.total();
    this.needsTree = !Records.TOP_LEVEL.equals(resource.endpoint().dataSelector())
        || resource.endpoint().incremental() != null
        || paginator.readsBody()
        || total != null && total.endpoint() == null;
    this.followRedirects = followRedirects;
  }

  static boolean sameBase(URI a, URI b) {
    return io.medallion.source.SourceOrigin.same(a, b);
  }

  @Override
  public PageRequest first() {
    return request(paginator.firstParams());
  }

  @Override
  public Optional<PageRequest> nth(int number) {
    if (number == 1) {
      return Optional.of(first());
    }
    return paginator.indexed() ? paginator.params(number).map(this::request) : Optional.empty();
  }

  private PageRequest request(Map<String, String> paging) {
    Map<String, String> all = new LinkedHashMap<>(params);
    all.putAll(paging);
    Source.Incremental incremental = resource.endpoint().incremental();
    if (incremental != null && settings.incrementalStart() != null) {
      all.put(incremental.startParam(), settings.incrementalStart());
    }
    return new PageRequest(transport.redactedUri(Urls.build(baseUrl, path, all)));
  }

  @Override
  public FetchedPage fetch(int number, PageRequest request) throws IOException {
    if (number < 1) {
      throw new IllegalArgumentException("page numbers start at 1, got " + number);
    }
    URI url = request.url();
    read.putIfAbsent(Urls.canonical(url), number);
    Transport.Reply reply = get(url, "page " + number);
    byte[] body = reply.body();
    checkJsonType(url, reply);
    JsonNode tree = null;
    int count;
    List<JsonNode> records = List.of();
    try {
      if (needsTree) {
        tree = Records.parse(body);
        records = Records.select(tree, resource.endpoint().dataSelector());
        count = records.size();
      } else {
        count = Records.countTopLevel(body);
      }
    } catch (Records.UnexpectedBodyException e) {
      throw unusable(url, reply, e.getMessage(), e);
    }
    OptionalLong total = bodyTotal(url, reply, tree, count);
    Optional<String> maxCursor = Optional.empty();
    if (resource.endpoint().incremental() != null) {
      try {
        maxCursor = Records.maxCursor(records, resource.endpoint().incremental()).map(transport.redactor()::redact);
      } catch (Records.UnexpectedBodyException e) {
        throw unusable(url, reply, "incremental.cursor_path of " + e.getMessage(), e);
      }
    }
    Optional<Paginator.Next> next;
    try {
      next = paginator.next(new Paginator.Page(number, url, tree, reply.headers(), count, total));
    } catch (PagingException e) {
      throw unusable(url, reply, e.getMessage(), e);
    }
    Optional<PageRequest> following = next.isEmpty() ? Optional.empty() : Optional.of(checked(next.get(), number, url));
    return new FetchedPage(number, body, count, following, maxCursor, total);
  }

  /** The next request after page {@code number}, if it may be sent: not to a foreign host, not a repeat. */
  private PageRequest checked(Paginator.Next next, int number, URI url) throws SourceException {
    URI target = next.url();
    if (next.serverLink()) {
      target = moved(target);
      String refusal = refusal(target);
      if (refusal != null) {
        throw transport.failure("GET " + url + " (page " + number + ") answered with " + next.reference()
            + ", which points at " + refusal + "; the run stops rather than send credentials or follow it there",
            url, 200, 1, false, null);
      }
    }
    URI shown = transport.redactedUri(target);
    String key = Urls.canonical(shown);
    if (key.equals(Urls.canonical(url))) {
      throw transport.failure("GET " + url + " (page " + number + ") answered with " + next.reference()
          + ", which asks for the page just read again: a loop", url, 200, 1, false, null);
    }
    Integer before = read.get(key);
    if (before != null && before != number + 1) {
      throw transport.failure("GET " + url + " (page " + number + ") answered with " + next.reference()
          + ", which asks for page " + before + " again (" + shown + "): a loop", url, 200, 1, false, null);
    }
    return new PageRequest(shown);
  }

  /**
   * A link to the declared base URL's host, read while the base URL is replaced (a replay of
   * recorded pages), goes to the replacement like every absolute URL of the declaration.
   */
  private URI moved(URI link) {
    return baseReplaced && Urls.sameOrigin(link, source.defaultBaseUrl()) ? Urls.rebase(link, baseUrl) : link;
  }

  /** Why credentials may not go to {@code target} (its host, and what would be allowed), or null when they may. */
  private String refusal(URI target) {
    String scheme = Urls.scheme(target);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "a URL that is not http(s)";
    }
    if (Urls.host(target).equals(Urls.host(baseUrl)) && Urls.port(target) == Urls.port(baseUrl)) {
      if (Urls.scheme(baseUrl).equals("https") && scheme.equals("http")) {
        return "plain http while the base URL is https";
      }
      return null;
    }
    String host = Urls.host(target);
    String hostPort = host + ":" + Urls.port(target);
    for (String allowed : source.client().allowedHosts()) {
      String a = allowed.toLowerCase(Locale.ROOT);
      if (a.equals(host) || a.equals(hostPort)) {
        return null;
      }
    }
    return "host " + (target.getPort() < 0 ? host : hostPort) + ", which is neither the base URL's host ("
        + baseUrl.getRawAuthority() + ") nor in client.allowed_hosts " + source.client().allowedHosts();
  }

  /**
   * GET {@code url} with credentials: redirects followed by hand so that credentials never go to a
   * host the declaration does not name, and a 401 answered by one fresh token (OAuth2).
   */
  private Transport.Reply get(URI url, String what) throws IOException {
    URI target = url;
    for (int hop = 0; ; hop++) {
      if (credentials) {
        String refusal = refusal(target);
        if (refusal != null) {
          throw transport.failure("GET " + target + (hop == 0 ? " (" + what + ") names " : " (a redirect of " + url
              + ") points at ") + refusal + "; no request with credentials is sent there", url, 0, 0, false, null);
        }
      }
      Signed attempt = signedGet(target);
      Transport.Reply reply = attempt.reply();
      if (reply.ok()) {
        return reply;
      }
      Optional<String> location = reply.headers().firstValue("Location");
      if (followRedirects && reply.status() / 100 == 3 && location.isPresent()) {
        if (hop >= MAX_REDIRECTS) {
          throw transport.permanent("GET", target, reply, "more than " + MAX_REDIRECTS + " redirects");
        }
        try {
          target = target.resolve(new URI(location.get().trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw transport.permanent("GET", target, reply, "its Location '" + location.get() + "' is not a URL");
        }
        continue;
      }
      throw transport.permanent("GET", target, reply, refused(reply.status(), attempt.renewed()));
    }
  }

  /** Why a 4xx will not change. */
  private String refused(int status, boolean renewed) {
    String type = source.client().auth().type();
    if (status == 401 || status == 403) {
      if (!credentials) {
        return "the API wants credentials, and the declared auth is none";
      }
      return "the API refused the credentials of auth " + type + (renewed ? ", even with a fresh token" : "");
    }
    return "the status is permanent";
  }

  /** A reply, and whether it came after the credentials were renewed once. */
  private record Signed(Transport.Reply reply, boolean renewed) {}

  private Signed signedGet(URI target) throws IOException {
    AtomicReference<Authenticator.Signed> signed = new AtomicReference<>();
    Transport.RequestFactory factory = () -> {
      Authenticator.Signed s = auth.sign(target, transport);
      signed.set(s);
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.putAll(s.headers());
      return new Transport.Outgoing("GET", s.url(), h, null);
    };
    Transport.Reply reply = transport.send("GET", target, factory, true);
    if (reply.status() == 401 && signed.get() != null && auth.renew(signed.get())) {
      LOG.fine(() -> transport.context() + ": GET " + transport.redactedUri(target)
          + " answered 401; signing once more with fresh credentials");
      return new Signed(transport.send("GET", target, factory, true), true);
    }
    return new Signed(reply, false);
  }

  /** A body must be JSON: an HTML error page answered with 200 is refused by its type before it is parsed. */
  private void checkJsonType(URI url, Transport.Reply reply) throws SourceException {
    String type = reply.headers().firstValue("Content-Type").orElse("");
    String media = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (media.equals("text/html") || media.equals("application/xhtml+xml") || media.equals("text/xml")
        || media.equals("application/xml")) {
      throw unusable(url, reply, "its Content-Type is " + media + ", not JSON", null);
    }
  }

  /** The total of a paged listing as this body says it, when it is declared per body. */
  private OptionalLong bodyTotal(URI url, Transport.Reply reply, JsonNode tree, int count) throws SourceException {
    Total total = paginator.total();
    if (total == null || total.endpoint() != null) {
      return OptionalLong.empty();
    }
    Optional<JsonNode> value = Records.at(tree, total.path());
    if (value.isEmpty() || value.get().isNull()) {
      if (count == 0) {
        return OptionalLong.empty(); // some APIs say nothing past the end
      }
      throw unusable(url, reply, "the body has no total at '" + total.path() + "' (paginator total.path)", null);
    }
    try {
      return OptionalLong.of(number(value.get()));
    } catch (NumberFormatException e) {
      throw unusable(url, reply, "the total at '" + total.path() + "' is " + Records.describe(value.get())
          + ", not a count", e);
    }
  }

  /** A count that may be sent as a number or as a string of one (Open Brewery DB's /meta). */
  private static long number(JsonNode n) {
    long v;
    if (n.isIntegralNumber()) {
      v = n.asLong();
    } else if (n.isTextual()) {
      v = Long.parseLong(n.asText().trim());
    } else {
      throw new NumberFormatException("not a whole number");
    }
    if (v < 0) {
      throw new NumberFormatException("negative");
    }
    return v;
  }

  private SourceException unusable(URI url, Transport.Reply reply, String what, Throwable cause) {
    return transport.failure("GET " + url + " answered HTTP " + reply.status() + " but " + what + " ("
        + reply.body().length + " bytes, attempt " + reply.attempts() + ")" + transport.snippet(reply.body()),
        url, reply.status(), reply.attempts(), false, cause);
  }

  @Override
  public OptionalLong total() throws IOException {
    Total total = paginator.total();
    if (total == null || total.endpoint() == null) {
      return OptionalLong.empty();
    }
    URI url = transport.redactedUri(Urls.build(baseUrl, Readers.fill(total.endpoint(), settings.parentValues(), true),
        Map.of()));
    Transport.Reply reply = get(url, "the total");
    checkJsonType(url, reply);
    try {
      JsonNode tree = Records.parse(reply.body());
      JsonNode value = Records.at(tree, total.path()).orElseThrow(() -> new NumberFormatException("absent"));
      return OptionalLong.of(number(value));
    } catch (Records.UnexpectedBodyException | NumberFormatException e) {
      throw unusable(url, reply, "without a usable total at '" + total.path() + "' (paginator total.endpoint)", e);
    }
  }

  @Override
  public boolean checksConsistency() {
    Total total = paginator.total();
    return total != null && total.consistency();
  }

  @Override
  public int maxConcurrency() {
    return paginator.indexed() ? source.client().maxConcurrency() : 1;
  }

  @Override
  public String toString() {
    return "ResourceReader[" + transport.context() + "]";
  }
}
