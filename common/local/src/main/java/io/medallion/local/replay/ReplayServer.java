package io.medallion.local.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a fixed list of brewery records on 127.0.0.1 the way the Open Brewery DB API does, so that
 * the pipeline can run end to end without the network:
 *
 * <ul>
 *   <li>{@code GET /v1/breweries?page=P&per_page=N}: the records of that page as a compact JSON
 *       array; {@code page} defaults to 1, {@code per_page} to 50 and is capped at 200 as the real
 *       API does (values below 1 mean 1); a page past the end is {@code []}.
 *   <li>{@code GET /v1/breweries/meta}: {@code {"total":"N","page":"P","per_page":"PP"}}, the
 *       numbers as strings, as the real API returns them.
 *   <li>{@code GET /v1/breweries/{id}}: the first record with that id.
 *   <li>404 {@code {"message":"Couldn't find Brewery"}} for unknown ids and paths; 400 for a {@code
 *       page} or {@code per_page} that is not a number; 405 for methods other than GET.
 * </ul>
 *
 * <p>Records are served exactly as given (their {@code json}), in list order. Page bodies are
 * rendered once per page size, on first use.
 *
 * <p>Tests can make it behave like the real API on a bad day: {@link #replaceRecords} changes the
 * data between two requests (the listing grows or shrinks mid-run), and {@link #misbehave} lets a
 * {@link Misbehaviour} rewrite any answer (a repeated page, a 503, a 429 with Retry-After, a total
 * that keeps moving).
 *
 * <p>Loading this class sets {@code sun.net.httpserver.nodelay=true} (unless set already), which
 * turns off Nagle's algorithm for the JDK HTTP servers of this JVM: otherwise every response stalls
 * about 40 ms.
 */
public final class ReplayServer implements AutoCloseable {

  /** The API's default and largest page sizes. */
  public static final int DEFAULT_PER_PAGE = 50;

  public static final int MAX_PER_PAGE = 200;

  private static final String CONTENT_TYPE = "application/json; charset=utf-8";
  private static final byte[] NOT_FOUND = utf8("{\"message\":\"Couldn't find Brewery\"}");
  private static final byte[] EMPTY_PAGE = utf8("[]");
  private static final String PREFIX = "/v1/breweries";
  private static final JsonFactory JSON = new JsonFactory();

  static {
    // The JDK server writes the headers and the body of a response separately. With Nagle's
    // algorithm on, the body then waits for the client's delayed ACK: some 40 ms per response,
    // seconds per run. The server reads this property once, when the JVM's first HttpServer
    // starts, so it is set here unless someone chose otherwise.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** A listing or meta request as the server understood it. */
  public record Request(boolean meta, int page, int perPage) {}

  /** An answer: status, body and extra headers. */
  public record Reply(int status, byte[] body, Map<String, String> headers) {
    public Reply {
      headers = Map.copyOf(headers);
    }

    public static Reply json(int status, String body) {
      return new Reply(status, utf8(body), Map.of());
    }
  }

  /** Rewrites answers to listing and meta requests, to play an API that misbehaves. */
  @FunctionalInterface
  public interface Misbehaviour {
    /** The answer to send for {@code request}, given the one the server would send. */
    Reply answer(Request request, Reply normal);
  }

  private volatile Dataset data;
  private volatile Misbehaviour misbehaviour;
  private final AtomicLong requests = new AtomicLong();
  private final HttpServer server;
  private final ExecutorService executor;

  /** Serves {@code breweries} on an ephemeral port of 127.0.0.1. */
  public ReplayServer(List<GeneratedBrewery> breweries) throws IOException {
    this(breweries, 0);
  }

  /** Serves {@code breweries} on {@code port} of 127.0.0.1 (0 for any free port). */
  public ReplayServer(List<GeneratedBrewery> breweries, int port) throws IOException {
    this(port, breweries.stream().map(GeneratedBrewery::json).toList());
  }

  /** Serves records given as JSON objects, for tests that write their own. */
  public static ReplayServer ofJson(List<String> records) throws IOException {
    return new ReplayServer(0, records);
  }

  private ReplayServer(int port, List<String> jsonRecords) throws IOException {
    this.data = new Dataset(jsonRecords);
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    AtomicInteger threads = new AtomicInteger();
    // A few threads, so a client fetching pages concurrently is served concurrently.
    this.executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread t = new Thread(task, "replay-server-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, the base URL to give a client. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many requests were answered, whatever the path or status. */
  public long requestCount() {
    return requests.get();
  }

  /** How many records are served. */
  public int size() {
    return data.records.size();
  }

  /** Serves {@code breweries} from the next request on, as if the API's data changed. */
  public void replaceRecords(List<GeneratedBrewery> breweries) {
    data = new Dataset(breweries.stream().map(GeneratedBrewery::json).toList());
  }

  /** Sends every listing and meta answer through {@code m} from now on; null to behave again. */
  public void misbehave(Misbehaviour m) {
    misbehaviour = m;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, utf8("{\"message\":\"Method not allowed\"}"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
        listing(exchange, false);
      } else if (path.equals(PREFIX + "/meta")) {
        listing(exchange, true);
      } else if (path.startsWith(PREFIX + "/") && path.indexOf('/', PREFIX.length() + 1) < 0) {
        byte[] record = data.byId.get(path.substring(PREFIX.length() + 1));
        send(exchange, record == null ? 404 : 200, record == null ? NOT_FOUND : record);
      } else {
        send(exchange, 404, NOT_FOUND);
      }
    }
  }

  private void listing(HttpExchange exchange, boolean meta) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Integer page = number(query.get("page"), 1);
    Integer perPage = number(query.get("per_page"), DEFAULT_PER_PAGE);
    if (page == null || perPage == null) {
      send(exchange, 400, utf8("{\"message\":\"page and per_page must be numbers\"}"));
      return;
    }
    page = Math.max(1, page);
    perPage = Math.max(1, Math.min(MAX_PER_PAGE, perPage));
    Reply reply = answer(meta, page, perPage);
    Misbehaviour m = misbehaviour;
    if (m != null) {
      reply = m.answer(new Request(meta, page, perPage), reply);
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    send(exchange, reply.status(), reply.body());
  }

  /** The answer the real API gives to a listing or meta request, as of now. */
  public Reply answer(boolean meta, int page, int perPage) {
    Dataset d = data;
    if (meta) {
      return Reply.json(200,
          "{\"total\":\"" + d.records.size() + "\",\"page\":\"" + page + "\",\"per_page\":\"" + perPage + "\"}");
    }
    List<byte[]> pages = d.pagesBySize.computeIfAbsent(perPage, d::render);
    return new Reply(200, page <= pages.size() ? pages.get(page - 1) : EMPTY_PAGE, Map.of());
  }

  /** The records served at one time, and their pages rendered per page size on first use. */
  private static final class Dataset {
    final List<byte[]> records;
    final Map<String, byte[]> byId = new HashMap<>();
    // per_page -> page bodies; computeIfAbsent renders each size once even under concurrent use.
    final Map<Integer, List<byte[]>> pagesBySize = new ConcurrentHashMap<>();

    Dataset(List<String> jsonRecords) {
      List<byte[]> encoded = new ArrayList<>(jsonRecords.size());
      for (String json : jsonRecords) {
        byte[] bytes = utf8(json);
        encoded.add(bytes);
        String id = topLevelId(bytes);
        if (id != null) {
          byId.putIfAbsent(id, bytes);
        }
      }
      this.records = List.copyOf(encoded);
    }

    /** Every page of size {@code perPage}: records joined by commas in brackets, no whitespace. */
    private List<byte[]> render(int perPage) {
      List<byte[]> pages = new ArrayList<>();
      for (int from = 0; from < records.size(); from += perPage) {
        List<byte[]> slice = records.subList(from, Math.min(records.size(), from + perPage));
        int length = 1 + slice.size();
        for (byte[] r : slice) {
          length += r.length;
        }
        byte[] body = new byte[length];
        int at = 0;
        body[at++] = '[';
        for (byte[] r : slice) {
          if (at > 1) {
            body[at++] = ',';
          }
          System.arraycopy(r, 0, body, at, r.length);
          at += r.length;
        }
        body[at] = ']';
        pages.add(body);
      }
      return List.copyOf(pages);
    }
  }


  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  /** The parameter as a number, {@code fallback} when absent, null when not a number. */
  private static Integer number(String value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (!value.trim().matches("-?\\d{1,9}")) {
      return null;
    }
    return Integer.parseInt(value.trim());
  }

  /** The string value of the record's top-level {@code id}, or null. */
  private static String topLevelId(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("id") && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      // A deliberately broken record is still served in its page; it just has no id route.
      return null;
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
