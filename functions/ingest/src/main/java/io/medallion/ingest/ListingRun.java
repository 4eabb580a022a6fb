package io.medallion.ingest;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.BronzeLayout.Listing;
import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.ObjectId;
import io.medallion.port.Ports;
import io.medallion.port.StoredObject;
import io.medallion.run.RunRequest;
import io.medallion.source.Deadline;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.SourceOrigin;
import io.medallion.source.rest.FetchedPage;
import io.medallion.source.rest.PageRequest;
import io.medallion.source.rest.ResourceReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/**
 * Reads the listings of one ingest invocation into bronze: each page a create-only object with the
 * metadata that resumes it, each page's checkpoint in the ledger (in batches), pages fetched several
 * at a time where the paging allows it (a page can be asked for by number), one after another where
 * each page names the next.
 *
 * <p>Where a declared total is checked for consistency (Open Brewery DB's {@code /meta}), a total
 * that moves while the listing is read, or pages that do not add up to it, make ingest read the
 * listing again as a new pass, at most {@link #MAX_PASSES} times.
 */
final class ListingRun {

  private static final Logger LOG = Logger.getLogger(ListingRun.class.getName());

  /** How many times one run reads a source that keeps changing before it stops and says so. */
  static final int MAX_PASSES = 3;

  /** How many times a page that repeats the one before it is fetched before the run stops. */
  static final int REPEATED_PAGE_FETCHES = 3;

  /** Page checkpoints go to the ledger in batches of this many (and at the end of each listing). */
  static final int LEDGER_BATCH = 25;

  /** How a listing ended in this invocation. */
  enum Result { DONE, OUT_OF_TIME }

  private final MedallionConfig config;
  private final Ports ports;
  private final Clock clock;
  private final Source source;
  private final RunRequest request;
  private final LocalDate date;
  private final boolean nested;
  private final URI origin;
  private final Deadline deadline;
  private final boolean resumed;
  private final List<RunEvent> pending = new ArrayList<>();
  private int continuesAt = 1;

  ListingRun(MedallionConfig config, Ports ports, Clock clock, Source source, RunRequest request, LocalDate date,
      boolean nested, URI origin, Deadline deadline, boolean resumed) {
    this.config = config;
    this.ports = ports;
    this.clock = clock;
    this.source = source;
    this.request = request;
    this.date = date;
    this.nested = nested;
    this.origin = origin;
    this.deadline = deadline;
    this.resumed = resumed;
  }

  /**
   * Pages in flight at once: what the paging and the declaration allow, at most {@code
   * MEDALLION_INGEST_CONCURRENCY} when it is set (1 reads one page after another).
   */
  private int concurrency(ResourceReader reader) {
    Integer cap = config.ingestConcurrency();
    return cap == null ? reader.maxConcurrency() : Math.max(1, Math.min(cap, reader.maxConcurrency()));
  }

  /** The page a continuation goes on from, for the request's {@code start_page}. */
  int continuesAt() {
    return continuesAt;
  }

  /** Writes the checkpoints gathered so far. */
  void flush() throws IOException {
    if (!pending.isEmpty()) {
      ports.ledger().recordAll(List.copyOf(pending));
      pending.clear();
    }
  }

