package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source added as files alone: the example in {@code src/test/resources/another-source} (offset
 * paging with a total in the body, an API key header, a nested field, a TIMESTAMP) is listed,
 * checked and run end to end from {@code --sources-dir}, its gold equal to a computation of its
 * recorded records made here; broken declarations are refused naming the file and the field.
 */
class SourcesCommandTest {

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }

  private static Path example() throws Exception {
    return Path.of(SourcesCommandTest.class.getResource("/another-source").toURI());
  }

  @Test
  void sources_listsEveryShippedSource_andThoseOfASourcesDir() throws Exception {
    CliRun shipped = cli("sources");
    assertEquals(0, shipped.code(), shipped.all());
    for (String name : SourceRegistry.standard().names()) {
      assertTrue(shipped.out().contains("| " + name + " "), name + " missing:\n" + shipped.out());
    }
    assertTrue(!shipped.out().contains("tickets"), shipped.out());
    String invoices = shipped.out().lines().filter(l -> l.startsWith("| invoices ")).findFirst().orElseThrow();
    assertTrue(invoices.contains("files, loaded every 5 min, signed"), "how pushes to it load: " + invoices);

    CliRun more = cli("--sources-dir", example().toString(), "sources");
    assertEquals(0, more.code(), more.all());
    String line = more.out().lines().filter(l -> l.startsWith("| tickets ")).findFirst().orElseThrow(() -> new AssertionError(more.out()));
    assertTrue(line.contains("offset") && line.contains("api_key"), line);
  }

  @Test
  void sourcesCheck_acceptsEveryShippedDeclaration_andSaysWhichSecretsAreUnset() throws Exception {
    for (String name : SourceRegistry.standard().names()) {
      Path file = Path.of("../../schemas/sources/" + name + ".json");
      CliRun r = cli("sources", "check", file.toString());
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().contains(": ok: source " + name), r.out());
    }
    CliRun tickets = cli("sources", "check", example().resolve("schemas/sources/tickets.json").toString());
    assertEquals(0, tickets.code(), tickets.all());
    assertTrue(tickets.out().contains("secrets not set here (environment variables): [TICKETS_API_KEY]"), tickets.out());
  }

  @Test
  void sourcesCheck_withAUrl_readsTheFirstPage_andSaysWhatComesNext() throws Exception {
    try (io.medallion.local.replay.ReplayServer api = Breweries.serve(450, 3)) {
      CliRun r = cli("sources", "check", "../../schemas/sources/breweries.json", "--url", api.baseUrl().toString());
      assertEquals(0, r.code(), r.all());
      assertTrue(r.out().contains("breweries: GET " + api.baseUrl() + "/v1/breweries?"), r.out());
      assertTrue(r.out().contains("records selected by $: 200"), r.out());
      assertTrue(r.out().matches("(?s).*next page: \\S*page=2.*"), r.out());
    }
    CliRun down = cli("sources", "check", "../../schemas/sources/breweries.json", "--url", "http://127.0.0.1:9");
    assertEquals(1, down.code(), down.all());
    assertTrue(down.out().contains("FAILED: "), down.out());
  }

  @Test
  void sourcesCheck_namesTheFileAndEveryBrokenField(@TempDir Path dir) throws Exception {
    Path sources = Files.createDirectories(dir.resolve("schemas/sources"));
    String good = Files.readString(example().resolve("schemas/sources/tickets.json"));
    String bad = good.replace("\"type\": \"offset\"", "\"type\": \"offsett\"")
        .replace("\"lowercase\": [\"status\"]", "\"lowercase\": [\"status\"], \"color\": \"blue\"");
    Path file = sources.resolve("tickets.json");
    Files.writeString(file, bad);
    CliRun r = cli("sources", "check", file.toString());
    assertEquals(2, r.code(), r.all());
    assertTrue(r.err().contains(file.toAbsolutePath().toString()), r.err());
    assertTrue(r.err().contains("/client/paginator/type"), r.err());
    assertTrue(r.err().contains("/resources/0/silver") && r.err().contains("color"), r.err());

    // The same file given as a sources directory: refused before anything runs.
    CliRun run = cli("--sources-dir", dir.toString(), "run", "--source", "tickets");
    assertEquals(2, run.code(), run.all());
    assertTrue(run.err().contains("/client/paginator/type"), run.err());
    assertTrue(!Files.exists(home.resolve("buckets")), "nothing ran");
  }

  @Test
  void sourcesCheck_refusesAnUndeclaredDomain_andATableOfAnotherDomain(@TempDir Path dir) throws Exception {
    try (java.util.stream.Stream<Path> all = Files.walk(example())) {
      for (Path from : all.toList()) {
        Path to = dir.resolve(example().relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    String tickets = Files.readString(example().resolve("schemas/sources/tickets.json"));
    Path file = dir.resolve("schemas/sources/tickets.json");
    Files.writeString(file, tickets.replace("\"domain\": \"sales\"", "\"domain\": \"retail\""));
    CliRun undeclared = cli("sources", "check", file.toString());
    assertEquals(2, undeclared.code(), undeclared.all());
    assertTrue(undeclared.err().contains("/domain: no domain 'retail' is declared"), undeclared.err());

    // Its gold model renamed to one of the brewing domain's tables: claimed by two domains.
    Files.writeString(file, tickets.replace("\"tickets_by_status\"", "\"country_summary\""));
    Files.copy(dir.resolve("sql/tickets/tickets_by_status.sql"), dir.resolve("sql/tickets/country_summary.sql"));
    CliRun claimed = cli("sources", "check", file.toString());
    assertEquals(2, claimed.code(), claimed.all());
    assertTrue(claimed.err().contains("the gold model country_summary is claimed by two domains"), claimed.err());
  }

  @Test
  void aSourcesDirThatRedeclaresAShippedSource_isRefused(@TempDir Path dir) throws Exception {
    // A complete copy of the shipped breweries: only the name clashes.
    Path root = Path.of("../..");
    for (String f : List.of("schemas/sources/breweries.json", "schemas/sources/breweries.generator.json",
        "schemas/sources/breweries.reference.json", "schemas/bigquery/silver/breweries.json")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.copy(root.resolve(f), dir.resolve(f));
    }
    try (var sql = Files.walk(root.resolve("sql/breweries"))) {
      for (Path f : sql.filter(Files::isRegularFile).toList()) {
        Path to = dir.resolve(root.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to);
      }
    }
    CliRun r = cli("--sources-dir", dir.toString(), "sources");
    assertEquals(2, r.code(), r.all());
    assertTrue(r.err().contains("source 'breweries' is declared already"), r.err());
  }

  @Test
  void aSourceFromASourcesDir_runsEndToEnd_andItsGoldIsWhatItsRecordsSay() throws Exception {
    CliRun run = cli("--sources-dir", example().toString(), "run", "--source", "tickets");
    assertEquals(0, run.code(), run.all());
    assertTrue(run.out().contains("silver   19 rows, 4 rejects"), run.out());

    // Independently: the silver rules applied by hand to the recorded records.
    List<JsonElement> records = JsonParser.parseString(
        Files.readString(example().resolve("schemas/sources/tickets.records.json"))).getAsJsonArray().asList();
    Map<String, long[]> expected = new TreeMap<>();
    Map<String, Integer> rejects = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (JsonElement e : records) {
      JsonObject t = e.getAsJsonObject();
      String reason = null;
      if (!t.has("id")) {
        reason = "MISSING_REQUIRED";
      } else if (t.get("priority").getAsDouble() > 4) {
        reason = "OUT_OF_RANGE";
      } else if (!t.get("created_at").getAsString().endsWith("Z")) {
        reason = "INVALID_TIMESTAMP";
      } else if (!seen.add(t.get("id").getAsString())) {
        reason = "DUPLICATE_KEY";
      }
      if (reason != null) {
        rejects.merge(reason, 1, Integer::sum);
        continue;
      }
      Instant.parse(t.get("created_at").getAsString());
      String status = t.get("status").getAsString().strip().toLowerCase(java.util.Locale.ROOT);
      long[] counts = expected.computeIfAbsent(status, k -> new long[2]);
      counts[0]++;
      counts[1] += t.get("priority").getAsInt() == 1 ? 1 : 0;
    }
    assertEquals(Map.of("DUPLICATE_KEY", 1, "INVALID_TIMESTAMP", 1, "MISSING_REQUIRED", 1, "OUT_OF_RANGE", 1), rejects);

    CliRun gold = cli("query", "--format", "csv", "select status, ticket_count, urgent_count from gold_sales.tickets_by_status order by status");
    assertEquals(0, gold.code(), gold.all());
    Map<String, long[]> actual = new TreeMap<>();
    gold.out().lines().skip(1).filter(l -> !l.isBlank()).forEach(l -> {
      String[] c = l.split(",");
      actual.put(c[0], new long[] {Long.parseLong(c[1]), Long.parseLong(c[2])});
    });
    Map<String, List<Long>> e = new HashMap<>();
    expected.forEach((k, v) -> e.put(k, List.of(v[0], v[1])));
    Map<String, List<Long>> a = new HashMap<>();
    actual.forEach((k, v) -> a.put(k, List.of(v[0], v[1])));
    assertEquals(e, a, "gold_sales.tickets_by_status");

    CliRun email = cli("query", "--format", "csv", "select requester_email from silver_sales.tickets where ticket_id = 'T-1001'");
    assertTrue(email.out().contains("user1@example.com"), "requester.email became requester_email: " + email.out());
  }
}
