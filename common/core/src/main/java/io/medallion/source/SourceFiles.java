package io.medallion.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Where a source's files are read from, all laid out as the repository lays them out: {@code
 * schemas/sources/<name>.json} (the declaration), {@code schemas/bigquery/silver/<table>.json},
 * {@code schemas/bigquery/gold/<model>.json}, {@code sql/<name>/<model>.sql} and {@code
 * sql/<name>/checks/<check>.sql}. The shipped sources come from the classpath (the jars carry the
 * repository's schemas/ and sql/); a user's come from a directory of the same layout.
 */
public interface SourceFiles {

  /** The text of {@code path} (relative, with /), or empty when there is no such file. */
  Optional<String> read(String path);

  /** For messages: where {@code path} is (or would be). */
  String describe(String path);

  /** The names of the files directly in {@code directory} (a relative path ending in /). */
  List<String> list(String directory);

  /**
   * Whether these declarations passed the JSON Schema when the build tested them: true of the
   * classpath's alone (SourceDeclarationsTest checks every shipped one), so that a function's first
   * event does not pay ~0.2 s for the validator again. Everything else is validated when read.
   */
  default boolean checkedByTheBuild() {
    return false;
  }

  /** The files on the classpath. */
  static SourceFiles classpath() {
    return new SourceFiles() {
      @Override
      public Optional<String> read(String path) {
        try (InputStream in = SourceFiles.class.getClassLoader().getResourceAsStream(path)) {
          return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read " + path + " from the classpath", e);
        }
      }

      @Override
      public String describe(String path) {
        return path;
      }

      @Override
      public boolean checkedByTheBuild() {
        return true;
      }

      @Override
      public List<String> list(String directory) {
        List<String> out = new ArrayList<>();
        try {
          Enumeration<URL> urls = SourceFiles.class.getClassLoader().getResources(directory);
          while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            if ("file".equals(url.getProtocol())) {
              try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                files.forEach(p -> out.add(p.getFileName().toString()));
              }
            } else if ("jar".equals(url.getProtocol())) {
              JarURLConnection connection = (JarURLConnection) url.openConnection();
              connection.setUseCaches(false);
              try (JarFile jar = connection.getJarFile()) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                  String name = entries.nextElement().getName();
                  if (name.startsWith(directory) && name.length() > directory.length()
                      && name.indexOf('/', directory.length()) < 0) {
                    out.add(name.substring(directory.length()));
                  }
                }
              }
            }
          }
        } catch (IOException | URISyntaxException e) {
          throw new IllegalStateException("Cannot list " + directory + " on the classpath", e);
        }
        return out;
      }

      @Override
      public String toString() {
        return "the classpath";
      }
    };
  }

  /** The files under {@code root}; a path may not leave it. */
  static SourceFiles directory(Path root) {
    Path base = root.toAbsolutePath().normalize();
    return new SourceFiles() {
      @Override
      public Optional<String> read(String path) {
        Path file = base.resolve(path).normalize();
        if (!file.startsWith(base)) {
          return Optional.empty();
        }
        try {
          return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot read " + file, e);
        }
      }

      @Override
      public String describe(String path) {
        return base.resolve(path).toString();
      }

      @Override
      public List<String> list(String directory) {
        Path dir = base.resolve(directory).normalize();
        if (!dir.startsWith(base) || !Files.isDirectory(dir)) {
          return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
          return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot list " + dir, e);
        }
      }

      @Override
      public String toString() {
        return base.toString();
      }
    };
  }
}
