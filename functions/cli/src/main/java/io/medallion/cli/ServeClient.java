package io.medallion.cli;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sends a command line to the {@code serve} that runs on the same home and prints what it prints
 * there, as it prints it. Found through {@code <home>/serve.json}, which serve writes on start
 * (its process id, port and a token only the user can read) and deletes on stop.
 */
final class ServeClient {

  private static final Gson GSON = new Gson();

  private final ServeControl.Endpoint endpoint;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServeClient(ServeControl.Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** The serve running on {@code home}, if one is: its file exists and its process is alive. */
  static Optional<ServeClient> find(Path home) {
    Path file = home.resolve(ServeControl.FILE);
    ServeControl.Endpoint e;
    try {
      e = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), ServeControl.Endpoint.class);
    } catch (NoSuchFileException missing) {
      return Optional.empty();
    } catch (IOException | JsonParseException unreadable) {
      return Optional.empty();
    }
    if (e == null || e.token() == null || e.port() <= 0
        || ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
      return Optional.empty(); // left by a serve that did not stop cleanly
    }
    return Optional.of(new ServeClient(e));
  }

  /** The endpoint of the serve running on {@code home}, if one is. */
  static Optional<ServeControl.Endpoint> endpoint(Path home) {
    return find(home).map(c -> c.endpoint);
  }

  /** The arguments without {@code --home}: serve works on its own home, which is this one. */
  static String[] withoutHome(String[] args) {
    List<String> kept = new ArrayList<>();
    boolean drop = java.util.Arrays.asList(args).contains("drop");
    for (int i = 0; i < args.length; i++) {
      if (drop && !args[i].startsWith("-") && !args[i].equals("drop") && (i == 0 || !java.util.Set.of("--source", "--timeout", "--home", "--sources-dir").contains(args[i - 1]))
          && Files.exists(java.nio.file.Path.of(args[i]))) {
        // drop's files: serve's working directory may not be this one.
        kept.add(absolute(args[i]));
      } else if (args[i].equals("--home")) {
        i++;
      } else if (args[i].equals("--sources-dir") && i + 1 < args.length) {
        // serve's working directory may not be this one: a directory goes as an absolute path.
        kept.add(args[i]);
        kept.add(absolute(args[++i]));
      } else if (args[i].startsWith("--sources-dir=")) {
        kept.add("--sources-dir=" + absolute(args[i].substring("--sources-dir=".length())));
      } else if (!args[i].startsWith("--home=")) {
        kept.add(args[i]);
      }
    }
    return kept.toArray(String[]::new);
  }

  private static String absolute(String path) {
    return java.nio.file.Path.of(path).toAbsolutePath().normalize().toString();
  }

  /** Runs {@code args} inside serve; returns its exit code. */
  int forward(String[] args, PrintStream out, PrintStream err) {
    JsonObject body = new JsonObject();
    JsonArray list = new JsonArray();
    for (String a : args) {
      list.add(a);
    }
    body.add("args", list);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + ServeControl.PATH))
        .header(ServeControl.TOKEN_HEADER, endpoint.token())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(body)))
        .build();
    try {
      HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        try (Stream<String> lines = response.body()) {
          err.println("medallion: serve (pid " + endpoint.pid() + ") refused the command: HTTP "
              + response.statusCode() + " " + String.join(" ", lines.toList()));
        }
        return 1;
      }
      try (Stream<String> lines = response.body()) {
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
          String line = it.next();
          if (line.startsWith(ServeControl.OUT)) {
            out.println(line.substring(2));
          } else if (line.startsWith(ServeControl.ERR)) {
            err.println(line.substring(2));
          } else if (line.startsWith(ServeControl.EXIT)) {
            return Integer.parseInt(line.substring(2).trim());
          }
        }
      }
      err.println("medallion: serve (pid " + endpoint.pid() + ") stopped before the command finished");
      return 1;
    } catch (IOException e) {
      err.println("medallion: serve (pid " + endpoint.pid() + ") does not answer on port " + endpoint.port() + " ("
          + e.getMessage() + "). If it is gone, delete " + ServeControl.FILE + " in the medallion home.");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
