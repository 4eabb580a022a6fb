package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.InvalidEventException;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SourceOriginTest {

  @Test
  void replayUris_roundTripWithTheirDefaults() throws Exception {
    SourceOrigin.Replay r = SourceOrigin.replay(URI.create("replay:breweries?records=300&seed=7")).orElseThrow();
    assertEquals(new SourceOrigin.Replay("breweries", 300, 7), r);
    assertEquals(URI.create("replay:breweries?records=300&seed=7"), r.toUri());
    assertEquals(new SourceOrigin.Replay("breweries", 10_000, 42),
        SourceOrigin.replay(URI.create("replay:breweries")).orElseThrow());
    assertTrue(SourceOrigin.replay(URI.create("https://api.openbrewerydb.org")).isEmpty());
    assertEquals("embedded replay server: 300 generated records, seed 7",
        SourceOrigin.describe(URI.create("replay:breweries?records=300&seed=7")));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://user:secret@api.example.com", "ftp://api.example.com", "file:///etc/passwd", "https://",
      "https://api.example.com/v1?token=abc", "replay:Breweries", "replay:breweries?records=-1",
      "replay:breweries?rows=5", "replay:breweries?records=many", "javascript:alert(1)"})
  void unusableOrigins_areRefusedWithTheReason(String url) {
    InvalidEventException e = assertThrows(InvalidEventException.class, () -> SourceOrigin.parse(url));
    assertFalse(e.getMessage().contains("secret"), "never repeats a password: " + e.getMessage());
  }

  @Test
  void aConfiguredReplay_meansEachSourcesOwnGeneratedData_aUrlIsKeptAsItIs() {
    // serve's default (replay:breweries?...) must not send a podcasts run to breweries' data.
    assertEquals(URI.create("replay:podcasts?records=300&seed=7"),
        SourceOrigin.forSource(URI.create("replay:breweries?records=300&seed=7"), "podcasts"));
    assertEquals(URI.create("https://mirror.example.com"),
        SourceOrigin.forSource(URI.create("https://mirror.example.com"), "podcasts"));
  }

  @Test
  void sameOrigin_ignoresATrailingSlashAndTheHostsCase() {
    assertTrue(SourceOrigin.same(URI.create("https://API.example.com/"), URI.create("https://api.example.com")));
    assertFalse(SourceOrigin.same(URI.create("https://api.example.com/v1"), URI.create("https://api.example.com/v2")));
    assertFalse(SourceOrigin.same(URI.create("http://api.example.com"), URI.create("https://api.example.com")));
  }

  @Test
  void deployedEndpoints_acceptOnlyTheSourcesOwnUrlOrTheConfiguredOne() throws Exception {
    Source breweries = SourceRegistry.standard().find("breweries").orElseThrow();
    SourceEndpoints deployed = SourceEndpoints.configured(URI.create("https://mirror.example.com"));
    assertEquals(URI.create("https://api.openbrewerydb.org/"),
        deployed.resolve(breweries, URI.create("https://api.openbrewerydb.org/")));
    assertEquals(URI.create("https://mirror.example.com"), deployed.resolve(breweries, URI.create("https://mirror.example.com")));
    InvalidEventException other = assertThrows(InvalidEventException.class,
        () -> deployed.resolve(breweries, URI.create("https://attacker.example.com")));
    assertTrue(other.getMessage().contains("reads breweries only from https://api.openbrewerydb.org or https://mirror.example.com"),
        other.getMessage());
    assertThrows(InvalidEventException.class, () -> deployed.resolve(breweries, URI.create("replay:breweries")));
  }
}
