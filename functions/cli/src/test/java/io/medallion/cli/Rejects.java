package io.medallion.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The rejects silver wrote for one run of a source, read from the local staging bucket. */
final class Rejects {

  private Rejects() {}

  /** Every reject line of every table and generation of {@code runId}, as JSON. */
  static List<JsonObject> of(LocalPipeline p, String source, String runId) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    Path staging = p.layout().buckets().resolve(p.config().stagingBucket()).resolve(source).resolve("run_id=" + runId);
    try (Stream<Path> files = Files.walk(staging)) {
      for (Path f : files.filter(x -> x.getFileName().toString().equals("rejects.ndjson")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            out.add(JsonParser.parseString(line).getAsJsonObject());
          }
        }
      }
    }
    return out;
  }
}
