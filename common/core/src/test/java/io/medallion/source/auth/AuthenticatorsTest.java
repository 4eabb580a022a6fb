package io.medallion.source.auth;

import static io.medallion.source.rest.Declared.client;
import static io.medallion.source.rest.Declared.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.rest.Declared;
import io.medallion.source.rest.FetchedPage;
import io.medallion.source.rest.Harness;
import io.medallion.source.rest.ReadSettings;
import io.medallion.source.rest.Readers;
import io.medallion.source.rest.ResourceReader;
import io.medallion.source.rest.ScriptedServer;
import io.medallion.source.rest.ScriptedServer.Reply;
import io.medallion.source.rest.ScriptedServer.Seen;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each auth kind against a loopback server that checks the credentials the way the API would. */
class AuthenticatorsTest {

  private static ScriptedServer server;
  private static ScriptedServer elsewhere;
  private final Harness h = new Harness();

  @BeforeAll
  static void start() throws IOException {
    server = new ScriptedServer();
    elsewhere = new ScriptedServer();
  }

  @AfterAll
  static void stop() {
    server.close();
    elsewhere.close();
  }

  @AfterEach
  void reset() {
    server.reset();
    elsewhere.reset();
  }

  /** Three pages of one record each, then the end: page_number. */
  private static final String PAGED = "{\"path\":\"/items\",\"paginator\":{\"type\":\"page_number\",\"maximum_page\":3}}";

  private Source source(String auth) {
    return Declared.source("secured", client(server.base(), "\"auth\":" + auth), resource("items", PAGED));
  }

  /** An API that answers only requests for which {@code authorized} holds, 401 otherwise. */
  private static void api(java.util.function.Predicate<Seen> authorized) {
    server.route(s -> s.path().equals("/items")
        ? authorized.test(s) ? Reply.ok("[{\"id\":1}]") : Reply.of(401, "{\"message\":\"Bad credentials\"}")
        : null);
  }

  private List<FetchedPage> readAll(Source s) throws IOException {
    return h.readAll(s, h.settings(server.base()));
  }

  @Test
  void none_sendsNoCredentials() throws IOException {
    api(s -> s.header("Authorization") == null);
    assertEquals(3, readAll(source("{\"type\":\"none\"}")).size());
  }

  @Test
  void apiKey_inAHeader() throws IOException {
    h.secretValues.put("WEATHER_KEY", "key-2718281828");
    api(s -> "key-2718281828".equals(s.header("X-API-Key")));
    assertEquals(3, readAll(source("{\"type\":\"api_key\",\"name\":\"X-API-Key\",\"api_key\":{\"secret\":\"WEATHER_KEY\"}}"))
        .size());
  }

  @Test
  void apiKey_inTheQuery_isAddedAsTheRequestGoesOut_neverToAPageRequest() throws IOException {
    h.secretValues.put("WEATHER_KEY", "key-2718281828");
    api(s -> "key-2718281828".equals(s.param("appid")));
    Source s = source("{\"type\":\"api_key\",\"name\":\"appid\",\"location\":\"query\",\"api_key\":{\"secret\":\"WEATHER_KEY\"}}");
    ResourceReader r = Readers.open(s, s.resources().get(0), h.settings(server.base()));
    List<FetchedPage> pages = Harness.readAll(r);
    assertEquals(3, pages.size());
    assertEquals(server.base() + "/items?page=1", r.first().toString());
    assertEquals(server.base() + "/items?page=2", pages.get(0).next().orElseThrow().toString());
    assertEquals("/items?page=1&appid=key-2718281828", server.seen().get(0).pathAndQuery());
  }

  @Test
  void bearer() throws IOException {
    h.secretValues.put("GITHUB_TOKEN", "ghp_1618033988");
    api(s -> "Bearer ghp_1618033988".equals(s.header("Authorization")));
    assertEquals(3, readAll(source("{\"type\":\"bearer\",\"token\":{\"secret\":\"GITHUB_TOKEN\"}}")).size());
  }