  /**
   * Reads one listing to its end, or until the invocation's time is up.
   *
   * @param parent the parent's fields the child records carry (JSON), null for a top-level resource
   * @param since the incremental start value, or null
   */
  Result read(Listing listing, String parent, ResourceReader reader, RunPages pages, String since) throws IOException {
    String runId = request.runId();
    String bucket = config.bronzeBucket();
    String runPrefix = BronzeLayout.runPrefix(source.name(), date, runId);
    boolean checked = reader.checksConsistency();
    // People decide after the limit: a resume may always read the source once more.
    int passLimit = resumed ? Math.max(MAX_PASSES, pages.currentPass(listing) + 1) : MAX_PASSES;
    int pass = pages.currentPass(listing);
    OptionalLong total;
    try {
      total = checked ? reader.total() : OptionalLong.empty();
    } catch (OutOfTimeException e) {
      continuesAt = pages.firstMissing(listing, pass);
      return Result.OUT_OF_TIME;
    }
    if (!pages.of(listing, pass).isEmpty() && moved(pages.sourceTotal(listing, pass), total)) {
      pass = nextPass(listing, pass, passLimit,
          "its total moved from " + pages.sourceTotal(listing, pass).getAsLong() + " to " + total.getAsLong()
              + " since pass " + pass + " began");
    } else if (!pages.of(listing, pass).isEmpty()) {
      total = pages.sourceTotal(listing, pass); // the pass goes on under the total it began with
    }
    while (true) {
      Result result = readPass(listing, parent, reader, pages, pass, total, since);
      if (result == Result.OUT_OF_TIME) {
        return result;
      }
      flush();
      if (!checked) {
        return Result.DONE;
      }
      // The last page is read; the pass is a snapshot only if the source held still meanwhile.
      OptionalLong end;
      try {
        end = reader.total();
      } catch (OutOfTimeException e) {
        continuesAt = 1;
        return Result.OUT_OF_TIME;
      }
      RunPages now = RunPages.list(ports.objects(), bucket, runPrefix, runId, nested ? null : listing.resource());
      long read = now.records(listing, pass);
      String inconsistency = moved(total, end)
          ? "its total moved from " + total.getAsLong() + " to " + end.getAsLong() + " during pass " + pass
          : end.isPresent() && read != end.getAsLong()
              ? "pass " + pass + " read " + read + " records but the source lists " + end.getAsLong()
                  + " (a page repeated or skipped records)"
              : null;
      if (inconsistency == null) {
        return Result.DONE;
      }
      // No continuation here even when time is short: a pass exists in bronze only from its
      // first page on, and the loop always writes that one.
      pass = nextPass(listing, pass, passLimit, inconsistency);
      total = end;
      pages = now;
    }
  }

  /** One pass of a listing, from its first missing page to its end. */
  private Result readPass(Listing listing, String parent, ResourceReader reader, RunPages pages, int pass,
      OptionalLong total, String since) throws IOException {
    int start = pages.firstMissing(listing, pass);
    Optional<PageRequest> first;
    if (start == 1) {
      first = Optional.of(reader.first());
    } else if (reader.nth(start).isPresent()) {
      first = reader.nth(start);
    } else {
      // Link and cursor paging: the page before recorded the request that follows it.
      StoredObject before = pages.of(listing, pass).get(start - 1);
      String next = before.metadata().getOrDefault(BronzeLayout.NEXT, "");
      first = next.isEmpty() ? Optional.empty() : Optional.of(new PageRequest(URI.create(next)));
    }
    if (first.isEmpty()) {
      return Result.DONE; // its last page is in bronze already
    }
    byte[] previous = start == 1 ? null : ports.objects().readAllBytes(pages.of(listing, pass).get(start - 1).id());
    Writer writer = new Writer(listing, parent, pass, total, since);
    if (concurrency(reader) > 1 && reader.nth(start).isPresent()) {
      return readConcurrently(reader, pages, listing, pass, start, previous, writer);
    }
    PageRequest next = first.get();
    for (int number = start; ; number++) {
      // Every invocation makes progress on at least one page, so continuations cannot loop.
      if (number > start && deadline.remaining().isZero()) {
        continuesAt = number;
        return Result.OUT_OF_TIME;
      }
      ObjectId pageId = BronzeLayout.page(config.bronzeBucket(), source.name(), date, request.runId(), listing, nested,
          pass, number);
      Optional<StoredObject> existing = ports.objects().stat(pageId);
      if (existing.isPresent()) { // written by a concurrent duplicate delivery
        previous = ports.objects().readAllBytes(pageId);
        String after = existing.get().metadata().getOrDefault(BronzeLayout.NEXT, "");
        if (after.isEmpty()) {
          return Result.DONE;
        }
        next = new PageRequest(URI.create(after));
        continue;
      }
      FetchedPage page;
      try {
        page = fetchNotRepeating(reader, number, next, previous);
      } catch (OutOfTimeException e) {
        // The page was not written: the continuation asks for it again.
        LOG.info(() -> "ingest " + request.runId() + ": " + e.getMessage());
        continuesAt = number;
        return Result.OUT_OF_TIME;
      }
      if (page.isEmpty() && (page.next().isEmpty() || reader.nth(number + 1).isPresent())) {
        return Result.DONE; // past the end: an empty page is not kept
      }
      if (!page.isEmpty()) {
        writer.write(pageId, page, number);
        previous = page.body();
      }
      if (page.next().isEmpty()) {
        return Result.DONE;
      }
      next = page.next().get();
    }
  }

