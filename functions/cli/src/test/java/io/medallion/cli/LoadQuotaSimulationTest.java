package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.run.RunRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BigQuery allows 1,500 load jobs per table per day. Pushed records reach bronze as the Cloud
 * Storage subscription's files, as many as the push rate makes; silver loads none of them on its
 * own, and each collection (every {@code push.load_every_minutes}) loads all that arrived since the
 * last in one job. Here 24 hours in compressed time on the real pipeline: 10 requests a second of
 * one record each for the first 12 hours (the subscription closes a file a minute), then a rate
 * that fills {@code max_bytes} every 6 seconds (ten files a minute) for the next 12. The load jobs
 * on the table are counted from the ledger: 288 a day (every 5 minutes), whatever the rate, and
 * every record is in silver once.
 */
class LoadQuotaSimulationTest {

  private static final DateTimeFormatter NAME =
      DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/'batch-'yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  @TempDir Path home;
  @TempDir Path sources;

  /** The time the simulation says it is. */
  private static final class SimulatedClock extends Clock {
    volatile Instant now;

    SimulatedClock(Instant start) {
      now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aDayOfPushesAtAnyRate_takesOneLoadJobPerCollection_withinTheTablesDailyQuota() throws Exception {
    PushedTickets.copy(sources,
        "{\"batch\": {\"max_seconds\": 60, \"max_bytes\": 5000}, \"load_every_minutes\": 5}");
    SimulatedClock clock = new SimulatedClock(Instant.parse("2026-12-01T00:00:00Z"));
    int every = 5;
    long records = 0;
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(sources)), home,
        PipelineRuns.fast(), l -> l, clock)) {
      String bucket = p.config().bronzeBucket();
      int file = 0;
      for (int minute = 0; minute < 24 * 60; minute++) {
        // What the subscription writes in this minute: 600 records in one file (max_duration)
        // for the first 12 hours, then ten files of 60 (max_bytes) each minute.
        int files = minute < 12 * 60 ? 1 : 10;
        int perFile = 600 / files;
        for (int f = 0; f < files; f++) {
          Instant start = clock.now.plusSeconds(60L * f / files);
          StringBuilder ndjson = new StringBuilder();
          for (int r = 0; r < perFile; r++) {
            ndjson.append("{\"id\":\"T-").append(records++).append("\",\"status\":\"Open\",\"created_at\":\"")
                .append(start).append("\"}\n");
          }
          p.objects().createIfAbsent(new ObjectId(bucket, "tickets/pushed/" + NAME.format(start) + "-" + (++file) + ".ndjson"),
              "application/x-ndjson", Map.of(), ndjson.toString().getBytes(StandardCharsets.UTF_8));
        }
        clock.now = clock.now.plusSeconds(60);
        if ((minute + 1) % every == 0) {
          // What Cloud Scheduler publishes every load_every_minutes.
          p.publish(p.config().runRequestsTopic(), OutboundMessage.json(
              new RunRequest("tickets", null, null, null, null, null, false, true).toJson(), Map.of("trigger", "schedule")));
          assertTrue(p.awaitIdle(Duration.ofMinutes(1)));
        }
      }
      p.objects().scanOnce();
      assertTrue(p.awaitIdle(Duration.ofMinutes(1)));

      Set<String> loadJobs = new HashSet<>();
      int runs = 0;
      for (String runId : p.ledger().recentRuns(10_000)) {
        runs++;
        for (RunEvent e : p.ledger().events(runId)) {
          if (e.stage() == Stage.SILVER && e.jobId() != null) {
            loadJobs.add(e.jobId());
          }
        }
      }
      assertEquals(file, 12 * 60 + 12 * 60 * 10, "the files the subscription wrote");
      assertEquals(24 * 60 / every, runs, "one run per collection");
      assertEquals(24 * 60 / every, loadJobs.size(), "one load job on silver_sales.tickets per collection");
      assertTrue(loadJobs.size() <= 1500, "within BigQuery's 1,500 load jobs per table per day");
      assertEquals(List.of(List.<Object>of(records, records)),
          p.warehouse().read("select count(*), count(distinct ticket_id) from silver_sales.tickets").rows(),
          "every record pushed is in silver, once");
      assertTrue(p.objects().list(bucket, "tickets/pushed/").isEmpty(), "no file left behind");
    }
  }
}
