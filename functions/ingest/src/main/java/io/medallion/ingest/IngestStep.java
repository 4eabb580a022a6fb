package io.medallion.ingest;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.Manifest;
import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.PubSubMessage;
import io.medallion.ledger.RunEvent;
import io.medallion.metrics.Metrics;
import io.medallion.logging.LogContext;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.Ports;
import io.medallion.port.StoredObject;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.Page;
import io.medallion.source.PageReader;
import io.medallion.source.Deadline;
import io.medallion.source.OutOfTimeException;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.SourceEndpoints;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * Ingest: pulls every page of a source into bronze, checkpointing each page, and writes the run's
 * manifest last.
 *
 * <p>Idempotent: pages are create-only objects, so a redelivered request skips what exists and
 * continues where the last attempt stopped. Before the function's time limit it publishes a
 * continuation request for the next page and returns.
 */
public final class IngestStep {

  private static final Logger LOG = Logger.getLogger(IngestStep.class.getName());

  /** How many times one run reads a source that keeps changing before it stops and says so. */
  static final int MAX_PASSES = 3;

  /** How many times a page that repeats the one before it is fetched before the run stops. */
  static final int REPEATED_PAGE_FETCHES = 3;

  /**
   * Cloud Run functions stop event handlers at 540 s; leave room for the manifest. No request or
   * retry wait runs past it: the source's client is given the time that is left.
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(480);

  /** The least time the requests of an invocation get, however small the budget (tests make it tiny). */
  static final Duration MIN_REQUEST_TIME = Duration.ofSeconds(60);

  private final MedallionConfig config;
  private final Ports ports;
  private final SourceRegistry sources;
  private final Clock clock;
  private final Duration budget;
  private final SourceEndpoints endpoints;

  /** As deployed: reads a source only from its own URL or the configured one. */
  public IngestStep(MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock, Duration budget) {
    this(config, ports, sources, clock, budget, SourceEndpoints.configured(config.sourceUrl()));
  }

  /**
   * @param endpoints which origins runs may read from and where their requests go (the local
   *     pipeline serves {@code replay:} origins)
   */
  public IngestStep(
      MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock, Duration budget,
      SourceEndpoints endpoints) {
    this.config = config;
    this.ports = ports;
    this.sources = sources;
    this.clock = clock;
    this.budget = budget;
    this.endpoints = endpoints;
  }

  /** The meters this step records into; its function flushes them after every event. */
  public Metrics metrics() {
    return ports.metrics();
  }

  /** What happened to a run request. */
  public enum Outcome {
    /** The manifest is written (now or before). */
    COMPLETE,
    /** The time budget ran out; a continuation request carries on. */
    CONTINUED,
    /** A request that can never run (bad JSON, unknown source): dead-lettered. */
    REJECTED,
    /** The source failed for good: recorded in the ledger and dead-lettered. */
    FAILED
  }