  /**
   * Pages asked for by number, up to the reader's concurrency at once, written in page order as
   * they come (so the repeated-page check and the stop at the first empty page stay exact). Pages
   * in flight past the end are dropped unread.
   */
  private Result readConcurrently(ResourceReader reader, RunPages pages, Listing listing, int pass, int start,
      byte[] previous, Writer writer) throws IOException {
    int inFlight = concurrency(reader);
    ExecutorService pool = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "ingest-page");
      t.setDaemon(true);
      return t;
    });
    Deque<InFlight> window = new ArrayDeque<>();
    int nextToAsk = start;
    boolean exhausted = false; // the paging names no page past maximum_page
    try {
      for (int number = start; ; number++) {
        if (number > start && deadline.remaining().isZero()) {
          continuesAt = number;
          return Result.OUT_OF_TIME;
        }
        while (!exhausted && (window.size() < inFlight && !deadline.remaining().isZero() || window.isEmpty())) {
          int n = nextToAsk++;
          Optional<PageRequest> asked = reader.nth(n);
          if (asked.isEmpty()) {
            exhausted = true;
            break;
          }
          ObjectId id = BronzeLayout.page(config.bronzeBucket(), source.name(), date, request.runId(), listing, nested, pass, n);
          if (pages.of(listing, pass).containsKey(n) || ports.objects().stat(id).isPresent()) {
            window.add(new InFlight(n, id, null));
            continue;
          }
          PageRequest req = asked.get();
          window.add(new InFlight(n, id, CompletableFuture.supplyAsync(() -> {
            try {
              return reader.fetch(n, req);
            } catch (IOException e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          }, pool)));
        }
        InFlight head = window.poll();
        if (head == null) {
          return Result.DONE;
        }
        if (head.future() == null) { // in bronze already (a duplicate delivery wrote it)
          previous = ports.objects().readAllBytes(head.id());
          continue;
        }
        FetchedPage page;
        try {
          page = await(head.future());
          if (previous != null && !page.isEmpty() && Arrays.equals(previous, page.body())) {
            page = fetchNotRepeating(reader, head.number(), reader.nth(head.number()).orElseThrow(), previous);
          }
        } catch (OutOfTimeException e) {
          continuesAt = head.number();
          return Result.OUT_OF_TIME;
        }
        if (page.isEmpty()) {
          return Result.DONE;
        }
        writer.write(head.id(), page, head.number());
        previous = page.body();
        if (page.next().isEmpty()) {
          return Result.DONE; // the paging knows it was the last (a total reached)
        }
      }
    } finally {
      window.forEach(f -> {
        if (f.future() != null) {
          f.future().cancel(true);
        }
      });
      pool.shutdownNow();
    }
  }

  private record InFlight(int number, ObjectId id, CompletableFuture<FetchedPage> future) {}

  private static FetchedPage await(CompletableFuture<FetchedPage> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted while waiting for a page");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  /** Writes a listing's pages and gathers their checkpoints. */
  private final class Writer {
    private final Listing listing;
    private final String parent;
    private final int pass;
    private final OptionalLong total;
    private final String since;

    Writer(Listing listing, String parent, int pass, OptionalLong total, String since) {
      this.listing = listing;
      this.parent = parent;
      this.pass = pass;
      this.total = total;
      this.since = since;
    }

    void write(ObjectId pageId, FetchedPage page, int number) throws IOException {
      String next = page.next().map(PageRequest::toString).orElse("");
      BronzeLayout.PageInfo info = new BronzeLayout.PageInfo(source.name(), request.runId(), listing.resource(),
          listing.parentIndex(), parent, pass, number, page.recordCount(), total, origin, request.pageSize(), next,
          page.maxCursor().orElse(null), since);
      if (ports.objects().createIfAbsent(pageId, "application/json", info.metadata(), page.body()).isPresent()) {
        ports.metrics().records("bronze", source.name(), page.recordCount());
        ports.metrics().bytes("bronze", source.name(), page.body().length);
      }
      String key = (nested ? listing.resource() + "-" : "") + (listing.parentIndex() > 0 ? "parent-" + listing.parentIndex() + "-" : "")
          + (pass == 1 ? "" : "pass-" + pass + "-") + String.format("page-%05d", number);
      pending.add(RunEvent.of(request.runId(), source.name(), Stage.INGEST, Status.CHECKPOINT)
          .key(key)
          .page(number)
          .records(page.recordCount())
          .bytes(page.body().length)
          .gcsBytesWritten(page.body().length)
          .objectUri(pageId.uri())
          .at(clock.instant()));
      if (pending.size() >= LEDGER_BATCH) {
        flush();
      }
    }
  }

  /** True when both totals are known and differ. */
  private static boolean moved(OptionalLong before, OptionalLong now) {
    return before.isPresent() && now.isPresent() && before.getAsLong() != now.getAsLong();
  }

  /**
   * Starts the next pass over the listing, or stops the run when it has read the source {@code
   * limit} times already: a source that never holds still is a clear failure, not an endless loop.
   */
  private int nextPass(Listing listing, int pass, int limit, String why) throws IOException {
    String runId = request.runId();
    if (pass >= limit) {
      flush();
      throw new SourceException(
          source.name() + " at " + SourceOrigin.describe(origin) + " changed while run " + runId + " read it: " + why
              + ". It was read " + pass + " times, the limit; nothing was loaded. When it holds still, `medallion resume "
              + runId + "` reads it once more.",
          origin, 0, pass, false);
    }
    int next = pass + 1;
    LOG.warning(() -> "ingest " + runId + ": " + source.name() + " changed (" + why + "); reading it again as pass " + next);
    pending.add(RunEvent.of(runId, source.name(), Stage.INGEST, Status.CHECKPOINT)
        .key((nested ? listing.resource() + "-" : "") + "pass-" + next)
        .page(1)
        .error("source changed, reading it again as pass " + next + ": " + why)
        .at(clock.instant()));
    flush();
    return next;
  }

  /**
   * Fetches a page, and again when it is byte for byte the page before it: an API that ignores
   * the page number (or a cache that serves a stale page) would otherwise duplicate a page and
   * lose the one that should have come.
   */
  private FetchedPage fetchNotRepeating(ResourceReader reader, int number, PageRequest pageRequest, byte[] previous)
      throws IOException {
    for (int fetch = 1; ; fetch++) {
      FetchedPage page = reader.fetch(number, pageRequest);
      if (previous == null || page.isEmpty() || !Arrays.equals(previous, page.body())) {
        return page;
      }
      if (fetch >= REPEATED_PAGE_FETCHES) {
        flush();
        throw new SourceException(
            "Page " + number + " from " + SourceOrigin.describe(origin) + " came back byte for byte equal to page "
                + (number - 1) + " in " + fetch + " fetches: the API repeated a page. Pages before it are kept; run "
                + request.runId() + " continues at page " + number + " on redelivery or `medallion resume "
                + request.runId() + "`.",
            origin, 200, fetch, true);
      }
      LOG.warning(() -> "ingest " + request.runId() + ": page " + number + " repeats page " + (number - 1) + "; fetching it again");
    }
  }
}
