package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The generator spec language: what a spec says is what the records are (determinism, prefixes,
 * children per parent, the defect cycle, sequences and times), a spec cannot promise an outcome
 * its records do not have, and a broken spec is refused with every problem at its field.
 */
class GeneratorSpecTest {

  private static GeneratorSpec parse(Source source, String text) throws DeclarationException {
    return GeneratorSpec.parse(source, "test.generator.json", text);
  }

  private static String items(String record, String rest) {
    return "{\"resources\": {\"items\": {\"record\": " + record + rest + "}}}";
  }

  private static final String ITEM = "[{\"field\": \"id\", \"value\": {\"sequence\": {}}}, {\"field\": \"name\", \"value\": \"x\"}]";

  @Test
  void aBrokenSpec_namesEveryProblemAtItsField() throws Exception {
    Source pager = TestSources.source("pager");
    DeclarationException e = assertThrows(DeclarationException.class, () -> parse(pager, items(
        "[{\"field\": \"id\", \"value\": {\"sequnce\": {}}}, {\"field\": \"name\", \"value\": \"$later\"},"
            + " {\"let\": \"later\", \"value\": 1}, {\"field\": \"score\", \"value\": {\"pick\": [\"a\"], \"weights\": [1]}}]",
        ", \"mess\": [{\"set\": {\"nosuch\": 1}}], \"defects\": {\"every\": 10, \"cycle\": [{\"reject\": \"BROKEN\", \"field\": \"name\", \"set\": {\"name\": null}}]}")));
    List<String> problems = e.problems().stream().map(p -> p.pointer() + ": " + p.message()).toList();
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("/resources/items/record/0/value: names no generator")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("/resources/items/record/1/value: $later is bound later")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("/resources/items/record/3/value/weights: is not a field here")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("/resources/items/mess/0/set/nosuch: no field 'nosuch'")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("/resources/items/defects/cycle/0/reject: is required: the reject reason")), problems.toString());
    assertTrue(e.problems().stream().allMatch(p -> p.file().equals("test.generator.json")));
  }

  @Test
  void aSpecMustMakeEveryDeclaredResource_andOnlyThose() throws Exception {
    DeclarationException e = assertThrows(DeclarationException.class,
        () -> parse(TestSources.source("shows"), "{\"resources\": {\"shows\": {\"record\": []}, \"podcasts\": {\"record\": []}}}"));
    String all = e.getMessage();
    assertTrue(all.contains("/resources/podcasts: the source shows declares no resource 'podcasts'"), all);
    assertTrue(all.contains("/resources/episodes: is required"), all);
  }

  @Test
  void aDefectMustGiveTheRejectItPromises() throws Exception {
    Source pager = TestSources.source("pager");
    RecordGenerator wrong = new RecordGenerator(parse(pager, items(ITEM,
        ", \"defects\": {\"every\": 5, \"cycle\": [{\"name\": \"blank\", \"reject\": \"NOT_A_NUMBER\", \"field\": \"name\", \"set\": {\"name\": \"  \"}}]}")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> wrong.generate(10, 1));
    assertTrue(e.getMessage().contains("defect blank") && e.getMessage().contains("promises NOT_A_NUMBER on name")
        && e.getMessage().contains("silver would give MISSING_REQUIRED on name"), e.getMessage());
  }

  @Test
  void messThatBreaksARecord_failsGeneration() throws Exception {
    Source pager = TestSources.source("pager");
    RecordGenerator breaking = new RecordGenerator(parse(pager, items(
        "[{\"field\": \"id\", \"value\": {\"sequence\": {}}}, {\"field\": \"name\", \"value\": \"x\"}, {\"field\": \"score\", \"value\": 1}]",
        ", \"mess\": [{\"when\": {\"chance\": 0.5}, \"set\": {\"score\": \"n/a\"}}]")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> breaking.generate(20, 1));
    assertTrue(e.getMessage().contains("a mess rule made it invalid") && e.getMessage().contains("NOT_A_NUMBER on score"),
        e.getMessage());
  }

  @Test
  void oneDefectPerBlock_cyclingThroughTheSpecsDefects() throws Exception {
    GeneratedData data = RecordGenerator.forSource(TestSources.source("pager")).generate(400, 7);
    List<GeneratedRecord> items = data.records("items");
    Map<String, Integer> reasons = new TreeMap<>();
    for (int block = 0; block < 40; block++) {
      List<Expected.Reject> rejects = new ArrayList<>();
      for (GeneratedRecord r : items.subList(block * 10, block * 10 + 10)) {
        if (r.expected() instanceof Expected.Reject j) {
          rejects.add(j);
        }
      }
      assertEquals(1, rejects.size(), "block " + block);
      reasons.merge(rejects.get(0).reason() + " " + rejects.get(0).field(), 1, Integer::sum);
    }
    assertEquals(Map.of("DUPLICATE_KEY id", 10, "MISSING_REQUIRED name", 10, "NOT_A_NUMBER score", 10,
        "OUT_OF_RANGE score", 10), reasons);
    long padded = items.stream().filter(r -> r.json().contains("\"name\":\" ")).count();
    long textScores = items.stream().filter(r -> r.json().matches(".*\"score\":\"[0-9.]+\".*")).count();
    assertTrue(padded > 20 && padded < 70, "about a tenth padded: " + padded);
    assertTrue(textScores > 50 && textScores < 120, "about a fifth as strings: " + textScores);
    for (GeneratedRecord r : items) {
      if (r.expected() instanceof Expected.Clean c && r.json().contains("\"name\":\" ")) {
        assertEquals(c.string("name"), c.string("name").strip(), "padding is mess: the expectation is the clean value");
      }
    }
  }

  @Test
  void childrenComePerParent_deterministic_andPrefixStable_withTheParentsKeyExpected() throws Exception {
    RecordGenerator generator = RecordGenerator.forSource(TestSources.source("shows"));
    GeneratedData ten = generator.generate(10, 5);
    GeneratedData twenty = generator.generate(20, 5);
    assertEquals(ten, generator.generate(10, 5));
    assertEquals(ten.records("shows"), twenty.records("shows").subList(0, 10));
    List<GeneratedRecord> firstEpisodes = twenty.records("episodes").stream().filter(e -> e.parent() < 10).toList();
    assertEquals(ten.records("episodes"), firstEpisodes, "the episodes of the first ten shows do not depend on the rest");
    for (GeneratedRecord e : twenty.records("episodes")) {
      if (e.expected() instanceof Expected.Clean c) {
        String parentId = JsonParser.parseString(twenty.records("shows").get(e.parent()).json()).getAsJsonObject()
            .get("id").getAsString();
        assertEquals(parentId, c.value("_parent_id"), "what silver gets from parent.include");
      }
    }
    assertTrue(twenty.records("episodes").stream().anyMatch(e -> e.expected() instanceof Expected.Reject r
        && r.reason().equals("NOT_A_NUMBER") && r.field().equals("duration_ms")), "children have defects too");
    assertThrows(IllegalArgumentException.class,
        () -> generator.writeJsonArray("episodes", 1, 10, new ByteArrayOutputStream()), "children need parents");
  }

  @Test
  void whatAServerServes_isWhatGenerateMakes_withoutTheExpectations() throws Exception {
    Source shows = TestSources.source("shows");
    RecordGenerator generator = RecordGenerator.forSource(shows);
    ReplayRecords served = generator.served(15, 3);
    ReplayRecords generated = ReplayRecords.of(shows, generator.generate(15, 3));
    assertEquals(texts(generated.list("shows")), texts(served.list("shows")));
    assertEquals(generated.children("episodes").keySet(), served.children("episodes").keySet());
    generated.children("episodes").forEach((key, list) ->
        assertEquals(texts(list), texts(served.children("episodes").get(key)), "episodes of " + key));
    assertEquals(15, generated.children("episodes").size(), "every show has a list, empty or not");
  }

  private static List<String> texts(List<byte[]> records) {
    return records.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toList();
  }

  @Test
  void sequencesTimesAndNestedPathsAreTypedAsSilverTypesThem() throws Exception {
    GeneratedData data = RecordGenerator.forSource(TestSources.source("tickets")).generate(50, 1);
    List<GeneratedRecord> issues = data.records("issues");
    for (int i = 0; i < issues.size(); i++) {
      JsonObject o = JsonParser.parseString(issues.get(i).json()).getAsJsonObject();
      assertEquals(i + 1, o.get("number").getAsInt());
      assertEquals(Instant.parse("2024-01-01T00:00:00Z").plusSeconds(3600L * i).toString(), o.get("updated_at").getAsString());
      Expected.Clean c = (Expected.Clean) issues.get(i).expected();
      assertEquals(2_000_000L + 7L * i, c.value("issue_id"));
      assertEquals(Instant.parse(o.get("updated_at").getAsString()), c.value("updated_at"));
      assertEquals(o.getAsJsonObject("user").get("login").getAsString(), c.field("user.login"));
      assertEquals(o.get("state").getAsString().toLowerCase(java.util.Locale.ROOT), c.value("state"), "lowercased");
    }
    assertTrue(issues.stream().anyMatch(r -> r.json().contains("\"state\":\"CLOSED\"")), "odd case is there");
  }

  @Test
  void theStreamedExportIsTheGeneratedRecords_inBlocksOfTheirOwnSeed() throws Exception {
    RecordGenerator generator = RecordGenerator.forSource(TestSources.source("pager"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bytes = generator.writeJsonArray("items", 4, 25, out);
    List<GeneratedRecord> items = generator.generate(25, 4).records("items");
    String expected = "[\n" + String.join(",\n", items.stream().map(GeneratedRecord::json).toList()) + "\n]\n";
    assertEquals(expected, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(out.size(), bytes);
  }
}
