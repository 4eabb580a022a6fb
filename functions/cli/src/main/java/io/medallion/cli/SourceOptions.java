package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.event.InvalidEventException;
import io.medallion.source.SourceOrigin;
import java.net.URI;
import picocli.CommandLine.Option;

/**
 * Where a new local run reads its source: {@code --source-url}, else {@code $MEDALLION_SOURCE_URL},
 * else generated data ({@code replay:<source>?records=N&seed=S}, served by an embedded replay
 * server). The run records it, and resume and replay read from it again.
 */
final class SourceOptions {

  @Option(names = "--source-url", description = "Base URL of an API serving the source (its declaration's base_url for the real API, or a server that speaks it). Default: generated data from an embedded replay server.")
  String sourceUrl;

  @Option(names = "--records", description = "Records the embedded replay server generates (default: " + SourceOrigin.Replay.DEFAULT_RECORDS + ").")
  Integer records;

  @Option(names = "--seed", description = "Seed of the generated data (default: " + SourceOrigin.Replay.DEFAULT_SEED + ").")
  Long seed;

  /** The origin of a new run of {@code source}. */
  URI origin(MedallionConfig config, String source) {
    if (records != null && records < 0) {
      throw new Main.UserError("--records must be >= 0");
    }
    if (sourceUrl != null) {
      if (records != null || seed != null) {
        throw new Main.UserError("--records and --seed describe generated data; they do not go with --source-url");
      }
      try {
        return SourceOrigin.parse(sourceUrl);
      } catch (InvalidEventException e) {
        throw new Main.UserError("--source-url: " + e.getMessage());
      }
    }
    if (config.sourceUrl() != null && records == null && seed == null) {
      return SourceOrigin.forSource(config.sourceUrl(), source);
    }
    return new SourceOrigin.Replay(source,
        records == null ? SourceOrigin.Replay.DEFAULT_RECORDS : records,
        seed == null ? SourceOrigin.Replay.DEFAULT_SEED : seed).toUri();
  }

  /** Where the origin came from, for the run's first lines. */
  String originLabel(MedallionConfig config) {
    if (sourceUrl != null) {
      return "--source-url";
    }
    return config.sourceUrl() != null && records == null && seed == null ? "$" + MedallionConfig.SOURCE_URL : "default";
  }
}
