package io.medallion.source.rest;

import static io.medallion.source.rest.Declared.client;
import static io.medallion.source.rest.Declared.resource;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.Source;
import io.medallion.source.rest.ScriptedServer.Reply;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Distinctive secret values, an API and a token endpoint that echo them back in every way they
 * can (next links, error bodies, Link headers), and every failure kind: no exception message or
 * cause, {@link PageRequest}, {@link FetchedPage} or log record may ever contain one.
 */
class SecretsNeverLeakTest {

  private static final String API_KEY = "Key/42 plus+space-Ω-8e3f1a";
  private static final String TOKEN = "ghp_TOKEN_77d1c0ffee";
  private static final String PASSWORD = "pw:Secret-5150";
  private static final String CLIENT_ID = "client-id-secret-9a9a";
  private static final String CLIENT_SECRET = "client-secret-1e1e1e";
  private static final String ACCESS_TOKEN = "access-token-abcdef0123";

  private static ScriptedServer server;
  private static ScriptedServer foreign;
  private final Harness h = new Harness();
  private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
  private final Logger engineLogs = Logger.getLogger("io.medallion.source");
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      seen.add(record.getMessage());
      if (record.getParameters() != null) {
        for (Object p : record.getParameters()) {
          seen.add(String.valueOf(p));
        }
      }
      if (record.getThrown() != null) {
        seen.add(trace(record.getThrown()));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level levelBefore;

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

  @BeforeEach
  void listen() {
    levelBefore = engineLogs.getLevel();
    engineLogs.setLevel(Level.ALL);
    engineLogs.addHandler(capture);
    h.secretValues.putAll(Map.of("API_KEY", API_KEY, "TOKEN", TOKEN, "PASSWORD", PASSWORD, "CLIENT_ID", CLIENT_ID,
        "CLIENT_SECRET", CLIENT_SECRET));
  }

  @AfterEach
  void reset() {
    engineLogs.removeHandler(capture);
    engineLogs.setLevel(levelBefore);
    server.reset();
    foreign.reset();
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w + " " + t;
  }

  /** Reads to the end (or the failure), keeping every request, page and failure for the scan. */
  private void read(Source source) {
    try {
      ResourceReader r = Readers.open(source, source.resources().get(0), h.settings(server.base()));
      seen.add(r.toString());
      seen.add(r.first().toString());
      r.nth(2).ifPresent(p -> seen.add(p.toString()));
      PageRequest request = r.first();
      for (int n = 1; request != null && n < 10; n++) {
        FetchedPage page = r.fetch(n, request);
        seen.add(page.toString());
        page.next().ifPresent(p -> seen.add(p.url().toString()));
        page.maxCursor().ifPresent(seen::add);
        request = page.next().orElse(null);
      }
      r.total();
    } catch (io.medallion.source.SourceException e) {
      seen.add(trace(e));
      seen.add(String.valueOf(e.uri()));
    } catch (IOException e) {
      seen.add(trace(e));
    }
  }

  private static List<String> forms(String secret) {
    return List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
        URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  private void assertNothingLeaked(int atLeast) {
    assertTrue(seen.size() >= atLeast, "the scan saw too little: " + seen);
    List<String> secrets = new ArrayList<>();
    for (String s : List.of(API_KEY, TOKEN, PASSWORD, CLIENT_ID, CLIENT_SECRET, ACCESS_TOKEN)) {
      secrets.addAll(forms(s));
    }
    secrets.add(Base64.getEncoder().encodeToString(("user:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    secrets.add(Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
    synchronized (seen) {
      for (String text : seen) {
        for (String secret : secrets) {
          assertFalse(text != null && text.contains(secret), "a secret leaked: '" + secret + "' in: " + text);
        }
      }
    }
  }

  /** Each scenario reached the failure it is about. */
  private void assertSeen(String... fragments) {
    synchronized (seen) {
      for (String f : fragments) {
        assertTrue(seen.stream().anyMatch(t -> t != null && t.contains(f)), "no '" + f + "' in " + seen);
      }
    }
  }

  /** A server that echoes what it was sent: query, headers and body, in bodies, links and errors. */
  private static String echo(ScriptedServer.Seen s) {
    return "\"" + (s.pathAndQuery() + " " + s.headers() + " " + s.body()).replace("\\", "\\\\").replace("\"", "'") + "\"";
  }

  @Test
  void apiKeyInTheQuery_echoedInNextLinks_errorBodies_andLoops() {
    Source s = Declared.source("leaky", client(server.base(), "\"auth\":{\"type\":\"api_key\",\"name\":\"appid\","
        + "\"location\":\"query\",\"api_key\":{\"secret\":\"API_KEY\"}}"),
        resource("items", "{\"path\":\"/items\",\"data_selector\":\"items\",\"paginator\":{\"type\":\"json_link\","
            + "\"next_url_path\":\"next\"}}"));
    // The next link repeats the key as the API received it; page 2 links back to page 2: a loop.
    server.route(x -> x.param("page") == null
        ? Reply.ok("{\"items\":[{}],\"echo\":" + echo(x) + ",\"next\":\"" + x.pathAndQuery() + "&page=2\"}")
        : Reply.ok("{\"items\":[{}],\"next\":\"" + x.pathAndQuery() + "\"}"));
    read(s);
    assertTrue(server.seen().get(1).param("appid").equals(API_KEY), "the key still goes out: " + server.seen());
    // An error body that repeats the request.
    server.reset();
    server.route(x -> Reply.of(404, "{\"error\":" + echo(x) + "}"));
    read(s);
    // A next link to a foreign host that carries the key.
    server.reset();
    server.route(x -> Reply.ok("{\"items\":[{}],\"next\":\"" + foreign.base() + x.pathAndQuery() + "\"}"));
    read(s);
    assertTrue(foreign.seen().isEmpty());
    // A next link that is not a URL, with the key as it is: the cause says so too.
    server.reset();
    server.route(x -> Reply.ok("{\"items\":[{}],\"next\":\"/items?appid=" + API_KEY + "\"}"));
    read(s);
    // 5xx until the attempts run out, each logged.
    server.reset();
    server.route(x -> Reply.of(503, "{\"error\":" + echo(x) + "}"));
    read(s);
    assertSeen("a loop", "HTTP 404", "is not a URL", "which points at host", "failed after 5 attempts", "on attempt 1 of 5; retrying");
    assertNothingLeaked(12);
  }

  @Test
  void bearerAndBasic_echoedInErrors_andInHtml() {
    Source bearer = Declared.source("leaky", client(server.base(), "\"auth\":{\"type\":\"bearer\",\"token\":{\"secret\":\"TOKEN\"}}"),
        resource("items", "{\"path\":\"/items\",\"paginator\":{\"type\":\"header_link\"}}"));
    server.route(x -> Reply.of(401, "{\"message\":" + echo(x) + "}"));
    read(bearer);
    server.reset();
    server.route(x -> Reply.of(200, "<html>" + x.headers() + "</html>", "Content-Type", "text/html"));
    read(bearer);
    server.reset();
    server.route(x -> Reply.of(200, "[{}]", "Link", "<" + foreign.base() + "/x?t=" + TOKEN + ">; rel=\"next\""));
    read(bearer);

    Source basic = Declared.source("leaky", client(server.base(), "\"auth\":{\"type\":\"http_basic\",\"username\":\"user\","
        + "\"password\":{\"secret\":\"PASSWORD\"}}"), resource("items", "{\"path\":\"/items\",\"data_selector\":\"data\","
        + "\"paginator\":{\"type\":\"single_page\"}}"));
    server.reset();
    server.route(x -> Reply.ok("{\"data\":" + echo(x) + "}"));
    read(basic);
    assertSeen("refused the credentials of auth bearer", "Content-Type is text/html", "which points at host",
        "data_selector 'data' found a JSON string");
    assertNothingLeaked(8);
  }

  @Test
  void oauth2_tokenEndpointAndApiEchoingEverything() {
    Source s = Declared.source("leaky", client(server.base(), "\"auth\":{\"type\":\"oauth2_client_credentials\","
        + "\"token_url\":\"" + server.base() + "/token\",\"client_id\":{\"secret\":\"CLIENT_ID\"},"
        + "\"client_secret\":{\"secret\":\"CLIENT_SECRET\"},\"client_authentication\":\"body\"}"),
        resource("items", "{\"path\":\"/items\",\"paginator\":{\"type\":\"cursor\",\"cursor_path\":\"c\","
            + "\"cursor_param\":\"c\"},\"data_selector\":\"d\"}"));
    // The token endpoint refuses, repeating the form it got.
    server.route(x -> Reply.of(401, "{\"error\":\"invalid_client\",\"got\":" + echo(x) + "}"));
    read(s);
    // The token endpoint answers a token of another type, and the secret.
    server.reset();
    server.route(x -> Reply.ok("{\"token_type\":\"mac\",\"access_token\":\"" + ACCESS_TOKEN + "\",\"secret\":"
        + echo(x) + "}"));
    read(s);
    // It issues a token; the API refuses it twice, repeating it.
    server.reset();
    server.route(x -> x.path().equals("/token")
        ? Reply.ok("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3600}")
        : Reply.of(401, "{\"error\":" + echo(x) + "}"));
    read(s);
    // The API accepts it but answers a cursor that is the token, then loops on it.
    server.reset();
    server.route(x -> x.path().equals("/token")
        ? Reply.ok("{\"access_token\":\"" + ACCESS_TOKEN + "\"}")
        : Reply.ok("{\"d\":[{}],\"c\":\"" + ACCESS_TOKEN + "\"}"));
    read(s);
    assertSeen("refused the client credentials", "its token_type is 'mac'", "even with a fresh token",
        "answered 401; signing once more", "fetching an access token", "a loop");
    assertNothingLeaked(10);
  }
}
