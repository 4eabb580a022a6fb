package io.medallion.cli;

import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.replay.ReplayRecords;
import io.medallion.local.replay.ReplayServer;
import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The breweries source as the tests here use it: its generated records (with what silver must make
 * of each) and replay servers that serve them at the URL a run is pointed at.
 */
final class Breweries {

  /** The declared breweries source (schemas/sources/breweries.json). */
  static final Source SOURCE = SourceRegistry.standard().find("breweries").orElseThrow();

  /**
   * The brewery types the API documents (https://www.openbrewerydb.org/documentation), which gold
   * calls known. Kept here rather than read from the generator's reference data: that lists the
   * types the generator draws by weight, and "closed" (which it makes by a rule of its own) is not
   * among them.
   */
  static final List<String> DOCUMENTED_TYPES = List.of(
      "micro", "nano", "regional", "brewpub", "large", "planning", "bar", "contract", "proprietor", "closed",
      "taproom", "location", "beergarden");

  private Breweries() {}

  /**
   * {@code records} generated breweries for {@code seed}, in the order the API serves them. Unchecked,
   * for static fields: the declaration and its generator spec are the repository's own.
   */
  static List<GeneratedRecord> generate(int records, long seed) {
    try {
      return RecordGenerator.forSource(SOURCE).generate(records, seed).records(SOURCE.resources().get(0).name());
    } catch (DeclarationException e) {
      throw new IllegalStateException("the breweries declaration or its generator spec is broken: " + e.getMessage(), e);
    }
  }

  /** A server of {@code records} generated breweries for {@code seed}. */
  static ReplayServer serve(int records, long seed) throws DeclarationException, IOException {
    return ReplayServer.generated(SOURCE, records, seed);
  }

  /** A server of exactly {@code records} (generated, perhaps changed by the test). */
  static ReplayServer serve(List<GeneratedRecord> records) throws DeclarationException, IOException {
    return ReplayServer.serving(SOURCE, records);
  }

  /** A server of records a test writes itself, as JSON text. */
  static ReplayServer serveJson(List<String> records) throws DeclarationException, IOException {
    return ReplayServer.start(SOURCE, ReplayRecords.ofJson(SOURCE.resources().get(0).name(), records), Map.of());
  }
}
