package io.medallion.push;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC a sender signs a push with, in the header {@code X-Medallion-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "t.body">}, as Stripe's and GitHub's webhooks sign theirs: the
 * timestamp is signed with the body, so a captured request replayed later than {@link #TOLERANCE}
 * is refused, and the comparison takes the same time whatever the bytes.
 */
public final class Signature {

  /** The header the signature travels in. */
  public static final String HEADER = "X-Medallion-Signature";

  /** How far a signature's time may be from now, either way. */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private Signature() {}

  /** The header value that signs {@code body} at {@code at} with {@code secret}. */
  public static String sign(byte[] secret, Instant at, byte[] body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
  }

  /**
   * Why {@code header} does not sign {@code body} with {@code secret} at about {@code now}, or
   * null when it does.
   */
  public static String refusal(String header, byte[] secret, Instant now, byte[] body) {
    if (header == null || header.isBlank()) {
      return "no " + HEADER + " header: this source accepts signed pushes only";
    }
    Long t = null;
    byte[] given = null;
    for (String part : header.split(",")) {
      String p = part.strip();
      try {
        if (p.startsWith("t=")) {
          t = Long.parseLong(p.substring(2));
        } else if (p.startsWith("v1=")) {
          given = HexFormat.of().parseHex(p.substring(3));
        }
      } catch (IllegalArgumentException e) {
        return HEADER + " is not t=<unix seconds>,v1=<hex HMAC-SHA256>";
      }
    }
    if (t == null || given == null) {
      return HEADER + " is not t=<unix seconds>,v1=<hex HMAC-SHA256>";
    }
    if (Math.abs(now.getEpochSecond() - t) > TOLERANCE.toSeconds()) {
      return "the signature's time " + Instant.ofEpochSecond(t) + " is more than " + TOLERANCE.toMinutes()
          + " minutes from now: a replayed or delayed request, or a sender's clock that is off";
    }
    // Constant time: MessageDigest.isEqual compares every byte whatever the first difference.
    return MessageDigest.isEqual(hmac(secret, t, body), given) ? null : "the signature does not match the body";
  }

  private static byte[] hmac(byte[] secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is in every Java platform", e);
    }
  }
}