  @Test
  void bearer_refused_failsAtOnce_namingTheAuth() {
    h.secretValues.put("GITHUB_TOKEN", "ghp_wrong");
    api(s -> false);
    SourceException e = h.failure(source("{\"type\":\"bearer\",\"token\":{\"secret\":\"GITHUB_TOKEN\"}}"),
        h.settings(server.base()));
    assertFalse(e.retryable());
    assertEquals(401, e.status());
    assertEquals(1, server.seen().size(), "a static credential is not tried twice");
    assertEquals("source secured, resource items: GET " + server.base() + "/items?page=1 failed with HTTP 401:"
        + " {\"message\":\"Bad credentials\"} on attempt 1; not retried: the API refused the credentials of auth bearer",
        e.getMessage());
  }

  @Test
  void httpBasic_withALiteralUserAndASecretPassword() throws IOException {
    h.secretValues.put("SHOP_PASSWORD", "pässwörd:1414");
    String expected = "Basic " + Base64.getEncoder().encodeToString("shop-user:pässwörd:1414".getBytes(StandardCharsets.UTF_8));
    api(s -> expected.equals(s.header("Authorization")));
    assertEquals(3, readAll(source("{\"type\":\"http_basic\",\"username\":\"shop-user\","
        + "\"password\":{\"secret\":\"SHOP_PASSWORD\"}}")).size());
  }

  @Test
  void aSecretThatIsNotSet_failsNamingIt_beforeAnyRequest() {
    SourceException e = h.failure(source("{\"type\":\"bearer\",\"token\":{\"secret\":\"GITHUB_TOKEN\"}}"),
        h.settings(server.base()));
    assertFalse(e.retryable());
    assertInstanceOf(Secrets.SecretMissingException.class, e.getCause());
    assertEquals("source secured, resource items: GET " + server.base() + "/items?page=1: secret GITHUB_TOKEN is not set"
        + " (the environment variable GITHUB_TOKEN is empty or unset); set it and resume the run", e.getMessage());
    assertTrue(server.seen().isEmpty());
  }

  @Test
  void aSecretStoreThatFails_failsTheReadClearly_notRetried() {
    Source s = source("{\"type\":\"bearer\",\"token\":{\"secret\":\"GITHUB_TOKEN\"}}");
    ReadSettings base = h.settings(server.base());
    ReadSettings denied = new ReadSettings(server.base(), null, base.retry(), Map.of(), null,
        ref -> {
          throw new IOException("Cannot read the Secret Manager secret projects/p/secrets/" + ref.name()
              + ": permission denied");
        }, base.redactor(), base.http());
    SourceException e = h.failure(s, denied);
    assertFalse(e.retryable());
    assertEquals("source secured, resource items: GET " + server.base() + "/items?page=1: the credentials could not be"
        + " read: Cannot read the Secret Manager secret projects/p/secrets/GITHUB_TOKEN: permission denied", e.getMessage());
    assertTrue(server.seen().isEmpty());
  }

  // ---------------------------------------------------------------- OAuth2 client credentials

  private final AtomicInteger tokensIssued = new AtomicInteger();

  /** A token endpoint at /api/token (RFC 6749 4.4) and an API that accepts only the latest token it issued. */
  private void oauthServer(boolean clientInBody, long expiresIn) {
    server.route(s -> {
      if (s.path().equals("/api/token")) {
        Map<String, String> form = form(s.body());
        boolean client = clientInBody
            ? "spotify-client".equals(form.get("client_id")) && "cs-5772156649".equals(form.get("client_secret"))
                && s.header("Authorization") == null
            : ("Basic " + Base64.getEncoder().encodeToString("spotify-client:cs-5772156649".getBytes(StandardCharsets.UTF_8)))
                .equals(s.header("Authorization")) && !form.containsKey("client_secret");
        if (!s.method().equals("POST") || !"client_credentials".equals(form.get("grant_type"))
            || !s.header("Content-Type").startsWith("application/x-www-form-urlencoded")) {
          return Reply.of(400, "{\"error\":\"unsupported_grant_type\"}");
        }
        if (!client) {
          return Reply.of(401, "{\"error\":\"invalid_client\"}");
        }
        return Reply.ok("{\"access_token\":\"at-" + tokensIssued.incrementAndGet() + "-secret\",\"token_type\":\"Bearer\""
            + (expiresIn > 0 ? ",\"expires_in\":" + expiresIn : "") + "}");
      }
      if (s.path().equals("/items")) {
        return ("Bearer at-" + tokensIssued.get() + "-secret").equals(s.header("Authorization"))
            ? Reply.ok("[{\"id\":1}]") : Reply.of(401, "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}");
      }
      return null;
    });
  }

