package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplayServerTest {

  private static final int N = 1_050;
  private static List<GeneratedBrewery> records;
  private static ReplayServer server;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws IOException {
    records = new BreweryGenerator(5).generate(N);
    server = new ReplayServer(records);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** What the page must be: the records' own JSON, joined without whitespace. */
  private static String expectedPage(int page, int perPage) {
    int from = Math.min(N, (page - 1) * perPage);
    return records.subList(from, Math.min(N, from + perPage)).stream()
        .map(GeneratedBrewery::json)
        .collect(Collectors.joining(",", "[", "]"));
  }

  @Test
  void pagesAreSlicesOfTheListInOrder() throws Exception {
    for (int perPage : new int[] {200, 7, 1}) {
      int served = 0;
      for (int page = 1; ; page++) {
        HttpResponse<String> response = get("/v1/breweries?page=" + page + "&per_page=" + perPage);
        assertEquals(200, response.statusCode());
        assertEquals(
            "application/json; charset=utf-8",
            response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(expectedPage(page, perPage), response.body());
        if (response.body().equals("[]")) {
          break;
        }
        served += Math.min(perPage, N - served);
      }
      assertEquals(N, served);
      if (perPage == 7) {
        break; // 150 pages of 7 prove the point; 1050 of 1 would only cost time
      }
    }
  }

  @Test
  void defaultsAndCaps() throws Exception {
    assertEquals(expectedPage(1, 50), get("/v1/breweries").body());
    assertEquals(expectedPage(2, 50), get("/v1/breweries?page=2").body());
    assertEquals(expectedPage(3, 200), get("/v1/breweries?page=3&per_page=1000").body());
    assertEquals(expectedPage(1, 10), get("/v1/breweries?page=0&per_page=10").body());
    assertEquals(expectedPage(6, 200), get("/v1/breweries?page=6&per_page=200").body());
    assertEquals("[]", get("/v1/breweries?page=7&per_page=200").body());
    assertEquals("[]", get("/v1/breweries?page=99999&per_page=200").body());
  }

  @Test
  void metaGivesNumbersAsStrings() throws Exception {
    assertEquals(
        "{\"total\":\"1050\",\"page\":\"1\",\"per_page\":\"50\"}",
        get("/v1/breweries/meta").body());
    assertEquals(
        "{\"total\":\"1050\",\"page\":\"3\",\"per_page\":\"200\"}",
        get("/v1/breweries/meta?page=3&per_page=500").body());
  }

  @Test
  void oneBreweryByIdAndNotFoundOtherwise() throws Exception {
    GeneratedBrewery first = records.get(0);
    String id = ((Expected.Clean) first.expected()).breweryId();
    HttpResponse<String> found = get("/v1/breweries/" + id);
    assertEquals(200, found.statusCode());
    assertEquals(first.json(), found.body());

    for (String path :
        List.of("/v1/breweries/no-such-id", "/v2/breweries", "/", "/v1/breweries/a/b")) {
      HttpResponse<String> missing = get(path);
      assertEquals(404, missing.statusCode(), path);
      assertEquals("{\"message\":\"Couldn't find Brewery\"}", missing.body());
    }
    assertEquals(400, get("/v1/breweries?page=abc").statusCode());
    assertEquals(400, get("/v1/breweries?per_page=lots").statusCode());
  }


  @Test
  void servesHandWrittenRecordsToo() throws Exception {
    try (ReplayServer small =
        ReplayServer.ofJson(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}", "[1]"))) {
      assertEquals(3, small.size());
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(small.baseUrl() + "/v1/breweries?per_page=2&page=2"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals("[[1]]", page.body());
      assertEquals(1, small.requestCount());
    }
  }
}
