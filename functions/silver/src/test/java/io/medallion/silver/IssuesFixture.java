package io.medallion.silver;

import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.util.Map;
import java.util.Set;

/**
 * A silver table fed as the GitHub issues and Spotify shows APIs would feed it: a nested field
 * (user.login), a field of each element of an array of objects (labels[].name, labels[].id), an
 * array of scalars (languages), timestamps and a date.
 */
final class IssuesFixture {

  private IssuesFixture() {}

  static final TableSchema SCHEMA = TableSchema.parse("""
      [
        {"name": "issue_id", "type": "INT64", "mode": "REQUIRED"},
        {"name": "title", "type": "STRING"},
        {"name": "user_login", "type": "STRING"},
        {"name": "label_names", "type": "STRING", "mode": "REPEATED"},
        {"name": "label_ids", "type": "INT64", "mode": "REPEATED"},
        {"name": "languages", "type": "STRING", "mode": "REPEATED"},
        {"name": "created_at", "type": "TIMESTAMP", "mode": "REQUIRED"},
        {"name": "closed_at", "type": "TIMESTAMP"},
        {"name": "release_date", "type": "DATE"},
        {"name": "spotify_url", "type": "STRING"},
        {"name": "_run_id", "type": "STRING", "mode": "REQUIRED"},
        {"name": "_source_uri", "type": "STRING", "mode": "REQUIRED"},
        {"name": "_source_generation", "type": "INT64", "mode": "REQUIRED"},
        {"name": "_source_record", "type": "INT64", "mode": "REQUIRED"},
        {"name": "_ingested_at", "type": "TIMESTAMP", "mode": "REQUIRED"}
      ]""");

  static final SilverMapping MAPPING = new SilverMapping(
      Map.of("id", "issue_id", "user.login", "user_login", "labels[].name", "label_names", "labels[].id", "label_ids",
          "external_urls.spotify", "spotify_url"),
      "issue_id", Map.of("label_ids", new double[] {0, 1e12}), Set.of("languages"));

  /** A record with every field filled, {@code id} and {@code more} (fields to add, with a leading comma) given. */
  /**
   * An issue; {@code more} ({@code ,"field":value...}) adds fields or replaces the issue's own, in
   * place: a record never holds a field twice, which silver refuses (DUPLICATE_FIELD).
   */
  static String record(long id, String more) {
    String base = baseRecord(id);
    if (more.isEmpty()) {
      return base;
    }
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      com.fasterxml.jackson.databind.node.ObjectNode record = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(base);
      record.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree("{" + more.substring(1) + "}"));
      return json.writeValueAsString(record);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String baseRecord(long id) {
    return "{\"id\":" + id + ",\"title\":\"Issue " + id + "\",\"user\":{\"login\":\"octocat\",\"id\":1},"
        + "\"labels\":[{\"id\":208045946,\"name\":\"bug\",\"color\":\"f29513\"},{\"id\":7,\"name\":\" ui \"}],"
        + "\"languages\":[\"EN\",\"pt\"],\"created_at\":\"2011-04-22T13:33:48Z\",\"closed_at\":null,"
        + "\"release_date\":\"1981-12-15\",\"external_urls\":{\"spotify\":\"https://open.spotify.com/show/x\"}" + "}";
  }
}
