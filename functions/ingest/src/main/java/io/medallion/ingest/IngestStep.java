package io.medallion.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.BronzeLayout.Listing;
import io.medallion.bronze.Manifest;
import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.PubSubMessage;
import io.medallion.ledger.RunEvent;
import io.medallion.ledger.Stage;
import io.medallion.ledger.Status;
import io.medallion.logging.LogContext;
import io.medallion.metrics.Metrics;
import io.medallion.port.Lazy;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.Ports;
import io.medallion.port.StoredObject;
import io.medallion.run.RunIds;
import io.medallion.run.RunRequest;
import io.medallion.source.Deadline;
import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceEndpoints;
import io.medallion.source.SourceException;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import io.medallion.source.rest.ReadSettings;
import io.medallion.source.rest.Readers;
import io.medallion.source.rest.Records;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Ingest: pulls every page of every resource of a declared source into bronze, checkpointing each
 * page, and writes the run's manifest last. A child resource is read once per record of its parent
 * whose placeholder values it has not read yet; a parent record without them is skipped.
 *
 * <p>Idempotent: pages are create-only objects, so a redelivered request skips what exists and
 * continues where the last attempt stopped (for link and cursor paging, from the next request the
 * last page recorded). Before the function's time limit it publishes a continuation request and
 * returns. A request naming several sources fans out into one run per source.
 */
public final class IngestStep {

  private static final Logger LOG = Logger.getLogger(IngestStep.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

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
  private final io.medallion.lineage.StepLineage lineage;
  /** Built on the first read: a request refused before any read (an unknown source) loads no TLS (~0.1 s of a cold start). */
  private final Lazy<HttpClient> http = Lazy.of(() -> HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build());

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
    this.lineage = new io.medallion.lineage.StepLineage(config, ports, sources);
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
    /** A collection run of a pushed source found nothing pushed since the last: no run. */
    NOTHING_PUSHED,
    /** A request for several sources: one run request per source is published. */
    FANNED_OUT,
    /** A request that can never run (bad JSON, unknown source): dead-lettered. */
    REJECTED,
    /** The source failed for good: recorded in the ledger and dead-lettered. */
    FAILED
  }

  /**
   * When the invocation on this thread began (System.nanoTime): the ingest succeeded event carries
   * the wall time of the invocation that finished the run, for its cost (instance_ms).
   */
  private static final ThreadLocal<Long> INVOCATION_STARTED = new ThreadLocal<>();

  /** Handles one run-request message; throws only for faults worth a retry. */
  public Outcome handle(PubSubMessage message) throws IOException {
    INVOCATION_STARTED.set(System.nanoTime());
    try {
      return handleTimed(message);
    } finally {
      INVOCATION_STARTED.remove();
    }
  }

