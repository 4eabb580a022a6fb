package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.api.ApiRoutes;
import io.medallion.api.GoldApi;
import io.medallion.api.LocalApiServer;
import io.medallion.api.OpenApiDocument;
import io.medallion.api.PageTokens;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's documented requests, run: every example the OpenAPI document carries ({@code
 * x-medallion-examples}) and every {@code curl} of the README's "Serve gold over HTTP", against the
 * gold a user's commands build ({@code run --all}, the file sources' samples dropped), through
 * {@code ./medallion api}'s server over the warehouse read-only.
 */
class ApiContractTest {

  @TempDir static Path home;
  static DuckDbWarehouse warehouse;
  static LocalApiServer server;
  static JsonObject document;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Tables no command here fills: the stream source's, whose rows only a push brings. */
  static final Set<String> EMPTY_HERE = Set.of("/v1/transactions/volume_by_merchant_hour");

  @BeforeAll
  static void buildGoldAndServeIt() throws Exception {
    Map<String, String> env = Map.of("MEDALLION_HOME", home.toString());
    CliRun all = CliRun.of(env, "run", "--all", "--records", "60");
    assertEquals(0, all.code(), all.out() + all.err());
    for (String source : List.of("sales", "audience")) {
      CliRun sample = CliRun.of(env, "sample", "--source", source, "--out", home.resolve("samples-" + source).toString());
      assertEquals(0, sample.code(), sample.out() + sample.err());
      List<String> drop = new ArrayList<>(List.of("drop", "--source", source));
      try (Stream<Path> files = Files.list(home.resolve("samples-" + source))) {
        files.sorted().forEach(f -> drop.add(f.toString()));
      }
      CliRun dropped = CliRun.of(env, drop.toArray(String[]::new));
      assertEquals(0, dropped.code(), dropped.out() + dropped.err());
    }
    warehouse = DuckDbWarehouse.openReadOnly(home.resolve("warehouse").resolve("medallion.duckdb"));
    ApiRoutes routes = ApiRoutes.of(SourceRegistry.standard());
    GoldApi api = new GoldApi(routes, warehouse,
        s -> io.medallion.config.MedallionConfig.defaults().goldDataset(SourceRegistry.standard().find(s).orElseThrow()),
        new PageTokens(PageTokens.randomKey(), PageTokens.DEFAULT_TTL, Clock.systemUTC()), Clock.systemUTC());
    server = LocalApiServer.start(api, 0);
    document = JsonParser.parseString(get("/openapi.json").body()).getAsJsonObject();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (warehouse != null) {
      warehouse.close();
    }
  }

  static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void everyExampleOfTheOpenApiDocument_answersAsDocumented() throws Exception {
    JsonObject paths = document.getAsJsonObject("paths");
    Map<String, JsonObject> firstRows = new java.util.HashMap<>();
    Set<String> emptyLists = new TreeSet<>();
    int run = 0;
    // Lists first: a row example takes its key from its list's first row.
    List<Map.Entry<String, JsonElement>> ordered = new ArrayList<>(paths.entrySet());
    ordered.sort((a, b) -> Boolean.compare(a.getKey().contains("{"), b.getKey().contains("{")));
    for (Map.Entry<String, JsonElement> path : ordered) {
      JsonObject get = path.getValue().getAsJsonObject().getAsJsonObject("get");
      if (get == null || !get.has(OpenApiDocument.EXAMPLES)) {
        continue;
      }
      String operation = get.get("operationId").getAsString();
      for (JsonElement e : get.getAsJsonArray(OpenApiDocument.EXAMPLES)) {
        JsonObject example = e.getAsJsonObject();
        String target = path.getKey();
        if (example.has("path_from")) {
          JsonObject row = firstRows.get(example.get("path_from").getAsString());
          if (row == null) {
            assertTrue(emptyLists.contains(example.get("path_from").getAsString()), "no list ran before " + operation);
            continue;
          }
          target = fill(target, row);
        } else if (example.has("path")) {
          target = fill(target, example.getAsJsonObject("path"));
        }
        StringBuilder url = new StringBuilder(target);
        if (example.has("query")) {
          char sep = '?';
          for (Map.Entry<String, JsonElement> q : example.getAsJsonObject("query").entrySet()) {
            for (JsonElement v : q.getValue().getAsJsonArray()) {
              url.append(sep).append(enc(q.getKey())).append('=').append(enc(v.getAsString()));
              sep = '&';
            }
          }
        }
        HttpResponse<String> r = get(url.toString());
        int status = example.get("status").getAsInt();
        assertEquals(status, r.statusCode(), operation + " " + example + " -> " + url + ": " + r.body());
        JsonObject body = JsonParser.parseString(r.body()).getAsJsonObject();
        if (status >= 400) {
          if (example.has("parameter")) {
            assertEquals(example.get("parameter").getAsString(),
                body.getAsJsonObject("error").get("parameter").getAsString(), r.body());
          }
        } else if (body.get("data").isJsonArray()) {
          JsonArray data = body.getAsJsonArray("data");
          if (data.isEmpty()) {
            assertTrue(EMPTY_HERE.contains(path.getKey()), path.getKey() + " answered no rows: " + url);
            emptyLists.add(operation);
          } else {
            firstRows.putIfAbsent(operation, data.get(0).getAsJsonObject());
          }
        } else {
          assertTrue(body.get("data").isJsonObject(), r.body());
        }
        run++;
      }
    }
    assertTrue(run >= 3 * 11, "examples run: " + run);
    assertFalse(firstRows.isEmpty());
  }

  /** The README's curl calls of the query API, as a user pastes them while {@code ./medallion api} runs. */
  @Test
  void everyCurlOfTheReadme_answersRows() throws Exception {
    String readme = Files.readString(Path.of("../../README.md"));
    Matcher curl = Pattern.compile("curl -s '?http://127\\.0\\.0\\.1:8787(/v1/[^' \\n]+)'?").matcher(readme);
    int run = 0;
    while (curl.find()) {
      HttpResponse<String> r = get(curl.group(1));
      assertEquals(200, r.statusCode(), curl.group(1) + ": " + r.body());
      JsonElement data = JsonParser.parseString(r.body()).getAsJsonObject().get("data");
      assertTrue(data.isJsonObject() || !data.getAsJsonArray().isEmpty(), curl.group(1) + " answered no rows");
      run++;
    }
    assertTrue(run >= 4, "the README shows the audience routes by period and by program and sales by brand and month: " + run);
  }

  /** The template's {@code {column}} segments filled with the row's values, each escaped. */
  private static String fill(String template, JsonObject values) {
    Matcher m = Pattern.compile("\\{([a-z_0-9]+)}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(enc(values.get(m.group(1)).getAsString())));
    }
    m.appendTail(out);
    return out.toString();
  }
}
