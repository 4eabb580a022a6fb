package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code medallion api}: the query API over the gold a run built, as its own process, asked by a
 * real HTTP client; and, while serve runs on the home, serve's address instead of a second server.
 */
class ApiCommandTest {

  @TempDir Path home;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  @Test
  void api_servesPagesRowsAndOpenApi_overTheGoldARunBuilt_untilStopped() throws Exception {
    CliRun run = cli("run", "--records", "120", "--page-size", "100");
    assertEquals(0, run.code(), run.all());
    Process api = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", home.toString(), "api", "--port", "0")
        .redirectErrorStream(true).start();
    try {
      List<String> printed = awaitStarted(api);
      String text = String.join("\n", printed);
      Matcher base = Pattern.compile("base +(http://127\\.0\\.0\\.1:\\d+)").matcher(text);
      assertTrue(base.find(), text);
      assertTrue(text.contains("route     GET /v1/breweries/dim_breweries") && text.contains("/v1/breweries/dim_breweries/{brewery_id}"),
          "a line per route, list and key: " + text);
      assertTrue(text.contains("/v1/sales/sales_by_brand_year_month") && text.contains("(not built yet)"),
          "a route whose table no run built says so: " + text);

      HttpResponse<String> page = get(base.group(1) + "/v1/breweries/dim_breweries?page_size=5");
      assertEquals(200, page.statusCode(), page.body());
      JsonObject body = JsonParser.parseString(page.body()).getAsJsonObject();
      assertEquals(5, body.getAsJsonArray("data").size(), page.body());
      assertTrue(body.has("next_page_token"), "120 breweries: more pages follow: " + page.body());

      // The example it printed, as a user pastes it: the first brewery by its key.
      List<String> curls = new ArrayList<>();
      Matcher curl = Pattern.compile("curl -s '?([^' ]+)'?").matcher(text);
      while (curl.find()) {
        curls.add(curl.group(1));
      }
      assertEquals(3, curls.size(), text);
      assertTrue(curls.get(1).startsWith(base.group(1) + "/v1/breweries/dim_breweries/"), text);
      HttpResponse<String> row = get(curls.get(1));
      assertEquals(200, row.statusCode(), row.body());
      String id = curls.get(1).substring(curls.get(1).lastIndexOf('/') + 1);
      assertEquals(id, JsonParser.parseString(row.body()).getAsJsonObject().getAsJsonObject("data").get("brewery_id").getAsString());

      HttpResponse<String> openapi = get(base.group(1) + "/openapi.json");
      assertEquals(200, openapi.statusCode());
      assertTrue(JsonParser.parseString(openapi.body()).getAsJsonObject().getAsJsonObject("paths")
          .has("/v1/breweries/dim_breweries/{brewery_id}"), openapi.body());

      HttpResponse<String> refused = get(base.group(1) + "/v1/breweries/dim_breweries?colour=red");
      assertEquals(400, refused.statusCode(), refused.body());
      assertTrue(JsonParser.parseString(refused.body()).getAsJsonObject().has("error"), refused.body());

      // The warehouse is open read-only: a run cannot write it meanwhile, and is told why.
      CliRun blocked = cli("run", "--records", "10");
      assertEquals(1, blocked.code(), blocked.all());
      assertTrue(blocked.err().contains("./medallion api"), blocked.all());
    } finally {
      api.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook closes the server and the warehouse
      assertTrue(api.waitFor(30, TimeUnit.SECONDS), "api stops on SIGTERM");
    }
    assertEquals(0, cli("run", "--records", "10").code(), "the warehouse is free again once api stopped");
  }

  @Test
  void api_whileServeRuns_printsServesAddress_andRefusesAnotherPort() throws Exception {
    MedallionConfig config = MedallionConfig.forLocal(Map.of()).withSourceUrl(URI.create("replay:breweries?records=10&seed=1"));
    try (ServeCommand.LocalServer serve = new ServeCommand.LocalServer(config, home, Map.of(), "breweries",
        Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Transport.inProcess(config.project()), Map.of())) {
      int port = ServeClient.endpoint(home).orElseThrow().port();
      CliRun api = cli("api");
      assertEquals(0, api.code(), api.all());
      assertTrue(api.out().contains("serves the query API already") && api.out().contains("http://127.0.0.1:" + port + "/v1/"),
          api.all());
      CliRun same = cli("api", "--port", String.valueOf(port));
      assertEquals(0, same.code(), same.all());
      int other = port == 65_535 ? port - 1 : port + 1;
      CliRun elsewhere = cli("api", "--port", String.valueOf(other));
      assertEquals(2, elsewhere.code(), elsewhere.all());
      assertTrue(elsewhere.err().contains("http://127.0.0.1:" + port) && elsewhere.err().contains("--port " + other),
          elsewhere.all());
    }
  }

  @Test
  void api_beforeAnyRun_orOnAPortInUse_saysWhatToDo() throws Exception {
    CliRun none = cli("api");
    assertEquals(2, none.code(), none.all());
    assertTrue(none.err().contains("run ./medallion run first"), none.all());
    assertEquals(2, cli("api", "--port", "70000").code());
    assertEquals(0, cli("run", "--records", "10").code());
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun busy = cli("api", "--port", String.valueOf(taken.getLocalPort()));
      assertEquals(2, busy.code(), busy.all());
      assertTrue(busy.err().contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use") && busy.err().contains("--port 0"),
          busy.all());
    }
  }

  @Test
  void pageTokenKey_isMadeOnceOwnerOnly_andReused() throws Exception {
    byte[] first = PageTokenKey.load(home);
    assertEquals(32, first.length);
    Path file = home.resolve(PageTokenKey.FILE);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(java.util.HexFormat.of().formatHex(first), java.util.HexFormat.of().formatHex(PageTokenKey.load(home)),
        "the same key after a restart: page tokens stay valid");
    Files.writeString(file, "not a key");
    Main.UserError e = assertThrows(Main.UserError.class, () -> PageTokenKey.load(home));
    assertTrue(e.getMessage().contains("delete it"), e.getMessage());
    assertEquals("not a key", Files.readString(file), "a bad key file is left for the user to look at");
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The lines the child printed up to its "stop" line (or its exit, which fails the test). */
  private static List<String> awaitStarted(Process child) throws Exception {
    List<String> lines = new ArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(() -> {
      try {
        String line;
        while ((line = out.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (java.io.IOException e) {
        // the child ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    synchronized (lines) {
      while (lines.stream().noneMatch(l -> l.contains("stop      Ctrl-C"))) {
        assertTrue(child.isAlive() || reader.isAlive(), "api exited: " + lines);
        assertTrue(System.nanoTime() < deadline, "api did not start within 2 minutes: " + lines);
        lines.wait(200);
      }
      return new ArrayList<>(lines);
    }
  }
}
