package io.medallion.cli;

import com.google.gson.JsonObject;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublishResponse;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.medallion.bronze.BronzeLayout;
import io.medallion.config.MedallionConfig;
import io.medallion.event.AuditLogEntries;
import io.medallion.event.StorageEvents;
import io.medallion.port.JobStatus;
import io.medallion.port.ObjectId;
import io.medallion.port.OutboundMessage;
import io.medallion.port.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cold start as deployed: each function's deploy jar (GCP adapter set) in the real Functions
 * Framework invoker, in a fresh JVM, timed from process spawn to the HTTP answer of its first
 * event. The events need no network: what each one makes the function do is in {@link Fn}.
 *
 * <p>No credentials are given and the metadata-server probe is off (NO_GCE_CHECK): none of the
 * events builds a Cloud Storage or BigQuery client, and the one client that wants credentials,
 * Cloud Monitoring's at the end of ingest's event, fails to find them at once, which the function
 * logs (its metric points are lost) instead of waiting for a network that is not there. Ingest's
 * dead letter goes to a Pub/Sub stand-in on loopback (PUBSUB_EMULATOR_HOST, no credentials),
 * which answers Publish and counts messages.
 */
public final class ColdStart implements AutoCloseable {

  /**
   * The JVM options Terraform gives the functions ({@code var.java_tool_options}, set as
   * JAVA_TOOL_OPTIONS): C1 only and the serial collector, for short-lived single-request instances.
   * TerraformAgreesWithCodeTest checks the two agree.
   */
  public static final String DEPLOY_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  static final String PROJECT = "medallion-bench";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String INVOKER_MAIN = "com.google.cloud.functions.invoker.runner.Invoker";

  /** A function, its deployed entry point and a first event that needs no network. */
  enum Fn {
    INGEST("ingest", "io.medallion.ingest.IngestPushFunction",
        "a run request for an unknown source: decoded, schema-checked, dead-lettered (gRPC Publish to the stand-in)"),
    SILVER("silver", "io.medallion.silver.SilverPushFunction",
        "the finalize notification of a bronze page: decoded, skipped (its manifest loads it); no client built"),
    GOLD("gold", "io.medallion.gold.GoldPushFunction",
        "the audit entry of a finished QUERY job: decoded, ignored (not a silver load); no client built");

    final String name;
    final String entryPoint;
    final String event;

    Fn(String name, String entryPoint, String event) {
      this.name = name;
      this.entryPoint = entryPoint;
      this.event = event;
    }
  }

  /** One cold start: milliseconds from spawn to listening and to the first answer. */
  record Start(long listeningMillis, long answeredMillis) {}

  private final Path root;
  private final Path work;
  private final Path invoker;
  private final Server pubsub;
  private final AtomicInteger published = new AtomicInteger();

