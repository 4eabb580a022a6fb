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
import io.medallion.push.NotifyReceiver;
import io.medallion.push.PushDoors;
import io.medallion.push.PushReceiver;
import io.medallion.push.StoredIdempotencyKeys;
import io.medallion.push.Webhook;
import io.medallion.source.Secrets;
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

    /** The OpenLineage run events of every local run, one a line ({@code ./medallion lineage} reads them). */
    public Path lineageEvents() {
      return io.medallion.local.lineage.JsonLinesLineageSink.file(home);
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
    warehouse.ensureDataset(config.datasets(sources(config).all()).toArray(String[]::new));
    this.ledger = ledgerView.apply(new DuckDbRunLedger(warehouse, config.opsDataset()));
    this.deadLetters = DeadLetterArchive.attach(transport::subscribe, config.deadLettersTopic(), layout.deadLetters());

    SourceRegistry sources = sources(config);
    // Sources' own secrets stay as before (none here: the replay's credentials are its own); the
    // domains' masking salts come from the environment or the home's key (LocalMaskingSalts).
    Ports ports = portsView.apply(new Ports(objects, transport.bus(), warehouse, ledger, Metrics.of(meters),
        io.medallion.local.secrets.LocalMaskingSalts.of(Ports.NO_SECRETS, MedallionConfig.environment(), home,
            io.medallion.local.secrets.LocalMaskingSalts.declared(sources.domains())))
        .withLineage(new io.medallion.local.lineage.JsonLinesLineageSink(layout.lineageEvents())));
    SubscriptionPolicy withDlq = policy.withDeadLetter(config.deadLettersTopic(), policy.maxDeliveryAttempts());
    deliver(config.runRequestsTopic(), "ingest", withDlq,
        IngestFunction.with(new IngestStep(config, ports, sources, clock, ingestBudget, endpoints)), false);
    deliver(BRONZE_NOTIFICATIONS_TOPIC, "silver", withDlq,
        SilverFunction.with(new SilverStep(config, ports, sources, clock)), true);
    GoldFunction gold = GoldFunction.with(new GoldStep(config, ports, sources, clock));
    deliver(config.bqJobsTopic(), "gold", withDlq, gold, false);
    // Gold build requests of stream sources (serve's cron, ./medallion run), as Cloud Scheduler
    // publishes them on GCP to the same function.
    deliver(GOLD_SCHEDULE_TOPIC, "gold-schedule-gold", withDlq, gold, false);
    objects.addFinalizeListener(this::notifyFinalized);
    // Records pushed to the webhook: a topic per pushed source, batched into bronze files as a
    // Cloud Storage subscription does; the doors and keys are the deployed webhook's (PushDoors,
    // StoredIdempotencyKeys), secrets read as ingest reads a source's credentials locally.
    for (String name : sources.names()) {
      io.medallion.source.Source source = sources.find(name).orElseThrow();
      if (source.push() == null) {
        continue;
      }
      String topic = config.pushTopic(name);
      if (source.streams()) {
        streamIntoSilver(source, topic, policy);
        continue;
      }
      String prefix = io.medallion.bronze.BronzeLayout.pushedPrefix(source);
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
    }
    Map<String, PushReceiver.Door> doors =
        PushDoors.of(sources, io.medallion.local.secrets.LocalMaskingSalts.of(Secrets.fromEnvironment(MedallionConfig.environment()),
            MedallionConfig.environment(), home, io.medallion.local.secrets.LocalMaskingSalts.declared(sources.domains())), config);
    io.medallion.port.MessageBus pushBus = (topic, message) -> {
      io.medallion.local.pubsub.StorageSubscription spooled = spooledTopics.get(topic);
      if (spooled == null) {
        return transport.bus().publish(topic, message);
      }
      spooled.append(message.data());
      return "spooled-" + spooledMessages.incrementAndGet();
    };
    this.push = new PushReceiver(doors, pushBus, new StoredIdempotencyKeys(objects, config.stagingBucket()), clock);
    this.webhook = new Webhook(push,
        new NotifyReceiver(doors, sources, transport.bus(), config.runRequestsTopic(), clock), doors, ports.metrics());
  }

  /**
   * A stream source's records go from its push topic straight into its silver table, as a Pub/Sub
   * BigQuery subscription writes them; what BigQuery would refuse is dead-lettered, after the
   * policy's attempts, to the source's own dead-letter topic and kept in its own archive.
   */
  private void streamIntoSilver(io.medallion.source.Source source, String topic, SubscriptionPolicy policy) throws IOException {
    String deadLetterTopic = streamDeadLetterTopic(source.name());
    streamDeadLetters.put(source.name(),
        DeadLetterArchive.attach(transport::subscribe, deadLetterTopic, layout.deadLetters().resolve(deadLetterTopic)));
    String table = source.resource(source.push().resource()).orElseThrow().silverTable();
    io.medallion.port.TableId id = new io.medallion.port.TableId(config.silverDataset(source), table);
    io.medallion.schema.TableSchema schema = source.silverSchema(table);
    // Terraform creates the table before the subscription; so does this, so gold can read it empty.
    warehouse.ensureTable(id, schema, source.partitioning(table));
    String subscription = topic + "-to-silver";
    transport.subscribe(topic, subscription, policy.withDeadLetter(deadLetterTopic, Math.max(5, policy.maxDeliveryAttempts())),
        new io.medallion.local.pubsub.BigQuerySubscription("projects/" + config.project() + "/subscriptions/" + subscription,
            warehouse, id, schema,
            source.resource(source.push().resource()).orElseThrow().silver().unknownFields()
                == io.medallion.source.SilverMapping.UnknownFields.DROP));
  }

  /** A stream source's own dead-letter topic: the rows BigQuery refuses. */
  public static String streamDeadLetterTopic(String source) {
    return pushTopic(source) + "-dead-letters";
  }

  /** The archive of a stream source's refused rows, or empty for a source that does not stream. */
  public java.util.Optional<DeadLetterArchive> streamDeadLetters(String source) {
    return java.util.Optional.ofNullable(streamDeadLetters.get(source));
  }

  /**
   * Asks gold for a build of a stream source now, as its schedule does: a run with no ingest and
   * no load, whose models and checks read what the subscription has written so far.
   */
  public String requestGold(String source, String runId) throws IOException {
    com.google.gson.JsonObject data = new com.google.gson.JsonObject();
    data.addProperty("source", source);
    if (runId != null) {
      data.addProperty("run_id", runId);
    }
    return transport.bus().publish(GOLD_SCHEDULE_TOPIC,
        OutboundMessage.json(data.toString(), Map.of(GoldStep.REQUEST_ATTRIBUTE, GoldStep.GOLD_SCHEDULE, "trigger", "cli")));
  }

  /**
   * Publishes a backfill to gold's topic, as {@code gcloud pubsub topics publish} does on GCP: the
   * completion entries' topic, with the request attribute that makes it a request.
   */
  public String requestBackfill(io.medallion.gold.BackfillRequest request) throws IOException {
    return transport.bus().publish(config.bqJobsTopic(), OutboundMessage.json(request.toJson(),
        Map.of(GoldStep.REQUEST_ATTRIBUTE, io.medallion.gold.BackfillRequest.ATTRIBUTE_VALUE, "trigger", "cli")));
  }

  /** The topic gold build requests of stream sources are published to (terraform: local.topics.gold_schedule). */
  public static final String GOLD_SCHEDULE_TOPIC = "gold-schedule";

  private final Map<String, DeadLetterArchive> streamDeadLetters = new java.util.TreeMap<>();

  /** Push topics whose messages go straight into their bronze batches' spool (the in-process transport). */
  private final Map<String, io.medallion.local.pubsub.StorageSubscription> spooledTopics = new java.util.HashMap<>();
  private final java.util.concurrent.atomic.AtomicLong spooledMessages = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.List<io.medallion.local.pubsub.StorageSubscription> pushBatches = new java.util.ArrayList<>();
  private final PushReceiver push;
  private final Webhook webhook;

  /** The topic a pushed source's records are published to, with the default prefix ({@link MedallionConfig#pushTopic}). */
  public static String pushTopic(String source) {
    return MedallionConfig.defaults().pushTopic(source);
  }

  /** The records route's logic: what {@code medallion post}'s tests hand a push to. */
  public PushReceiver push() {
    return push;
  }

  /** The webhook's routes (records and notify), as serve's HTTP endpoint serves them. */
  public Webhook webhook() {
    return webhook;
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
  /** The masking salts the domains declare. */
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
