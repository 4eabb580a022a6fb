package io.medallion.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Page tokens: the position after a page's last row (its values in the page's order columns),
 * signed so a caller cannot forge or edit one, bound to the query it came from, and expiring.
 *
 * <p>A token is {@code base64url(payload).base64url(HMAC-SHA256(key, payload))}; the payload is JSON
 * {@code {"q": query fingerprint, "p": [position values as text], "x": expiry epoch second}}. Every
 * instance of the API must share the key (on GCP a Secret Manager secret, locally a file in the
 * home), or a token made by one is refused by another.
 */
public final class PageTokens {

  /** How long a page token is accepted by default: a client paging through a table in a day. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** Longer tokens are refused before any decoding. */
  private static final int MAX_LENGTH = 4096;

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

  /** A token for the position after a row, valid for the query with this fingerprint. */
  String issue(String fingerprint, List<String> position) {
    JsonObject payload = new JsonObject();
    payload.addProperty("q", fingerprint);
    JsonArray p = new JsonArray();
    position.forEach(p::add);
    payload.add("p", p);
    payload.addProperty("x", clock.instant().plus(ttl).getEpochSecond());
    byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(bytes) + "." + b64.encodeToString(sign(bytes));
  }

  /**
   * The position a token holds.
   *
   * @throws ApiError 400 {@code invalid_page_token} for a token not made here (forged, edited,
   *     truncated) or made for another query, {@code expired_page_token} for an old one
   */
  List<String> read(String token, String fingerprint, int positionSize) {
    int dot = token.indexOf('.');
    if (token.length() > MAX_LENGTH || dot < 0) {
      throw invalid("is not a page token this API issued");
    }
    byte[] payload;
    byte[] signature;
    try {
      payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
      signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      throw invalid("is not a page token this API issued");
    }
    if (!MessageDigest.isEqual(sign(payload), signature)) {
      throw invalid("is not a page token this API issued (its signature does not match)");
    }
    try {
      JsonObject o = JsonParser.parseString(new String(payload, StandardCharsets.UTF_8)).getAsJsonObject();
      if (!fingerprint.equals(o.get("q").getAsString())) {
        throw invalid("was issued for another query: page with the same filters, fields and order_by as the first page");
      }
      if (clock.instant().getEpochSecond() > o.get("x").getAsLong()) {
        throw ApiError.badRequest("expired_page_token", "page_token has expired (tokens last " + ttl.toHours()
            + " h); start again from the first page", "page_token");
      }
      List<String> position = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("p")) {
        position.add(e.getAsString());
      }
      if (position.size() != positionSize) {
        throw invalid("was issued for another query");
      }
      return position;
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
      throw invalid("is not a page token this API issued");
    }
  }

  private static ApiError invalid(String why) {
    return ApiError.badRequest("invalid_page_token", "page_token " + why, "page_token");
  }

  private byte[] sign(byte[] payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
