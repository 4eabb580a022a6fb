package io.medallion.source;

import io.medallion.event.InvalidEventException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run reads its source: the base URL of an API ({@code http}/{@code https}), or locally
 * {@code replay:<source>?records=N&seed=S}, the embedded replay server's generated data, which is
 * the same data whenever it is served again. A run records its origin in its requests, its bronze
 * pages and the ledger, and every continuation, resume and replay reads from exactly it.
 */
public final class SourceOrigin {

  /** The scheme of generated local data. */
  public static final String REPLAY = "replay";

  private SourceOrigin() {}

  /**
   * The origin as a checked URI: http(s) with a host and no user name or password (credentials
   * belong to a source's declared auth, never to a URL that lands in logs and the ledger), or a
   * well-formed {@code replay:} URI.
   *
   * @throws InvalidEventException naming what is wrong
   */
  public static URI check(URI origin) throws InvalidEventException {
    String scheme = origin.getScheme() == null ? "" : origin.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals(REPLAY)) {
      replay(origin); // throws when malformed
      return origin;
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new InvalidEventException("source URL " + origin + " is neither http(s) nor replay:");
    }
    if (origin.getRawUserInfo() != null) {
      throw new InvalidEventException(
          "source URL " + redacted(origin) + " carries a user name or password: put credentials in the source's auth,"
              + " never in its URL");
    }
    if (origin.getHost() == null || origin.getHost().isEmpty()) {
      throw new InvalidEventException("source URL " + origin + " has no host");
    }
    if (origin.getRawQuery() != null || origin.getRawFragment() != null) {
      throw new InvalidEventException("source URL " + origin + " has a query or fragment: give the base URL only");
    }
    return origin;
  }

  /** Parses a URL a person typed, as {@link #check} would accept it. */
  public static URI parse(String text) throws InvalidEventException {
    try {
      return check(new URI(text.trim()));
    } catch (URISyntaxException e) {
      throw new InvalidEventException("source URL " + text + " is not a URL: " + e.getMessage());
    }
  }

  /** Two origins are the same when they differ at most by a trailing slash or the case of scheme and host. */
  public static boolean same(URI a, URI b) {
    return normal(a).equals(normal(b));
  }

  private static String normal(URI u) {
    String s = u.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (u.getScheme() != null && u.getHost() != null) {
      int hostEnd = s.indexOf(u.getHost(), u.getScheme().length()) + u.getHost().length();
      s = s.substring(0, hostEnd).toLowerCase(Locale.ROOT) + s.substring(hostEnd);
    }
    return s;
  }

  /** The origin with any user information blanked, for messages. */
  public static String redacted(URI origin) {
    if (origin.getRawUserInfo() == null) {
      return origin.toString();
    }
    return origin.toString().replace(origin.getRawUserInfo() + "@", "***@");
  }

  /** Generated local data: which source's generator, how many records, which seed. */
  public record Replay(String source, int records, long seed) {

    /** Records when a replay URI does not say. */
    public static final int DEFAULT_RECORDS = 10_000;
    /** Seed when a replay URI does not say. */
    public static final long DEFAULT_SEED = 42;

    public Replay {
      if (records < 0) {
        throw new IllegalArgumentException("records must be >= 0, got " + records);
      }
    }

    public URI toUri() {
      return URI.create(REPLAY + ":" + source + "?records=" + records + "&seed=" + seed);
    }

    /** How a person reads it. */
    public String describe() {
      return "embedded replay server: " + records + " generated records, seed " + seed;
    }
  }

  /** Whether {@code origin} is a {@code replay:} URL: the embedded replay server's generated data. */
  public static boolean isReplay(URI origin) {
    return origin.getScheme() != null && origin.getScheme().equalsIgnoreCase(REPLAY);
  }

  /** The generated data a {@code replay:} origin names; empty for any other origin. */
  public static Optional<Replay> replay(URI origin) throws InvalidEventException {
    if (!isReplay(origin)) {
      return Optional.empty();
    }
    String part = origin.getSchemeSpecificPart();
    int q = part.indexOf('?');
    String source = q < 0 ? part : part.substring(0, q);
    if (!source.matches("[a-z][a-z0-9_]{1,62}")) {
      throw new InvalidEventException("replay URL " + origin + " does not name a source (replay:<source>?records=N&seed=S)");
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (q >= 0 && q + 1 < part.length()) {
      for (String pair : part.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new InvalidEventException("replay URL " + origin + ": '" + pair + "' is not name=value");
        }
        params.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    for (String name : params.keySet()) {
      if (!name.equals("records") && !name.equals("seed")) {
        throw new InvalidEventException("replay URL " + origin + ": unknown parameter '" + name + "' (records, seed)");
      }
    }
    try {
      int records = Integer.parseInt(params.getOrDefault("records", Integer.toString(Replay.DEFAULT_RECORDS)));
      long seed = Long.parseLong(params.getOrDefault("seed", Long.toString(Replay.DEFAULT_SEED)));
      if (records < 0) {
        throw new NumberFormatException("negative");
      }
      return Optional.of(new Replay(source, records, seed));
    } catch (NumberFormatException e) {
      throw new InvalidEventException("replay URL " + origin + ": records and seed must be whole numbers, records >= 0");
    }
  }

  /**
   * The origin a run of {@code source} reads when its request names none: {@code configured} as it
   * is, except that generated data ({@code replay:<any>?records=N&seed=S}) means the same amount
   * and seed of {@code source}'s own generated data, so one setting serves every source.
   */
  public static URI forSource(URI configured, String source) {
    try {
      Optional<Replay> replay = replay(configured);
      return replay.isEmpty() ? configured : new Replay(source, replay.get().records(), replay.get().seed()).toUri();
    } catch (InvalidEventException e) {
      return configured; // refused with its reason where it is resolved
    }
  }

  /** How a person reads an origin. */
  public static String describe(URI origin) {
    try {
      return replay(origin).map(Replay::describe).orElse(redacted(origin));
    } catch (InvalidEventException e) {
      return redacted(origin);
    }
  }
}
