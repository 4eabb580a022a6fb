package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.Expected;
import io.medallion.local.replay.GeneratedData;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child resource (podcasts' episodes, read per show) is read once per distinct parent: a parent
 * listed twice is not read again, and a parent record without the field its child's path needs is
 * skipped (silver rejects the record itself) while the run goes on; only when no parent has it is
 * the declaration at fault and the run fails.
 */
class ChildResourceTest {

  static final Source PODCASTS = SourceRegistry.standard().find("podcasts").orElseThrow();
  static final URI ORIGIN = URI.create("replay:podcasts?records=40&seed=3");

  @TempDir Path home;

  private LocalPipeline pipeline() throws Exception {
    return new LocalPipeline(MedallionConfig.defaults(), home,
        SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)), l -> l, Clock.systemUTC());
  }

  /** The clean shows of the origin's data that have episodes, with their episode counts. */
  private static Map<String, Integer> showsWithEpisodes(GeneratedData data) {
    List<GeneratedRecord> shows = data.records("shows");
    Map<String, Integer> counts = new TreeMap<>();
    for (GeneratedRecord e : data.records("episodes")) {
      if (shows.get(e.parent()).expected() instanceof Expected.Clean c) {
        counts.merge(c.string("show_id"), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static GeneratedRecord show(GeneratedData data, String id) {
    return data.records("shows").stream()
        .filter(r -> r.expected() instanceof Expected.Clean c && id.equals(c.string("show_id"))).findFirst().orElseThrow();
  }

  private static GeneratedRecord withoutId(GeneratedRecord show) {
    JsonObject o = JsonParser.parseString(show.json()).getAsJsonObject();
    o.remove("id");
    return new GeneratedRecord(o.toString(), new Expected.Reject("MISSING_REQUIRED", "id"));
  }

  private static void run(LocalPipeline p, String runId) throws Exception {
    p.publish(p.config().runRequestsTopic(),
        OutboundMessage.json(new RunRequest("podcasts", runId, null, null, ORIGIN).toJson(), Map.of()));
    assertTrue(p.awaitIdle(Duration.ofMinutes(2)), "pipeline went idle");
  }

  @Test
  void aShowListedTwiceIsReadOnce_andOneWithoutAnId_isSkippedWhileTheRunGoesOn() throws Exception {
    GeneratedData data = RecordGenerator.forSource(PODCASTS).generate(40, 3);
    List<String> ids = new ArrayList<>(showsWithEpisodes(data).keySet());
    String a = ids.get(0);
    String b = ids.get(1);
    try (LocalPipeline p = pipeline()) {
      ReplayServer server = p.endpoints().serverFor(SourceOrigin.replay(ORIGIN).orElseThrow());
      GeneratedRecord showA = show(data, a);
      server.replaceRecords("shows", List.of(showA, withoutId(showA), showA, show(data, b)));
      Map<String, Integer> episodeRequests = new TreeMap<>();
      server.misbehave((request, normal) -> {
        if (request.isPage() && "episodes".equals(request.resource())) {
          synchronized (episodeRequests) {
            episodeRequests.merge(request.placeholders().get("id"), 1, Integer::sum);
          }
        }
        return normal;
      });

      run(p, "children");

      RunSummary s = RunSummary.of("children", p.ledger().events("children"));
      assertTrue(s.succeeded(), s.toString());
      assertEquals(Map.of(a, 1, b, 1), episodeRequests, "each show's episodes read once, none for the show without an id");
      long episodes = showsWithEpisodes(data).get(a) + showsWithEpisodes(data).get(b);
      assertEquals(4 + episodes, s.bronzeRecords());
      assertEquals(2 + episodes, s.silverRows(), "both shows and all their episodes");
      assertEquals(2, s.rejects(), "the show without an id and the repeated show");
      assertEquals(episodes, ((Number) p.warehouse().read(
          "select count(distinct episode_id) from silver_media.podcast_episodes").scalar()).longValue());
    }
  }

  @Test
  void noParentWithTheField_failsTheRunNamingIt() throws Exception {
    GeneratedData data = RecordGenerator.forSource(PODCASTS).generate(40, 3);
    List<String> ids = new ArrayList<>(showsWithEpisodes(data).keySet());
    try (LocalPipeline p = pipeline()) {
      ReplayServer server = p.endpoints().serverFor(SourceOrigin.replay(ORIGIN).orElseThrow());
      server.replaceRecords("shows", List.of(withoutId(show(data, ids.get(0))), withoutId(show(data, ids.get(1)))));

      run(p, "no-parent-ids");

      RunSummary s = RunSummary.of("no-parent-ids", p.ledger().events("no-parent-ids"));
      assertFalse(s.succeeded(), s.toString());
      assertTrue(s.errors().stream().anyMatch(e -> e.contains(
          "none of the 2 records of podcasts/shows has a usable value for resource episodes")), s.errors().toString());
    }
  }
}
