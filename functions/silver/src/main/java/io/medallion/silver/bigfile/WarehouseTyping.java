package io.medallion.silver.bigfile;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import io.medallion.port.TypingJob;
import io.medallion.port.Warehouse;
import io.medallion.source.Source;
import io.medallion.typing.TypingSql;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Big files run on the warehouse, not in the function: a CSV file larger than the source's {@code
 * files.warehouse_typing_above_bytes} is read raw and typed by SQL where the data is ({@link
 * TypingSql}: BigQuery on GCP, DuckDB locally), into the same staging rows and rejects the
 * function would write, which the same load job then loads. The function reads only the file's
 * header line.
 */
public final class WarehouseTyping {

  private WarehouseTyping() {}

  /**
   * Whether this file is typed in the warehouse: a CSV resource's uncompressed file above the
   * source's threshold, whose table and format the SQL types exactly; otherwise the function
   * types it, whatever its size.
   */
  public static boolean applies(Source source, Source.Resource resource, StoredObject file, ObjectStore objects)
      throws IOException {
    if (resource.file() == null || source.drops() == null || file.size() <= source.drops().warehouseTypingAbove()) {
      return false;
    }
    if (TypingSql.unsupported(source.silverSchema(resource.silverTable()), resource.silver(), resource.file().format()).isPresent()) {
      return false;
    }
    try (InputStream in = objects.open(file.id())) {
      byte[] head = in.readNBytes(2);
      return !(head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B); // gzip: the function streams it
    }
  }

  /** Why the table or format is left to the function, if it is. */
  public static Optional<String> whyNot(Source source, Source.Resource resource) {
    return TypingSql.unsupported(source.silverSchema(resource.silverTable()), resource.silver(), resource.file().format());
  }

  /**
   * Types the file in the warehouse into {@code rowsPrefix*} and {@code rejectsPrefix*} and says
   * what it kept.
   */
  public static TypingJob.Result type(
      Warehouse warehouse, ObjectStore objects, Source source, Source.Resource resource, StoredObject file, String runId,
      String fileKey, String jobId, ObjectId rowsPrefix, ObjectId rejectsPrefix, Map<String, String> labels)
      throws IOException {
    List<String> header = header(objects, file.id(), resource);
    return warehouse.typeFile(new TypingJob(jobId, file.id(), resource.file().format(), header,
        source.silverSchema(resource.silverTable()), resource.silver(), runId, file.generation(), file.created(), fileKey,
        rowsPrefix, rejectsPrefix, labels));
  }

  /** The header row's names, read with the declared encoding, delimiter and quote (a BOM skipped). */
  static List<String> header(ObjectStore objects, ObjectId id, Source.Resource resource) throws IOException {
    var format = resource.file().format();
    try (PushbackInputStream in = new PushbackInputStream(objects.open(id), 3)) {
      byte[] bom = in.readNBytes(3);
      if (!(bom.length == 3 && (bom[0] & 0xFF) == 0xEF && (bom[1] & 0xFF) == 0xBB && (bom[2] & 0xFF) == 0xBF)) {
        in.unread(bom);
      }
      CsvReader<CsvRecord> csv = CsvReader.builder().fieldSeparator(format.delimiter()).quoteCharacter(format.quote())
          .ofCsvRecord(new InputStreamReader(in, format.encoding()));
      Iterator<CsvRecord> records = csv.iterator();
      for (int row = 1; records.hasNext(); row++) {
        CsvRecord r = records.next();
        if (row == format.headerRow()) {
          return r.getFields().stream().map(String::strip).toList();
        }
      }
      throw new IOException(id.uri() + " has no header row " + format.headerRow());
    }
  }
}
