package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The breweries the spec-driven generator and the generic server serve are the ones the Java
 * generator and server of before served: the same bytes per page, the same meta, the same
 * expectations and the same streamed export, checked against SHA-256 sums captured from the old
 * code ({@code breweries-golden.txt}).
 */
class BreweriesAsBeforeTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static Source breweries;
  private static RecordGenerator generator;
  private static GeneratedData data;
  private static ReplayServer server;
  private static List<String[]> golden;

  @BeforeAll
  static void start() throws Exception {
    breweries = SourceRegistry.standard().find("breweries").orElseThrow();
    generator = RecordGenerator.forSource(breweries);
    data = generator.generate(10_000, 42);
    server = ReplayServer.generated(generator, data, 42);
    golden = new ArrayList<>();
    try (InputStream in = BreweriesAsBeforeTest.class.getResourceAsStream("breweries-golden.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          golden.add(line.split(" ", 4));
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String sha(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void everyPageIsByteForByteTheOldServers() throws Exception {
    int pages = 0;
    for (String[] g : golden) {
      if (!g[0].equals("page")) {
        continue;
      }
      HttpResponse<byte[]> r = get("/v1/breweries?page=" + g[2] + "&per_page=" + g[1]);
      assertEquals(200, r.statusCode());
      assertEquals(g[3], sha(r.body()), "page " + g[2] + " of " + g[1]);
      pages++;
    }
    assertTrue(pages > 300, "the golden file lists the pages: " + pages);
  }

  @Test
  void metaGivesTheSameNumbersAsStrings() throws Exception {
    for (String[] g : golden) {
      if (g[0].equals("meta")) {
        HttpResponse<byte[]> r = get("/v1/breweries/meta?page=" + g[1] + "&per_page=" + g[2]);
        assertEquals(g[3], new String(r.body(), StandardCharsets.UTF_8));
      }
    }
    assertEquals("{\"total\":\"10000\",\"page\":\"1\",\"per_page\":\"50\"}", new String(get("/v1/breweries/meta").body(),
        StandardCharsets.UTF_8));
  }

  @Test
  void defaultsAndCapsAreTheOldOnes() throws Exception {
    assertEquals(sha(get("/v1/breweries?page=1&per_page=50").body()), sha(get("/v1/breweries").body()), "per_page 50 by default");
    assertEquals(sha(get("/v1/breweries?page=2&per_page=50").body()), sha(get("/v1/breweries?page=2").body()));
    assertEquals(sha(get("/v1/breweries?page=3&per_page=200").body()), sha(get("/v1/breweries?page=3&per_page=1000").body()),
        "capped at 200");
    assertEquals(sha(get("/v1/breweries?page=1&per_page=10").body()), sha(get("/v1/breweries?page=0&per_page=10").body()),
        "page 0 is page 1");
    assertEquals("[]", new String(get("/v1/breweries?page=51&per_page=200").body(), StandardCharsets.UTF_8));
    assertEquals("[]", new String(get("/v1/breweries?page=99999&per_page=200").body(), StandardCharsets.UTF_8));
    assertEquals("application/json; charset=utf-8", get("/v1/breweries").headers().firstValue("Content-Type").orElseThrow());
    assertEquals(400, get("/v1/breweries?page=abc").statusCode());
    assertEquals(400, get("/v1/breweries?per_page=lots").statusCode());
    for (String path : List.of("/v2/breweries", "/", "/v1/breweries/a/b")) {
      assertEquals(404, get(path).statusCode(), path);
    }
  }

  @Test
  void expectationsAreTheOldOnes() throws Exception {
    StringBuilder all = new StringBuilder();
    for (GeneratedRecord r : data.first()) {
      if (r.expected() instanceof Expected.Reject j) {
        all.append("reject|").append(j.reason()).append('|').append(j.field());
      } else {
        all.append("clean");
        ((Expected.Clean) r.expected()).row().forEach((k, v) -> all.append('|').append(k).append('=').append(v));
      }
      all.append('\n');
    }
    assertEquals(value("expected"), sha(all.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theStreamedExportIsTheOldOne() throws Exception {
    String[] g = golden.stream().filter(l -> l[0].equals("stream")).findFirst().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bytes = generator.writeJsonArray("breweries", Long.parseLong(g[1]), Long.parseLong(g[2]), out);
    assertEquals(out.size(), bytes);
    assertEquals(g[3], sha(out.toByteArray()));
  }

  private static String value(String kind) {
    return golden.stream().filter(l -> l[0].equals(kind)).findFirst().orElseThrow()[1];
  }
}
