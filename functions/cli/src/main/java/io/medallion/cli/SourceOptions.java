package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.local.replay.BreweryGenerator;
import io.medallion.local.replay.ReplayServer;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where a local command's ingest reads from: {@code --source-url}, else {@code
 * $MEDALLION_SOURCE_URL}, else an embedded replay server of generated breweries.
 */
final class SourceOptions {

  @Option(names = "--source-url", description = "Base URL of an API serving the source (e.g. https://api.openbrewerydb.org). Default: an embedded replay server.")
  URI sourceUrl;

  @Option(names = "--records", defaultValue = "10000", description = "Records the embedded replay server generates (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed;

  /** The API in use; closing it stops the replay server if one was started. */
  record Api(URI url, ReplayServer replay, String origin) implements AutoCloseable {
    @Override
    public void close() {
      if (replay != null) {
        replay.close();
      }
    }
  }

  Api open(MedallionConfig config) throws java.io.IOException {
    if (records < 0) {
      throw new Main.UserError("--records must be >= 0");
    }
    URI url = sourceUrl != null ? sourceUrl : config.sourceUrl();
    if (url != null) {
      return new Api(url, null, sourceUrl != null ? "--source-url" : "$" + MedallionConfig.SOURCE_URL);
    }
    ReplayServer replay = new ReplayServer(new BreweryGenerator(seed).generate(records));
    return new Api(replay.baseUrl(), replay, "embedded replay server: " + records + " generated records, seed " + seed);
  }
}
