package io.medallion.local.replay;

import static io.medallion.local.replay.PagingStylesTest.credential;
import static io.medallion.local.replay.PagingStylesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each auth kind as declared: the right credentials get the page, missing or wrong ones get 401
 * (with a challenge where the scheme has one); the OAuth token endpoint takes the client as the
 * declaration says, issues tokens that expire, and refuses a wrong grant or client.
 */
class AuthKindsTest {

  @Test
  void apiKeyInAHeader_rightGetsThePage_missingOrWrongIs401() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("pager"), 5, 1)) {
      String url = server.baseUrl() + "/items";
      assertEquals(200, Http.get(url, "X-API-Key", credential(server, "PAGER_KEY")).statusCode());
      assertEquals(401, Http.get(url).statusCode());
      assertEquals(401, Http.get(url, "X-API-Key", "guess").statusCode());
      assertEquals(401, Http.get(url + "?X-API-Key=" + credential(server, "PAGER_KEY")).statusCode(), "a header, not a parameter");
    }
  }

  @Test
  void apiKeyInTheQuery_rightGetsThePage_missingOrWrongIs401() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("catalog"), 5, 1)) {
      String url = server.baseUrl() + "/products";
      assertEquals(200, Http.get(url + "?api_key=" + credential(server, "CATALOG_KEY")).statusCode());
      assertEquals(401, Http.get(url).statusCode());
      assertEquals(401, Http.get(url + "?api_key=guess").statusCode());
      assertEquals(401, Http.get(url + "/count?api_key=guess").statusCode(), "the total endpoint too");
    }
  }

  @Test
  void bearerToken_rightGetsThePage_otherwise401WithAChallenge() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("tickets"), 5, 1)) {
      String url = server.baseUrl() + "/repos/acme/widgets/issues";
      assertEquals(200, Http.get(url, "Authorization", "Bearer " + credential(server, "TICKETS_TOKEN")).statusCode());
      HttpResponse<String> missing = Http.get(url);
      assertEquals(401, missing.statusCode());
      assertTrue(missing.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertEquals(401, Http.get(url, "Authorization", "Bearer guess").statusCode());
      assertEquals(401, Http.get(url, "Authorization", "token " + credential(server, "TICKETS_TOKEN")).statusCode());
    }
  }

  @Test
  void httpBasic_rightUserAndPasswordGetThePage_eitherWrongIs401() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("feed"), 5, 1)) {
      String url = server.baseUrl() + "/events";
      String password = credential(server, "FEED_PASSWORD");
      assertEquals(200, Http.get(url, "Authorization", Http.basic("replay-user", password)).statusCode());
      HttpResponse<String> wrongUser = Http.get(url, "Authorization", Http.basic("someone", password));
      assertEquals(401, wrongUser.statusCode());
      assertTrue(wrongUser.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
      assertEquals(401, Http.get(url, "Authorization", Http.basic("replay-user", "guess")).statusCode());
      assertEquals(401, Http.get(url).statusCode());
    }
  }

  @Test
  void oauthClientInABasicHeader_tokenWorksUntilItExpires_thenANewOneDoes() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("shows"), 5, 1)) {
      assertEquals("/api/token", server.tokenUrl().getPath(), "the declared token URL's path, on this server");
      String search = server.baseUrl() + "/v1/search?q=x&type=show";
      assertEquals(401, Http.get(search).statusCode(), "no token");
      assertEquals(401, Http.get(search, "Authorization", "Bearer made-up").statusCode(), "a token it never issued");

      String id = credential(server, "SHOWS_CLIENT_ID");
      String secret = credential(server, "SHOWS_CLIENT_SECRET");
      HttpResponse<String> issued = Http.postForm(server.tokenUrl().toString(), "grant_type=client_credentials",
          "Authorization", Http.basic(id, secret));
      assertEquals(200, issued.statusCode(), issued.body());
      assertEquals("Bearer", json(issued).get("token_type").getAsString());
      assertEquals(3600, json(issued).get("expires_in").getAsInt(), "the spec's expires_in");
      assertEquals("no-store", issued.headers().firstValue("Cache-Control").orElse(""));
      String token = json(issued).get("access_token").getAsString();
      assertEquals(200, Http.get(search, "Authorization", "Bearer " + token).statusCode());

      server.expireTokens();
      HttpResponse<String> expired = Http.get(search, "Authorization", "Bearer " + token);
      assertEquals(401, expired.statusCode());
      assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
      String fresh = PagingStylesTest.token(server);
      assertNotEquals(token, fresh);
      assertEquals(200, Http.get(search, "Authorization", "Bearer " + fresh).statusCode());

      server.tokenLifetime(Duration.ZERO);
      String stillborn = PagingStylesTest.token(server);
      assertEquals(401, Http.get(search, "Authorization", "Bearer " + stillborn).statusCode(), "expires_in 0");
      assertEquals(3, server.tokenRequestCount());
    }
  }

  @Test
  void oauthTokenEndpoint_refusesAWrongClientGrantMethodOrBody() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("shows"), 5, 1)) {
      String url = server.tokenUrl().toString();
      String id = credential(server, "SHOWS_CLIENT_ID");
      String secret = credential(server, "SHOWS_CLIENT_SECRET");
      HttpResponse<String> wrong = Http.postForm(url, "grant_type=client_credentials", "Authorization", Http.basic(id, "guess"));
      assertEquals(401, wrong.statusCode());
      assertEquals("invalid_client", json(wrong).get("error").getAsString());
      HttpResponse<String> inBody = Http.postForm(url, "grant_type=client_credentials&client_id=" + id + "&client_secret=" + secret);
      assertEquals(401, inBody.statusCode(), "declared basic: the client in the body is not accepted");
      HttpResponse<String> grant = Http.postForm(url, "grant_type=password", "Authorization", Http.basic(id, secret));
      assertEquals(400, grant.statusCode());
      assertEquals("unsupported_grant_type", json(grant).get("error").getAsString());
      assertEquals(405, Http.get(url).statusCode());
    }
  }

  @Test
  void oauthClientInTheFormBody_literalClientIdAndSecret() throws Exception {
    try (ReplayServer server = ReplayServer.generated(TestSources.source("notes"), 5, 1)) {
      String url = server.tokenUrl().toString();
      String secret = credential(server, "NOTES_CLIENT_SECRET");
      HttpResponse<String> ok = Http.postForm(url, "grant_type=client_credentials&client_id=notes-client&client_secret="
          + secret + "&scope=notes%3Aread");
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals(60, json(ok).get("expires_in").getAsInt());
      assertEquals(401, Http.postForm(url, "grant_type=client_credentials", "Authorization",
          Http.basic("notes-client", secret)).statusCode(), "declared body: a Basic header is not accepted");
      assertEquals(401, Http.postForm(url, "grant_type=client_credentials&client_id=other&client_secret=" + secret)
          .statusCode());
    }
  }

  @Test
  void credentialsAreMadeFromTheSeed_andTheServerNeedsOneForEverySecret() throws Exception {
    Source shows = TestSources.source("shows");
    Map<SecretRef, String> a = ReplayServer.secretsFor(shows, 1);
    assertEquals(a, ReplayServer.secretsFor(shows, 1));
    assertNotEquals(a, ReplayServer.secretsFor(shows, 2));
    assertEquals(2, a.size());
    Secrets secrets = ReplayServer.asSecrets(a);
    assertEquals(a.get(new SecretRef("SHOWS_CLIENT_ID")), secrets.value(new SecretRef("SHOWS_CLIENT_ID")));
    assertThrows(Secrets.SecretMissingException.class, () -> secrets.value(new SecretRef("OTHER")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayServer.start(shows,
        ReplayRecords.ofJson("shows", java.util.List.of()), Map.of(new SecretRef("SHOWS_CLIENT_ID"), "x")));
    assertTrue(e.getMessage().contains("SHOWS_CLIENT_SECRET"), e.getMessage());
  }
}
