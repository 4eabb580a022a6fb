package io.medallion.local.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The generated records of every resource of a source, in declaration order; a child's records in parent order. */
public final class GeneratedData {

  private final Map<String, List<GeneratedRecord>> byResource;

  GeneratedData(Map<String, List<GeneratedRecord>> byResource) {
    Map<String, List<GeneratedRecord>> copy = new LinkedHashMap<>();
    byResource.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.byResource = Collections.unmodifiableMap(copy);
  }

  /** The records of {@code resource}. */
  public List<GeneratedRecord> records(String resource) {
    List<GeneratedRecord> r = byResource.get(resource);
    if (r == null) {
      throw new IllegalArgumentException("no resource '" + resource + "' (resources: " + byResource.keySet() + ")");
    }
    return r;
  }

  /** The records of the first resource: all of a single-resource source's. */
  public List<GeneratedRecord> first() {
    return byResource.values().iterator().next();
  }

  /** The resources, in declaration order. */
  public Set<String> resources() {
    return byResource.keySet();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedData d && d.byResource.equals(byResource);
  }

  @Override
  public int hashCode() {
    return byResource.hashCode();
  }
}
