package io.medallion.local.replay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.medallion.local.replay.GeneratorSpec.ServeOptions;
import io.medallion.local.replay.ResourceRoute.Refusal;
import io.medallion.source.DeclarationException;
import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.StringOrSecret;
import io.medallion.source.auth.ApiKey;
import io.medallion.source.auth.AuthSpec;
import io.medallion.source.auth.Bearer;
import io.medallion.source.auth.HttpBasic;
import io.medallion.source.auth.NoAuth;
import io.medallion.source.auth.OAuth2ClientCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves any declared source on 127.0.0.1 the way its API does, so that the pipeline runs end to
 * end without the network: every resource at its endpoint path (under the declared base URL's
 * path), in its declared paging style, behind its declared auth, from generated records ({@link
 * RecordGenerator}) or recorded ones. What each paging style and auth kind looks like on the wire
 * is in this package's README; in short:
 *
 * <ul>
 *   <li>{@code page_number}: page and page-size parameters as declared (a page size above the
 *       declared maximum is capped, below 1 is 1; a page below the base page is the first); a page
 *       past the end is empty; the total at its endpoint, or in the body.
 *   <li>{@code offset}, {@code json_link} (an absolute {@code next} URL of this server in the
 *       body), {@code header_link} (RFC 8288 {@code Link} headers like GitHub's), {@code cursor}
 *       (an opaque cursor), {@code single_page}.
 *   <li>A child resource ({@code /v1/shows/{id}/episodes}) serves the children of the parent whose
 *       fields the path names; 404 for a parent it does not know.
 *   <li>Incremental resources serve only the records whose cursor is at or after the start
 *       parameter.
 *   <li>Auth as declared, checked against the credential values the server is given: API key,
 *       bearer token, HTTP basic, or OAuth2 client credentials with a token endpoint at the
 *       token URL's path (tokens expire after the spec's {@code expires_in}); 401 otherwise.
 * </ul>
 *
 * <p>Page bodies of a bare array are rendered once per page size, on first use. Tests make the
 * server misbehave with {@link #misbehave} (any reply rewritten: 401, 429 with Retry-After, 5xx,
 * HTML, a repeated page, a foreign next link, a repeating cursor, a total that moves) and {@link
 * #replaceRecords} (the data changes between two requests).
 *
 * <p>Loading this class sets {@code sun.net.httpserver.nodelay=true} (unless set already), which
 * turns off Nagle's algorithm for the JDK HTTP servers of this JVM: otherwise every response stalls
 * about 40 ms.
 */
public final class ReplayServer implements AutoCloseable {

  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    // The JDK server writes the headers and the body of a response separately. With Nagle's
    // algorithm on, the body then waits for the client's delayed ACK: some 40 ms per response,
    // seconds per run. The server reads this property once, when the JVM's first HttpServer
    // starts, so it is set here unless someone chose otherwise.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A request as the server understood it. */
  public record Request(
      String method, String path, Map<String, String> params, Map<String, String> headers, String resource, Kind kind,
      long offset, int pageSize, Map<String, String> placeholders) {

    /** What a request asks for. */
    public enum Kind {
      /** A page of a resource's listing. */
      PAGE,
      /** A resource's total endpoint. */
      TOTAL,
      /** The OAuth token endpoint. */
      TOKEN,
      /** Anything else (answered 404). */
      OTHER
    }

    public Request {
      params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      placeholders = Collections.unmodifiableMap(new LinkedHashMap<>(placeholders));
    }

    public boolean isPage() {
      return kind == Kind.PAGE;
    }

    public boolean isTotal() {
      return kind == Kind.TOTAL;
    }

    /** The page's position in the listing, from 1 (for page_number with base page 1: the page parameter). */
    public int page() {
      return pageSize <= 0 ? 1 : (int) (offset / pageSize) + 1;
    }

    /** The same request for page {@code page} (from 1) of the same size. */
    public Request withPage(int page) {
      return withOffset((long) (page - 1) * pageSize);
    }

    /** The same request for the page that starts at record {@code offset}. */
    public Request withOffset(long offset) {
      return new Request(method, path, params, headers, resource, kind, offset, pageSize, placeholders);
    }

    /** A request header's value (names in lower case), or null. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer: status, body and extra headers (Content-Type is JSON unless a header says otherwise). */
  public record Reply(int status, byte[] body, Map<String, String> headers) {
    public Reply {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static Reply json(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** An HTML page where JSON was expected, as a proxy or a login wall answers. */
    public static Reply html(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/html; charset=utf-8"));
    }

    /** {@code {"message": ...}} with {@code status}. */
    public static Reply message(int status, String message) {
      return new Reply(status, JsonValues.bytes(Map.of("message", message)), Map.of());
    }

    /** This reply with one header set. */
    public Reply withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Reply(status, body, h);
    }

    /** This reply with another status. */
    public Reply withStatus(int status) {
      return new Reply(status, body, headers);
    }

    /**
     * This reply with the JSON body's value at a dot path replaced ({@code next}, {@code
     * shows.next}, {@code total}): a String, Number, Boolean or null. For a next link to another
     * host, a cursor that repeats, a total that moves.
     */
    public Reply withJson(String path, Object value) {
      Object root = JsonValues.parse(body);
      String[] steps = path.split("\\.");
      Object at = root;
      for (int i = 0; i < steps.length - 1; i++) {
        at = ((Map<?, ?>) at).get(steps[i]);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) at;
      map.put(steps[steps.length - 1], value instanceof Number n ? new JsonValues.Num(n.toString()) : value);
      return new Reply(status, JsonValues.bytes(root), headers);
    }

    /** The value at a dot path of the JSON body, as text (null when absent or null). */
    public String json(String path) {
      return JsonValues.scalarText(JsonValues.at(JsonValues.parse(body), path.split("\\.")));
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Rewrites answers, to play an API that misbehaves. */
  @FunctionalInterface
  public interface Misbehaviour {
    /** The answer to send for {@code request}, given the one the server would send. */
    Reply answer(Request request, Reply normal);
  }

  private final Source source;
  private final Map<SecretRef, String> credentials;
  private final Map<String, ResourceRoute> routes = new LinkedHashMap<>();
  private final String basePath;
  private final String tokenPath;
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private volatile Duration tokenLifetime;
  private volatile Clock clock = Clock.systemUTC();
  private volatile Map<String, ResourceRoute.Served> data;
  private volatile ReplayRecords records;
  private volatile Misbehaviour misbehaviour;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong tokenRequests = new AtomicLong();
  private final HttpServer server;
  private final ExecutorService executor;

  private ReplayServer(Source source, ReplayRecords records, Map<SecretRef, String> credentials, GeneratorSpec spec, int port)
      throws IOException {
    this.source = source;
    this.credentials = Map.copyOf(credentials);
    for (SecretRef ref : source.clientSecrets()) {
      if (!this.credentials.containsKey(ref)) {
        throw new IllegalArgumentException("no credential for secret " + ref.name() + " of source " + source.name()
            + " (ReplayServer.secretsFor makes them)");
      }
    }
    String path = source.client().baseUrl().getRawPath();
    this.basePath = path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
    for (Source.Resource r : source.resources()) {
      ServeOptions serve = spec == null || !spec.plans.containsKey(r.name()) ? ServeOptions.DEFAULTS : spec.plans.get(r.name()).serve;
      routes.put(r.name(), new ResourceRoute(source, r, serve, basePath));
    }
    this.tokenPath = source.client().auth() instanceof OAuth2ClientCredentials o ? o.tokenUrl().getRawPath() : null;
    this.tokenLifetime = Duration.ofSeconds(spec == null ? 3600 : spec.tokenLifetimeSeconds);
    use(records);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    AtomicInteger threads = new AtomicInteger();
    // A few threads, so a client fetching pages concurrently is served concurrently.
    this.executor = Executors.newFixedThreadPool(4, task -> {
      Thread t = new Thread(task, "replay-server-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Serves {@code records} records (per top-level resource) generated for {@code source} with
   * {@code seed}, behind the source's auth with the credentials {@link #secretsFor} makes for that
   * seed; a resource the spec or declaration gives recorded records serves those.
   */
  public static ReplayServer generated(Source source, int records, long seed) throws DeclarationException, IOException {
    RecordGenerator generator = RecordGenerator.forSource(source);
    ReplayRecords served = ReplayRecords.merge(generator.served(records, seed), ReplayRecords.recorded(source));
    return new ReplayServer(source, served, secretsFor(source, seed), generator.spec(), 0);
  }

  /** Serves records already generated by {@code generator} (so a test can compare them with what it reads). */
  public static ReplayServer generated(RecordGenerator generator, GeneratedData data, long seed)
      throws DeclarationException, IOException {
    Source source = generator.source();
    ReplayRecords served = ReplayRecords.merge(ReplayRecords.of(source, data), ReplayRecords.recorded(source));
    return new ReplayServer(source, served, secretsFor(source, seed), generator.spec(), 0);
  }

  /**
   * Serves {@code records} (made by the generator, perhaps changed by a test) as the first
   * resource's, with the credentials {@link #secretsFor} makes for seed 0.
   */
  public static ReplayServer serving(Source source, List<GeneratedRecord> records) throws DeclarationException, IOException {
    ReplayRecords served = ReplayRecords.ofJson(source.resources().get(0).name(),
        records.stream().map(GeneratedRecord::json).toList());
    return new ReplayServer(source, served, secretsFor(source, 0), GeneratorSpec.forSource(source), 0);
  }

  /** Serves the source's recorded records (its declaration's {@code replay.records}). */
  public static ReplayServer recorded(Source source, long seed) throws DeclarationException, IOException {
    return new ReplayServer(source, ReplayRecords.recorded(source), secretsFor(source, seed), GeneratorSpec.forSource(source), 0);
  }

  /**
   * Serves {@code records} for {@code source} on an ephemeral port, accepting {@code credentials}
   * (a value for every secret the source's auth names).
   */
  public static ReplayServer start(Source source, ReplayRecords records, Map<SecretRef, String> credentials)
      throws DeclarationException, IOException {
    return start(source, records, credentials, 0);
  }

  /** As {@link #start(Source, ReplayRecords, Map)}, on {@code port} (0 for any free port). */
  public static ReplayServer start(Source source, ReplayRecords records, Map<SecretRef, String> credentials, int port)
      throws DeclarationException, IOException {
    return new ReplayServer(source, records, credentials, GeneratorSpec.forSource(source), port);
  }

  /**
   * Credential values for every secret {@code source} names, made from the seed (never a real
   * secret): the replay server accepts them, and a local {@code replay:} run sends them.
   */
  public static Map<SecretRef, String> secretsFor(Source source, long seed) {
    Map<SecretRef, String> out = new LinkedHashMap<>();
    for (SecretRef ref : source.clientSecrets()) {
      out.put(ref, "replay-" + ref.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-"
          + HexFormat.of().formatHex(sha256(source.name() + "/" + ref.name() + "/" + seed), 0, 8));
    }
    return out;
  }

  /** The credentials as {@link Secrets}, for a client of this server. */
  public static Secrets asSecrets(Map<SecretRef, String> values) {
    Map<SecretRef, String> copy = Map.copyOf(values);
    return ref -> {
      String v = copy.get(ref);
      if (v == null) {
        throw new Secrets.SecretMissingException(ref, "the replay server has no credential of that name");
      }
      return v;
    };
  }

  /** The credentials this server accepts, as {@link Secrets}. */
  public Secrets secrets() {
    return asSecrets(credentials);
  }

  /** The credential values this server accepts. */
  public Map<SecretRef, String> credentials() {
    return credentials;
  }

  /** {@code http://127.0.0.1:<port>} and the declared base URL's path: the base URL to give a client. */
  public URI baseUrl() {
    return URI.create(root() + basePath);
  }

  /** The OAuth token endpoint on this server (the declared token URL's path), or null without OAuth. */
  public URI tokenUrl() {
    return tokenPath == null ? null : URI.create(root() + tokenPath);
  }

  private String root() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public Source source() {
    return source;
  }

  /** How many requests were answered, whatever the path or status. */
  public long requestCount() {
    return requests.get();
  }

  /** How many of them went to the token endpoint. */
  public long tokenRequestCount() {
    return tokenRequests.get();
  }

  /** How many records the first resource serves. */
  public int size() {
    return size(source.resources().get(0).name());
  }

  /** How many records {@code resource} serves (a child resource's over all parents). */
  public int size(String resource) {
    return records.size(resource);
  }

  /** Serves {@code records} as the first resource's from the next request on, as if the API's data changed. */
  public void replaceRecords(List<GeneratedRecord> records) {
    replaceRecords(source.resources().get(0).name(), records);
  }

  /** Serves {@code records} as a top-level resource's from the next request on. */
  public synchronized void replaceRecords(String resource, List<GeneratedRecord> records) {
    if (source.resource(resource).map(r -> r.parent() != null).orElse(true)) {
      throw new IllegalArgumentException("'" + resource + "' is not a top-level resource of " + source.name());
    }
    use(this.records.with(resource, records.stream().map(g -> g.json().getBytes(StandardCharsets.UTF_8)).toList()));
  }

  private synchronized void use(ReplayRecords records) {
    Map<String, ResourceRoute.Served> d = new LinkedHashMap<>();
    routes.forEach((name, route) -> d.put(name, route.served(records.list(name), records.children(name))));
    this.records = records;
    this.data = d;
  }

  /** Sends every answer through {@code m} from now on; null to behave again. */
  public void misbehave(Misbehaviour m) {
    misbehaviour = m;
  }

  /** Tokens issued from now on last {@code lifetime} (the spec's {@code auth.expires_in} otherwise). */
  public void tokenLifetime(Duration lifetime) {
    this.tokenLifetime = lifetime;
  }

  /** The clock tokens expire by (tests move it). */
  public void clock(Clock clock) {
    this.clock = clock;
  }

  /** Every token issued so far stops working, as if it had expired. */
  public void expireTokens() {
    tokens.replaceAll((k, v) -> Instant.MIN);
  }

  /** The answer the server gives {@code request} now, misbehaviour aside (e.g. another page for a repeated one). */
  public Reply answer(Request request) {
    Map<String, ResourceRoute.Served> d = data;
    ResourceRoute route = routes.get(request.resource());
    try {
      if (route == null) {
        return Reply.message(404, "Not Found");
      }
      if (request.kind() == Request.Kind.TOTAL) {
        return route.total(d.get(request.resource()), request);
      }
      return route.page(d.get(request.resource()), request, links);
    } catch (Refusal r) {
      return Reply.message(r.status, r.getMessage());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP -------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      Reply reply;
      Request request;
      try {
        request = understand(exchange);
        reply = normal(exchange, request);
      } catch (Refusal r) {
        request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            query(exchange.getRequestURI().getRawQuery()), headers(exchange), null, Request.Kind.OTHER, 0, 0, Map.of());
        reply = Reply.message(r.status, r.getMessage());
      }
      Misbehaviour m = misbehaviour;
      if (m != null) {
        reply = m.answer(request, reply);
      }
      send(exchange, reply);
    }
  }

  /** What the request asks for: its route, page window and placeholders. */
  private Request understand(HttpExchange exchange) throws Refusal {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
    Map<String, String> headers = headers(exchange);
    if (tokenPath != null && path.equals(tokenPath)) {
      return new Request(method, path, params, headers, null, Request.Kind.TOKEN, 0, 0, Map.of());
    }
    for (ResourceRoute route : routes.values()) {
      boolean total = false;
      Map<String, String> placeholders = route.matchTotal(path);
      if (placeholders != null) {
        total = true;
      } else {
        placeholders = route.matchListing(path);
      }
      if (placeholders == null) {
        continue;
      }
      Map<String, String> decoded = new LinkedHashMap<>();
      placeholders.forEach((k, v) -> decoded.put(k, URLDecoder.decode(v, StandardCharsets.UTF_8)));
      route.placeholdersFromParams(params, decoded);
      long[] window = route.window(params);
      return new Request(method, path, params, headers, route.resource.name(), total ? Request.Kind.TOTAL : Request.Kind.PAGE,
          window[0], (int) window[1], decoded);
    }
    return new Request(method, path, params, headers, null, Request.Kind.OTHER, 0, 0, Map.of());
  }

  private Reply normal(HttpExchange exchange, Request request) throws IOException, Refusal {
    switch (request.kind()) {
      case TOKEN:
        tokenRequests.incrementAndGet();
        return token(exchange, request);
      case OTHER:
        return Reply.message(404, "Not Found");
      default:
        break;
    }
    if (!request.method().equals("GET")) {
      return Reply.message(405, "Method not allowed").withHeader("Allow", "GET");
    }
    Reply refused = authenticate(request);
    return refused != null ? refused : answer(request);
  }

  // --- Auth ---------------------------------------------------------------------------------------------

  /** Null when the request carries the declared credentials, else the 401 to send. */
  private Reply authenticate(Request request) {
    AuthSpec auth = source.client().auth();
    if (auth instanceof NoAuth) {
      return null;
    }
    if (auth instanceof ApiKey k) {
      String given = k.location() == ApiKey.Location.HEADER ? request.header(k.name()) : request.params().get(k.name());
      return equal(given, credentials.get(k.apiKey())) ? null
          : unauthorized("API key " + k.name() + " missing or wrong", null);
    }
    if (auth instanceof Bearer b) {
      return equal(bearer(request), credentials.get(b.token())) ? null
          : unauthorized("Bad credentials", "Bearer realm=\"replay\"");
    }
    if (auth instanceof HttpBasic h) {
      String[] given = basic(request.header("Authorization"), false);
      boolean ok = given != null && equal(given[0], value(h.username())) && equal(given[1], credentials.get(h.password()));
      return ok ? null : unauthorized("Bad credentials", "Basic realm=\"replay\"");
    }
    if (auth instanceof OAuth2ClientCredentials) {
      String token = bearer(request);
      Instant until = token == null ? null : tokens.get(token);
      if (until == null) {
        return unauthorized("No token provided or not a token this server issued", "Bearer realm=\"replay\"");
      }
      if (!clock.instant().isBefore(until)) {
        return unauthorized("The access token expired", "Bearer realm=\"replay\", error=\"invalid_token\"");
      }
      return null;
    }
    throw new IllegalStateException("no replay of auth " + auth.type());
  }

  /**
   * The token endpoint (RFC 6749 section 4.4): a form POST with {@code grant_type=client_credentials},
   * the client authenticated as declared (a Basic header, or {@code client_id}/{@code client_secret}
   * in the form); 400 for another grant, 401 {@code invalid_client} for wrong or missing credentials.
   */
  private Reply token(HttpExchange exchange, Request request) throws IOException {
    if (!request.method().equals("POST")) {
      return oauthError(405, "invalid_request", "use POST").withHeader("Allow", "POST");
    }
    String type = request.header("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      return oauthError(400, "invalid_request", "the token request is a form (application/x-www-form-urlencoded)");
    }
    Map<String, String> form;
    try (InputStream in = exchange.getRequestBody()) {
      form = query(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      return oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials");
    }
    OAuth2ClientCredentials o = (OAuth2ClientCredentials) source.client().auth();
    String id;
    String secret;
    if (o.clientInBody()) {
      id = form.get("client_id");
      secret = form.get("client_secret");
    } else {
      String[] given = basic(request.header("Authorization"), true);
      id = given == null ? null : given[0];
      secret = given == null ? null : given[1];
    }
    if (!equal(id, value(o.clientId())) || !equal(secret, credentials.get(o.clientSecret()))) {
      Reply r = oauthError(401, "invalid_client", "client authentication failed");
      return o.clientInBody() ? r : r.withHeader("WWW-Authenticate", "Basic realm=\"replay\"");
    }
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String token = "replay-token-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Duration lifetime = tokenLifetime;
    tokens.put(token, clock.instant().plus(lifetime));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token);
    body.put("token_type", "Bearer");
    body.put("expires_in", new JsonValues.Num(Long.toString(lifetime.toSeconds())));
    return new Reply(200, JsonValues.bytes(body), Map.of("Cache-Control", "no-store"));
  }

  private static Reply oauthError(int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return new Reply(status, JsonValues.bytes(body), Map.of("Cache-Control", "no-store"));
  }

  private static Reply unauthorized(String message, String challenge) {
    Reply r = Reply.message(401, message);
    return challenge == null ? r : r.withHeader("WWW-Authenticate", challenge);
  }

  private String value(StringOrSecret s) {
    return s.secret() != null ? credentials.get(s.secret()) : s.literal();
  }

  private static String bearer(Request request) {
    String h = request.header("Authorization");
    return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
  }

  /**
   * User and password of a Basic header, or null. An OAuth client's id and secret are form-encoded
   * before they are joined (RFC 6749 section 2.3.1), so they are decoded after the split.
   */
  private static String[] basic(String header, boolean formEncoded) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    String password = decoded.substring(colon + 1);
    if (formEncoded) {
      user = URLDecoder.decode(user, StandardCharsets.UTF_8);
      password = URLDecoder.decode(password, StandardCharsets.UTF_8);
    }
    return new String[] {user, password};
  }

  /** Compares in constant time, as a server comparing secrets should. */
  private static boolean equal(String given, String expected) {
    return given != null && expected != null
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  // --- Links --------------------------------------------------------------------------------------------

  /** Absolute URLs of this server: the request's path, its parameters in order, the page's replaced. */
  private final ResourceRoute.LinkBuilder links = new ResourceRoute.LinkBuilder() {
    @Override
    public String self(Request request) {
      return url(request, Map.of());
    }

    @Override
    public String to(Request request, long offset) {
      return url(request, routes.get(request.resource()).linkParams(request, offset));
    }

    private String url(Request request, Map<String, String> set) {
      Map<String, String> params = new LinkedHashMap<>(request.params());
      if (source.client().auth() instanceof ApiKey k && k.location() == ApiKey.Location.QUERY) {
        params.remove(k.name()); // a link never carries the key; the client adds it
      }
      params.putAll(set);
      List<String> pairs = new ArrayList<>();
      params.forEach((k, v) -> pairs.add(ResourceRoute.encode(k) + "=" + ResourceRoute.encode(v)));
      return root() + request.path() + (pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }
  };

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = reply.body();
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Query or form parameters, decoded; the first of a repeated name wins. */
  private static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        params.putIfAbsent(key, value);
      }
    }
    return params;
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> out = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> {
      if (!v.isEmpty()) {
        out.put(k.toLowerCase(Locale.ROOT), v.get(0));
      }
    });
    return out;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
