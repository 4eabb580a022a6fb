package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SourceRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The github_issues generator (schemas/sources/github_issues.generator.json) makes what its
 * description promises: issues and pull requests with every field in the order GitHub's REST API
 * writes them (https://docs.github.com/en/rest/issues/issues#list-repository-issues), a timeline
 * that holds, updated_at growing along the listing (so that {@code since} selects a suffix), and
 * every reject reason in any five blocks.
 */
class GithubIssuesGeneratorTest {

  /** The keys of an issue in the API's order; a pull request has draft and pull_request after active_lock_reason. */
  static final List<String> ISSUE_KEYS = List.of("url", "repository_url", "labels_url", "comments_url", "events_url",
      "html_url", "id", "node_id", "number", "title", "user", "labels", "state", "locked", "assignee", "assignees",
      "milestone", "comments", "created_at", "updated_at", "closed_at", "author_association", "active_lock_reason", "body",
      "reactions", "timeline_url", "performed_via_github_app", "state_reason");

  static List<GeneratedRecord> issues;

  @BeforeAll
  static void generate() throws Exception {
    issues = RecordGenerator.forSource(SourceRegistry.standard().find("github_issues").orElseThrow())
        .generate(2_000, 11).records("issues");
  }

  @Test
  void cleanRecords_haveGithubsShape_andATimelineThatHolds() {
    Instant previousUpdate = Instant.MIN;
    int pullRequests = 0;
    for (GeneratedRecord r : issues) {
      if (!(r.expected() instanceof Expected.Clean c)) {
        continue;
      }
      JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
      boolean pr = o.has("pull_request");
      List<String> keys = new ArrayList<>(ISSUE_KEYS);
      if (pr) {
        pullRequests++;
        keys.addAll(keys.indexOf("body"), List.of("draft", "pull_request"));
        assertEquals(o.get("html_url").getAsString().replace("/pull/", "/issues/").replace("https://github.com/", "https://api.github.com/repos/"),
            o.get("url").getAsString());
        assertEquals(c.value("pull_request_url"), o.getAsJsonObject("pull_request").get("url").getAsString());
      } else {
        assertNull(c.value("pull_request_url"));
      }
      assertEquals(keys, new ArrayList<>(o.keySet()), r.json());

      Instant created = Instant.parse(o.get("created_at").getAsString());
      Instant updated = Instant.parse(o.get("updated_at").getAsString());
      assertTrue(updated.isAfter(previousUpdate), "updated_at grows along the listing: " + r.json());
      previousUpdate = updated;
      boolean open = o.get("state").getAsString().equals("open");
      if (open) {
        assertTrue(o.get("closed_at").isJsonNull(), r.json());
        assertTrue(created.isBefore(updated), r.json());
      } else {
        Instant closed = Instant.parse(o.get("closed_at").getAsString());
        assertTrue(created.isBefore(closed) && !closed.isAfter(updated), r.json());
      }
      Set<String> labels = new HashSet<>();
      for (JsonElement l : o.getAsJsonArray("labels")) {
        assertTrue(labels.add(l.getAsJsonObject().get("name").getAsString()), "a label once per issue: " + r.json());
      }
      assertEquals(o.getAsJsonObject("user").get("login").getAsString(), c.value("user_login"));
    }
    int share = pullRequests * 100 / issues.size();
    assertTrue(share >= 30 && share <= 40, "about a third are pull requests: " + share + "%");
  }

  @Test
  void everyRejectReasonOccurs_inAnyFiveBlocks_neverOnUpdatedAt() {
    for (int from = 0; from + 5 <= issues.size() / 100; from++) {
      Set<String> reasons = new TreeSet<>();
      for (GeneratedRecord r : issues.subList(from * 100, from * 100 + 500)) {
        if (r.expected() instanceof Expected.Reject j) {
          reasons.add(j.reason());
          assertFalse(j.field().equals("updated_at"), "the listing is filtered and paged by updated_at");
        }
      }
      assertEquals(Set.of("DUPLICATE_KEY", "INVALID_TIMESTAMP", "MISSING_REQUIRED", "NOT_A_NUMBER", "WRONG_TYPE"), reasons,
          "blocks " + from + " to " + (from + 4));
    }
  }
}
