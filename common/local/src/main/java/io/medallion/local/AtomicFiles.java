package io.medallion.local;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Whole-file writes that a crash leaves either absent, old, or complete: never half written. */
public final class AtomicFiles {

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code temp}, syncs it, then renames it over {@code target}. {@code
   * temp} must be on the same filesystem as {@code target} so the rename is atomic.
   */
  public static void replace(Path target, Path temp, byte[] bytes) throws IOException {
    try {
      try (FileChannel out = FileChannel.open(temp, CREATE_NEW, WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
