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
 * (its environment variable) when it declares one. Issue 17, in progress.
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
    SourceRegistry registry = LocalPipeline.sources(main.config());
    Source source = registry.find(sourceName).orElseThrow(
        () -> new Main.UserError("unknown source '" + sourceName + "'; known: " + registry.names()));
    if (source.push() == null) {
      throw new Main.UserError("source " + source.name() + " declares no push: it takes no records by webhook");
    }
    ServeControl.Endpoint serve = ServeClient.endpoint(main.home()).orElseThrow(() -> new Main.UserError(
        "no serve runs on " + main.home() + ": start ./medallion serve in another terminal, it prints the webhook's URL"));
    byte[] body = Files.readAllBytes(file);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serve.port() + ServeControl.WEBHOOK
            + source.name() + "/records"))
        .header("Content-Type", "application/x-ndjson")
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
    HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    main.out().printf("%d %s%n", response.statusCode(), response.body());
    if (response.statusCode() == 202 && source.streams()) {
      main.out().printf("The records are in the push topic %s, one message each; each becomes a row of silver.%s within"
          + " moments (a BigQuery subscription), gold at the source's schedule or now: ./medallion run --source %s%n",
          LocalPipeline.pushTopic(source.name()), source.resource(source.push().resource()).orElseThrow().silverTable(),
          source.name());
    } else if (response.statusCode() == 202) {
      main.out().printf("The records are in the push topic %s; they reach bronze when the batch closes (%d s or %,d bytes),"
          + " then silver and gold: ./medallion status%n", LocalPipeline.pushTopic(source.name()), source.push().batchSeconds(),
          source.push().batchBytes());
    }
    return response.statusCode() / 100 == 2 ? 0 : 1;
  }
}
