package io.medallion.ingest;

import io.medallion.bronze.BronzeLayout;
import io.medallion.bronze.BronzeLayout.Listing;
import io.medallion.port.ObjectStore;
import io.medallion.port.StoredObject;
import io.medallion.source.SourceOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * The pages a run has in bronze, by listing (resource, parent record), pass and page number, as
 * their metadata says: what ingest resumes from and what the manifest lists. Objects of other runs,
 * manifests and files people copied into the run's folder are not pages of the run and are left out.
 */
final class RunPages {

  private static final Logger LOG = Logger.getLogger(RunPages.class.getName());

  private final Map<Listing, NavigableMap<Integer, NavigableMap<Integer, StoredObject>>> byListing = new HashMap<>();

  private RunPages() {}

  /**
   * @param onlyResource the source's resource when it has one: pages of older runs that do not
   *     name their resource belong to it
   */
  static RunPages list(ObjectStore objects, String bucket, String runPrefix, String runId, String onlyResource)
      throws IOException {
    RunPages pages = new RunPages();
    for (StoredObject o : objects.list(bucket, runPrefix)) {
      Map<String, String> meta = o.metadata();
      if (!BronzeLayout.ROLE_PAGE.equals(meta.get(BronzeLayout.ROLE)) || !runId.equals(meta.get(BronzeLayout.RUN_ID))) {
        continue;
      }
      int pass = positive(meta.getOrDefault(BronzeLayout.PASS, "1"));
      int page = positive(meta.get(BronzeLayout.PAGE));
      int parent = positive(meta.getOrDefault(BronzeLayout.PARENT_INDEX, "0"));
      String resource = meta.getOrDefault(BronzeLayout.RESOURCE, onlyResource);
      if (pass < 1 || page < 1 || parent < 0 || resource == null || positive(meta.get(BronzeLayout.RECORDS)) < 0) {
        // Ingest never writes such metadata: someone else's object, not a page to build on.
        LOG.warning(() -> "ingest: " + o.id() + " claims to be a page of run " + runId + " with unusable metadata " + meta);
        continue;
      }
      pages.byListing.computeIfAbsent(new Listing(resource, parent), l -> new TreeMap<>())
          .computeIfAbsent(pass, p -> new TreeMap<>()).put(page, o);
    }
    return pages;
  }

  /** The value as a positive number or zero, -1 when it is absent or not one. */
  private static int positive(String value) {
    if (value == null || !value.matches("\\d{1,9}")) {
      return -1;
    }
    return Integer.parseInt(value);
  }

  private NavigableMap<Integer, NavigableMap<Integer, StoredObject>> passes(Listing listing) {
    return byListing.getOrDefault(listing, new TreeMap<>());
  }

  /** The latest pass of a listing with pages, or 1 when it has none yet. */
  int currentPass(Listing listing) {
    return passes(listing).isEmpty() ? 1 : passes(listing).lastKey();
  }

  /** The pages of one pass of a listing in page order (empty when it has none). */
  NavigableMap<Integer, StoredObject> of(Listing listing, int pass) {
    return passes(listing).getOrDefault(pass, new TreeMap<>());
  }

  /** The first page number the pass does not have yet. */
  int firstMissing(Listing listing, int pass) {
    int n = 1;
    while (of(listing, pass).containsKey(n)) {
      n++;
    }
    return n;
  }

  /** The listing's total when the pass was read, as its first page recorded it. */
  OptionalLong sourceTotal(Listing listing, int pass) {
    StoredObject first = of(listing, pass).get(1);
    String total = first == null ? null : first.metadata().get(BronzeLayout.SOURCE_TOTAL);
    return total == null || !total.matches("\\d{1,18}") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
  }

  /** How many records the pages of the pass hold. */
  long records(Listing listing, int pass) {
    long n = 0;
    for (StoredObject o : of(listing, pass).values()) {
      n += Long.parseLong(o.metadata().get(BronzeLayout.RECORDS));
    }
    return n;
  }

  /** Every listing with pages. */
  java.util.Set<Listing> listings() {
    return byListing.keySet();
  }

  /**
   * Where the run's pages came from, as their metadata says; empty when the run has no pages yet
   * (or only pages from before runs recorded it).
   *
   * @throws IllegalStateException when pages name different origins: someone else's objects
   */
  Optional<URI> origin() {
    URI found = null;
    for (var passes : byListing.values()) {
      for (NavigableMap<Integer, StoredObject> pass : passes.values()) {
        for (StoredObject o : pass.values()) {
          String url = o.metadata().get(BronzeLayout.SOURCE_URL);
          if (url == null) {
            continue;
          }
          URI u;
          try {
            u = new URI(url);
          } catch (URISyntaxException e) {
            throw new IllegalStateException("has page " + o.id() + " with an unreadable source URL " + url);
          }
          if (found != null && !SourceOrigin.same(found, u)) {
            throw new IllegalStateException("has pages from two sources, " + found + " and " + u + " (" + o.id() + ")");
          }
          found = u;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The page size the run's pages were asked with; empty when no page says.
   *
   * @throws IllegalStateException when pages disagree
   */
  OptionalInt pageSize() {
    Integer found = null;
    for (var passes : byListing.values()) {
      for (NavigableMap<Integer, StoredObject> pass : passes.values()) {
        for (StoredObject o : pass.values()) {
          int size = positive(o.metadata().get(BronzeLayout.PAGE_SIZE));
          if (size < 1) {
            continue;
          }
          if (found != null && found != size) {
            throw new IllegalStateException("has pages of " + found + " and of " + size + " records per page (" + o.id() + ")");
          }
          found = size;
        }
      }
    }
    return found == null ? OptionalInt.empty() : OptionalInt.of(found);
  }

  /** The incremental start value a listing's pages were read from, if they say. */
  Optional<String> since(String resource) {
    for (var e : byListing.entrySet()) {
      if (!e.getKey().resource().equals(resource)) {
        continue;
      }
      for (NavigableMap<Integer, StoredObject> pass : e.getValue().values()) {
        for (StoredObject o : pass.values()) {
          String since = o.metadata().get(BronzeLayout.SINCE);
          if (since != null) {
            return Optional.of(since);
          }
        }
      }
    }
    return Optional.empty();
  }
}
