package io.medallion.source.paginate;

import io.medallion.source.Json;

/**
 * Where a paged listing says how large it is.
 *
 * @param path a dot path in the body of each page, or of {@code endpoint}'s answer
 * @param endpoint a path under the base URL answering the total, or null (then each page says)
 * @param countsPages whether the number counts pages rather than records
 * @param consistency whether a total that moves during a run makes ingest read the source again
 */
public record Total(String path, String endpoint, boolean countsPages, boolean consistency) {

  static Total parse(Json json) {
    return new Total(json.required("path"), json.string("endpoint").orElse(null),
        "pages".equals(json.string("counts", "records")), json.bool("consistency", false));
  }
}
