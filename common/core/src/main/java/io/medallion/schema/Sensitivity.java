package io.medallion.schema;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A sensitive column's mark in its schema file: {@code "sensitive": {"policy_tag": "tax_id",
 * "masking": "hash"}}, at least one of the two. A policy tag (from {@code schemas/policy-tags.json})
 * guards the column on GCP (BigQuery column-level access control); masking rewrites the value in
 * silver, so the clear value is never stored.
 *
 * @param policyTag the policy tag's name, or null
 * @param masking how silver masks the value, or null to keep it in clear (guarded by the tag)
 */
public record Sensitivity(String policyTag, Masking masking) {

  public Sensitivity {
    if (policyTag == null && masking == null) {
      throw new IllegalArgumentException("\"sensitive\" needs a \"policy_tag\", a \"masking\" or both");
    }
  }

  /** How silver masks a value. Both keep NULL as NULL and are defined on STRING columns only. */
  public enum Masking {
    /**
     * HMAC-SHA256 of the value's UTF-8 bytes keyed with the domain's masking salt (its UTF-8
     * bytes), as 64 lowercase hex digits: the same value and salt give the same hash, so joins and
     * distinct counts still work; without the salt a hash cannot be reversed by guessing the (small)
     * space of CPFs or account numbers.
     */
    HASH,
    /**
     * Every character (Unicode code point) but the last four replaced by {@code *}; a value of four
     * characters or fewer is all {@code *} (nothing of a short value is kept): {@code
     * 4111222233334444} becomes {@code ************4444}, {@code 1234} becomes {@code ****}.
     */
    LAST4;

    /** The name a schema file uses ({@code hash}, {@code last4}). */
    public static Masking parse(String name) {
      for (Masking m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
          return m;
        }
      }
      throw new IllegalArgumentException("unknown masking '" + name + "' (hash or last4)");
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code value} masked by {@code masking}; {@code salt} is needed for HASH only. Null stays null. */
  public static String mask(Masking masking, String value, byte[] salt) {
    if (value == null) {
      return null;
    }
    return switch (masking) {
      case HASH -> hmac(salt, value);
      case LAST4 -> last4(value);
    };
  }

  /** HMAC-SHA256 of {@code value}'s UTF-8 bytes under {@code key}, lowercase hex. */
  public static String hmac(byte[] key, String value) {
    if (key == null || key.length == 0) {
      throw new IllegalStateException("hash masking needs the domain's masking salt");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }

  /** All but the last four code points replaced by {@code *}; four or fewer: all {@code *}. */
  public static String last4(String value) {
    int n = value.codePointCount(0, value.length());
    if (n <= 4) {
      return "*".repeat(n);
    }
    int keepFrom = value.offsetByCodePoints(0, n - 4);
    return "*".repeat(n - 4) + value.substring(keepFrom);
  }
}
