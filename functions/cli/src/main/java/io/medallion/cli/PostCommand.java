package io.medallion.cli;

import com.google.gson.Gson;
import io.medallion.push.Signature;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion post --source NAME FILE}: sends a file of records (a JSON array or NDJSON) to
 * the webhook of the running serve, as a partner's system would, signed with the source's secret
 * (its environment variable) when it declares one. {@code medallion notify} sends its notices the
 * same way ({@link #send}).
 */
@Command(name = "post", mixinStandardHelpOptions = true, description = "Push a file of records to the local webhook (serve must run).")
final class PostCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", required = true, description = "The source the records are pushed to.")
  String sourceName;

  @Option(names = "--idempotency-key", description = "Sent as Idempotency-Key: the same key again publishes nothing.")
  String idempotencyKey;

  @Parameters(index = "0", paramLabel = "FILE", description = "The records: a JSON array or NDJSON.")
  Path file;

  @Override
  public Integer call() throws Exception {
    Source source = pushed(main, sourceName);
    HttpResponse<String> response = send(main, source, io.medallion.push.Webhook.RECORDS, "application/x-ndjson",
        Files.readAllBytes(file), idempotencyKey);
    main.out().printf("%d %s%n", response.statusCode(), response.body());
    if (response.statusCode() == 202 && source.streams()) {
      main.out().printf("The records are in the push topic %s, one message each; each becomes a row of silver.%s within"
          + " moments (a BigQuery subscription), gold at the source's schedule or now: ./medallion run --source %s%n",
          main.config().pushTopic(source.name()), source.resource(source.push().resource()).orElseThrow().silverTable(),
          source.name());
    } else if (response.statusCode() == 202) {
      main.out().printf("The records are in the push topic %s; they reach bronze when the batch closes (%d s or %,d bytes)"
          + " and silver and gold with the next load (every %d min). To load now: ./medallion run --source %s --pushed%n",
          main.config().pushTopic(source.name()), source.push().batchSeconds(), source.push().batchBytes(),
          source.push().loadEveryMinutes(), source.name());
    }
    return response.statusCode() / 100 == 2 ? 0 : 1;
  }

  /** The declared source named {@code name}, which must take pushes. */
  static Source pushed(Main main, String name) {
    SourceRegistry registry = LocalPipeline.sources(main.config());
    Source source = registry.find(name).orElseThrow(
        () -> new Main.UserError("unknown source '" + name + "'; known: " + registry.names()));
    if (source.push() == null) {
      throw new Main.UserError("source " + source.name() + " declares no push: its webhook takes nothing");
    }
    return source;
  }

  /** POSTs {@code body} to the running serve's webhook route of {@code source}, signed when it declares a secret. */
  static HttpResponse<String> send(Main main, Source source, String route, String contentType, byte[] body,
      String idempotencyKey) throws Exception {
    ServeControl.Endpoint serve = ServeClient.endpoint(main.home()).orElseThrow(() -> new Main.UserError(
        "no serve runs on " + main.home() + ": start ./medallion serve in another terminal, it prints the webhook's URL"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + ServeControl.WEBHOOK
            + source.name() + "/" + route))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (source.push().secret() != null) {
      String secret;
      try {
        secret = io.medallion.source.Secrets.fromEnvironment(main.env()).value(source.push().secret());
      } catch (io.medallion.source.Secrets.SecretMissingException e) {
        throw new Main.UserError("source " + source.name() + " signs its pushes: " + e.getMessage() + " (set it here and for serve)");
      }
      request.header(Signature.HEADER, Signature.sign(secret.getBytes(StandardCharsets.UTF_8), Instant.now(), body));
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
