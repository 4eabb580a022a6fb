package io.medallion.ingest;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.Manifest;
import io.medallion.config.MedallionConfig;
import io.medallion.event.DeadLetters;
import io.medallion.event.InvalidEventException;
import io.medallion.event.PubSubMessage;
import io.medallion.ledger.RunEvent;
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
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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

  /** Cloud Run functions stop event handlers at 540 s; leave room for the manifest. */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(480);

  private final MedallionConfig config;
  private final Ports ports;
  private final SourceRegistry sources;
  private final Clock clock;
  private final Duration budget;

  public IngestStep(MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock, Duration budget) {
    this.config = config;
    this.ports = ports;
    this.sources = sources;
    this.clock = clock;
    this.budget = budget;
  }

  /** Handles one run-request message; throws only for faults worth a retry. */
  public void handle(PubSubMessage message) throws IOException {
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
      return;
    }
    String runId =
        request.runId() != null ? request.runId() : RunIds.forMessage(message.publishTime(), message.messageId());
    LocalDate date =
        request.ingestDate() != null
            ? request.ingestDate()
            : LocalDate.ofInstant(message.publishTime(), ZoneOffset.UTC);
    int startPage = request.startPage() == null ? 1 : request.startPage();
    LogContext.run(runId, source.name());
    try {
      run(source, request.withRunId(runId), date, startPage);
    } catch (SourceException e) {
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.FAILED)
              .key(Long.toString(clock.millis()))
              .error(e.getMessage())
              .at(clock.instant()));
      if (e.retryable()) {
        throw e;
      }
      DeadLetters.keep(ports.bus(), config.deadLettersTopic(), "ingest", message, e.getMessage());
    }
  }

  private void run(Source source, RunRequest request, LocalDate date, int startPage) throws IOException {
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
      return;
    }
    Instant deadline = clock.instant().plus(budget);
    ports.ledger().record(
        RunEvent.of(runId, source.name(), Stage.INGEST, Status.STARTED)
            .key("from-page-" + startPage)
            .page(startPage)
            .at(clock.instant()));
    URI baseUrl = config.sourceUrl() != null ? config.sourceUrl() : source.defaultBaseUrl();
    PageReader reader = source.pages(baseUrl, config.ingestPageSize());
    for (int number = startPage; ; number++) {
      // Every invocation makes progress on at least one page, so continuations cannot loop.
      if (number > startPage && !clock.instant().isBefore(deadline)) {
        continueLater(request, date, number);
        return;
      }
      ObjectId pageId = BronzeLayout.page(bucket, source.name(), date, runId, number);
      if (ports.objects().stat(pageId).isPresent()) {
        continue; // written by an earlier attempt of this run
      }
      Page page = reader.fetch(number);
      if (page.recordCount() == 0) {
        break;
      }
      int n = number;
      ports.objects().createIfAbsent(
          pageId, "application/json",
          BronzeLayout.pageMetadata(source.name(), runId, number, page.recordCount()), page.body());
      ports.ledger().record(
          RunEvent.of(runId, source.name(), Stage.INGEST, Status.CHECKPOINT)
              .key(String.format("page-%05d", number))
              .page(number)
              .records(page.recordCount())
              .bytes(page.body().length)
              .objectUri(pageId.uri())
              .at(clock.instant()));
      LOG.fine(() -> "ingest " + runId + ": page " + n + " (" + page.recordCount() + " records)");
    }
    writeManifest(source, runId, date, manifestId);
  }

  private void writeManifest(Source source, String runId, LocalDate date, ObjectId manifestId) throws IOException {
    String prefix = BronzeLayout.runPrefix(source.name(), date, runId);
    List<Manifest.PageEntry> pages = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    for (StoredObject o : ports.objects().list(config.bronzeBucket(), prefix)) {
      Map<String, String> meta = o.metadata();
      if (!BronzeLayout.ROLE_PAGE.equals(meta.get(BronzeLayout.ROLE)) || !runId.equals(meta.get(BronzeLayout.RUN_ID))) {
        continue;
      }
      long n = Long.parseLong(meta.get(BronzeLayout.RECORDS));
      pages.add(new Manifest.PageEntry(
          Integer.parseInt(meta.get(BronzeLayout.PAGE)), o.id().name(), o.generation(), n, o.size(), o.md5()));
      records += n;
      bytes += o.size();
    }
    pages.sort(Comparator.comparingInt(Manifest.PageEntry::page));
    for (int i = 0; i < pages.size(); i++) {
      if (pages.get(i).page() != i + 1) {
        // A missing page would silently lose records: fail loudly and let the retry refetch it.
        throw new IOException("Run " + runId + " has no page " + (i + 1) + " in " + prefix);
      }
    }
    Manifest manifest =
        new Manifest(source.name(), runId, date.toString(), pages, records, bytes, clock.instant().toString());
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
