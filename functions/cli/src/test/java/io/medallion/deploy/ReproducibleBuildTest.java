package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The deploy jars are reproducible: the same sources give the same bytes, so terraform/ (which
 * names each function's archive by its hash) redeploys only a function whose code changed.
 *
 * <p>What makes a build differ is the build time in every entry the build itself writes; with
 * {@code project.build.outputTimestamp} set, the jar and shade plugins write that time instead
 * (the dependencies' entries keep the times of their own released jars). Checked on the jars this
 * build made: the reactor packages functions/ingest, silver, gold and webhook before this module's tests.
 * Two clean builds giving byte-identical jars was checked by hand (README, "What was checked").
 */
class ReproducibleBuildTest {

  private static final Pattern OUTPUT_TIMESTAMP =
      Pattern.compile("<project\\.build\\.outputTimestamp>([^<]+)</project\\.build\\.outputTimestamp>");

  @Test
  void rootPom_fixesTheOutputTimestamp() throws IOException {
    outputTimestamp();
  }

  @Test
  void deployJars_carryTheFixedTimestamp_inEveryEntryTheBuildWrites() throws IOException {
    LocalDateTime fixed = outputTimestamp();
    Path root = Repository.root();
    List<Path> jars = new ArrayList<>();
    for (String fn : List.of("ingest", "silver", "gold", "webhook")) {
      Path jar = root.resolve("functions").resolve(fn).resolve("target").resolve("medallion-" + fn + "-deploy.jar");
      if (Files.isRegularFile(jar)) {
        jars.add(jar);
      }
    }
    if (jars.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("no functions/*/target/medallion-*-deploy.jar: mvn verify packages them before this module's tests");
      }
      Assumptions.abort("no deploy jars built (run through the reactor: mvn verify)");
    }
    for (Path jar : jars) {
      TreeMap<String, LocalDateTime> wrong = new TreeMap<>();
      int own = 0;
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (ZipEntry e : zip.stream().toList()) {
          if (writtenByThisBuild(e.getName())) {
            own++;
            // The DOS time as written, without the reader's time zone (the archiver writes the
            // timestamp's UTC wall time, whatever the build machine's zone).
            if (!fixed.equals(e.getTimeLocal())) {
              wrong.put(e.getName(), e.getTimeLocal());
            }
          }
        }
      }
      assertTrue(own > 50, jar + ": only " + own + " entries of medallion's own");
      assertEquals(new TreeMap<>(), wrong, jar.getFileName() + ": entries not stamped with outputTimestamp " + fixed);
    }
  }

  /** Medallion's classes, the schemas and SQL it packages, and the manifest the shade writes. */
  private static boolean writtenByThisBuild(String entry) {
    return entry.startsWith("io/medallion/") || entry.startsWith("schemas/") || entry.startsWith("sql/")
        || entry.equals("META-INF/MANIFEST.MF");
  }

  private static LocalDateTime outputTimestamp() throws IOException {
    String pom = Files.readString(Repository.root().resolve("pom.xml"));
    Matcher m = OUTPUT_TIMESTAMP.matcher(pom);
    assertTrue(m.find(), "the root pom sets project.build.outputTimestamp (reproducible deploy jars)");
    return OffsetDateTime.parse(m.group(1).trim()).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
  }
}
