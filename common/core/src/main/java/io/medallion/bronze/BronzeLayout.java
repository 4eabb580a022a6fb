package io.medallion.bronze;

import io.medallion.port.ObjectId;
import java.net.URI;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where bronze and staging objects live, and the metadata that marks an object as part of a run.
 *
 * <pre>
 * bronze:  &lt;source&gt;/ingest_date=YYYY-MM-DD/run_id=&lt;id&gt;/page-00001.json ... _SUCCESS
 *          &lt;source&gt;/ingest_date=YYYY-MM-DD/run_id=&lt;id&gt;/pass=2/page-00001.json ... (a re-read)
 * staging: &lt;source&gt;/run_id=&lt;id&gt;/gen=&lt;generation&gt;/rows.ndjson, rejects.ndjson, _SILVER.json
 *          &lt;source&gt;/drop_md5=&lt;hex&gt;/claim-00001.json (the run that loaded a dropped file's bytes)
 * </pre>
 *
 * A bronze object without {@link #RUN_ID} metadata is a user drop and is loaded on its own.
 *
 * <p>A run reads its source in passes. Pass 1 pages sit directly under the run; when the source
 * changes while a run reads it, ingest reads it again from page 1 into {@code pass=N/}, keeping the
 * earlier pages as they came (bronze is never rewritten). The manifest lists the pages of the one
 * pass that was consistent, and silver loads exactly those.
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
  /** Object metadata: the pass of the run a page belongs to; absent means 1. */
  public static final String PASS = "medallion-pass";
  /** Object metadata: the source's total when the page's pass was read, when the source tells. */
  public static final String SOURCE_TOTAL = "medallion-source-total";
  /** Object metadata: the declared resource a page belongs to. */
  public static final String RESOURCE = "medallion-resource";
  /** Object metadata: a child resource's page: the 1-based position of its parent record in the parent's pages. */
  public static final String PARENT_INDEX = "medallion-parent-index";
  /** Object metadata: a child resource's page: the parent fields it was read for and includes (a JSON object). */
  public static final String PARENT = "medallion-parent";
  /** Object metadata: the request of the page after this one (its URL), empty on the last page. */
  public static final String NEXT = "medallion-next";
  /** Object metadata: the highest incremental cursor value among the page's records. */
  public static final String MAX_CURSOR = "medallion-max-cursor";
  /** Object metadata: the incremental start value the run reads from. */
  public static final String SINCE = "medallion-since";
  /** Object metadata: the records per page the run asked for. */
  public static final String PAGE_SIZE = "medallion-page-size";
  /** Object metadata: where the run read the page from (its source URL, see {@code SourceOrigin}). */
  public static final String SOURCE_URL = "medallion-source-url";

  public static final String ROLE_PAGE = "page";
  public static final String ROLE_MANIFEST = "manifest";
  public static final String MANIFEST_NAME = "_SUCCESS";

  private BronzeLayout() {}

  public static String runPrefix(String source, LocalDate ingestDate, String runId) {
    return source + "/ingest_date=" + ingestDate + "/run_id=" + runId + "/";
  }

  public static ObjectId page(String bucket, String source, LocalDate date, String runId, int pass, int page) {
    return new ObjectId(bucket, passPrefix(source, date, runId, pass) + String.format("page-%05d.json", page));
  }

  /** Where the pages of one pass of a run live: the run prefix itself for pass 1. */
  public static String passPrefix(String source, LocalDate date, String runId, int pass) {
    if (pass < 1) {
      throw new IllegalArgumentException("Passes start at 1, got " + pass);
    }
    return runPrefix(source, date, runId) + (pass == 1 ? "" : "pass=" + pass + "/");
  }

  /**
   * One listing of a run: a resource, and for a child resource the parent record (1-based, 0 for
   * none) whose children it lists. Each has its own pages.
   */
  public record Listing(String resource, int parentIndex) {
    public Listing {
      if (parentIndex < 0) {
        throw new IllegalArgumentException("Negative parent index " + parentIndex);
      }
    }

    /** A top-level resource's listing. */
    public static Listing of(String resource) {
      return new Listing(resource, 0);
    }
  }

  /**
   * Where a listing's pages of one pass live. A source with one resource keeps them directly under
   * the run (as always); with several, each under {@code resource=<name>/}, a child's under
   * {@code resource=<name>/parent=000001/}.
   *
   * @param nested whether the source has several resources
   */
  public static String passPrefix(String source, LocalDate date, String runId, Listing listing, boolean nested, int pass) {
    if (pass < 1) {
      throw new IllegalArgumentException("Passes start at 1, got " + pass);
    }
    String prefix = runPrefix(source, date, runId);
    if (nested) {
      prefix += "resource=" + listing.resource() + "/";
    }
    if (listing.parentIndex() > 0) {
      prefix += String.format("parent=%06d/", listing.parentIndex());
    }
    return prefix + (pass == 1 ? "" : "pass=" + pass + "/");
  }

  public static ObjectId page(
      String bucket, String source, LocalDate date, String runId, Listing listing, boolean nested, int pass, int page) {
    return new ObjectId(bucket, passPrefix(source, date, runId, listing, nested, pass) + String.format("page-%05d.json", page));
  }

  /**
   * What a page's metadata records: enough for silver to type it (its resource, its parent's
   * fields) and for ingest to resume its listing (the next request, the totals, the origin).
   *
   * @param parentIndex 0 for a top-level resource's page
   * @param parent the parent's fields as a JSON object, or null
   * @param sourceTotal the listing's total when the pass began, when the source says
   * @param pageSize the run's page size, or null for the declaration's
   * @param next the next page's request, "" on the last page
   * @param maxCursor the page's highest incremental cursor value, or null
   * @param since the incremental start value the run reads from, or null
   */
  public record PageInfo(
      String source, String runId, String resource, int parentIndex, String parent, int pass, int page, long records,
      OptionalLong sourceTotal, URI origin, Integer pageSize, String next, String maxCursor, String since) {

    public Map<String, String> metadata() {
      Map<String, String> meta = new HashMap<>(pageMetadata(source, runId, pass, page, records, sourceTotal, origin,
          pageSize == null ? 0 : pageSize));
      if (pageSize == null) {
        meta.remove(PAGE_SIZE);
      }
      meta.put(RESOURCE, resource);
      if (parentIndex > 0) {
        meta.put(PARENT_INDEX, Integer.toString(parentIndex));
      }
      if (parent != null) {
        meta.put(PARENT, parent);
      }
      meta.put(NEXT, next == null ? "" : next);
      if (maxCursor != null) {
        meta.put(MAX_CURSOR, maxCursor);
      }
      if (since != null) {
        meta.put(SINCE, since);
      }
      return Map.copyOf(meta);
    }
  }

  public static ObjectId manifest(String bucket, String source, LocalDate date, String runId) {
    return new ObjectId(bucket, runPrefix(source, date, runId) + MANIFEST_NAME);
  }

  /**
   * Metadata of a page: what marks it as part of a run.
   *
   * @param sourceTotal the source's total when the pass was read, or empty when it cannot tell
   * @param origin where the run reads its source
   * @param pageSize the records per page the run asks for
   */
  public static Map<String, String> pageMetadata(
      String source, String runId, int pass, int page, long records, OptionalLong sourceTotal, URI origin,
      int pageSize) {
    Map<String, String> meta = new HashMap<>(Map.of(
        SOURCE, source, RUN_ID, runId, ROLE, ROLE_PAGE, PAGE, Integer.toString(page),
        RECORDS, Long.toString(records), PASS, Integer.toString(pass), SOURCE_URL, origin.toString()));
    sourceTotal.ifPresent(t -> meta.put(SOURCE_TOTAL, Long.toString(t)));
    meta.put(PAGE_SIZE, Integer.toString(pageSize));
    return Map.copyOf(meta);
  }

  public static Map<String, String> manifestMetadata(String source, String runId) {
    return Map.of(SOURCE, source, RUN_ID, runId, ROLE, ROLE_MANIFEST);
  }

  /**
   * Where the Cloud Storage subscription of a pushed source writes its batches:
   * {@code <source>/pushed/}, or {@code <source>/<resource>/pushed/} for a source with several
   * resources (the folder a drop of that resource goes into). A collection moves them into its run.
   */
  public static String pushedPrefix(io.medallion.source.Source source) {
    return source.name() + "/" + (source.resources().size() > 1 ? source.push().resource() + "/" : "") + "pushed/";
  }

  /** Where a collection run keeps the pushed files it moved into it. */
  public static String pushedInRun(String source, LocalDate date, String runId) {
    return runPrefix(source, date, runId) + "pushed/";
  }

  /**
   * The claim of a collection run on one pushed file (its name and generation): create-only, so
   * two collections never both take a file, and a collection that died halfway is finished by the
   * next from what its claims name.
   */
  public static ObjectId pushedClaim(String stagingBucket, String source, String name, long generation) {
    return new ObjectId(stagingBucket,
        source + "/pushed_claims/" + io.medallion.port.JobIds.derive("pushed", name, Long.toString(generation)) + ".json");
  }

  /** The first path segment: the source a dropped file claims to belong to. */
  public static Optional<String> sourceOf(ObjectId id) {
    int slash = id.name().indexOf('/');
    return slash <= 0 ? Optional.empty() : Optional.of(id.name().substring(0, slash));
  }

  /**
   * Where the claims on the bytes of dropped files of {@code source} whose MD5 is {@code md5Hex}
   * live: {@link #dropClaim} objects, oldest first.
   */
  public static String dropClaimsPrefix(String source, String md5Hex) {
    return source + "/drop_md5=" + md5Hex + "/";
  }

  /** Claim number {@code ordinal} (from 1) on those bytes. */
  public static ObjectId dropClaim(String bucket, String source, String md5Hex, int ordinal) {
    return new ObjectId(bucket, dropClaimsPrefix(source, md5Hex) + String.format("claim-%05d.json", ordinal));
  }

  /** Staging objects of one silver load, keyed by the run and the trigger's generation. */
  public record Staging(ObjectId rows, ObjectId rejects, ObjectId summary) {}

  /** Staging of one silver table of a source with several resources: a folder per table. */
  public static Staging staging(String bucket, String source, String runId, long triggerGeneration, String table) {
    String prefix = source + "/run_id=" + runId + "/gen=" + triggerGeneration + "/table=" + table + "/";
    return new Staging(
        new ObjectId(bucket, prefix + "rows.ndjson"),
        new ObjectId(bucket, prefix + "rejects.ndjson"),
        new ObjectId(bucket, prefix + "_SILVER.json"));
  }

  public static Staging staging(String bucket, String source, String runId, long triggerGeneration) {
    String prefix = source + "/run_id=" + runId + "/gen=" + triggerGeneration + "/";
    return new Staging(
        new ObjectId(bucket, prefix + "rows.ndjson"),
        new ObjectId(bucket, prefix + "rejects.ndjson"),
        new ObjectId(bucket, prefix + "_SILVER.json"));
  }
}
