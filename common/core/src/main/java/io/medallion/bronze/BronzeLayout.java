package io.medallion.bronze;

import io.medallion.port.ObjectId;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * Where bronze and staging objects live, and the metadata that marks an object as part of a run.
 *
 * <pre>
 * bronze:  &lt;source&gt;/ingest_date=YYYY-MM-DD/run_id=&lt;id&gt;/page-00001.json ... _SUCCESS
 * staging: &lt;source&gt;/run_id=&lt;id&gt;/gen=&lt;generation&gt;/rows.ndjson, rejects.ndjson, _SILVER.json
 * </pre>
 *
 * A bronze object without {@link #RUN_ID} metadata is a user drop and is loaded on its own.
 */
public final class BronzeLayout {

  /** Object metadata: the run an object belongs to. */
  public static final String RUN_ID = "medallion-run-id";
  /** Object metadata: the source that produced it. */
  public static final String SOURCE = "medallion-source";
  /** Object metadata: {@link #ROLE_PAGE} or {@link #ROLE_MANIFEST}. */
  public static final String ROLE = "medallion-role";
  /** Object metadata: the page number of a page. */
  public static final String PAGE = "medallion-page";
  /** Object metadata: how many records a page holds. */
  public static final String RECORDS = "medallion-records";

  public static final String ROLE_PAGE = "page";
  public static final String ROLE_MANIFEST = "manifest";
  public static final String MANIFEST_NAME = "_SUCCESS";

  private BronzeLayout() {}

  public static String runPrefix(String source, LocalDate ingestDate, String runId) {
    return source + "/ingest_date=" + ingestDate + "/run_id=" + runId + "/";
  }

  public static ObjectId page(String bucket, String source, LocalDate date, String runId, int page) {
    return new ObjectId(bucket, runPrefix(source, date, runId) + String.format("page-%05d.json", page));
  }

  public static ObjectId manifest(String bucket, String source, LocalDate date, String runId) {
    return new ObjectId(bucket, runPrefix(source, date, runId) + MANIFEST_NAME);
  }

  public static Map<String, String> pageMetadata(String source, String runId, int page, long records) {
    return Map.of(
        SOURCE, source, RUN_ID, runId, ROLE, ROLE_PAGE, PAGE, Integer.toString(page),
        RECORDS, Long.toString(records));
  }

  public static Map<String, String> manifestMetadata(String source, String runId) {
    return Map.of(SOURCE, source, RUN_ID, runId, ROLE, ROLE_MANIFEST);
  }

  /** The first path segment: the source a dropped file claims to belong to. */
  public static Optional<String> sourceOf(ObjectId id) {
    int slash = id.name().indexOf('/');
    return slash <= 0 ? Optional.empty() : Optional.of(id.name().substring(0, slash));
  }

  /** Staging objects of one silver load, keyed by the run and the trigger's generation. */
  public record Staging(ObjectId rows, ObjectId rejects, ObjectId summary) {}

  public static Staging staging(String bucket, String source, String runId, long triggerGeneration) {
    String prefix = source + "/run_id=" + runId + "/gen=" + triggerGeneration + "/";
    return new Staging(
        new ObjectId(bucket, prefix + "rows.ndjson"),
        new ObjectId(bucket, prefix + "rejects.ndjson"),
        new ObjectId(bucket, prefix + "_SILVER.json"));
  }
}