  private Source oauth(String more) {
    h.secretValues.put("SPOTIFY_CLIENT_SECRET", "cs-5772156649");
    return source("{\"type\":\"oauth2_client_credentials\",\"token_url\":\"" + server.base() + "/api/token\","
        + "\"client_id\":\"spotify-client\",\"client_secret\":{\"secret\":\"SPOTIFY_CLIENT_SECRET\"}" + more + "}");
  }

  private List<Seen> tokenRequests() {
    return server.seen("/api/token");
  }

  @Test
  void oauth2_basicClientAuthentication_tokenIsCachedAcrossPages() throws IOException {
    oauthServer(false, 3600);
    assertEquals(3, readAll(oauth("")).size());
    assertEquals(1, tokenRequests().size());
    assertEquals("grant_type=client_credentials", tokenRequests().get(0).body());
    assertEquals(4, server.seen().size());
  }

  @Test
  void oauth2_clientInTheFormBody_withScopes() throws IOException {
    oauthServer(true, 3600);
    assertEquals(3, readAll(oauth(",\"client_authentication\":\"body\",\"scopes\":[\"read\",\"list items\"]")).size());
    Map<String, String> form = form(tokenRequests().get(0).body());
    assertEquals("read list items", form.get("scope"));
    assertEquals("spotify-client", form.get("client_id"));
  }

  @Test
  void oauth2_tokenIsSharedByTheReadersOfOneRun_andFetchedAgainAfterItExpires() throws IOException {
    oauthServer(false, 3600);
    Source s = oauth("");
    readAll(s);
    readAll(s); // another resource or parent record of the same run
    assertEquals(1, tokenRequests().size());

    h.clock.advance(Duration.ofSeconds(3600 - 61));
    readAll(s);
    assertEquals(1, tokenRequests().size(), "still valid for more than the margin");
    h.clock.advance(Duration.ofSeconds(2));
    readAll(s);
    assertEquals(2, tokenRequests().size(), "fetched again a minute before it expires");
  }

  @Test
  void oauth2_aTokenTheApiRefuses_isFetchedAgainOnce() throws IOException {
    oauthServer(false, 0); // no expires_in: kept until the API refuses it
    Source s = oauth("");
    ResourceReader r = Readers.open(s, s.resources().get(0), h.settings(server.base()));
    FetchedPage first = r.fetch(1, r.first());
    tokensIssued.incrementAndGet(); // the API now wants a token the client does not have yet: at-1 is revoked
    FetchedPage second = r.fetch(2, first.next().orElseThrow());
    assertEquals(1, second.recordCount());
    assertEquals(2, tokenRequests().size());
    // token, page 1, page 2 (401), token, page 2
    assertEquals(List.of("/api/token", "/items", "/items", "/api/token", "/items"),
        server.seen().stream().map(Seen::path).toList());
  }

  @Test
  void oauth2_aTokenRefusedTwice_failsClearly() {
    Source s = oauth("");
    server.route(x -> x.path().equals("/api/token")
        ? Reply.ok("{\"access_token\":\"at-" + tokensIssued.incrementAndGet() + "-secret\",\"token_type\":\"bearer\"}")
        : Reply.of(401, "{\"error\":\"invalid_token\"}"));
    SourceException e = h.failure(s, h.settings(server.base()));
    assertFalse(e.retryable());
    assertEquals(401, e.status());
    assertEquals(2, tokenRequests().size());
    assertTrue(e.getMessage().endsWith("not retried: the API refused the credentials of auth oauth2_client_credentials,"
        + " even with a fresh token"), e.getMessage());
  }

  @Test
  void oauth2_aTokenEndpointThatRefusesTheClient_failsClearly_andSendsNothingToTheApi() {
    oauthServer(false, 3600);
    Source s = oauth("");
    h.secretValues.put("SPOTIFY_CLIENT_SECRET", "cs-wrong-0000");
    SourceException e = h.failure(s, h.settings(server.base()));
    assertFalse(e.retryable());
    assertEquals(401, e.status());
    assertEquals("source secured, resource items: POST " + server.base() + "/api/token failed with HTTP 401:"
        + " {\"error\":\"invalid_client\"} on attempt 1; not retried: the token endpoint refused the client credentials"
        + " (client_id as declared, client_secret from secret SPOTIFY_CLIENT_SECRET, sent as HTTP Basic)", e.getMessage());
    assertTrue(server.seen("/items").isEmpty());
  }

