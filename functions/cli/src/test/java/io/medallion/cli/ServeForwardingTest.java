package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a command sent to a running {@code serve} carries: global options before the command are
 * not taken for it, and a sources directory goes as an absolute path (serve's working directory
 * may be another one).
 */
class ServeForwardingTest {

  @Test
  void theCommandIsFound_pastGlobalOptionsAndTheirValues() {
    assertTrue(goesThroughServe("--sources-dir", "extra", "sources"));
    assertTrue(goesThroughServe("-v", "--home", "h", "run", "--records", "5"));
    assertTrue(goesThroughServe("--sources-dir=extra", "query", "select 1"));
    assertTrue(goesThroughServe("schema", "diff", "--source", "tickets"), "a served subcommand, by its whole name");
    // Not through serve: a subcommand of a served command, a help request, a command serve does not run.
    assertFalse(goesThroughServe("--sources-dir", "extra", "sources", "check", "f.json"));
    assertFalse(goesThroughServe("run", "--help"));
    assertFalse(goesThroughServe("schema", "diff", "--help"));
    assertFalse(goesThroughServe("schema"));
    assertFalse(goesThroughServe("--sources-dir", "run", "bench"));
  }

  private static boolean goesThroughServe(String... args) {
    return Main.goesThroughServe(new Main(Map.of()), args);
  }

  @Test
  void aSourcesDirGoesAbsolute_andTheHomeStaysBehind() {
    String abs = Path.of("extra").toAbsolutePath().normalize().toString();
    assertArrayEquals(new String[] {"--sources-dir", abs, "sources"},
        ServeClient.withoutHome(new String[] {"--home", "h", "--sources-dir", "extra", "sources"}));
    assertArrayEquals(new String[] {"--sources-dir=" + abs, "run", "--source", "tickets"},
        ServeClient.withoutHome(new String[] {"--sources-dir=./extra", "run", "--source", "tickets"}));
  }

  @Test
  void dropGoesThroughServe_withItsFilesAbsolute_andTheSourceNameAsIs() throws Exception {
    assertTrue(goesThroughServe("drop", "--source", "pom.xml", "pom.xml"));
    String abs = Path.of("pom.xml").toAbsolutePath().normalize().toString();
    assertArrayEquals(new String[] {"drop", "--source", "pom.xml", "--force", abs},
        ServeClient.withoutHome(new String[] {"drop", "--source", "pom.xml", "--force", "pom.xml"}),
        "a file named like the source stays the source's name; the file goes absolute: serve runs elsewhere");
  }
}
