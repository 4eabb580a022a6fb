package io.medallion.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.medallion.config.MedallionConfig;
import io.medallion.logging.FunctionLogging;
import io.medallion.port.Lazy;
import io.medallion.port.Ports;
import io.medallion.push.NotifyReceiver;
import io.medallion.push.PushDoors;
import io.medallion.push.PushReceiver;
import io.medallion.push.StoredIdempotencyKeys;
import io.medallion.push.Webhook;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The deployed webhook: an HTTP Cloud Run function serving {@code POST /v1/sources/<source>/records}
 * and {@code POST /v1/sources/<source>/notify} ({@link Webhook}) on the GCP adapters: records and
 * run requests published through Pub/Sub (a 2xx only once Pub/Sub returned the message id),
 * idempotency keys as create-only objects in the staging bucket, push secrets from Secret Manager.
 *
 * <p>Callers authenticate twice: Cloud Run IAM lets in only the principals a source declares in
 * {@code push.callers} (terraform grants them {@code roles/run.invoker}), and the source's HMAC
 * signature, when it declares a secret, proves the body came from the holder of that secret.
 *
 * <p>The doors (and so the secrets) are read on the first request of an instance and kept: a
 * rotated secret is used by instances started after the rotation (deploy again to switch at once).
 * A secret that cannot be read (permission denied, Secret Manager unreachable) answers 503 and is
 * read again on the next request; one without a value refuses its source's requests (503) and is
 * read again a minute later, so adding its value opens the door without a redeploy.
 */
public final class WebhookFunction implements HttpFunction {

  private static final Logger LOG = Logger.getLogger(WebhookFunction.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<Webhook> webhook;
  private final Runnable flushMeters;

  /** Used by the Functions Framework: configuration from the environment, clients on first use. */
  public WebhookFunction() {
    MedallionConfig config = MedallionConfig.fromEnvironment();
    FunctionLogging.configureFromEnvironment(config.project());
    Lazy<Ports> ports = Lazy.of(() -> Ports.fromEnvironment(config));
    this.webhook = new Doors(() -> {
      try {
        return webhook(config, ports.get(), SourceRegistry.standard(), Clock.systemUTC());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Clock.systemUTC());
    this.flushMeters = () -> ports.get().metrics().flush();
  }

  /** The webhook, built on first use; built again a minute on while a declared secret had no value. */
  static final class Doors implements Supplier<Webhook> {
    static final java.time.Duration RETRY_UNSET = java.time.Duration.ofMinutes(1);

    private final Supplier<Webhook> build;
    private final Clock clock;
    private Webhook built; // guarded by this
    private java.time.Instant builtAt; // guarded by this

    Doors(Supplier<Webhook> build, Clock clock) {
      this.build = build;
      this.clock = clock;
    }

    @Override
    public synchronized Webhook get() {
      java.time.Instant now = clock.instant();
      if (built == null || (built.secretUnset() && !now.isBefore(builtAt.plus(RETRY_UNSET)))) {
        built = build.get();
        builtAt = now;
      }
      return built;
    }
  }

  /** Over a built webhook (tests). */
  WebhookFunction(Webhook webhook, Runnable flushMeters) {
    this.webhook = () -> webhook;
    this.flushMeters = flushMeters;
  }

  /**
   * The webhook on {@code ports}: the doors of the sources that declare push, their records
   * published to each source's push topic, notices to the run-requests topic.
   *
   * @throws IOException when a declared secret cannot be read (other than having no value)
   */
  public static Webhook webhook(MedallionConfig config, Ports ports, SourceRegistry sources, Clock clock)
      throws IOException {
    Map<String, PushReceiver.Door> doors = PushDoors.of(sources, ports.secrets(), config);
    PushReceiver records =
        new PushReceiver(doors, ports.bus(), new StoredIdempotencyKeys(ports.objects(), config.stagingBucket()), clock);
    NotifyReceiver notices = new NotifyReceiver(doors, sources, ports.bus(), config.runRequestsTopic(), clock);
    return new Webhook(records, notices, doors, ports.metrics());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    PushReceiver.Answer answer;
    try {
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Map.Entry<String, List<String>> h : request.getHeaders().entrySet()) {
        headers.put(h.getKey(), h.getValue().isEmpty() ? "" : h.getValue().get(0));
      }
      answer = webhook.get().handle(
          new Webhook.Request(request.getMethod(), request.getPath(), headers, request.getInputStream()));
    } catch (UncheckedIOException e) {
      LOG.log(Level.SEVERE, "webhook: cannot open its doors: " + e.getCause().getMessage(), e);
      answer = new PushReceiver.Answer(503, Map.of("code", "UNAVAILABLE",
          "message", "the webhook cannot read its sources' secrets now; nothing was accepted: send it again"));
    }
    if (answer.status() >= 400) {
      try {
        // Refusals are the only meters a request records; flushed before the answer, since an
        // instance gets no CPU once it has answered.
        flushMeters.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "webhook: meters not flushed: " + e.getMessage(), e);
      }
    }
    response.setStatusCode(answer.status());
    if (answer.status() == 405) {
      response.appendHeader("Allow", "POST");
    }
    response.setContentType("application/json");
    try (OutputStream out = response.getOutputStream()) {
      JSON.writeValue(out, answer.body());
    }
  }
}
