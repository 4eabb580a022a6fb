package io.medallion.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * A declared {@code requests_per_second} is a promise to the API: every origin keeps it but the
 * embedded replay server, which asked none (a local run of 10,000 podcasts paced at Spotify's 5
 * requests a second would take half an hour).
 */
class RateLimitTest {

  @Test
  void theRealApiAndAnyOtherUrl_keepTheDeclaredRate() {
    assertTrue(IngestStep.honoursRateLimits(URI.create("https://api.spotify.com/v1")));
    assertTrue(IngestStep.honoursRateLimits(URI.create("http://127.0.0.1:8080")));
  }

  @Test
  void theEmbeddedReplayServer_isNotPaced() {
    assertFalse(IngestStep.honoursRateLimits(URI.create("replay:podcasts?records=200&seed=1")));
  }
}
