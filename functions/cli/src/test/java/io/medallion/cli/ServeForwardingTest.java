package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What a command sent to a running {@code serve} carries: global options before the command are
 * not taken for it, and a sources directory goes as an absolute path (serve's working directory
 * may be another one).
 */
class ServeForwardingTest {

  @Test
  void theCommandIsFound_pastGlobalOptionsAndTheirValues() {
    assertEquals("sources", ServeControl.firstCommand(new String[] {"--sources-dir", "extra", "sources"}));
    assertEquals("run", ServeControl.firstCommand(new String[] {"-v", "--home", "h", "run", "--records", "5"}));
    assertEquals("query", ServeControl.firstCommand(new String[] {"--sources-dir=extra", "query", "select 1"}));
  }

  @Test
  void aSourcesDirGoesAbsolute_andTheHomeStaysBehind() {
    String abs = Path.of("extra").toAbsolutePath().normalize().toString();
    assertArrayEquals(new String[] {"--sources-dir", abs, "sources"},
        ServeClient.withoutHome(new String[] {"--home", "h", "--sources-dir", "extra", "sources"}));
    assertArrayEquals(new String[] {"--sources-dir=" + abs, "run", "--source", "tickets"},
        ServeClient.withoutHome(new String[] {"--sources-dir=./extra", "run", "--source", "tickets"}));
  }
}
