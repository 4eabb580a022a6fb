package io.medallion.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.BronzeLayout.Listing;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.MessageBus;
import io.medallion.port.Ports;
import io.medallion.port.StoredObject;
import io.medallion.run.RunRequest;
import io.medallion.source.Deadline;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.SourceRegistry;
import io.medallion.source.rest.FetchedPage;
import io.medallion.source.rest.PageRequest;
import io.medallion.source.rest.ResourceReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One listing read into bronze: time running out, pages in flight at once, repeated pages. */
class ListingRunTest {

  @TempDir Path home;
  DirectoryObjectStore objects;
  DuckDbWarehouse warehouse;
  Ports ports;
  final MedallionConfig config = MedallionConfig.defaults();
  final Source source = SourceRegistry.standard().find("breweries").orElseThrow();
  final LocalDate date = LocalDate.parse("2026-12-04");
  final URI origin = URI.create("http://api.example.com");
  final Listing listing = Listing.of("breweries");

  @BeforeEach
  void open() throws Exception {
    objects = new DirectoryObjectStore(home.resolve("buckets"));
    warehouse = new DuckDbWarehouse(home.resolve("w.duckdb"), id -> null, (job, uris) -> {});
    warehouse.ensureDataset("ops");
    MessageBus none = (topic, message) -> "m";
    ports = new Ports(objects, none, warehouse, new DuckDbRunLedger(warehouse, "ops"));
  }

  @AfterEach
  void close() throws Exception {
    warehouse.close();
  }

  /** A source of {@code pages} pages of 2 records, asked for by number; page numbers in {@code slow} run out of time once. */
  private class Numbered implements ResourceReader {
    final int pages;
    final Set<Integer> slow = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final int concurrency;

    Numbered(int pages, int concurrency) {
      this.pages = pages;
      this.concurrency = concurrency;
    }

    @Override
    public PageRequest first() {
      return nth(1).orElseThrow();
    }

    @Override
    public Optional<PageRequest> nth(int number) {
      return Optional.of(new PageRequest(URI.create(origin + "/items?page=" + number)));
    }

    @Override
    public FetchedPage fetch(int number, PageRequest request) throws IOException {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(20);
        if (slow.remove(number)) {
          throw new OutOfTimeException(request.url(), "a wait of 300000 ms would cross the deadline");
        }
        String body = number > pages ? "[]" : "[{\"id\":\"" + number + "a\"},{\"id\":\"" + number + "b\"}]";
        return new FetchedPage(number, body.getBytes(StandardCharsets.UTF_8), number > pages ? 0 : 2,
            nth(number + 1), Optional.empty(), OptionalLong.empty());
      } catch (InterruptedException e) {
        throw new java.io.InterruptedIOException();
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public OptionalLong total() {
      return OptionalLong.empty();
    }

    @Override
    public boolean checksConsistency() {
      return false;
    }

    @Override
    public int maxConcurrency() {
      return concurrency;
    }
  }

  private ListingRun run(Duration budget) {
    RunRequest request = new RunRequest("breweries", "r1", null, date, origin, null);
    return new ListingRun(config, ports, Clock.systemUTC(), source, request, date, false, origin,
        Deadline.in(budget, Clock.systemUTC()), false);
  }

  private RunPages pages() throws IOException {
    return RunPages.list(objects, config.bronzeBucket(), BronzeLayout.runPrefix("breweries", date, "r1"), "r1", "breweries");
  }

  @Test
  void aPageThatRunsOutOfTime_isNotWritten_andTheNextInvocationStartsAtIt() throws Exception {
    Numbered reader = new Numbered(5, 1);
    reader.slow.add(3);
    ListingRun first = run(Duration.ofMinutes(1));
    assertEquals(ListingRun.Result.OUT_OF_TIME, first.read(listing, null, reader, pages(), null));
    first.flush();
    assertEquals(3, first.continuesAt());
    assertEquals(Set.of(1, 2), pages().of(listing, 1).keySet());

    ListingRun second = run(Duration.ofMinutes(1));
    assertEquals(ListingRun.Result.DONE, second.read(listing, null, reader, pages(), null));
    second.flush();
    assertEquals(Set.of(1, 2, 3, 4, 5), pages().of(listing, 1).keySet(), "page 3 read in the next invocation");
    List<RunEvent> checkpoints = ports.ledger().events("r1");
    assertEquals(5, checkpoints.size(), "a checkpoint per page, none for the page that ran out of time");
  }

  @Test
  void pagesAskedForByNumber_areFetchedSeveralAtOnce_andWrittenInOrder() throws Exception {
    Numbered reader = new Numbered(12, 4);
    ListingRun run = run(Duration.ofMinutes(1));
    assertEquals(ListingRun.Result.DONE, run.read(listing, null, reader, pages(), null));
    run.flush();
    assertTrue(reader.maxInFlight.get() > 1 && reader.maxInFlight.get() <= 4, "in flight at most: " + reader.maxInFlight.get());
    List<StoredObject> written = List.copyOf(pages().of(listing, 1).values());
    assertEquals(12, written.size());
    for (int i = 0; i < written.size(); i++) {
      assertEquals(Integer.toString(i + 1), written.get(i).metadata().get(BronzeLayout.PAGE));
    }
    assertEquals(12, ports.ledger().events("r1").size());
  }

  @Test
  void aPageRepeatingThePageBefore_isFetchedAgain_thenFailsTheRunClearly() throws Exception {
    ResourceReader repeating = new Numbered(5, 1) {
      @Override
      public FetchedPage fetch(int number, PageRequest request) throws IOException {
        FetchedPage p = super.fetch(Math.min(number, 2), request);
        return new FetchedPage(number, p.body(), p.recordCount(), nth(number + 1), Optional.empty(), OptionalLong.empty());
      }
    };
    SourceException e = assertThrows(SourceException.class,
        () -> run(Duration.ofMinutes(1)).read(listing, null, repeating, pages(), null));
    assertTrue(e.getMessage().contains("Page 3") && e.getMessage().contains("byte for byte equal to page 2"), e.getMessage());
    assertEquals(Set.of(1, 2), pages().of(listing, 1).keySet(), "the repeat is not stored");
  }
}
