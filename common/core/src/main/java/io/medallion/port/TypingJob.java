package io.medallion.port;

import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A big CSV file typed by the warehouse rather than by silver's function ({@link
 * Warehouse#typeFile}): read raw, typed by {@link io.medallion.typing.TypingSql}, written to
 * staging as silver would write it, so that the same load job loads the rows.
 *
 * @param file the dropped file
 * @param header the file's header row, in order (read by silver from the file's first line)
 * @param rowsPrefix where the typed rows go: one or more NDJSON objects named from this prefix
 * @param rejectsPrefix where the reject lines go, likewise
 * @param fileKey the file's logical key, for {@code _file_key}, or null
 */
public record TypingJob(
    String jobId, ObjectId file, FileFormat format, List<String> header, TableSchema schema, SilverMapping mapping,
    String runId, long generation, Instant ingestedAt, String fileKey, ObjectId rowsPrefix, ObjectId rejectsPrefix,
    Map<String, String> labels) {

  public TypingJob {
    header = List.copyOf(header);
    labels = Map.copyOf(labels);
    JobIds.requireValid(jobId);
    Labels.requireValid(labels);
  }

  /**
   * What the warehouse typed: records read, rows kept, rejects per reason, and the staging objects
   * written (rows for the load job; rejects to keep).
   */
  public record Result(long records, long rows, Map<String, Long> rejectsByReason, List<ObjectId> rowObjects,
      List<ObjectId> rejectObjects) {
    public Result {
      rejectsByReason = Map.copyOf(rejectsByReason);
      rowObjects = List.copyOf(rowObjects);
      rejectObjects = List.copyOf(rejectObjects);
    }

    public long rejects() {
      return rejectsByReason.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
