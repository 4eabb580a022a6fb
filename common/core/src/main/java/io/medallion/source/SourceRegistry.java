package io.medallion.source;

import io.medallion.source.breweries.BreweriesSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of sources. A source name from a message or an object path is only ever used
 * after it was found here.
 */
public final class SourceRegistry {

  private final Map<String, Source> sources = new LinkedHashMap<>();

  public SourceRegistry(Source... sources) {
    for (Source s : sources) {
      if (this.sources.put(s.name(), s) != null) {
        throw new IllegalArgumentException("Source " + s.name() + " registered twice");
      }
    }
  }

  /** The sources this build ships. */
  public static SourceRegistry standard() {
    return new SourceRegistry(new BreweriesSource());
  }

  public Optional<Source> find(String name) {
    return Optional.ofNullable(name == null ? null : sources.get(name));
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(sources.keySet());
  }
}