  /** Handles one run-request message; throws only for faults worth a retry. */
  public Outcome handle(PubSubMessage message) throws IOException {
    RunRequest request;
    Source source;
    try {
      request = RunRequest.parse(message.data());
      source =
          sources.find(request.source()).orElseThrow(() -> new InvalidEventException(
              "Unknown source '" + request.source() + "': registered sources are " + sources.names()));
    } catch (InvalidEventException e) {
      LOG.severe(() -> "ingest: message " + message.messageId() + " rejected: " + e.getMessage());
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "ingest", message, e.getMessage());
      ports.metrics().deadLetter("ingest", null);
      return Outcome.REJECTED;
    }
    String runId =
        request.runId() != null ? request.runId() : RunIds.forMessage(message.publishTime(), message.messageId());
    LocalDate date =
        request.ingestDate() != null
            ? request.ingestDate()
            : LocalDate.ofInstant(message.publishTime(), ZoneOffset.UTC);
    LogContext.run(runId, source.name());
    RunRequest resolved = request.withRunId(runId);
    try {
      return run(source, resolved, date, "resume".equals(message.attributes().get("trigger")));
    } catch (WrongOriginException e) {
      // Reading from anywhere but the run's own source would mix data or send credentials to a
      // host the deployment does not name: refused for good, never retried, never defaulted.
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.FAILED)
              .key("origin-" + Long.toString(clock.millis()))
              .error(e.getMessage())
              .at(clock.instant()));
      LOG.severe(() -> "ingest " + runId + ": " + e.getMessage());
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "ingest", message, e.getMessage());
      ports.metrics().deadLetter("ingest", source.name());
      return Outcome.REJECTED;
    } catch (FailedRun f) {
      SourceException e = f.failure;
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.FAILED)
              .key(Long.toString(clock.millis()))
              .error(e.getMessage())
              .at(clock.instant()));
      if (e.retryable()) {
        throw e;
      }
      // Kept as the run it started (its id and source URL filled in), so a replay after the fix
      // continues this run from this source and nothing else.
      PubSubMessage kept = new PubSubMessage(message.messageId(),
          f.request.toJson().getBytes(StandardCharsets.UTF_8), message.attributes(), message.publishTime());
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "ingest", kept, e.getMessage());
      ports.metrics().deadLetter("ingest", source.name());
      return Outcome.FAILED;
    }
  }

  /** A source failure, with the run's request as ingest resolved it (run id and source URL). */
  private static final class FailedRun extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient SourceException failure;
    private final transient RunRequest request;

    FailedRun(SourceException failure, RunRequest request) {
      super(failure.getMessage(), failure);
      this.failure = failure;
      this.request = request;
    }
  }

  /** A run asked to read from an origin it may not: not its own, or not one this deployment reads. */
  private static final class WrongOriginException extends IOException {
    private static final long serialVersionUID = 1L;

    WrongOriginException(String message) {
      super(message);
    }
  }

  /**
   * Where a run reads from: the URL its request names, else the one its bronze pages or its
   * ledger recorded, else the deployment's. A request naming another URL than the run's own
   * is refused.
   */
  private URI origin(Source source, RunRequest request, RunPages pages) throws IOException {
    URI recorded;
    try {
      recorded = pages.origin().orElse(null);
    } catch (IllegalStateException e) {
      throw new WrongOriginException("run " + request.runId() + " " + e.getMessage());
    }
    if (recorded == null && request.runId() != null) {
      // No page yet: the ledger may still know (a run that failed on its first request).
      recorded = recordedOrigin(request.runId());
    }
    URI requested = request.sourceUrl();
    if (requested != null && recorded != null && !SourceOrigin.same(requested, recorded)) {
      throw new WrongOriginException(
          "run " + request.runId() + " reads " + source.name() + " from " + SourceOrigin.describe(recorded)
              + "; this request names " + SourceOrigin.describe(requested)
              + ". A run reads from one source only: resume it without another URL, or start a new run.");
    }
    URI origin = requested != null ? requested
        : recorded != null ? recorded
        : config.sourceUrl() != null ? config.sourceUrl() : source.defaultBaseUrl();
    try {
      return SourceOrigin.check(origin);
    } catch (InvalidEventException e) {
      throw new WrongOriginException("run " + request.runId() + ": " + e.getMessage());
    }
  }

  /**
   * The run's page size: the one its request names, else its pages', else the deployment's. Page
   * numbers mean nothing under another size, so a run keeps one.
   */
  private int pageSize(RunRequest request, RunPages pages) throws IOException {
    OptionalInt recorded;
    try {
      recorded = pages.pageSize();
    } catch (IllegalStateException e) {
      throw new WrongOriginException("run " + request.runId() + " " + e.getMessage());
    }
    Integer requested = request.pageSize();
    if (requested != null && recorded.isPresent() && requested != recorded.getAsInt()) {
      throw new WrongOriginException("run " + request.runId() + " reads pages of " + recorded.getAsInt()
          + " records; this request asks for " + requested + ". A run keeps one page size: resume it without"
          + " another, or start a new run.");
    }
    int size = requested != null ? requested : recorded.isPresent() ? recorded.getAsInt() : config.ingestPageSize();
    if (size > MedallionConfig.MAX_PAGE_SIZE) {
      throw new WrongOriginException("run " + request.runId() + " asks for pages of " + size + " records; at most "
          + MedallionConfig.MAX_PAGE_SIZE + " are allowed");
    }
    return size;
  }

  /** The origin the run's first ingest event recorded, if the run has begun. */
  private URI recordedOrigin(String runId) throws IOException {
    for (RunEvent e : ports.ledger().events(runId)) {
      if (e.stage() == Stage.INGEST && e.status() == Status.STARTED && e.objectUri() != null) {
        try {
          return new URI(e.objectUri());
        } catch (java.net.URISyntaxException bad) {
          throw new WrongOriginException("run " + runId + " recorded an unreadable source URL " + e.objectUri());
        }
      }
    }
    return null;
  }

  private Outcome run(Source source, RunRequest request, LocalDate date, boolean resumed) throws IOException {
    String runId = request.runId();
    String bucket = config.bronzeBucket();
    ObjectId manifestId = BronzeLayout.manifest(bucket, source.name(), date, runId);
    if (ports.objects().stat(manifestId).isPresent()) {
      // Already complete. Record it again (same event id, so at most once): a crash between the
      // manifest and its ledger event would otherwise leave the run looking unfinished forever.
      Manifest done;
      try {
        done = Manifest.parse(ports.objects().readAllBytes(manifestId), manifestId.uri());
      } catch (InvalidEventException e) {
        throw new IOException("Run " + runId + " has an unreadable manifest: " + e.getMessage(), e);
      }
      recordSucceeded(source, runId, done.pages().size(), done.records(), done.bytes(), manifestId);
      LOG.info(() -> "ingest " + runId + ": already complete (" + manifestId + " exists)");
      return Outcome.COMPLETE;
    }
    // No page starts after the budget; a request may run until it ends, but always gets enough
    // time to finish one page, so that every invocation makes progress.
    Deadline deadline = Deadline.in(budget, clock);
    Deadline requests = Deadline.in(budget.compareTo(MIN_REQUEST_TIME) < 0 ? MIN_REQUEST_TIME : budget, clock);
    String runPrefix = BronzeLayout.runPrefix(source.name(), date, runId);
    RunPages pages = RunPages.list(ports.objects(), bucket, runPrefix, runId);
    URI origin = origin(source, request, pages);
    int pageSize = pageSize(request, pages);
    request = request.withSourceUrl(origin).withPageSize(pageSize);
    URI baseUrl;
    try {
      baseUrl = endpoints.resolve(source, origin);
    } catch (InvalidEventException e) {
      throw new WrongOriginException("run " + runId + ": " + e.getMessage());
    }
    RetryPolicy retry = RetryPolicy.defaults();
    PageReader reader = source.pages(baseUrl, pageSize,
        retry.withDeadline(requests).withSleeper(wait -> {
          // Every wait precedes exactly one retry of a request.
          ports.metrics().retry("ingest", source.name());
          retry.sleeper().sleep(wait);
        }));
    try {
      return read(source, request, date, resumed, pages, reader, origin, deadline);
    } catch (SourceException e) {
      throw new FailedRun(e, request);
    }
  }

  private Outcome read(Source source, RunRequest request, LocalDate date, boolean resumed, RunPages pages,
      PageReader reader, URI origin, Deadline deadline) throws IOException {
    String runId = request.runId();
    String bucket = config.bronzeBucket();
    String runPrefix = BronzeLayout.runPrefix(source.name(), date, runId);
    ObjectId manifestId = BronzeLayout.manifest(bucket, source.name(), date, runId);
    // People decide after the limit: a resume may always read the source once more.
    int passLimit = resumed ? Math.max(MAX_PASSES, pages.currentPass() + 1) : MAX_PASSES;
    int pass = pages.currentPass();
    // Recorded before the source is first asked anything: whatever fails next, the ledger says
    // where this run reads from, and resume reads from there.
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.INGEST, Status.STARTED)
            .key((pass == 1 ? "" : "pass-" + pass + "-") + "from-page-" + pages.firstMissing(pass))
            .page(pages.firstMissing(pass))
            .objectUri(origin.toString())
            .at(clock.instant()));
    OptionalLong total;
    try {
      total = reader.total();
    } catch (OutOfTimeException e) {
      continueLater(request, date, pages.firstMissing(pass));
      return Outcome.CONTINUED;
    }
    if (!pages.of(pass).isEmpty() && moved(pages.sourceTotal(pass), total)) {
      pass = nextPass(source, runId, pass, passLimit, origin,
          "its total moved from " + pages.sourceTotal(pass).getAsLong() + " to " + total.getAsLong()
              + " since pass " + pass + " began");
    } else if (!pages.of(pass).isEmpty()) {
      total = pages.sourceTotal(pass); // the pass goes on under the total it began with
    }
    int startPage = pages.firstMissing(pass);
    while (true) {
      byte[] previous = startPage == 1 ? null
          : ports.objects().readAllBytes(BronzeLayout.page(bucket, source.name(), date, runId, pass, startPage - 1));
      for (int number = startPage; ; number++) {
        // Every invocation makes progress on at least one page, so continuations cannot loop.
        if (number > startPage && deadline.remaining().isZero()) {
          continueLater(request, date, number);
          return Outcome.CONTINUED;
        }
        ObjectId pageId = BronzeLayout.page(bucket, source.name(), date, runId, pass, number);
        if (ports.objects().stat(pageId).isPresent()) {
          previous = ports.objects().readAllBytes(pageId); // written by a concurrent duplicate delivery
          continue;
        }
        Page page;
        try {
          page = fetchNotRepeating(reader, number, previous, runId, origin);
        } catch (OutOfTimeException e) {
          // The page was not written: the continuation asks for it again.
          LOG.info(() -> "ingest " + runId + ": " + e.getMessage());
          continueLater(request, date, number);
          return Outcome.CONTINUED;
        }
        if (page.isEmpty()) {
          break;
        }
        int n = number;
        if (ports.objects().createIfAbsent(
            pageId, "application/json",
            BronzeLayout.pageMetadata(source.name(), runId, pass, number, page.recordCount(), total, origin,
                request.pageSize()), page.body())
            .isPresent()) {
          ports.metrics().records("bronze", source.name(), page.recordCount());
          ports.metrics().bytes("bronze", source.name(), page.body().length);
        }
        ports.ledger().record(
            RunEvent.of(runId, source.name(), Stage.INGEST, Status.CHECKPOINT)
                .key((pass == 1 ? "" : "pass-" + pass + "-") + String.format("page-%05d", number))
                .page(number)
                .records(page.recordCount())
                .bytes(page.body().length)
                .objectUri(pageId.uri())
                .at(clock.instant()));
        LOG.fine(() -> "ingest " + runId + ": page " + n + " (" + page.recordCount() + " records)");
        previous = page.body();
      }
      // The last page is read; the pass is a snapshot only if the source held still meanwhile.
      OptionalLong end;
      try {
        end = reader.total();
      } catch (OutOfTimeException e) {
        continueLater(request, date, startPage);
        return Outcome.CONTINUED;
      }
      long read = RunPages.list(ports.objects(), bucket, runPrefix, runId).records(pass);
      String inconsistency = moved(total, end)
          ? "its total moved from " + total.getAsLong() + " to " + end.getAsLong() + " during pass " + pass
          : end.isPresent() && read != end.getAsLong()
              ? "pass " + pass + " read " + read + " records but the source lists " + end.getAsLong()
                  + " (a page repeated or skipped records)"
              : null;
      if (inconsistency == null) {
        break;
      }
      // No continuation here even when time is short: a pass exists in bronze only from its
      // first page on, and the loop always writes that one.
      pass = nextPass(source, runId, pass, passLimit, origin, inconsistency);
      total = end;
      startPage = 1;
    }
    writeManifest(source, runId, date, pass, manifestId, origin);
    return Outcome.COMPLETE;
  }

  /** True when both totals are known and differ. */
  private static boolean moved(OptionalLong before, OptionalLong now) {
    return before.isPresent() && now.isPresent() && before.getAsLong() != now.getAsLong();
  }

  /**
   * Starts the next pass over the source, or stops the run when it has read the source {@code
   * limit} times already: a source that never holds still is a clear failure, not an endless loop.
   */
  private int nextPass(Source source, String runId, int pass, int limit, URI origin, String why)
      throws IOException {
    if (pass >= limit) {
      throw new SourceException(
          source.name() + " at " + SourceOrigin.describe(origin) + " changed while run " + runId + " read it: " + why + ". It was read "
              + pass + " times, the limit; nothing was loaded. When it holds still, `medallion resume " + runId
              + "` reads it once more.",
          origin, 0, pass, false);
    }
    int next = pass + 1;
    LOG.warning(() -> "ingest " + runId + ": " + source.name() + " changed (" + why + "); reading it again as pass " + next);
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.INGEST, Status.CHECKPOINT)
            .key("pass-" + next)
            .page(1)
            .error("source changed, reading it again as pass " + next + ": " + why)
            .at(clock.instant()));
    return next;
  }

  /**
   * Fetches a page, and again when it is byte for byte the page before it: an API that ignores
   * the page number (or a cache that serves a stale page) would otherwise duplicate a page and
   * lose the one that should have come.
   */
  private Page fetchNotRepeating(PageReader reader, int number, byte[] previous, String runId, URI origin)
      throws IOException {
    for (int fetch = 1; ; fetch++) {
      Page page = reader.fetch(number);
      if (previous == null || page.isEmpty() || !Arrays.equals(previous, page.body())) {
        return page;
      }
      if (fetch >= REPEATED_PAGE_FETCHES) {
        throw new SourceException(
            "Page " + number + " from " + SourceOrigin.describe(origin) + " came back byte for byte equal to page " + (number - 1) + " in "
                + fetch + " fetches: the API repeated a page. Pages before it are kept; run " + runId
                + " continues at page " + number + " on redelivery or `medallion resume " + runId + "`.",
            origin, 200, fetch, true);
      }
      LOG.warning(() -> "ingest " + runId + ": page " + number + " repeats page " + (number - 1) + "; fetching it again");
    }
  }

  private void writeManifest(Source source, String runId, LocalDate date, int pass, ObjectId manifestId, URI origin)
      throws IOException {
    String prefix = BronzeLayout.runPrefix(source.name(), date, runId);
    List<Manifest.PageEntry> pages = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    int expected = 1;
    for (StoredObject o : RunPages.list(ports.objects(), config.bronzeBucket(), prefix, runId).of(pass).values()) {
      int number = Integer.parseInt(o.metadata().get(BronzeLayout.PAGE));
      if (number != expected++) {
        // A missing page would silently lose records: fail loudly and let the retry refetch it.
        throw new IOException("Run " + runId + " has no page " + (expected - 1) + " in pass " + pass + " under " + prefix);
      }
      long n = Long.parseLong(o.metadata().get(BronzeLayout.RECORDS));
      pages.add(new Manifest.PageEntry(number, o.id().name(), o.generation(), n, o.size(), o.md5()));
      records += n;
      bytes += o.size();
    }
    Manifest manifest =
        new Manifest(source.name(), runId, date.toString(), pages, records, bytes, clock.instant().toString(),
            origin.toString());
    ports.objects().createIfAbsent(
        manifestId, "application/json", BronzeLayout.manifestMetadata(source.name(), runId), manifest.toJson());
    recordSucceeded(source, runId, pages.size(), records, bytes, manifestId);
    long total = records;
    LOG.info(() -> "ingest " + runId + ": " + pages.size() + " pages, " + total + " records, manifest " + manifestId);
  }

  private void recordSucceeded(Source source, String runId, long pages, long records, long bytes, ObjectId manifestId)
      throws IOException {
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.INGEST, Status.SUCCEEDED)
            .page(pages)
            .records(records)
            .bytes(bytes)
            .objectUri(manifestId.uri())
            .at(clock.instant()));
  }

  private void continueLater(RunRequest request, LocalDate date, int nextPage) throws IOException {
    RunRequest next = request.continuingAt(nextPage, date);
    ports.bus().publish(
        config.runRequestsTopic(), OutboundMessage.json(next.toJson(), Map.of("trigger", "continuation")));
    LOG.info(() -> "ingest " + request.runId() + ": time budget used, continuing at page " + nextPage);
  }
}
