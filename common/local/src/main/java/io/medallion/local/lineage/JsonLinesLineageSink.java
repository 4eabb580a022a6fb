package io.medallion.local.lineage;

import com.google.gson.JsonObject;
import io.medallion.lineage.LineageSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The local lineage sink: one OpenLineage run event per line, appended to {@code
 * <medallion home>/lineage/events.jsonl} (what {@code ./medallion lineage} reads). Each line is
 * written whole under a file lock, so two processes sharing a home never interleave lines. Not
 * forced to disk per event: lineage is best effort (a crash may lose the last lines, never a run),
 * and a local run emits an event per step and model.
 */
public final class JsonLinesLineageSink implements LineageSink {

  /** Where the events are, under a medallion home. */
  public static Path file(Path home) {
    return home.resolve("lineage").resolve("events.jsonl");
  }

  private final Path file;

  public JsonLinesLineageSink(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  @Override
  public synchronized void send(JsonObject event) throws IOException {
    Files.createDirectories(file.getParent());
    ByteBuffer line = ByteBuffer.wrap((event.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        var lock = out.lock()) {
      while (line.hasRemaining()) {
        out.write(line);
      }
    } catch (IOException e) {
      throw new IOException("Cannot append a lineage event to " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }
}
