package io.medallion.cli;

import io.cloudevents.CloudEvent;
import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.PubSubEvents;
import io.medallion.event.PubSubMessage;
import io.medallion.event.StorageEvents;
import io.medallion.gold.GoldFunction;
import io.medallion.gold.GoldStep;
import io.medallion.ingest.IngestFunction;
import io.medallion.ingest.IngestStep;
import io.medallion.local.bigquery.DuckDbRunLedger;
import io.medallion.metrics.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.local.pubsub.DeadLetterArchive;
import io.medallion.local.replay.ReplayEndpoints;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.storage.DirectoryObjectStore;
import io.medallion.port.MessageBus;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.Ports;
import io.medallion.port.RunLedger;
import io.medallion.port.StoredObject;
import io.medallion.silver.SilverFunction;
import io.medallion.silver.SilverStep;
import io.medallion.source.SourceRegistry;
import com.google.cloud.functions.CloudEventsFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole choreography on local adapters in one process: directory buckets, in-process Pub/Sub,
 * DuckDB. The three functions are the deployed classes, and each receives the CloudEvent GCP
 * would deliver: a messagePublished event for ingest and gold, a storage finalize event for silver
 * (made, as Eventarc does, from the bucket's Pub/Sub notification).
 *
 * <pre>
 * run-requests ──► ingest ──► bronze bucket ──notification──► bronze-notifications ──► silver
 *                                                     silver ──load job──► DuckDB ──LogEntry──► bq-jobs ──► gold
 * every subscription ──(after max attempts)──► dead-letters ──► archive directory
 * </pre>
 */
public final class LocalPipeline implements AutoCloseable {

  /** The topic the local bronze bucket notifies, like a GCS Pub/Sub notification config. */
  public static final String BRONZE_NOTIFICATIONS_TOPIC = "bronze-notifications";
  /** Who the local warehouse says ran a job, in its audit entries. */
  static final String LOCAL_PRINCIPAL = "medallion-local@localhost";

  private final MedallionConfig config;
  private final Layout layout;
  private final DirectoryObjectStore objects;
  private final Transport transport;
  private final DuckDbWarehouse warehouse;
  private final RunLedger ledger;
  private final DeadLetterArchive deadLetters;
  /** Serves replay: origins; http(s) origins are read as they are. */
  private final ReplayEndpoints endpoints;
  /** The functions' meters, kept in memory: the local stand-in for Cloud Monitoring. */
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Where local state lives under the medallion home directory. */
  public record Layout(Path home) {
    public Path buckets() {
      return home.resolve("buckets");
    }

    public Path warehouseFile() {
      return home.resolve("warehouse").resolve("medallion.duckdb");
    }

    public Path deadLetters() {
      return home.resolve("dead-letters");
    }
  }

  /**
   * Starts the pipeline.
   *
   * @param policy the retry policy of every subscription (dead letter topic set here)
   * @param ledgerView wraps the ledger the functions write to (the CLI prints progress through it)
   */
  public LocalPipeline(
      MedallionConfig config, Path home, SubscriptionPolicy policy, UnaryOperator<RunLedger> ledgerView, Clock clock)
      throws IOException {
    this(config, home, policy, ledgerView, clock, IngestStep.DEFAULT_BUDGET, Transport.inProcess(config.project()),
        UnaryOperator.identity());
  }

  /**
   * As above, with the functions seeing {@code portsView} of the real ports (the fault-injection
   * tests crash the "process" at chosen step boundaries with it).
   */
  LocalPipeline(
      MedallionConfig config, Path home, SubscriptionPolicy policy, Clock clock, UnaryOperator<Ports> portsView)
      throws IOException {
    this(config, home, policy, UnaryOperator.identity(), clock, IngestStep.DEFAULT_BUDGET,
        Transport.inProcess(config.project()), portsView);
  }

  /** As above, with messages on {@code transport} (the Pub/Sub emulator for {@code serve}). */
  LocalPipeline(
      MedallionConfig config, Path home, SubscriptionPolicy policy, UnaryOperator<RunLedger> ledgerView, Clock clock,
      Transport transport)
      throws IOException {
    this(config, home, policy, ledgerView, clock, IngestStep.DEFAULT_BUDGET, transport, UnaryOperator.identity());
  }

  /** As above, with ingest's time budget per invocation (tests force continuations with it). */
  LocalPipeline(
      MedallionConfig config, Path home, SubscriptionPolicy policy, UnaryOperator<RunLedger> ledgerView, Clock clock,
      Duration ingestBudget)
      throws IOException {
    this(config, home, policy, ledgerView, clock, ingestBudget, Transport.inProcess(config.project()),
        UnaryOperator.identity());
  }

  private LocalPipeline(
      MedallionConfig config, Path home, SubscriptionPolicy policy, UnaryOperator<RunLedger> ledgerView, Clock clock,
      Duration ingestBudget, Transport transport, UnaryOperator<Ports> portsView)
      throws IOException {
    this.config = config;
    this.endpoints = new ReplayEndpoints(sources(config));
    this.layout = new Layout(home);
    this.objects = new DirectoryObjectStore(layout.buckets());
    this.transport = transport;
    this.warehouse =
        new DuckDbWarehouse(layout.warehouseFile(), this::localFile, (job, sources) -> publishCompletion(job, sources));
    warehouse.ensureDataset(config.silverDataset(), config.goldDataset(), config.opsDataset());
    this.ledger = ledgerView.apply(new DuckDbRunLedger(warehouse, config.opsDataset()));
    this.deadLetters = DeadLetterArchive.attach(transport::subscribe, config.deadLettersTopic(), layout.deadLetters());

    Ports ports = portsView.apply(new Ports(objects, transport.bus(), warehouse, ledger, Metrics.of(meters)));
    SourceRegistry sources = sources(config);
    SubscriptionPolicy withDlq = policy.withDeadLetter(config.deadLettersTopic(), policy.maxDeliveryAttempts());
    deliver(config.runRequestsTopic(), "ingest", withDlq,
        IngestFunction.with(new IngestStep(config, ports, sources, clock, ingestBudget, endpoints)), false);
    deliver(BRONZE_NOTIFICATIONS_TOPIC, "silver", withDlq,
        SilverFunction.with(new SilverStep(config, ports, sources, clock)), true);
    deliver(config.bqJobsTopic(), "gold", withDlq,
        GoldFunction.with(new GoldStep(config, ports, sources, clock)), false);
    objects.addFinalizeListener(this::notifyFinalized);
    // Records pushed to the webhook: a topic per pushed source, batched into bronze files as a
    // Cloud Storage subscription does (issue 17, in progress).
    Map<String, io.medallion.push.PushReceiver.Door> doors = new java.util.TreeMap<>();
    for (String name : sources.names()) {
      io.medallion.source.Source source = sources.find(name).orElseThrow();
      if (source.push() == null) {
        continue;
      }
      String topic = pushTopic(name);
      String prefix = name + "/" + (source.resources().size() > 1 ? source.push().resource() + "/" : "") + "pushed/";
      io.medallion.local.pubsub.StorageSubscription batches = new io.medallion.local.pubsub.StorageSubscription(
          layout.home().resolve("spool").resolve(name + ".ndjson"), objects, config.bronzeBucket(), prefix,
          Duration.ofSeconds(source.push().batchSeconds()), source.push().batchBytes(), clock);
      pushBatches.add(batches);
      if (transport.keepsMessages()) {
        transport.subscribe(topic, "push-" + name + "-to-bronze", policy, batches);
      } else {
        // The in-process bus holds a message in memory until it is delivered: a kill would lose
        // pushes already answered 2xx. So the topic's one subscription takes the publish itself,
        // answering once the records are forced into its spool, as Pub/Sub answers once it stored them.
        spooledTopics.put(topic, batches);
      }
      byte[] secret = null;
      String unset = null;
      if (source.push().secret() != null) {
        // Read as ingest reads a source's credentials locally; a declared secret left unset refuses
        // every push rather than accepting them unsigned.
        try {
          secret = io.medallion.source.Secrets.fromEnvironment(MedallionConfig.environment()).value(source.push().secret())
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (io.medallion.source.Secrets.SecretMissingException e) {
          unset = source.push().secret().name();
        }
      }
      doors.put(name, new io.medallion.push.PushReceiver.Door(topic, secret, source.push().maxBodyBytes(), unset));
    }
    io.medallion.port.MessageBus pushBus = (topic, message) -> {
      io.medallion.local.pubsub.StorageSubscription spooled = spooledTopics.get(topic);
      if (spooled == null) {
        return transport.bus().publish(topic, message);
      }
      spooled.append(message.data());
      return "spooled-" + spooledMessages.incrementAndGet();
    };
    this.push = new io.medallion.push.PushReceiver(doors, pushBus, new PushKeys(objects, config.stagingBucket()), clock,
        Metrics.of(meters));
  }

  /** Push topics whose messages go straight into their bronze batches' spool (the in-process transport). */
  private final Map<String, io.medallion.local.pubsub.StorageSubscription> spooledTopics = new java.util.HashMap<>();
  private final java.util.concurrent.atomic.AtomicLong spooledMessages = new java.util.concurrent.atomic.AtomicLong();

  private final java.util.List<io.medallion.local.pubsub.StorageSubscription> pushBatches = new java.util.ArrayList<>();
  private final io.medallion.push.PushReceiver push;

  /** The topic a pushed source's records are published to. */
  public static String pushTopic(String source) {
    return "push-" + source.replace('_', '-');
  }

  /** The webhook's logic: what serve's HTTP endpoint and {@code medallion post} hand a push to. */
  public io.medallion.push.PushReceiver push() {
    return push;
  }

  /** How many times the pushed batches' spools were forced so far (the bench's group-commit figure). */
  public long pushForces() {
    return pushBatches.stream().mapToLong(io.medallion.local.pubsub.StorageSubscription::forces).sum();
  }

  /** Closes every open batch of pushed records now, into bronze (a clean stop does the same). */
  public void flushPushed() throws IOException {
    for (io.medallion.local.pubsub.StorageSubscription b : pushBatches) {
      b.flush();
    }
  }

  /** Idempotency keys as create-only objects in the staging bucket: one per key, kept with staging's retention. */
  private record PushKeys(DirectoryObjectStore objects, String bucket) implements io.medallion.push.PushReceiver.IdempotencyKeys {
    private ObjectId id(String source, String key) {
      return new ObjectId(bucket, source + "/push_keys/" + io.medallion.port.JobIds.derive("k", key) + ".json");
    }

    @Override
    public boolean seen(String source, String key) throws IOException {
      return objects.stat(id(source, key)).isPresent();
    }

    @Override
    public void remember(String source, String key) throws IOException {
      objects.createIfAbsent(id(source, key), "application/json", Map.of(), new byte[0]);
    }
  }

  private void deliver(
      String topic, String subscription, SubscriptionPolicy policy, CloudEventsFunction function, boolean storage)
      throws IOException {
    transport.subscribe(topic, subscription, policy, (message, attempt) -> function.accept(toEvent(topic, subscription, message, storage)));
  }

  private CloudEvent toEvent(String topic, String subscription, PubSubMessage message, boolean storage)
      throws Exception {
    return storage
        ? StorageEvents.fromNotification(message)
        : PubSubEvents.encode(config.project(), topic, subscription, message);
  }

  private void notifyFinalized(StoredObject object) {
    if (!object.id().bucket().equals(config.bronzeBucket())) {
      return; // like GCS, only the bronze bucket has a notification config
    }
    try {
      transport.bus().publish(BRONZE_NOTIFICATIONS_TOPIC, StorageEvents.notification(object));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot announce " + object.id(), e);
    }
  }

  /** The local stand-in for the Cloud Logging sink: every job's completion entry to bq-jobs. */
  private void publishCompletion(io.medallion.port.JobStatus job, java.util.List<ObjectId> sources) {
    String entry =
        AuditLogEntries.jobDone(
            config.project(), job, sources.stream().map(ObjectId::uri).toList(), LOCAL_PRINCIPAL);
    try {
      transport.bus().publish(config.bqJobsTopic(), OutboundMessage.json(entry, Map.of("logging.googleapis.com/timestamp", job.ended().toString())));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot publish the completion of job " + job.jobId(), e);
    }
  }

  private Path localFile(ObjectId id) {
    try {
      return objects.path(id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sources a configuration names (the shipped ones and its MEDALLION_SOURCES_DIR / --sources-dir). */
  static SourceRegistry sources(MedallionConfig config) {
    try {
      return SourceRegistry.forConfig(config);
    } catch (io.medallion.source.DeclarationException e) {
      throw new io.medallion.config.ConfigException("source declarations: " + e.getMessage());
    }
  }

  /** Publishes to a topic as any publisher would (the CLI, a scheduler, gcloud). */
  public String publish(String topic, OutboundMessage message) throws IOException {
    return transport.bus().publish(topic, message);
  }

  /** Waits until no message is outstanding anywhere: the run has finished, one way or another. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    return transport.awaitIdle(timeout);
  }

  /** Whether {@link #awaitIdle} can tell (the in-process bus can, the Pub/Sub emulator cannot). */
  public boolean tellsIdle() {
    return transport.tellsIdle();
  }

  public MedallionConfig config() {
    return config;
  }

  public Layout layout() {
    return layout;
  }

  public DirectoryObjectStore objects() {
    return objects;
  }

  public MessageBus bus() {
    return transport.bus();
  }

  public DuckDbWarehouse warehouse() {
    return warehouse;
  }

  public RunLedger ledger() {
    return ledger;
  }

  public DeadLetterArchive deadLetters() {
    return deadLetters;
  }

  /** Every meter the functions recorded since this pipeline started. */
  public SimpleMeterRegistry meters() {
    return meters;
  }

  /** The local source endpoints (the replay servers of this pipeline). */
  public ReplayEndpoints endpoints() {
    return endpoints;
  }

  @Override
  public void close() throws IOException {
    for (io.medallion.local.pubsub.StorageSubscription b : pushBatches) {
      b.close();
    }
    transport.close();
    endpoints.close();
    try {
      objects.stopWatching();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    warehouse.close();
  }
}
