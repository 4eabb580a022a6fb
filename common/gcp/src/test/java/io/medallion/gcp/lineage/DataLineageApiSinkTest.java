package io.medallion.gcp.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Data Lineage API sink against a loopback stand-in: path, request id, token and body. */
class DataLineageApiSinkTest {

  private static JsonObject event() {
    return JsonParser.parseString("{\"eventType\":\"START\",\"run\":{\"runId\":\"5f1c2a1e-0000-3000-8000-000000000001\"}}")
        .getAsJsonObject();
  }

  @Test
  void sendsTheEventAsTheBody_toTheProjectsLocation_withAStableRequestIdAndTheToken() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    List<String> seen = new ArrayList<>();
    server.createContext("/", exchange -> {
      seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Authorization")
          + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(seen.size() == 3 ? 403 : 200, ok.length);
      exchange.getResponseBody().write(ok);
      exchange.close();
    });
    server.start();
    try {
      GoogleCredentials token = GoogleCredentials.create(new AccessToken("t0ken", null));
      DataLineageApiSink sink = new DataLineageApiSink("my-project", "us", token,
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/", HttpClient.newHttpClient());
      sink.send(event());
      sink.send(event());
      IOException refused = assertThrows(IOException.class, () -> sink.send(event()));
      assertTrue(refused.getMessage().contains("403"), refused.getMessage());
    } finally {
      server.stop(0);
    }
    String first = seen.get(0);
    assertTrue(first.startsWith("POST /v1/projects/my-project/locations/us:processOpenLineageRunEvent?requestId="), first);
    assertTrue(first.contains(" Bearer t0ken "), first);
    assertTrue(first.endsWith(event().toString()), first);
    assertEquals(first, seen.get(1), "the same event is sent under the same request id: a retry is not recorded twice");
  }

  @Test
  void aMissingLocation_isRefusedAtStart_namingTheVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DataLineageApiSink("p", " ", null));
    assertTrue(e.getMessage().contains("MEDALLION_LINEAGE_LOCATION"), e.getMessage());
  }
}