  private Outcome handleTimed(PubSubMessage message) throws IOException {
    RunRequest request;
    Source source;
    try {
      var fanOut = RunRequest.parseFanOut(message.data());
      if (fanOut.isPresent()) {
        return fanOut(message, fanOut.get());
      }
      request = RunRequest.parse(message.data());
      source = sources.find(request.source()).orElseThrow(() -> new InvalidEventException(
          "Unknown source '" + request.source() + "': declared sources are " + sources.names()));
      if (source.isFileSource() || source.streams()) {
        throw new InvalidEventException(fileSourceIsNotPulled(source));
      }
      if (collects(request, source) && source.push() == null) {
        throw new InvalidEventException("source " + source.name() + " declares no push: nothing is pushed to it to collect");
      }
    } catch (InvalidEventException e) {
      return reject(message, null, e.getMessage());
    }
    String runId =
        request.runId() != null ? request.runId() : RunIds.forMessage(message.publishTime(), message.messageId());
    LocalDate date =
        request.ingestDate() != null
            ? request.ingestDate()
            : LocalDate.ofInstant(message.publishTime(), ZoneOffset.UTC);
    LogContext.run(runId, source.name());
    RunRequest resolved = request.withRunId(runId);
    if (collects(request, source)) {
      return collect(source, resolved, date);
    }
    try {
      return run(source, resolved, date, "resume".equals(message.attributes().get("trigger")));
    } catch (WrongOriginException e) {
      // Reading from anywhere but the run's own source would mix data or send credentials to a
      // host the deployment does not name: refused for good, never retried, never defaulted.
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.FAILED)
              .key("origin-" + clock.millis())
              .error(e.getMessage())
              .at(clock.instant()));
      lineage.fail(clock.instant(), source, runId, io.medallion.lineage.StepLineage.ingestJob(source.name()),
          e.getMessage(), null, ev -> {});
      LOG.severe(() -> "ingest " + runId + ": " + e.getMessage());
      return reject(message, source.name(), e.getMessage());
    } catch (FailedRun f) {
      SourceException e = f.failure;
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.FAILED)
              .key(Long.toString(clock.millis()))
              .error(e.getMessage())
              .at(clock.instant()));
      // Sent for every failed attempt, retryable or not: each is a failure of the same run.
      lineage.fail(clock.instant(), source, runId, io.medallion.lineage.StepLineage.ingestJob(source.name()),
          e.getMessage(), e, ev -> {
            if (f.request.sourceUrl() != null) {
              ev.input(io.medallion.lineage.OpenLineage.http(f.request.sourceUrl()));
            }
          });
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

  /** Whether a request collects pushed files: it asks to, or its source has nothing to pull. */
  private static boolean collects(RunRequest request, Source source) {
    return request.pushed() || (source.client() == null && source.push() != null);
  }

  /**
   * A collection run ({@link PushedCollection}): the files pushes left in bronze become the pages
   * of its manifest, which silver loads in one job per table. Nothing pushed: no run at all.
   */
  private Outcome collect(Source source, RunRequest request, LocalDate date) throws IOException {
    String runId = request.runId();
    ObjectId manifestId = BronzeLayout.manifest(config.bronzeBucket(), source.name(), date, runId);
    Optional<Outcome> done = alreadyComplete(source, runId, manifestId);
    if (done.isPresent()) {
      return done.get();
    }
    List<Manifest.PageEntry> pages = new PushedCollection(ports.objects(), config.bronzeBucket(), config.stagingBucket(), clock)
        .collect(source, date, runId, manifestId);
    if (pages.isEmpty()) {
      LOG.info(() -> "collection " + runId + ": nothing was pushed to " + source.name() + " since the last collection");
      return Outcome.NOTHING_PUSHED;
    }
    // A collection is a run only once something was pushed: its START, then (manifest written) COMPLETE.
    ObjectId collected = new ObjectId(manifestId.bucket(), manifestId.name().substring(0, manifestId.name().lastIndexOf('/')));
    lineage.emit(io.medallion.lineage.OpenLineage.EventType.START, clock.instant(), source, runId,
        io.medallion.lineage.StepLineage.ingestJob(source.name()),
        ev -> ev.input(io.medallion.lineage.OpenLineage.pubSubTopic(config.project(), config.pushTopic(source.name())))
            .output(io.medallion.lineage.OpenLineage.gcs(collected)));
    long records = pages.stream().mapToLong(Manifest.PageEntry::records).sum();
    long bytes = pages.stream().mapToLong(Manifest.PageEntry::bytes).sum();
    Manifest manifest = new Manifest(source.name(), runId, date.toString(), pages, records, bytes, clock.instant().toString(), null);
    ports.objects().createIfAbsent(
        manifestId, "application/json", BronzeLayout.manifestMetadata(source.name(), runId), manifest.toJson());
    recordSucceeded(source, runId, pages.size(), records, bytes, manifestId,
        io.medallion.lineage.OpenLineage.pubSubTopic(config.project(), config.pushTopic(source.name())));
    ports.metrics().records("ingest", source.name(), records);
    LOG.info(() -> "collection " + runId + ": " + pages.size() + " pushed files, " + records + " records, manifest " + manifestId);
    return Outcome.COMPLETE;
  }

  /** Why a run request names a file source (or a push-only one) in vain. */
  public static String fileSourceIsNotPulled(Source source) {
    if (source.isPushOnly()) {
      return "source " + source.name() + " is pushed to, not pulled: nothing to read. Its records arrive at the webhook"
          + " (POST /v1/sources/" + source.name() + "/records, or ./medallion post --source " + source.name() + " FILE)"
          + (source.streams() ? " and stream into silver; its gold runs on its schedule (./medallion run --source "
              + source.name() + " builds it now)"
              : " and are loaded every " + source.push().loadEveryMinutes() + " min (./medallion run --source " + source.name()
                  + " loads them now)");
    }
    return "source " + source.name() + " reads files, not an API: nothing to pull. Its files load when dropped into"
        + " the bronze bucket's " + source.drops().inbox() + " (gcloud storage cp FILE gs://<bronze>/" + source.drops().inbox()
        + ", or ./medallion drop --source " + source.name() + " FILE)";
  }

  private Outcome reject(PubSubMessage message, String source, String reason) throws IOException {
    LOG.severe(() -> "ingest: message " + message.messageId() + " rejected: " + reason);
    DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "ingest", message, reason);
    ports.metrics().deadLetter("ingest", source);
    return Outcome.REJECTED;
  }

  /**
   * One run request per source named, each an independent run: its own run id (derived from this
   * message and the source, so a redelivery publishes the same runs again, which continue), ledger
   * rows, bronze prefix, load and gold. A name no declaration has rejects the whole message before
   * anything is published.
   */
  private Outcome fanOut(PubSubMessage message, RunRequest.FanOut fanOut) throws IOException, InvalidEventException {
    // "all" is every source ingest pulls: a file source's files are loaded when they are dropped.
    List<String> names = fanOut.all()
        ? sources.names().stream().filter(n -> !sources.find(n).orElseThrow().isFileSource()
            && !sources.find(n).orElseThrow().isPushOnly()).toList()
        : fanOut.sources();
    for (String name : names) {
      if (sources.find(name).isEmpty()) {
        throw new InvalidEventException("Unknown source '" + name + "' in sources: declared sources are " + sources.names());
      }
      if (sources.find(name).get().isFileSource() || sources.find(name).get().isPushOnly()) {
        throw new InvalidEventException(fileSourceIsNotPulled(sources.find(name).get()));
      }
    }
    for (String name : names) {
      RunRequest one = new RunRequest(name, RunIds.forMessage(message.publishTime(), message.messageId() + "/" + name),
          null, fanOut.ingestDate(), null, null, fanOut.fullRefresh());
      ports.bus().publish(config.runRequestsTopic(), OutboundMessage.json(one.toJson(), Map.of("trigger", "fan-out")));
    }
    LOG.info(() -> "ingest: message " + message.messageId() + " started runs of " + names);
    return Outcome.FANNED_OUT;
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
  static final class WrongOriginException extends IOException {
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
        : config.sourceUrl() != null ? SourceOrigin.forSource(config.sourceUrl(), source.name()) : source.defaultBaseUrl();
    try {
      return SourceOrigin.check(origin);
    } catch (InvalidEventException e) {
      throw new WrongOriginException("run " + request.runId() + ": " + e.getMessage());
    }
  }

  /**
   * The run's page size: the one its request names, else its pages', else the deployment's
   * override, else (null) each resource's declared one. Page numbers mean nothing under another
   * size, so a run keeps one.
   */
  private Integer pageSize(RunRequest request, RunPages pages) throws IOException {
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
    return requested != null ? requested : recorded.isPresent() ? Integer.valueOf(recorded.getAsInt()) : config.ingestPageSize();
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

  /** Whether requests to {@code origin} keep the declared rate limit: all but the embedded replay server's. */
  static boolean honoursRateLimits(URI origin) {
    return !SourceOrigin.isReplay(origin);
  }

  private Outcome run(Source source, RunRequest request, LocalDate date, boolean resumed) throws IOException {
    String runId = request.runId();
    String bucket = config.bronzeBucket();
    ObjectId manifestId = BronzeLayout.manifest(bucket, source.name(), date, runId);
    Optional<Outcome> done = alreadyComplete(source, runId, manifestId);
    if (done.isPresent()) {
      return done.get();
    }
    // No page starts after the budget; a request may run until it ends, but always gets enough
    // time to finish one page, so that every invocation makes progress.
    Deadline deadline = Deadline.in(budget, clock);
    Deadline requests = Deadline.in(budget.compareTo(MIN_REQUEST_TIME) < 0 ? MIN_REQUEST_TIME : budget, clock);
    String runPrefix = BronzeLayout.runPrefix(source.name(), date, runId);
    boolean nested = source.resources().size() > 1;
    RunPages pages = RunPages.list(ports.objects(), bucket, runPrefix, runId,
        nested ? null : source.resources().get(0).name());
    URI origin = origin(source, request, pages);
    Integer pageSize = pageSize(request, pages);
    RunRequest resolved = request.withSourceUrl(origin).withPageSize(pageSize);
    URI baseUrl;
    Secrets runSecrets;
    try {
      baseUrl = endpoints.resolve(source, origin);
      runSecrets = endpoints.secrets(source, origin, ports.secrets());
    } catch (InvalidEventException e) {
      throw new WrongOriginException("run " + runId + ": " + e.getMessage());
    }
    // Recorded before the source is first asked anything: whatever fails next, the ledger says
    // where this run reads from, and resume reads from there.
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.INGEST, Status.STARTED)
            .key("invocation-" + pagesSoFar(pages) + "-pages")
            .page(pagesSoFar(pages) + 1)
            .objectUri(origin.toString())
            .at(clock.instant()));
    if (pagesSoFar(pages) == 0) {
      ObjectId bronzeRun = new ObjectId(bucket, runPrefix.endsWith("/") ? runPrefix.substring(0, runPrefix.length() - 1) : runPrefix);
      lineage.emit(io.medallion.lineage.OpenLineage.EventType.START, clock.instant(), source, runId,
          io.medallion.lineage.StepLineage.ingestJob(source.name()),
          ev -> ev.input(io.medallion.lineage.OpenLineage.http(origin)).output(io.medallion.lineage.OpenLineage.gcs(bronzeRun)));
    }
    RetryPolicy retry = RetryPolicy.defaults();
    // A declared rate limit is a promise to the real API; the embedded replay server asked none, and
    // pacing a local run of 10,000 podcasts at Spotify's rate would take half an hour.
    boolean paced = honoursRateLimits(origin);
    RetryPolicy counted = retry.withDeadline(requests).withSleeper(new RetryPolicy.Sleeper() {
      @Override
      public void sleep(java.time.Duration wait) throws InterruptedException {
        // Every wait precedes exactly one retry of a request.
        ports.metrics().retry("ingest", source.name());
        retry.sleeper().sleep(wait);
      }

      @Override
      public void pace(java.time.Duration wait) throws InterruptedException {
        if (paced) {
          retry.sleeper().sleep(wait); // a declared rate limit: no retry
        }
      }
    });
    Redactor redactor = new Redactor();
    ListingRun listings = new ListingRun(config, ports, clock, source, resolved, date, nested, origin, deadline,
        resumed);
    try {
      for (Source.Resource resource : source.resources()) {
        String since = since(source, resource, pages, resolved);
        if (resource.parent() == null) {
          ReadSettings settings = new ReadSettings(baseUrl, pageSize, counted, Map.of(), since, runSecrets, redactor, http.get());
          if (listings.read(Listing.of(resource.name()), null, Readers.open(source, resource, settings), pages, since)
              == ListingRun.Result.OUT_OF_TIME) {
            continueLater(resolved, date, listings.continuesAt());
            return Outcome.CONTINUED;
          }
          pages = RunPages.list(ports.objects(), bucket, runPrefix, runId, nested ? null : source.resources().get(0).name());
          continue;
        }
        int index = 0;
        List<JsonNode> parents = parentRecords(source, resource, pages);
        // The parents' values already read: a parent listed twice (a search page repeating an
        // earlier result) would read the very same child listing again, every record of it a
        // duplicate in silver.
        Set<Map<String, String>> read = new HashSet<>();
        List<String> unusable = new ArrayList<>();
        for (JsonNode parent : parents) {
          index++;
          Map<String, String> values = new LinkedHashMap<>();
          for (Map.Entry<String, String> f : resource.parent().fields().entrySet()) {
            String v = Records.text(parent, f.getValue()).orElse(null);
            if (v == null) {
              // The child listing of this record cannot be named. The record itself is in bronze,
              // and silver rejects it when the field is its key; the run goes on with the others.
              unusable.add("parent record " + index + " of " + source.name() + "/" + resource.parent().resource()
                  + " has no usable field " + f.getValue() + " for {" + f.getKey() + "} of resource " + resource.name());
              values = null;
              break;
            }
            values.put(f.getKey(), v);
          }
          if (values == null || !read.add(values)) {
            continue;
          }
          ObjectNode include = JSON.createObjectNode();
          for (String field : resource.parent().include()) {
            include.set(field, Records.at(parent, field).orElse(NullNode.getInstance()));
          }
          ReadSettings settings = new ReadSettings(baseUrl, pageSize, counted, values, since, runSecrets, redactor, http.get());
          if (listings.read(new Listing(resource.name(), index), include.toString(), Readers.open(source, resource, settings),
              pages, since) == ListingRun.Result.OUT_OF_TIME) {
            continueLater(resolved, date, listings.continuesAt());
            return Outcome.CONTINUED;
          }
        }
        if (!unusable.isEmpty() && unusable.size() == parents.size()) {
          // Not one parent names its children: the declaration's parent.fields are wrong, not the data.
          throw new SourceException("none of the " + parents.size() + " records of " + source.name() + "/"
              + resource.parent().resource() + " has a usable value for resource " + resource.name() + " ("
              + unusable.get(0) + ")", baseUrl, 0, 0, false);
        }
        unusable.forEach(u -> LOG.warning(() -> "ingest " + runId + ": " + u + "; its " + resource.name() + " are not read"));
        pages = RunPages.list(ports.objects(), bucket, runPrefix, runId, nested ? null : source.resources().get(0).name());
      }
    } catch (SourceException e) {
      listings.flush();
      throw new FailedRun(e, resolved);
    } finally {
      listings.flush();
    }
    writeManifest(source, resolved, date, manifestId, nested);
    return Outcome.COMPLETE;
  }

  /** How many pages the run has (its listings' current passes): where an invocation begins. */
  private static int pagesSoFar(RunPages pages) {
    int n = 0;
    for (Listing l : pages.listings()) {
      n += pages.of(l, pages.currentPass(l)).size();
    }
    return n;
  }

  /**
   * Where an incremental resource reads from: what its pages recorded (a resumed run keeps its
   * start), else the declared initial value on a full refresh, else the newest high-water mark of
   * a run that succeeded, else the initial value. Null for a resource read whole.
   */
  private String since(Source source, Source.Resource resource, RunPages pages, RunRequest request) throws IOException {
    Source.Incremental inc = resource.endpoint().incremental();
    if (inc == null) {
      return null;
    }
    var recorded = pages.since(resource.name());
    if (recorded.isPresent()) {
      return recorded.get();
    }
    if (request.fullRefresh()) {
      return inc.initialValue();
    }
    return ports.ledger().watermark(source.name(), resource.name()).orElse(inc.initialValue());
  }

  /** The records of a parent listing, in page order: what its child resource is read for. */
  private List<JsonNode> parentRecords(Source source, Source.Resource child, RunPages pages) throws IOException {
    Source.Resource parent = source.resource(child.parent().resource()).orElseThrow();
    Listing listing = Listing.of(parent.name());
    List<JsonNode> out = new ArrayList<>();
    for (StoredObject page : pages.of(listing, pages.currentPass(listing)).values()) {
      for (JsonNode record : Records.of(ports.objects().readAllBytes(page.id()), parent.endpoint().dataSelector())) {
        if (record.isObject()) {
          out.add(record);
        }
      }
    }
    return out;
  }

  private void writeManifest(Source source, RunRequest request, LocalDate date, ObjectId manifestId, boolean nested)
      throws IOException {
    String runId = request.runId();
    String prefix = BronzeLayout.runPrefix(source.name(), date, runId);
    RunPages pages = RunPages.list(ports.objects(), config.bronzeBucket(), prefix, runId,
        nested ? null : source.resources().get(0).name());
    List<Manifest.PageEntry> entries = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    Map<String, String> marks = new LinkedHashMap<>();
    List<Listing> listings = new ArrayList<>(pages.listings());
    listings.sort(java.util.Comparator.comparing((Listing l) -> source.resources().indexOf(
        source.resource(l.resource()).orElseThrow())).thenComparing(Listing::parentIndex));
    for (Listing listing : listings) {
      int pass = pages.currentPass(listing);
      int expected = 1;
      for (StoredObject o : pages.of(listing, pass).values()) {
        int number = Integer.parseInt(o.metadata().get(BronzeLayout.PAGE));
        if (number != expected++) {
          // A missing page would silently lose records: fail loudly and let the retry refetch it.
          throw new IOException("Run " + runId + " has no page " + (expected - 1) + " of " + listing + " in pass " + pass
              + " under " + prefix);
        }
        long n = Long.parseLong(o.metadata().get(BronzeLayout.RECORDS));
        entries.add(new Manifest.PageEntry(number, o.id().name(), o.generation(), n, o.size(), o.md5(),
            listing.resource(), listing.parentIndex(), o.metadata().get(BronzeLayout.PARENT)));
        records += n;
        bytes += o.size();
        Source.Incremental inc = source.resource(listing.resource()).orElseThrow().endpoint().incremental();
        if (inc != null) {
          String since = o.metadata().get(BronzeLayout.SINCE);
          String mark = max(inc.compare(), marks.get(listing.resource()), since);
          marks.put(listing.resource(), max(inc.compare(), mark, o.metadata().get(BronzeLayout.MAX_CURSOR)));
        }
      }
    }
    for (Source.Resource r : source.resources()) {
      if (r.endpoint().incremental() != null && !marks.containsKey(r.name())) {
        // Nothing new: the mark stays where this run started.
        marks.put(r.name(), since(source, r, pages, request));
      }
    }
    Manifest manifest =
        new Manifest(source.name(), runId, date.toString(), entries, records, bytes, clock.instant().toString(),
            request.sourceUrl().toString());
    ports.objects().createIfAbsent(
        manifestId, "application/json", BronzeLayout.manifestMetadata(source.name(), runId), manifest.toJson());
    for (Map.Entry<String, String> mark : marks.entrySet()) {
      // Counts only once the run succeeds: the next run reads from the newest mark of a successful run.
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.CHECKPOINT)
              .key("watermark-" + mark.getKey())
              .watermark(mark.getValue())
              .objectUri(manifestId.uri())
              .at(clock.instant()));
    }
    recordSucceeded(source, runId, entries.size(), records, bytes, manifestId,
        io.medallion.lineage.OpenLineage.http(request.sourceUrl()));
    long total = records;
    LOG.info(() -> "ingest " + runId + ": " + entries.size() + " pages, " + total + " records, manifest " + manifestId);
  }

  /**
   * COMPLETE when the run's manifest exists, recorded again (same event id, so at most once): a
   * crash between the manifest and its ledger event would otherwise leave the run looking
   * unfinished forever.
   */
  private Optional<Outcome> alreadyComplete(Source source, String runId, ObjectId manifestId) throws IOException {
    if (ports.objects().stat(manifestId).isEmpty()) {
      return Optional.empty();
    }
    Manifest done;
    try {
      done = Manifest.parse(ports.objects().readAllBytes(manifestId), manifestId.uri());
    } catch (InvalidEventException e) {
      throw new IOException("Run " + runId + " has an unreadable manifest: " + e.getMessage(), e);
    }
    recordSucceeded(source, runId, done.pages().size(), done.records(), done.bytes(), manifestId,
        done.sourceUrl() != null ? io.medallion.lineage.OpenLineage.http(URI.create(done.sourceUrl()))
            : io.medallion.lineage.OpenLineage.pubSubTopic(config.project(), config.pushTopic(source.name())));
    LOG.info(() -> "ingest " + runId + ": already complete (" + manifestId + " exists)");
    return Optional.of(Outcome.COMPLETE);
  }

  /** The greater of two cursor values as the resource compares them (either may be null). */
  private static String max(Source.Incremental.Compare how, String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Records.compare(a, b, how) >= 0 ? a : b;
  }

  private void recordSucceeded(Source source, String runId, long pages, long records, long bytes, ObjectId manifestId,
      io.medallion.lineage.OpenLineage.Dataset input) throws IOException {
    RunEvent.Builder done = RunEvent.of(runId, source.name(), Stage.INGEST, Status.SUCCEEDED)
        .page(pages)
        .records(records)
        .bytes(bytes)
        .objectUri(manifestId.uri());
    Long started = INVOCATION_STARTED.get();
    if (started != null) {
      // Only the invocation that finished the run: a run continued across invocations under-counts
      // the earlier ones (sql/ops/README.md).
      done.instanceMs(java.time.Duration.ofNanos(System.nanoTime() - started).toMillis());
    }
    ports.ledger().record(done.at(clock.instant()));
    // The run's bronze objects as one dataset, the folder its manifest is in (silver reads it as one).
    ObjectId bronzeRun = new ObjectId(manifestId.bucket(), manifestId.name().substring(0, manifestId.name().lastIndexOf('/')));
    lineage.emit(io.medallion.lineage.OpenLineage.EventType.COMPLETE, clock.instant(), source, runId,
        io.medallion.lineage.StepLineage.ingestJob(source.name()),
        ev -> ev.input(input).output(io.medallion.lineage.OpenLineage.gcs(bronzeRun)
            .with("outputStatistics", io.medallion.lineage.OpenLineage.outputStatistics(records, bytes, pages))));
  }

  /** A continuation: the same run, from where its bronze pages end. */
  private void continueLater(RunRequest request, LocalDate date, int page) throws IOException {
    RunRequest next = request.continuingAt(page, date);
    ports.bus().publish(
        config.runRequestsTopic(), OutboundMessage.json(next.toJson(), Map.of("trigger", "continuation")));
    LOG.info(() -> "ingest " + request.runId() + ": time budget used, continuing in a new invocation");
  }
}
