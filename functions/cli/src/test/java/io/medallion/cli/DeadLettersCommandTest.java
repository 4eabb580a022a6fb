package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.DeadLetters;
import io.medallion.event.PubSubMessage;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.pubsub.InProcessPubSub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code medallion dead-letters}: list, and replay after a fix. */
class DeadLettersCommandTest {

  @TempDir Path home;

  private record Result(int code, String out) {}

  private Result cli(String... args) {
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
      return new Result(Main.run(Map.of("MEDALLION_HOME", home.toString()), args), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
  }

  private String keep(String data, Map<String, String> attributes) throws Exception {
    Path file = new DeadLetterArchive(home.resolve("dead-letters")).write(
        new PubSubMessage("m" + attributes.hashCode(), data.getBytes(StandardCharsets.UTF_8), attributes, Instant.now()));
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - ".json".length());
  }

  @Test
  void runRequestThatFailedItsRetries_isListedAndReplaysToASuccessfulRun() throws Exception {
    String id = keep("{\"source\":\"breweries\",\"run_id\":\"dl-1\"}", Map.of(
        InProcessPubSub.SOURCE_SUBSCRIPTION_ATTRIBUTE, "ingest",
        InProcessPubSub.LAST_ERROR_ATTRIBUTE, "GET http://127.0.0.1:9/v1/breweries failed after 5 attempts"));
    Result list = cli("dead-letters");
    assertTrue(list.out().contains(id) && list.out().contains("run-requests") && list.out().contains("GET http://127.0.0.1:9/v1/breweries"), list.out());

    Result replay = cli("dead-letters", "--replay", id, "--records", "300");
    assertEquals(0, replay.code(), replay.out());
    assertTrue(replay.out().contains("replayed " + id + " to run-requests") && replay.out().contains("0 dead letter(s) now"), replay.out());
    Result status = cli("status", "dl-1");
    assertEquals(0, status.code(), status.out());
    assertTrue(status.out().contains("bronze records 300 = silver rows"), status.out());
    assertTrue(cli("dead-letters").out().contains("0 rows"));
  }

  @Test
  void messageThatIsStillBad_comesBackAsADeadLetter() throws Exception {
    String id = keep("{\"source\":\"nope\"}", Map.of(DeadLetters.FUNCTION, "ingest", DeadLetters.ERROR, "Unknown source 'nope'"));
    Result replay = cli("dead-letters", "--replay", id);
    assertEquals(1, replay.code(), replay.out());
    Result list = cli("dead-letters");
    assertTrue(list.out().contains("Unknown source 'nope'") && list.out().contains("1 row"), list.out());
  }

  @Test
  void unknownId_isAUsageError() {
    Result r = cli("dead-letters", "--replay", "nope");
    assertEquals(2, r.code());
    assertTrue(r.out().contains("no dead letter 'nope'"), r.out());
  }
}
