package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.deploy.Repository;
import io.medallion.gold.GoldStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The freshness alert counts gold's success line through a log-based metric in
 * terraform/logging.tf: the line gold logs after a successful run must match that metric's filter
 * (its severity and its regular expression), or the alert would fire every day.
 */
class GoldLogMatchesTerraformMetricTest {

  @TempDir Path home;

  @Test
  void goldSuccessLine_matchesTheGoldRunsSucceededMetric() throws Exception {
    String logging = Files.readString(Repository.root().resolve("terraform").resolve("logging.tf"));
    Matcher metric = Pattern.compile(
        "resource \"google_logging_metric\" \"gold_runs_succeeded\" \\{[\\s\\S]*?severity=(\\w+)\\s+jsonPayload\\.message=~\"([^\"]+)\"")
        .matcher(logging);
    assertTrue(metric.find(), "terraform/logging.tf has no gold_runs_succeeded metric with severity and message filters");
    Level severity = Level.parse(metric.group(1));
    Pattern message = Pattern.compile(metric.group(2));

    Logger gold = Logger.getLogger(GoldStep.class.getName());
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override public void publish(LogRecord r) { records.add(r); }
      @Override public void flush() {}
      @Override public void close() {}
    };
    gold.addHandler(capture);
    try {
      CliRun run = CliRun.of(Map.of("MEDALLION_HOME", home.toString()), "-v", "run", "--records", "400", "--page-size", "100");
      assertEquals(0, run.code(), run.all());
    } finally {
      gold.removeHandler(capture);
    }
    List<LogRecord> matching = records.stream()
        .filter(r -> r.getLevel().equals(severity) && message.matcher(r.getMessage()).matches()).toList();
    assertEquals(1, matching.size(), "gold lines matching severity " + severity + " and /" + message + "/ in one run: "
        + records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
  }
}
