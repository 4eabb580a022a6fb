package io.medallion.cli;

import io.medallion.source.Source;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion notify --source NAME [--ingest-date YYYY-MM-DD]}: tells the running serve's
 * webhook that a batch of the source is ready, as a partner's system would ({@code POST
 * /v1/sources/NAME/notify}, signed with the source's secret when it declares one): a pull run of
 * the source starts, filed under that ingest date.
 */
@Command(name = "notify", mixinStandardHelpOptions = true,
    description = "Tell the local webhook a batch is ready: starts a pull run of the source (serve must run).")
final class NotifyCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", required = true, description = "The source whose batch is ready.")
  String sourceName;

  @Option(names = "--ingest-date", paramLabel = "YYYY-MM-DD",
      description = "The batch's date: the run's bronze partition (default: today, UTC).")
  String ingestDate;

  @Option(names = "--idempotency-key", description = "Sent as Idempotency-Key: the same key again names the same run.")
  String idempotencyKey;

  @Override
  public Integer call() throws Exception {
    Source source = PostCommand.pushed(main, sourceName);
    String body = "";
    if (ingestDate != null) {
      try {
        body = "{\"ingest_date\": \"" + LocalDate.parse(ingestDate) + "\"}";
      } catch (DateTimeParseException e) {
        throw new Main.UserError("--ingest-date must be a date, YYYY-MM-DD: " + ingestDate);
      }
    }
    HttpResponse<String> response = PostCommand.send(main, source, io.medallion.push.Webhook.NOTIFY, "application/json",
        body.getBytes(StandardCharsets.UTF_8), idempotencyKey);
    main.out().printf("%d %s%n", response.statusCode(), response.body());
    return response.statusCode() / 100 == 2 ? 0 : 1;
  }
}
