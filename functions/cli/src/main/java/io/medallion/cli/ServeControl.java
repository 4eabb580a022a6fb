package io.medallion.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets the other commands run while {@code serve} holds the local warehouse: DuckDB allows one
 * process to write a database file, and no other process may even read it meanwhile, so serve
 * takes the commands that use it (run, query, status, resume, dead-letters) over loopback HTTP and
 * runs them inside itself, on its own pipeline, streaming their output back as they print it.
 *
 * <p>Only the user who started serve can use it: it listens on 127.0.0.1 only, and each request
 * must carry the random token from {@code <home>/serve.json}, a file only that user can read.
 *
 * <p>The response is text, a line per line printed: {@code "1 "} + a line of standard output,
 * {@code "2 "} + a line of standard error, and last {@code "0 "} + the exit code.
 */
final class ServeControl implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ServeControl.class.getName());
  private static final Gson GSON = new Gson();

  /** Under the medallion home: where a running serve can be found. */
  static final String FILE = "serve.json";
  /**
   * Outside {@code /v1/}, where each first segment names a source (the query API's routes): the JDK
   * server matches contexts by plain prefix, so {@code /v1/cli} would take {@code /v1/clicks/...}.
   */
  static final String PATH = "/cli";
  static final String TOKEN_HEADER = "X-Medallion-Token";
  static final String OUT = "1 ";
  static final String ERR = "2 ";
  static final String EXIT = "0 ";

  /** What {@code serve.json} holds. */
  record Endpoint(long pid, int port, String token, String startedAt) {}

  /** The loopback port the commands and the webhook are served on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** The webhook's path prefix: {@code /v1/sources/<source>/records} and {@code .../notify}. */
  static final String WEBHOOK = io.medallion.push.Webhook.PREFIX;

  /** The environment variable that sets how long a push's body may take to arrive, in seconds. */
  static final String WEBHOOK_READ_SECONDS = "MEDALLION_WEBHOOK_READ_SECONDS";
  static final java.time.Duration WEBHOOK_READ_DEFAULT = java.time.Duration.ofSeconds(30);

  /** Closes the connections of bodies that did not arrive in time (the JDK server has no read timeout). */
  private final java.util.concurrent.ScheduledExecutorService readDeadlines =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-read-deadline");
        t.setDaemon(true);
        return t;
      });

  /**
   * One request to the webhook, answered with its status and JSON body (routes: {@link
   * io.medallion.push.Webhook}). A client that never finishes its body would hold a thread for
   * ever: past the read deadline its connection is closed (no answer can be sent while its body is
   * still being read), the read fails, and nothing is published.
   */
  private void webhook(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
    try (exchange) {
      Map<String, String> headers = new java.util.HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
      java.util.concurrent.atomic.AtomicBoolean bodyRead = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicBoolean timedOut = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.ScheduledFuture<?> deadline = readDeadlines.schedule(() -> {
        if (!bodyRead.get()) {
          timedOut.set(true);
          exchange.close();
        }
      }, readTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      java.io.InputStream body = new java.io.FilterInputStream(exchange.getRequestBody()) {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n;
          try {
            n = super.read(b, off, len);
          } catch (IOException e) {
            if (timedOut.get()) {
              // The receiver answers READ_TIMEOUT (and counts it); nobody hears it: the connection is closed.
              throw new java.io.InterruptedIOException("the body did not arrive within " + readTimeout.toSeconds() + " s");
            }
            throw e;
          }
          if (n < 0) {
            bodyRead.set(true);
            deadline.cancel(false);
          }
          return n;
        }
      };
      String path = exchange.getRequestURI().getPath();
      io.medallion.push.PushReceiver.Answer answer;
      try {
        answer = session.pipeline().webhook().handle(new io.medallion.push.Webhook.Request(
            exchange.getRequestMethod(), path, headers, body));
      } finally {
        bodyRead.set(true);
        deadline.cancel(false);
      }
      if (timedOut.get()) {
        LOG.info(() -> "webhook: the body of a request to " + path + " did not arrive within " + readTimeout
            + "; connection closed, nothing published");
        return;
      }
      byte[] out = GSON.toJson(answer.body()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (answer.status() == 405) {
        exchange.getResponseHeaders().set("Allow", "POST");
      }
      exchange.sendResponseHeaders(answer.status(), out.length);
      exchange.getResponseBody().write(out);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path file;
  private final String token;
  private final Map<String, String> env;
  private final ServedSession session;

  private final java.time.Duration readTimeout;

  private ServeControl(HttpServer server, ExecutorService executor, Path file, String token, Map<String, String> env,
      ServedSession session) {
    String seconds = env.get(WEBHOOK_READ_SECONDS);
    try {
      this.readTimeout = seconds == null || seconds.isBlank() ? WEBHOOK_READ_DEFAULT
          : java.time.Duration.ofMillis((long) (Double.parseDouble(seconds.strip()) * 1000));
    } catch (NumberFormatException e) {
      throw new Main.UserError(WEBHOOK_READ_SECONDS + " must be a number of seconds, not " + seconds);
    }
    this.server = server;
    this.executor = executor;
    this.file = file;
    this.token = token;
    this.env = env;
    this.session = session;
  }

  /**
   * Starts listening and writes {@code serve.json}.
   *
   * @throws Main.UserError when another serve already runs on this home
   */
  static ServeControl start(ServedSession session, Map<String, String> env) throws IOException {
    Path file = session.home().resolve(FILE);
    ServeClient.find(session.home()).ifPresent(other -> {
      throw new Main.UserError("another serve already runs on " + session.home().toAbsolutePath()
          + " (see " + file + "); stop it first, or use another --home");
    });
    io.medallion.api.GoldApi api = LocalApi.over(session.pipeline().config(), session.home(), session.pipeline().warehouse());
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "serve-control");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    ServeControl control = new ServeControl(server, executor, file, token, env, session);
    server.createContext(PATH, control::handle);
    // The webhook: POST /v1/sources/<source>/records and /notify, no token (both are signed with the
    // source's HMAC secret when it declares one), loopback only, as on this machine.
    server.createContext(WEBHOOK, control::webhook);
    // The query API over serve's own warehouse (./medallion api while serve holds it): /v1/<source>/<table>
    // and /openapi.json; the longest matching context wins, so the webhook keeps /v1/sources/.
    io.medallion.api.LocalApiServer.mount(server, api);
    server.start();
    Endpoint endpoint = new Endpoint(ProcessHandle.current().pid(), server.getAddress().getPort(), token,
        java.time.Instant.now().toString());
    Files.createDirectories(session.home());
    Path temp = session.home().resolve(".serve-" + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    // Readable by this user only from its first byte: the token is the only key to the commands.
    try (var channel = Files.newByteChannel(temp,
        java.util.Set.of(java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(java.nio.ByteBuffer.wrap(GSON.toJson(endpoint).getBytes(StandardCharsets.UTF_8)));
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return control;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
      if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        reply(exchange, 403, "wrong or missing token");
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, "POST only");
        return;
      }
      String[] args;
      try {
        JsonArray list = GSON.fromJson(new String(exchange.getRequestBody().readNBytes(1 << 20), StandardCharsets.UTF_8),
            JsonObject.class).getAsJsonArray("args");
        args = new String[list.size()];
        for (int i = 0; i < args.length; i++) {
          args[i] = list.get(i).getAsString();
        }
      } catch (JsonParseException | NullPointerException | IllegalStateException | ClassCastException e) {
        reply(exchange, 400, "the body must be {\"args\": [...]}");
        return;
      }
      if (!Main.goesThroughServe(new Main(env), args)) {
        reply(exchange, 400, "serve runs only these commands: " + Main.THROUGH_SERVE);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(200, 0);
      OutputStream body = exchange.getResponseBody();
      int code;
      try (PrintStream out = new PrintStream(new Framed(body, OUT), true, StandardCharsets.UTF_8);
          PrintStream err = new PrintStream(new Framed(body, ERR), true, StandardCharsets.UTF_8)) {
        code = Main.execute(new Main(env, out, err, session), false, args);
      }
      synchronized (body) {
        body.write((EXIT + code + "\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
      }
    } catch (IOException e) {
      // The client went away (Ctrl-C): whatever the command started goes on in serve.
      LOG.log(Level.FINE, "serve control: client gone", e);
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    executor.shutdownNow();
    readDeadlines.shutdownNow();
    try {
      Endpoint mine = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Endpoint.class);
      if (mine != null && token.equals(mine.token())) {
        Files.deleteIfExists(file);
      }
    } catch (IOException | JsonParseException e) {
      // already gone, or another serve's now
    }
  }

  /** Lines written to it go out as {@code prefix + line}, each flushed as soon as it is complete. */
  private static final class Framed extends OutputStream {
    private final OutputStream body;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Framed(OutputStream body, String prefix) {
      this.body = body;
      this.prefix = prefix;
    }

    @Override
    public void write(int b) throws IOException {
      if (b == '\n') {
        emit();
      } else if (b != '\r') {
        line.write(b);
      }
    }

    private void emit() throws IOException {
      synchronized (body) {
        body.write(prefix.getBytes(StandardCharsets.UTF_8));
        line.writeTo(body);
        body.write('\n');
        body.flush();
      }
      line.reset();
    }

    @Override
    public void close() throws IOException {
      if (line.size() > 0) {
        emit();
      }
    }
  }
}
