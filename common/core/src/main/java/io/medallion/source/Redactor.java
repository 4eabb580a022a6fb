package io.medallion.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Blanks secret values out of any text before it is written anywhere (an error message, a ledger
 * row, a dead letter's reason, a stored next-page URL): an API that echoes a key in its next link or
 * its error body must not leak it.
 */
public final class Redactor {

  /** What a secret value becomes. */
  public static final String MASK = "***";

  private final List<String> values = new CopyOnWriteArrayList<>();

  /** Remembers {@code value} as secret (values shorter than 4 characters would blank too much). */
  public String remember(String value) {
    if (value != null && value.length() >= 4 && !values.contains(value)) {
      values.add(value);
    }
    return value;
  }

  /** {@code text} with every remembered value replaced by {@link #MASK}. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String v : values) {
      out = out.replace(v, MASK);
      // As a query value it may be form-encoded (space as +) or RFC 3986-encoded (space as %20).
      String encoded = java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8);
      if (!encoded.equals(v)) {
        out = out.replace(encoded, MASK);
        out = out.replace(encoded.replace("+", "%20"), MASK);
      }
    }
    return out;
  }
}
