package io.medallion.slo;

import io.medallion.domain.Domain;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.QueryResult;
import io.medallion.port.RunLedger;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Each declared domain's service level indicators, from the run ledger (freshness: gold builds) and
 * {@code ops.dq_results} (quality: check results), against the objectives its declaration states
 * ({@link Domain.Slo}). {@code ./medallion status} prints {@link #statuses()}; the definitions are
 * in {@link FreshnessDays} and {@link SloStatus}.
 */
public final class DomainSlos {

  /** The lookback of the burn rate {@code status} shows. */
  public static final int BURN_WINDOW_DAYS = 7;

  private final SourceRegistry sources;
  private final RunLedger ledger;
  private final Warehouse warehouse;
  private final TableId dqResults;
  private final Clock clock;

  /** @param dqResults the data-quality results table, {@code <ops>.dq_results} */
  public DomainSlos(SourceRegistry sources, RunLedger ledger, Warehouse warehouse, TableId dqResults, Clock clock) {
    this.sources = sources;
    this.ledger = ledger;
    this.warehouse = warehouse;
    this.dqResults = dqResults;
    this.clock = clock;
  }

  /** Freshness then quality, for every declared domain in declaration order. */
  public List<SloStatus> statuses() throws IOException {
    List<SloStatus> rows = new ArrayList<>();
    for (Domain d : sources.domains()) {
      rows.add(freshness(d));
      rows.add(quality(d));
    }
    return rows;
  }

  /** The domain's freshness over the settled days of its window. */
  public SloStatus freshness(Domain domain) throws IOException {
    Domain.Freshness f = domain.slo().freshness();
    Instant now = clock.instant();
    LocalDate through = FreshnessDays.lastSettledDay(f.goldBy(), now);
    LocalDate from = through.minusDays(f.windowDays() - 1L);
    // One window more than counted: a domain that built before the window counts all of it.
    Map<String, List<Instant>> successes = successes(domain, from.minusDays(f.windowDays()));
    SortedMap<LocalDate, Boolean> days = FreshnessDays.days(f.goldBy(), successes, from, through);
    LocalDate recentFrom = through.minusDays(Math.min(BURN_WINDOW_DAYS, f.windowDays()) - 1L);
    long good = days.values().stream().filter(b -> b).count();
    SortedMap<LocalDate, Boolean> recent = days.tailMap(recentFrom);
    return new SloStatus(domain.name(), SloStatus.Kind.FRESHNESS, f.objective(), f.windowDays(), good, days.size(),
        recent.values().stream().filter(b -> b).count(), recent.size(), Math.min(BURN_WINDOW_DAYS, f.windowDays()));
  }

  /** The domain's data-quality check results over the last window_days × 24 h. */
  public SloStatus quality(Domain domain) throws IOException {
    Domain.Quality q = domain.slo().quality();
    Instant now = clock.instant();
    int burnDays = Math.min(BURN_WINDOW_DAYS, q.windowDays());
    long[] all = checks(domain, now.minus(Duration.ofDays(q.windowDays())), now);
    long[] recent = checks(domain, now.minus(Duration.ofDays(burnDays)), now);
    return new SloStatus(domain.name(), SloStatus.Kind.QUALITY, q.objective(), q.windowDays(), all[0], all[1],
        recent[0], recent[1], burnDays);
  }

  /**
   * The freshness day verdicts the successful gold build of {@code source} recorded at {@code at}
   * settles ({@link FreshnessDays#settledBy}): what the gold function counts as metrics.
   */
  public SortedMap<LocalDate, Boolean> settledBy(Source source, Instant at) throws IOException {
    Domain domain = sources.domainOf(source);
    Domain.Freshness f = domain.slo().freshness();
    LocalDate day = FreshnessDays.dayOf(at);
    return FreshnessDays.settledBy(f.goldBy(), f.windowDays(), source.name(), at,
        successes(domain, day.minusDays(2L * f.windowDays())));
  }

  /** When each source of the domain built gold successfully, since the start of {@code from}. */
  private Map<String, List<Instant>> successes(Domain domain, LocalDate from) throws IOException {
    Map<String, List<Instant>> bySource = new LinkedHashMap<>();
    Instant since = from.atStartOfDay().toInstant(ZoneOffset.UTC);
    for (Source s : sources.sourcesOf(domain.name())) {
      bySource.put(s.name(), ledger.sourceEvents(s.name(), Stage.GOLD, Status.SUCCEEDED, since).stream()
          .map(RunEvent::recordedAt).toList());
    }
    return bySource;
  }

  /** {passing, all} check results of the domain's sources checked in [since, until]. */
  private long[] checks(Domain domain, Instant since, Instant until) throws IOException {
    long passing = 0;
    long all = 0;
    for (Source s : sources.sourcesOf(domain.name())) {
      QueryResult r = warehouse.read(
          "select count(*) as checks, sum(case when failing_rows = 0 then 1 else 0 end) as passing"
              + " from " + dqResults.sql()
              + " where source = @source and checked_at >= @since and checked_at <= @until",
          Map.of("source", s.name(), "since", since, "until", until));
      List<Object> row = r.rows().get(0);
      all += row.get(0) == null ? 0 : ((Number) row.get(0)).longValue();
      passing += row.get(1) == null ? 0 : ((Number) row.get(1)).longValue();
    }
    return new long[] {passing, all};
  }
}
