package io.medallion.cli;

import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.source.Source;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/** The end-of-run summary. */
final class Reports {

  private Reports() {}

  static void printSummary(RunSummary s, LocalPipeline pipeline, Source source, Duration elapsed, PrintStream out) {
    var config = pipeline.config();
    Path buckets = pipeline.layout().buckets();
    out.printf("Run %s %s in %s%n", s.runId(), s.succeeded() ? "succeeded" : "did not succeed", Format.duration(elapsed));
    out.printf("  bronze   %-34s %s%n",
        String.format("%,d records in %,d pages (%s)", s.bronzeRecords(), s.pages(), Format.bytes(s.bronzeBytes())),
        buckets.resolve(config.bronzeBucket()).resolve(source.name()));
    out.printf("  silver   %-34s %s.%s in %s%n",
        String.format("%,d rows, %,d rejects", s.silverRows(), s.rejects()),
        config.silverDataset(), source.silverTable(), pipeline.layout().warehouseFile());
    if (s.silver() == Status.SUCCEEDED) {
      out.printf("  rejects  %-34s %s%n", "one reason each",
          buckets.resolve(config.stagingBucket()).resolve(source.name()).resolve("run_id=" + s.runId()) + "/gen=*/rejects.ndjson");
    }
    out.printf("  gold     %-34s %s.{%s}%n",
        String.format("%,d rows in %d tables", s.goldRows(), source.goldModels().size()),
        config.goldDataset(), String.join(", ", source.goldModels()));
    out.printf("  stages   ingest %s, silver %s, load %s, gold %s%n",
        label(s.ingest()), label(s.silver()), label(s.load()), label(s.gold()));
    out.printf("  check    bronze records = silver rows + rejects: %s%n",
        s.reconciled() ? "yes (" + s.bronzeRecords() + " = " + s.silverRows() + " + " + s.rejects() + ")" : "NO: MISMATCH");
    for (String error : s.errors()) {
      out.println("  error    " + error);
    }
  }

  static String label(Status status) {
    return status == null ? "-" : status.label();
  }
}
