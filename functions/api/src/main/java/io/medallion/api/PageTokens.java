package io.medallion.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** SKELETON (being written): signed, expiring page tokens. */
public final class PageTokens {

  /** How long a page token is accepted by default. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private final byte[] key;
  private final Duration ttl;
  private final Clock clock;

  public PageTokens(byte[] key, Duration ttl, Clock clock) {
    if (key.length < 32) {
      throw new IllegalArgumentException("a page-token key needs at least 32 bytes, got " + key.length);
    }
    this.key = key.clone();
    this.ttl = ttl;
    this.clock = clock;
  }

  /** 32 random bytes: a key for one process, or to store (locally, in the home's api key file). */
  public static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }
}
