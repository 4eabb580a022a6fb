package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.DeclarationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records with a timeline, as an issue tracker's: times relative to other times ({@code before},
 * {@code after}), keys an API leaves out rather than sending null ({@code omit}), and defects that
 * break a timestamp the way silver refuses it ({@code INVALID_TIMESTAMP}).
 */
class GeneratorTimelinesTest {

  private static final String SPEC = """
      {"resources": {"issues": {
        "record": [
          {"let": "updated", "value": {"timestamp": {"start": "2024-01-01T00:00:00Z", "step": "PT1H", "jitter": "PT59M"}}},
          {"field": "id", "value": {"sequence": {}}},
          {"field": "number", "value": {"sequence": {}}},
          {"field": "state", "value": {"pick": ["open", "closed"]}},
          {"let": "closed", "value": {"if": {"equals": ["$state", "closed"]},
            "then": {"timestamp": {"before": "$updated", "within": ["PT0S", "PT30M"]}}, "else": null}},
          {"field": "created_at", "value": {"timestamp": {"before": {"coalesce": ["$closed", "$updated"]}, "within": ["PT5M", "P30D"]}}},
          {"field": "updated_at", "value": "$updated"},
          {"field": "closed_at", "value": "$closed"},
          {"field": "reviewed_on", "value": {"timestamp": {"after": "$updated_at", "within": ["P1D", "P1D"], "format": "date"}}},
          {"field": "pull_request", "value": {"chance": 0.3, "then": {"object": {"url": "https://example.com/pull"}}, "else": {"omit": true}}}
        ],
        "defects": {"every": 10, "cycle": [
          {"name": "updated_without_zone", "reject": "INVALID_TIMESTAMP", "field": "updated_at",
           "set": {"updated_at": {"replace": {"raw": "updated_at"}, "token": "Z", "with": ""}}}
        ]}
      }}}""";

  @Test
  void timesRelativeToOtherTimes_keepTheirOrder_andOmittedKeysAreNotSent() throws Exception {
    RecordGenerator generator = new RecordGenerator(GeneratorSpec.parse(TestSources.source("tickets"), "t.generator.json", SPEC));
    List<GeneratedRecord> issues = generator.generate(200, 3).records("issues");
    int pullRequests = 0;
    int closed = 0;
    for (GeneratedRecord r : issues) {
      JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
      if (!(r.expected() instanceof Expected.Clean c)) {
        continue;
      }
      Instant created = Instant.parse(o.get("created_at").getAsString());
      Instant updated = Instant.parse(o.get("updated_at").getAsString());
      assertEquals(updated, c.value("updated_at"));
      if (o.get("closed_at").isJsonNull()) {
        assertEquals("open", o.get("state").getAsString());
        long age = Duration.between(created, updated).toSeconds();
        assertTrue(age >= 300 && age <= 30 * 86_400, r.json());
      } else {
        closed++;
        Instant closedAt = Instant.parse(o.get("closed_at").getAsString());
        assertTrue(!closedAt.isAfter(updated) && Duration.between(closedAt, updated).toMinutes() <= 30, r.json());
        assertTrue(Duration.between(created, closedAt).toSeconds() >= 300, r.json());
      }
      assertEquals(updated.plus(Duration.ofDays(1)).toString().substring(0, 10), o.get("reviewed_on").getAsString(),
          "after a typed TIMESTAMP field, as a date");
      if (o.has("pull_request")) {
        pullRequests++;
        assertFalse(o.get("pull_request").isJsonNull());
      }
    }
    assertFalse(issues.stream().anyMatch(r -> r.json().contains("\"pull_request\":null")), "omitted, not null");
    assertTrue(pullRequests > 30 && pullRequests < 90, "about 30% carry the key: " + pullRequests);
    assertTrue(closed > 50, "closed: " + closed);
    List<GeneratedRecord> rejects = issues.stream().filter(r -> !r.expected().isClean()).toList();
    assertEquals(20, rejects.size());
    for (GeneratedRecord r : rejects) {
      assertEquals(new Expected.Reject("INVALID_TIMESTAMP", "updated_at"), r.expected());
      assertTrue(JsonParser.parseString(r.json()).getAsJsonObject().get("updated_at").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"),
          r.json());
    }
  }

  @Test
  void aRelativeTimeNeedsItsWindow_andOmitIsTrue() throws Exception {
    DeclarationException e = assertThrows(DeclarationException.class, () -> GeneratorSpec.parse(TestSources.source("tickets"),
        "t.generator.json", """
            {"resources": {"issues": {"record": [
              {"field": "id", "value": {"sequence": {}}},
              {"field": "created_at", "value": {"timestamp": {"before": "$id"}}},
              {"field": "closed_at", "value": {"timestamp": {"after": "$id", "within": ["P2D", "P1D"]}}},
              {"field": "draft", "value": {"omit": false}}
            ]}}}"""));
    String all = e.getMessage();
    assertTrue(all.contains("/resources/issues/record/1/value/timestamp/within: is required with before"), all);
    assertTrue(all.contains("/resources/issues/record/2/value/timestamp/within: is [shortest, longest]"), all);
    assertTrue(all.contains("/resources/issues/record/3/value/omit: is true"), all);
  }
}
