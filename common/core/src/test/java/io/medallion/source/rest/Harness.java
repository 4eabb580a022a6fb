package io.medallion.source.rest;

import io.medallion.source.Deadline;
import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine's tests share: settings with a recording sleeper (nothing sleeps for real), a
 * clock the test moves, secrets from a map, and reading a resource to its end.
 */
public final class Harness {

  /** A clock that stands still until the test moves it. */
  public static final class MovableClock extends Clock {
    private volatile Instant now;

    public MovableClock(Instant start) {
      this.now = start;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  public final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  public final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T12:00:00Z"));
  public final Map<String, String> secretValues = new HashMap<>();
  public final Redactor redactor = new Redactor();
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  public RetryPolicy retry = RetryPolicy.defaults().withSleeper(sleeps::add)
      .withDeadline(new Deadline(clock.instant().plus(Duration.ofDays(1)), clock));

  public Secrets secrets() {
    return Secrets.fromEnvironment(secretValues);
  }

  public ReadSettings settings(URI base) {
    return new ReadSettings(base, null, retry, Map.of(), null, secretsOnce, redactor, http);
  }

  // One Secrets per harness: readers of one run share it (and their authenticators with it).
  private final Secrets secretsOnce = ref -> secrets().value(ref);

  /** Reads {@code resource} from its first page to its end, sequentially. */
  public static List<FetchedPage> readAll(ResourceReader reader) throws IOException {
    List<FetchedPage> pages = new ArrayList<>();
    PageRequest request = reader.first();
    for (int n = 1; request != null; n++) {
      if (n > 50) {
        throw new AssertionError("more than 50 pages: the paging does not end");
      }
      FetchedPage page = reader.fetch(n, request);
      pages.add(page);
      request = page.next().orElse(null);
    }
    return pages;
  }

  public List<FetchedPage> readAll(Source source, ReadSettings settings) throws IOException {
    return readAll(Readers.open(source, source.resources().get(0), settings));
  }

  /** The failure of reading {@code source}'s first resource to the end with {@code settings}. */
  public SourceException failure(Source source, ReadSettings settings) {
    try {
      readAll(source, settings);
    } catch (SourceException e) {
      return e;
    } catch (IOException e) {
      throw new AssertionError("expected a SourceException, got " + e, e);
    }
    throw new AssertionError("expected a SourceException, the read succeeded");
  }
}
