package io.medallion.source.rest;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The URL arithmetic of the engine: building a request URL from a base URL, a path and parameters,
 * setting one query parameter of a URL while keeping the others as they were sent, and moving an
 * absolute URL onto a replacement base URL. Encoding follows RFC 3986 (a space is {@code %20}).
 */
public final class Urls {

  private Urls() {}

  /** {@code value} encoded for a query parameter name or value. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code value} encoded as one path segment: a slash in it cannot open another segment. */
  public static String encodeSegment(String value) {
    return encode(value);
  }

  /**
   * {@code base} (scheme, host, optional path prefix) joined with {@code path} (starting with /)
   * and the query parameters in their order.
   */
  public static URI build(URI base, String path, Map<String, String> params) {
    String b = base.toString();
    while (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    StringBuilder url = new StringBuilder(b).append(path);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
      sep = '&';
    }
    return URI.create(url.toString());
  }

  /**
   * {@code url} with query parameter {@code name} set to {@code value}: its first occurrence is
   * replaced in place (later ones are dropped), or it is appended. Every other parameter stays
   * byte for byte as it was, since a server's own next link may encode differently than we would.
   */
  public static URI withParam(URI url, String name, String value) {
    Objects.requireNonNull(value, "value");
    String raw = url.getRawQuery();
    List<String> pairs = new ArrayList<>();
    boolean set = false;
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&", -1)) {
        if (pair.isEmpty()) {
          continue;
        }
        if (name.equals(paramName(pair))) {
          if (!set) {
            pairs.add(encode(name) + "=" + encode(value));
            set = true;
          }
        } else {
          pairs.add(pair);
        }
      }
    }
    if (!set) {
      pairs.add(encode(name) + "=" + encode(value));
    }
    return withRawQuery(url, String.join("&", pairs));
  }

  /** The decoded value of query parameter {@code name} of {@code url}, or null when absent. */
  public static String param(URI url, String name) {
    String raw = url.getRawQuery();
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      if (name.equals(paramName(pair))) {
        int eq = pair.indexOf('=');
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String paramName(String pair) {
    int eq = pair.indexOf('=');
    return decode(eq < 0 ? pair : pair.substring(0, eq));
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape: compare it as it is
    }
  }

  private static URI withRawQuery(URI url, String rawQuery) {
    String s = url.toString();
    int hash = s.indexOf('#');
    String fragment = hash < 0 ? "" : s.substring(hash);
    String withoutFragment = hash < 0 ? s : s.substring(0, hash);
    int q = withoutFragment.indexOf('?');
    String head = q < 0 ? withoutFragment : withoutFragment.substring(0, q);
    return URI.create(head + (rawQuery.isEmpty() ? "" : "?" + rawQuery) + fragment);
  }

  /**
   * {@code url} moved onto {@code replacement}: its path, query and fragment kept, its scheme, host
   * and port taken from the replacement (a declaration's token endpoint follows --source-url).
   */
  public static URI rebase(URI url, URI replacement) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    return URI.create(replacement.getScheme() + "://" + replacement.getRawAuthority() + path + query);
  }

  /** Whether two URLs name the same scheme, host and port (the default port counted as given). */
  public static boolean sameOrigin(URI a, URI b) {
    return scheme(a).equals(scheme(b)) && host(a).equals(host(b)) && port(a) == port(b);
  }

  /** The lower-case scheme, or "". */
  public static String scheme(URI u) {
    return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
  }

  /** The lower-case host, or "". */
  public static String host(URI u) {
    return u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
  }

  /** The port, the scheme's default when none is given. */
  public static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equals(scheme(u)) ? 443 : "http".equals(scheme(u)) ? 80 : -1;
  }

  /**
   * A form of {@code url} for comparing requests: scheme and host in lower case, the default port
   * made explicit, query parameters sorted. Two URLs a server wrote differently but that ask for
   * the same thing compare equal, so a loop is found even when the link is re-encoded.
   */
  public static String canonical(URI url) {
    List<String> pairs = new ArrayList<>();
    if (url.getRawQuery() != null) {
      for (String pair : url.getRawQuery().split("&")) {
        if (!pair.isEmpty()) {
          int eq = pair.indexOf('=');
          pairs.add(eq < 0 ? decode(pair) : decode(pair.substring(0, eq)) + "=" + decode(pair.substring(eq + 1)));
        }
      }
    }
    pairs.sort(null);
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return scheme(url) + "://" + host(url) + ":" + port(url) + path + "?" + String.join("&", pairs);
  }
}
