package io.medallion.bronze;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import io.medallion.event.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code _SUCCESS} object ingest writes after the last page of a run: which pages make the
 * run, with their sizes and checksums, and where the run read them from ({@code sourceUrl}; absent
 * in manifests written before runs recorded it). Silver loads a run once, on its manifest.
 */
public record Manifest(
    String source,
    String runId,
    String ingestDate,
    List<PageEntry> pages,
    long records,
    long bytes,
    String completedAt,
    String sourceUrl) {

  /**
   * One page of the run, as written.
   *
   * @param resource the declared resource (null in manifests from before sources had several)
   * @param parentIndex a child resource's parent record (1-based), 0 for none
   * @param parent the parent's fields the child records carry (a JSON object), or null
   * @param pushed whether it is a file of pushed records (NDJSON, one record a line) rather than an
   *     API's response (false in manifests from before sources took pushes)
   */
  public record PageEntry(
      int page, String name, long generation, long records, long bytes, String md5, String resource, int parentIndex,
      String parent, boolean pushed) {

    /** A page a pull run read. */
    public PageEntry(
        int page, String name, long generation, long records, long bytes, String md5, String resource, int parentIndex,
        String parent) {
      this(page, name, generation, records, bytes, md5, resource, parentIndex, parent, false);
    }

    /** A page of a source's only resource. */
    public PageEntry(int page, String name, long generation, long records, long bytes, String md5) {
      this(page, name, generation, records, bytes, md5, null, 0, null);
    }
  }

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

  public Manifest {
    pages = List.copyOf(pages);
  }

  public byte[] toJson() {
    return GSON.toJson(this).getBytes(StandardCharsets.UTF_8);
  }

  public static Manifest parse(byte[] json, String where) throws InvalidEventException {
    try {
      Manifest m = GSON.fromJson(new String(json, StandardCharsets.UTF_8), Manifest.class);
      if (m == null || m.source() == null || m.runId() == null || m.pages() == null) {
        throw new InvalidEventException("Manifest " + where + " lacks source, runId or pages");
      }
      return m;
    } catch (JsonParseException e) {
      throw new InvalidEventException("Manifest " + where + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
