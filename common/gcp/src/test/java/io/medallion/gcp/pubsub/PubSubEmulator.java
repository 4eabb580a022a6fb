package io.medallion.gcp.pubsub;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Pub/Sub emulator for tests, on loopback only.
 *
 * <p>Uses {@code PUBSUB_EMULATOR_HOST} when it is set and accepts connections; otherwise runs the
 * emulator jar of the Google Cloud SDK directly with this JVM's java (not through gcloud, whose
 * wrapper leaves the Java child running when killed) on a free port, and stops that process by
 * its id in {@link #close}. The jar is {@code PUBSUB_EMULATOR_JAR} if set, else searched under the
 * usual SDK locations.
 *
 * <p>When no emulator can be had, {@link #start} fails the test under {@code CI=true}, so a broken
 * CI image cannot pass silently, and otherwise skips it with the reason.
 */
public final class PubSubEmulator implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final String JAR_DIR = "platform/pubsub-emulator/lib";

  private final String hostPort;
  private final Process process; // null when the emulator is someone else's
  private final Path log;
  private final Thread shutdownHook;

  private PubSubEmulator(String hostPort, Process process, Path log) {
    this.hostPort = hostPort;
    this.process = process;
    this.log = log;
    // Also stop our emulator if the JVM exits without running close(), e.g. on a crash.
    this.shutdownHook = process == null ? null : new Thread(process::destroyForcibly);
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** host:port of the running emulator. */
  public String hostPort() {
    return hostPort;
  }

  /**
   * Connects to or starts an emulator.
   *
   * @throws org.opentest4j.AssertionFailedError when there is none and {@code CI=true}
   * @throws org.opentest4j.TestAbortedException when there is none otherwise, to skip the test
   */
  public static PubSubEmulator start() {
    String env = System.getenv("PUBSUB_EMULATOR_HOST");
    if (env != null && !env.isBlank()) {
      if (listening(env.trim())) {
        return new PubSubEmulator(env.trim(), null, null);
      }
      System.err.println("PUBSUB_EMULATOR_HOST=" + env + " is not reachable; starting our own");
    }
    String explicit = System.getenv("PUBSUB_EMULATOR_JAR");
    if (explicit != null && !explicit.isBlank() && !Files.isRegularFile(Path.of(explicit))) {
      return unavailable("PUBSUB_EMULATOR_JAR=" + explicit + " is not a file");
    }
    Optional<Path> jar = findJar();
    if (jar.isEmpty()) {
      return unavailable(
          "Pub/Sub emulator jar not found: set PUBSUB_EMULATOR_HOST to a running emulator or"
              + " PUBSUB_EMULATOR_JAR to cloud-pubsub-emulator-*.jar, or install it with"
              + " 'gcloud components install pubsub-emulator'"
              + " (apt: google-cloud-cli-pubsub-emulator)");
    }
    try {
      return launch(jar.get());
    } catch (IOException e) {
      return unavailable("Pub/Sub emulator " + jar.get() + " did not start: " + e.getMessage());
    }
  }

  private static PubSubEmulator unavailable(String reason) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      return Assertions.fail(reason + " (CI=true, so this is a failure, not a skip)");
    }
    Assumptions.abort(reason + " (skipped; with CI=true this fails)");
    throw new AssertionError("unreachable");
  }

  private static PubSubEmulator launch(Path jar) throws IOException {
    int port = freeLoopbackPort();
    String hostPort = "127.0.0.1:" + port;
    Path log = Files.createTempFile("pubsub-emulator-", ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(java, "-jar", jar.toString(), "--host=127.0.0.1", "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PubSubEmulator emulator = new PubSubEmulator(hostPort, process, log);
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    try {
      while (!listening(hostPort)) {
        if (!process.isAlive()) {
          throw new IOException("exited with " + process.exitValue() + "; " + tail(log));
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("not listening on " + hostPort + " after " + STARTUP_TIMEOUT
              + "; " + tail(log));
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      emulator.close();
      throw new IOException("interrupted while waiting for it", e);
    } catch (IOException e) {
      emulator.close();
      throw e;
    }
    return emulator;
  }

  /** Stops the emulator process if we started it (by its process id); no-op otherwise. */
  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway and is harmless
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** PUBSUB_EMULATOR_JAR, else the newest emulator jar of the first SDK found. */
  private static Optional<Path> findJar() {
    String explicit = System.getenv("PUBSUB_EMULATOR_JAR");
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit)); // start() has checked that it is a file
    }
    List<Path> sdkRoots = new ArrayList<>();
    String cloudsdk = System.getenv("CLOUDSDK_ROOT_DIR");
    if (cloudsdk != null && !cloudsdk.isBlank()) {
      sdkRoots.add(Path.of(cloudsdk));
    }
    gcloudSdkRoot().ifPresent(sdkRoots::add);
    sdkRoots.add(Path.of("/usr/lib/google-cloud-sdk"));
    sdkRoots.add(Path.of("/usr/share/google-cloud-sdk"));
    sdkRoots.add(Path.of("/opt/google-cloud-sdk"));
    sdkRoots.add(Path.of(System.getProperty("user.home"), "google-cloud-sdk"));
    for (Path root : sdkRoots) {
      Path dir = root.resolve(JAR_DIR);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      Path best = null;
      try (DirectoryStream<Path> jars =
          Files.newDirectoryStream(dir, "cloud-pubsub-emulator-*.jar")) {
        for (Path jar : jars) {
          // Lexical order: good enough to prefer the newer of two versions left side by side.
          if (best == null || jar.getFileName().compareTo(best.getFileName()) > 0) {
            best = jar;
          }
        }
      } catch (IOException e) {
        continue;
      }
      if (best != null) {
        return Optional.of(best);
      }
    }
    return Optional.empty();
  }

  /** The SDK that the gcloud on PATH belongs to: gcloud lives in {@code <sdk>/bin}. */
  private static Optional<Path> gcloudSdkRoot() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path gcloud = Path.of(dir, "gcloud");
      if (Files.isExecutable(gcloud)) {
        try {
          Path real = gcloud.toRealPath(); // /usr/bin/gcloud is often a symlink into the SDK
          return Optional.ofNullable(real.getParent()).map(Path::getParent);
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static boolean listening(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    try (Socket s = new Socket()) {
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      s.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), 500);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * A port free right now. Another process could take it before the emulator binds; then the
   * emulator exits and start() reports it, which is rare enough on a test machine.
   */
  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return "output: " + (text.length() > 2000 ? text.substring(text.length() - 2000) : text);
    } catch (IOException e) {
      return "no output (" + e.getMessage() + ")";
    }
  }
}