  @Test
  void oauth2_aTokenEndpointWithoutAToken_failsClearly() {
    Source s = oauth("");
    server.route(x -> Reply.ok("{\"token\":\"x\"}"));
    SourceException e = h.failure(s, h.settings(server.base()));
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("POST " + server.base() + "/api/token (the token endpoint) answered HTTP 200 but"
        + " its answer has no access_token (found a JSON object with token)"), e.getMessage());
  }

  @Test
  void oauth2_aTransientTokenEndpointFailure_isRetried() throws IOException {
    oauthServer(false, 3600);
    server.script(Reply.status(503));
    assertEquals(3, readAll(oauth("")).size());
    assertEquals(2, tokenRequests().size());
    assertEquals(1, h.sleeps.size());
  }

  @Test
  void oauth2_oneTokenFetchAtATime_acrossThreads() throws Exception {
    oauthServer(false, 3600);
    Source s = oauth("");
    ResourceReader r = Readers.open(s, s.resources().get(0), h.settings(server.base()));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<FetchedPage>> pages = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        int page = n;
        for (int k = 0; k < 2; k++) {
          pages.add(pool.submit(() -> r.fetch(page, r.nth(page).orElseThrow())));
        }
      }
      for (Future<FetchedPage> p : pages) {
        assertEquals(1, p.get().recordCount());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, tokenRequests().size());
  }

  @Test
  void oauth2_tokenUrlMovesWithAReplacedBaseUrl() throws IOException {
    oauthServer(false, 3600);
    h.secretValues.put("SPOTIFY_CLIENT_SECRET", "cs-5772156649");
    Source s = Declared.source("spotify", "{\"base_url\":\"https://api.spotify.com\",\"auth\":{"
        + "\"type\":\"oauth2_client_credentials\",\"token_url\":\"https://accounts.spotify.com/api/token\","
        + "\"client_id\":\"spotify-client\",\"client_secret\":{\"secret\":\"SPOTIFY_CLIENT_SECRET\"}}}",
        resource("items", PAGED));
    assertEquals(3, h.readAll(s, h.settings(server.base())).size());
    assertEquals(1, tokenRequests().size());
  }

  @Test
  void credentials_areNotCarriedByARedirectToAnotherHost_butFollowOneOnTheSameHost() throws IOException {
    h.secretValues.put("GITHUB_TOKEN", "ghp_1618033988");
    Source s = source("{\"type\":\"bearer\",\"token\":{\"secret\":\"GITHUB_TOKEN\"}}");
    server.route(x -> x.path().equals("/items")
        ? Reply.of(301, "", "Location", "/moved" + x.pathAndQuery().substring("/items".length()))
        : "Bearer ghp_1618033988".equals(x.header("Authorization")) ? Reply.ok("[{}]") : Reply.status(401));
    ReadSettings settings = h.settings(server.base());
    assertEquals(3, h.readAll(s, settings).size());
    assertEquals("/moved?page=2", server.seen().get(3).pathAndQuery());

    server.reset();
    server.route(x -> Reply.of(302, "", "Location", elsewhere.base() + "/collect"));
    // A client that follows redirects itself would carry the Authorization header along.
    ReadSettings following = new ReadSettings(server.base(), null, settings.retry(), Map.of(), null, settings.secrets(),
        settings.redactor(), java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.ALWAYS)
            .build());
    SourceException e = h.failure(s, following);
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("GET " + elsewhere.base() + "/collect (a redirect of " + server.base()
        + "/items?page=1) points at host 127.0.0.1:" + elsewhere.base().getPort()), e.getMessage());
    assertTrue(elsewhere.seen().isEmpty());
  }

  @Test
  void renew_isOnlyForOAuth2() {
    Authenticator.Signed signed = new Authenticator.Signed(URI.create("http://x"), Map.of(), "c");
    Secrets none = ref -> null;
    assertFalse(Authenticator.of(new Bearer(new io.medallion.source.SecretRef("T")), null, none).renew(signed));
    assertFalse(Authenticator.of(new NoAuth(), null, none).renew(signed));
    assertEquals("Signed[credentials hidden]", signed.toString());
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
