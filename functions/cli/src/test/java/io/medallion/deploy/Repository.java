package io.medallion.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in (they start in a module directory). */
public final class Repository {

  private Repository() {}

  public static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("terraform")) && Files.isDirectory(p.resolve("schemas"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("No repository root (terraform/, schemas/, pom.xml) above " + Path.of("").toAbsolutePath());
  }
}
