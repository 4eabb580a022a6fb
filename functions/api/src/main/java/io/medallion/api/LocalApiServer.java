package io.medallion.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The query API on the JDK's HTTP server, on the loopback interface: what {@code ./medallion api}
 * runs, and what {@code serve} mounts beside its webhook ({@link #mount}). The deployed transport is
 * {@link ApiFunction}; both hand {@link GoldApi} the same {@link ApiRequest}.
 */
public final class LocalApiServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalApiServer.class.getName());

  static {
    // The JDK server writes an answer's headers and body apart; without TCP_NODELAY each answer
    // waits ~40 ms for the client's delayed ACK. Read once, when the JVM's first server is made
    // (Main sets it too, before any server starts).
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** Request threads: more than a laptop's cores, as reads wait on the warehouse more than they compute. */
  private static final int THREADS = 16;

  private final HttpServer server;
  private final ExecutorService executor;

  private LocalApiServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Serves {@code api} on 127.0.0.1 at {@code port} (0: any free port, see {@link #port()}).
   *
   * @throws java.net.BindException when the port is taken
   */
  public static LocalApiServer start(GoldApi api, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "medallion-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    mount(server, api);
    server.start();
    return new LocalApiServer(server, executor);
  }

  /**
   * Adds the API's contexts ({@code /v1} and {@code /openapi.json}) to a server that already runs
   * others: the JDK server routes a request to its longest matching context, so serve's webhook at
   * {@code /v1/sources/} keeps its requests.
   */
  public static void mount(HttpServer server, GoldApi api) {
    server.createContext("/v1", exchange -> answer(api, exchange)); // also /v1 itself, the index
    server.createContext(GoldApi.OPENAPI_PATH, exchange -> answer(api, exchange));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(GoldApi api, HttpExchange exchange) throws IOException {
    try (exchange) {
      ApiResponse response;
      try {
        response = api.handle(request(exchange));
      } catch (RuntimeException e) {
        // GoldApi answers its own failures; this is a bug in this transport, never shown as a trace.
        LOG.log(Level.SEVERE, "api: unexpected failure answering " + exchange.getRequestURI().getRawPath(), e);
        response = GoldApi.internalError();
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      boolean noBody = response.status() == 304 || response.status() == 204
          || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
      exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length == 0 ? -1 : response.body().length);
      if (!noBody && response.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(response.body());
        }
      }
    }
  }

  /** The request as {@link GoldApi} takes it: the raw path (segments decoded there), the query decoded. */
  static ApiRequest request(HttpExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v));
    return new ApiRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
        query(exchange.getRequestURI().getRawQuery()), headers);
  }

  /**
   * A raw query string's parameters, decoded as browsers and curl encode them ({@code +} is a
   * space). A malformed escape is kept as sent: the API then answers that the value is not valid.
   */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
