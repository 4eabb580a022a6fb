package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.medallion.event.InvalidEventException;
import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * {@code replay:<source>?records=N&seed=S} starts the generic server for that source of the
 * registry, serving its generated (or recorded) records, and hands the run the credentials the
 * server accepts; a source without replay data is refused with a clear reason.
 */
class ReplayEndpointsTest {

  private static final Secrets DEPLOYED = ref -> "from-the-environment";

  @Test
  void aReplayOrigin_isServedFromTheSourcesGenerator_withCredentialsTheRunCanSend() throws Exception {
    Source pager = TestSources.source("pager");
    try (ReplayEndpoints endpoints = new ReplayEndpoints(TestSources.registry())) {
      URI origin = URI.create("replay:pager?records=40&seed=3");
      URI base = endpoints.resolve(pager, origin);
      assertEquals(base, endpoints.resolve(pager, origin), "one server per origin");
      Secrets secrets = endpoints.secrets(pager, origin, DEPLOYED);
      String key = secrets.value(new SecretRef("PAGER_KEY"));
      assertTrue(key.startsWith("replay-"), key);
      var page = Http.get(base + "/items?size=25&page=2", "X-API-Key", key);
      assertEquals(200, page.statusCode(), page.body());
      assertEquals(40, JsonParser.parseString(page.body()).getAsJsonObject().getAsJsonObject("meta").get("total").getAsInt());
      GeneratedData same = RecordGenerator.forSource(pager).generate(40, 3);
      assertTrue(page.body().contains(PagingStylesTest.array(same.records("items"), 25, 40)), "the origin's records");
      assertSame(DEPLOYED, endpoints.secrets(pager, URI.create("https://pager.example.com"), DEPLOYED));
      assertEquals(URI.create("https://pager.example.com"), endpoints.resolve(pager, URI.create("https://pager.example.com")));
    }
  }

  @Test
  void recordedRecords_ignoreTheRecordsParameter() throws Exception {
    try (ReplayEndpoints endpoints = new ReplayEndpoints(TestSources.registry())) {
      ReplayServer server = endpoints.serverFor(new SourceOrigin.Replay("snapshot", 5, 1));
      assertEquals(296, server.size());
    }
  }

  @Test
  void aSourceWithoutReplayData_anUnknownOne_orAnotherSourcesOrigin_isRefusedClearly() throws Exception {
    try (ReplayEndpoints endpoints = new ReplayEndpoints(TestSources.registry())) {
      InvalidEventException none = assertThrows(InvalidEventException.class,
          () -> endpoints.resolve(TestSources.source("plain"), URI.create("replay:plain?records=5&seed=1")));
      assertTrue(none.getMessage().contains("declares no replay data") && none.getMessage().contains("plain"), none.getMessage());
      InvalidEventException unknown = assertThrows(InvalidEventException.class,
          () -> endpoints.serverFor(new SourceOrigin.Replay("nosuch", 5, 1)));
      assertTrue(unknown.getMessage().contains("names no known source"), unknown.getMessage());
      InvalidEventException other = assertThrows(InvalidEventException.class,
          () -> endpoints.resolve(TestSources.source("pager"), URI.create("replay:feed?records=5&seed=1")));
      assertTrue(other.getMessage().contains("names source feed, not pager"), other.getMessage());
    }
  }

  @Test
  void closedEndpoints_startNoServer() throws Exception {
    ReplayEndpoints endpoints = new ReplayEndpoints(TestSources.registry());
    endpoints.close();
    assertThrows(IOException.class, () -> endpoints.serverFor(new SourceOrigin.Replay("pager", 5, 1)));
  }
}
