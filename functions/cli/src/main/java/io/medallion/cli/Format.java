package io.medallion.cli;

import java.time.Duration;

/** Human-readable numbers for terminal output. */
final class Format {

  private Format() {}

  static String bytes(Long n) {
    if (n == null) {
      return "?";
    }
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return String.format("%.1f KiB", n / 1024.0);
    }
    return String.format("%.1f MiB", n / (1024.0 * 1024));
  }

  static String duration(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
