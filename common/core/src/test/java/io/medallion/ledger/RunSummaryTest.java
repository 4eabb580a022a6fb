package io.medallion.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

  private static final Instant AT = Instant.parse("2026-11-23T09:00:00Z");

  /** A dropped file's run in which every stage succeeded, silver with {@code rows} rows and {@code rejects} rejects. */
  private static RunSummary dropRun(long rows, long rejects) {
    String run = "drop-0123456789abcdef";
    return RunSummary.of(run, List.of(
        RunEvent.of(run, "breweries", Stage.SILVER, Status.SUCCEEDED).records(rows + rejects).rows(rows).rejects(rejects).at(AT),
        RunEvent.of(run, "breweries", Stage.SILVER_LOAD, Status.SUCCEEDED).at(AT),
        RunEvent.of(run, "breweries", Stage.GOLD, Status.SUCCEEDED).at(AT),
        RunEvent.of(run, "breweries", Stage.DQ, Status.SUCCEEDED).at(AT)));
  }

  @Test
  void everyRecordRejected_isNoSuccess_andSaysSo() {
    RunSummary s = dropRun(0, 3);
    assertFalse(s.succeeded(), s.toString());
    assertEquals(List.of("silver: every record was rejected (3 rejects)"), s.errors());
    assertTrue(s.reconciled(), "the counts still add up");
  }

  @Test
  void oneRecordKept_orNoRecordAtAll_isASuccess() {
    RunSummary kept = dropRun(1, 3);
    assertTrue(kept.succeeded(), kept.toString());
    assertEquals(List.of(), kept.errors());
    RunSummary empty = dropRun(0, 0);
    assertTrue(empty.succeeded(), "an empty file rejects nothing: " + empty);
  }
}