  ColdStart(Path root, Path work) throws IOException {
    this.root = root;
    this.work = work;
    Path invokerDir = root.resolve("functions/cli/target/invoker");
    try (var jars = Files.list(invokerDir)) {
      this.invoker = jars.filter(p -> p.getFileName().toString().startsWith("java-function-invoker-"))
          .findFirst()
          .orElseThrow(() -> new IOException("no java-function-invoker jar in " + invokerDir + ": build the CLI"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException("no " + invokerDir + ": build the CLI (mvn -pl functions/cli -am package)", e);
    }
    Files.createDirectories(work);
    this.pubsub = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(publisherStandIn())
        .build()
        .start();
  }

  /** The repository root, from where this class was loaded (functions/cli/target/...). */
  static Path repositoryRoot() throws IOException {
    try {
      Path here = Path.of(ColdStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path p = here; p != null; p = p.getParent()) {
        if (Files.isRegularFile(p.resolve("medallion")) && Files.isDirectory(p.resolve("functions"))) {
          return p;
        }
      }
      throw new IOException("no repository root above " + here);
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }

  Path deployJar(Fn fn) throws IOException {
    Path jar = root.resolve("functions/" + fn.name + "/target/medallion-" + fn.name + "-deploy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException("no " + jar + ": build it (mvn -pl functions/" + fn.name + " -am package)");
    }
    return jar;
  }

  int published() {
    return published.get();
  }

  /**
   * Starts {@code fn}'s deploy jar in the invoker in a new JVM with {@code jvmOptions} as
   * JAVA_TOOL_OPTIONS (empty: none), posts its first event and stops it.
   */
  Start run(Fn fn, String jvmOptions) throws Exception {
    int port = freePort();
    Path log = work.resolve(fn.name + ".log");
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", invoker.toString(),
        "--port", Integer.toString(port),
        "--target", fn.entryPoint,
        "--classpath", deployJar(fn).toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("MEDALLION_") || k.startsWith("GOOGLE_") || k.equals("JAVA_TOOL_OPTIONS")
        || k.equals("PUBSUB_EMULATOR_HOST") || k.equals("NO_GCE_CHECK") || k.startsWith("CLOUDSDK_"));
    env.put(MedallionConfig.PROJECT, PROJECT);
    env.put(MedallionConfig.ADAPTERS, "gcp");
    env.put("NO_GCE_CHECK", "true");
    env.put("CLOUDSDK_CONFIG", work.resolve("no-gcloud-config").toString()); // no gcloud user credentials either
    env.put("GOOGLE_CLOUD_PROJECT", PROJECT);
    if (fn == Fn.INGEST) {
      // Only ingest publishes; elsewhere the variable would open an emulator channel that the
      // deployed function (real Pub/Sub, publishers made on first publish) never opens.
      env.put("PUBSUB_EMULATOR_HOST", "127.0.0.1:" + pubsub.getPort());
    }
    env.put("FUNCTION_SIGNATURE_TYPE", "http");
    if (!jvmOptions.isEmpty()) {
      env.put("JAVA_TOOL_OPTIONS", jvmOptions);
    }
    byte[] request = httpPost(port, firstEvent(fn));
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      long deadline = started + TIMEOUT.toNanos();
      long listening = -1;
      while (true) {
        if (!process.isAlive()) {
          throw new IOException(fn.name + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(fn.name + " did not answer within " + TIMEOUT + ":\n" + Files.readString(log));
        }
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
          listening = System.nanoTime();
          s.setSoTimeout((int) TIMEOUT.toMillis());
          OutputStream o = s.getOutputStream();
          o.write(request);
          o.flush();
          String status = statusLine(s.getInputStream());
          long answered = System.nanoTime();
          if (!status.startsWith("HTTP/1.1 2")) {
            throw new IOException(fn.name + " answered '" + status + "':\n" + Files.readString(log));
          }
          return new Start(TimeUnit.NANOSECONDS.toMillis(listening - started),
              TimeUnit.NANOSECONDS.toMillis(answered - started));
        } catch (java.net.ConnectException notYet) {
          Thread.sleep(5);
        }
      }
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The push body of {@code fn}'s first event. */
  static String firstEvent(Fn fn) {
    MedallionConfig config = MedallionConfig.defaults();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return switch (fn) {
      case INGEST -> pushBody(new OutboundMessage(
          "{\"source\":\"no-such-source\",\"run_id\":\"cold-1\"}".getBytes(StandardCharsets.UTF_8), Map.of()),
          "run-requests-ingest");
      case SILVER -> {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(BronzeLayout.ROLE, BronzeLayout.ROLE_PAGE);
        metadata.put(BronzeLayout.RUN_ID, "cold-1");
        metadata.put(BronzeLayout.SOURCE, "breweries");
        metadata.put(BronzeLayout.PAGE, "1");
        StoredObject page = new StoredObject(
            new ObjectId(config.bronzeBucket(), "breweries/ingest_date=2026-01-01/run_id=cold-1/page-00001.json"),
            1767225600000000L, 1024, "application/json", metadata, now, "1B2M2Y8AsgTpgAmY7PhCfg==");
        yield pushBody(StorageEvents.notification(page), "bronze-notifications-silver");
      }
      case GOLD -> {
        JobStatus query = new JobStatus("gold-cold-1", JobStatus.JobType.QUERY, JobStatus.JobState.DONE, null,
            Map.of("medallion", "gold"), null, -1, now, now.plusSeconds(2));
        String entry = AuditLogEntries.jobDone(PROJECT, query, List.of(), "medallion-gold@" + PROJECT + ".iam.gserviceaccount.com");
        yield pushBody(new OutboundMessage(entry.getBytes(StandardCharsets.UTF_8), Map.of()), "bq-jobs-gold");
      }
    };
  }

  /** The body a push subscription POSTs: the wrapped envelope of fixture 04a/04c. */
  private static String pushBody(OutboundMessage message, String subscription) {
    JsonObject attributes = new JsonObject();
    message.attributes().forEach(attributes::addProperty);
    JsonObject pushed = new JsonObject();
    pushed.add("attributes", attributes);
    pushed.addProperty("data", Base64.getEncoder().encodeToString(message.data()));
    pushed.addProperty("messageId", "1001");
    pushed.addProperty("publishTime", "2026-01-01T00:00:00Z");
    JsonObject envelope = new JsonObject();
    envelope.add("message", pushed);
    envelope.addProperty("subscription", "projects/" + PROJECT + "/subscriptions/" + subscription);
    return envelope.toString();
  }

  private static byte[] httpPost(int port, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** google.pubsub.v1.Publisher/Publish on loopback: answers with message ids and counts the messages. */
  private ServerServiceDefinition publisherStandIn() {
    MethodDescriptor<PublishRequest, PublishResponse> publish = MethodDescriptor.<PublishRequest, PublishResponse>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("google.pubsub.v1.Publisher", "Publish"))
        .setRequestMarshaller(ProtoUtils.marshaller(PublishRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(PublishResponse.getDefaultInstance()))
        .build();
    return ServerServiceDefinition.builder("google.pubsub.v1.Publisher")
        .addMethod(publish, ServerCalls.asyncUnaryCall((request, response) -> {
          PublishResponse.Builder ids = PublishResponse.newBuilder();
          for (int i = 0; i < request.getMessagesCount(); i++) {
            ids.addMessageIds(Integer.toString(published.incrementAndGet()));
          }
          response.onNext(ids.build());
          response.onCompleted();
        }))
        .build();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    pubsub.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
