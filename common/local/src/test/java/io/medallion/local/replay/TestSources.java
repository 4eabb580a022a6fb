package io.medallion.local.replay;

import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import io.medallion.source.SourceFiles;
import io.medallion.source.SourceRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The test-only sources under {@code src/test/resources/replay-sources} (laid out as the repository:
 * schemas/sources, schemas/bigquery/silver, sql/<source>): one per paging style and auth kind.
 */
final class TestSources {

  private static SourceRegistry registry;

  private TestSources() {}

  static synchronized SourceRegistry registry() throws DeclarationException {
    if (registry == null) {
      registry = SourceRegistry.load(List.of(SourceFiles.directory(root())));
    }
    return registry;
  }

  static Source source(String name) throws DeclarationException {
    return registry().find(name).orElseThrow(() -> new IllegalArgumentException("no test source " + name));
  }

  static Path root() {
    try {
      return Path.of(TestSources.class.getResource("/replay-sources").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
