package io.medallion.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Deterministic job ids. A redelivered event derives the same id, and the warehouse answers "this
 * job exists" instead of running it twice.
 */
public final class JobIds {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,1024}");

  private JobIds() {}

  public static void requireValid(String jobId) {
    if (jobId == null || !VALID.matcher(jobId).matches()) {
      throw new IllegalArgumentException("Invalid job id '" + jobId + "'");
    }
  }

  /** {@code prefix_} + 32 hex chars of SHA-256 over the parts joined by NUL. */
  public static String derive(String prefix, String... parts) {
    return prefix + "_" + sha256Hex(String.join("\u0000", parts)).substring(0, 32);
  }

  /** Job id of the silver load for one bronze object version. */
  public static String silverLoad(ObjectId trigger, long generation) {
    return derive("medallion_silver_load", trigger.bucket(), trigger.name(), Long.toString(generation));
  }

  static String sha256Hex(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
