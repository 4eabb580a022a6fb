package io.medallion.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The example tickets source of src/test/resources/another-source, copied with a push block added. */
final class PushedTickets {

  private PushedTickets() {}

  /** Copies the source into {@code sources} with {@code push} (a JSON object) declared; returns {@code sources}. */
  static Path copy(Path sources, String push) throws Exception {
    Path from = Path.of(PushedTickets.class.getResource("/another-source").toURI());
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = sources.resolve(from.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    Path declaration = sources.resolve("schemas/sources/tickets.json");
    Files.writeString(declaration, Files.readString(declaration).replace("\"resources\": [",
        "\"push\": " + push + ",\n  \"resources\": ["));
    return sources;
  }

  /** {@code count} ticket records as NDJSON, ids {@code T-first} on. */
  static String records(int first, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = first; i < first + count; i++) {
      out.append("{\"id\": \"T-").append(i).append("\", \"status\": \"Open\", \"created_at\": \"2026-12-01T10:00:00Z\"}\n");
    }
    return out.toString();
  }
}
