package io.medallion.source.rest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A loopback HTTP server for the engine's tests: it answers from a script (a queue of replies) or
 * from a route function, and records every request it saw, headers and body included.
 */
public final class ScriptedServer implements AutoCloseable {

  /** One answer; {@code delayMillis} holds it back (until released) to provoke a timeout. */
  public record Reply(int status, Map<String, String> headers, String body, long delayMillis) {
    public static Reply ok(String body) {
      return new Reply(200, Map.of(), body, 0);
    }

    public static Reply status(int status) {
      return new Reply(status, Map.of(), "{\"message\":\"status " + status + "\"}", 0);
    }

    public static Reply of(int status, String body, String... headers) {
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 0; i + 1 < headers.length; i += 2) {
        h.put(headers[i], headers[i + 1]);
      }
      return new Reply(status, h, body, 0);
    }
  }

  /** What the server saw of one request. */
  public record Seen(String method, String pathAndQuery, Map<String, String> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }

    public String path() {
      int q = pathAndQuery.indexOf('?');
      return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /** A query parameter, decoded; null when absent. */
    public String param(String name) {
      return Urls.param(URI.create("http://x" + pathAndQuery), name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final URI base;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<Seen, Reply> route;
  private volatile CountDownLatch release = new CountDownLatch(1);

  public ScriptedServer() throws IOException {
    // Without it every response waits ~40 ms for a delayed ACK (Nagle); read at first start.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    // Several threads: a held-back reply must not block the retry that follows it.
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public URI base() {
    return base;
  }

  /** Scripted replies, answered in order (after them: 500 "no scripted reply"). */
  public ScriptedServer script(Reply... replies) {
    script.addAll(List.of(replies));
    return this;
  }

  /** Answers every request by {@code route} (the script comes first while it lasts). */
  public ScriptedServer route(Function<Seen, Reply> route) {
    this.route = route;
    return this;
  }

  public List<Seen> seen() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** The requests to {@code path}. */
  public List<Seen> seen(String path) {
    return seen().stream().filter(s -> s.path().equals(path)).toList();
  }

  /** Forgets the script, the route and what was seen; releases held replies. */
  public void reset() {
    release.countDown();
    release = new CountDownLatch(1);
    script.clear();
    seen.clear();
    route = null;
  }

  /** A context of its own (a trickling body). */
  public HttpServer raw() {
    return server;
  }

  /** Lets every held-back reply go. */
  public void releaseHeld() {
    release.countDown();
  }

  public CountDownLatch releaseLatch() {
    return release;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Seen s = new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), headers, body);
      seen.add(s);
      Reply reply = script.poll();
      if (reply == null && route != null) {
        reply = route.apply(s);
      }
      if (reply == null) {
        reply = new Reply(500, Map.of(), "no scripted reply", 0);
      }
      if (reply.delayMillis() > 0) {
        try {
          release.await(reply.delayMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      boolean typed = false;
      for (Map.Entry<String, String> h : reply.headers().entrySet()) {
        ex.getResponseHeaders().add(h.getKey(), h.getValue());
        typed |= h.getKey().equalsIgnoreCase("Content-Type");
      }
      if (!typed) {
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
      }
      ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
