package io.medallion.cli;

import io.medallion.bronze.BronzeLayout;
import io.medallion.source.Source;
import io.medallion.source.paginate.Offset;
import io.medallion.source.paginate.PageNumber;
import io.medallion.source.paginate.PaginatorSpec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's JSON array of records laid out the other ways DuckDB races on: one NDJSON file, and
 * a run's bronze page files as ingest writes them (each page the API's body, at the path {@link
 * BronzeLayout#page} names). Both are made from the array file, so they hold the same records in
 * the same order, and are reused when there.
 */
final class BenchInputs {

  /** The bucket, date and run the page files are laid out for (any would do: the glob reads them all). */
  static final String BUCKET = "bronze";
  static final LocalDate INGEST_DATE = LocalDate.of(2026, 1, 1);
  static final String RUN_ID = "bench";

  private BenchInputs() {}

  /**
   * The records of {@code array}, one per line. The array must be as {@code
   * RecordGenerator.writeJsonArray} writes it: {@code [}, one record per line each but the last
   * followed by a comma, {@code ]}.
   */
  static Path ndjson(Path array) throws IOException {
    Path file = sibling(array, ".ndjson");
    if (Files.exists(file)) {
      return file;
    }
    Path partial = sibling(array, ".ndjson.partial");
    try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
      eachRecord(array, record -> {
        out.write(record);
        out.write('\n');
      });
    }
    Files.move(partial, file);
    return file;
  }

  /**
   * The records of {@code array} as a pass-1 run's page files of {@code resource}, {@link
   * #recordsPerPage} records each, and the glob that reads them all. A page is the API's body: the
   * records joined by commas in brackets, inside an object at the data selector's path unless
   * that is {@code $} (as the replay server serves them).
   */
  static String pages(Path array, Source source, Source.Resource resource) throws IOException {
    Path dir = sibling(array, ".pages");
    String prefix = BronzeLayout.passPrefix(source.name(), INGEST_DATE, RUN_ID, 1);
    String glob = dir.resolve(prefix).resolve("page-*.json").toString();
    if (Files.isDirectory(dir)) {
      return glob;
    }
    Path partial = sibling(array, ".pages.partial");
    BenchCommand.deleteRecursively(partial);
    int perPage = recordsPerPage(source.paginator(resource));
    String[] selector = "$".equals(resource.endpoint().dataSelector()) ? new String[0]
        : resource.endpoint().dataSelector().split("\\.");
    List<String> page = new ArrayList<>(perPage);
    int[] number = {0};
    RecordSink flush = ignored -> {
      Path file = partial.resolve(BronzeLayout.page(BUCKET, source.name(), INGEST_DATE, RUN_ID, 1, ++number[0]).name());
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        out.write(body(page, selector).getBytes(StandardCharsets.UTF_8));
      }
      page.clear();
    };
    eachRecord(array, record -> {
      page.add(record);
      if (page.size() == perPage) {
        flush.accept(null);
      }
    });
    if (!page.isEmpty()) {
      flush.accept(null);
    }
    Files.move(partial, dir);
    return glob;
  }

  /** The page size a run asks for: the paginator's declared page size or limit, else 100. */
  static int recordsPerPage(PaginatorSpec paginator) {
    if (paginator instanceof PageNumber p && p.pageSize() != null) {
      return p.pageSize();
    }
    if (paginator instanceof Offset o) {
      return o.limit();
    }
    return 100;
  }

  private static String body(List<String> records, String[] selector) {
    StringBuilder b = new StringBuilder();
    for (String step : selector) {
      b.append("{\"").append(step).append("\":");
    }
    b.append('[').append(String.join(",", records)).append(']');
    b.append("}".repeat(selector.length));
    return b.toString();
  }

  private interface RecordSink {
    void accept(String record) throws IOException;
  }

  private static void eachRecord(Path array, RecordSink sink) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(array, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      if (!"[".equals(line)) {
        throw new IOException(array + " is not a JSON array with one record per line: its first line is not '['");
      }
      String previous = null;
      while ((line = in.readLine()) != null && !line.equals("]")) {
        if (previous != null) {
          if (!previous.endsWith(",")) {
            throw new IOException(array + " is not a JSON array with one record per line: a record not followed by ','");
          }
          sink.accept(previous.substring(0, previous.length() - 1));
        }
        previous = line.isEmpty() ? null : line;
      }
      if (line == null) {
        throw new IOException(array + " is not a JSON array with one record per line: it does not end with ']'");
      }
      if (previous != null) {
        sink.accept(previous);
      }
    }
  }

  private static Path sibling(Path file, String suffix) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return file.resolveSibling(base + suffix);
  }
}
