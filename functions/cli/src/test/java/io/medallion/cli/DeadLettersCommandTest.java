package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.DeadLetters;
import io.medallion.event.PubSubMessage;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.InProcessPubSub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion dead-letters}: list, and replay after a fix. */
class DeadLettersCommandTest {

  @TempDir Path home;

  private CliRun cli(String... args) {
    return CliRun.of(Map.of("MEDALLION_HOME", home.toString()), args);
  }


  private String keep(String data, Map<String, String> attributes) throws Exception {
    Path file = new DeadLetterArchive(home.resolve("dead-letters")).write(
        new PubSubMessage("m" + attributes.hashCode(), data.getBytes(StandardCharsets.UTF_8), attributes, Instant.now()));
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - ".json".length());
  }

  @Test
  void runRequestThatFailedItsRetries_isListedAndReplaysToASuccessfulRun() throws Exception {
    String id = keep("{\"source\":\"breweries\",\"run_id\":\"dl-1\",\"source_url\":\"replay:breweries?records=300&seed=7\"}", Map.of(
        InProcessPubSub.SOURCE_SUBSCRIPTION_ATTRIBUTE, "ingest",
        InProcessPubSub.LAST_ERROR_ATTRIBUTE, "GET http://127.0.0.1:9/v1/breweries failed after 5 attempts"));
    CliRun list = cli("dead-letters");
    assertTrue(list.all().contains(id) && list.all().contains("run-requests") && list.all().contains("GET http://127.0.0.1:9/v1/breweries"), list.all());

    CliRun replay = cli("dead-letters", "--replay", id);
    assertEquals(0, replay.code(), replay.all());
    assertTrue(replay.all().contains("replayed " + id + " to run-requests") && replay.all().contains("0 dead letter(s) now"), replay.all());
    CliRun status = cli("status", "dl-1");
    assertEquals(0, status.code(), status.all());
    assertTrue(status.all().contains("bronze records 300 = silver rows"), status.all());
    assertTrue(cli("dead-letters").all().contains("0 rows"));
  }

  @Test
  void messageThatIsStillBad_comesBackAsADeadLetter() throws Exception {
    String id = keep("{\"source\":\"nope\"}", Map.of(DeadLetters.FUNCTION, "ingest", DeadLetters.ERROR, "Unknown source 'nope'"));
    CliRun replay = cli("dead-letters", "--replay", id);
    assertEquals(1, replay.code(), replay.all());
    CliRun list = cli("dead-letters");
    assertTrue(list.all().contains("Unknown source 'nope'") && list.all().contains("1 row"), list.all());
  }

  @Test
  void unknownId_isAUsageError() {
    CliRun r = cli("dead-letters", "--replay", "nope");
    assertEquals(2, r.code());
    assertTrue(r.all().contains("no dead letter 'nope'"), r.all());
  }
}
