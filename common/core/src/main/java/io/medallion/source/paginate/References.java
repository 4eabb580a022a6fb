package io.medallion.source.paginate;

import com.fasterxml.jackson.databind.JsonNode;
import io.medallion.source.rest.Records;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Reading a next-page reference (a link or a cursor) out of a body. */
final class References {

  private References() {}

  /** The text at {@code path}; empty when absent, null or "" (the end). */
  static Optional<String> text(JsonNode body, String path, String field) throws PagingException {
    if (body == null) {
      return Optional.empty();
    }
    Optional<JsonNode> node = Records.at(body, path);
    if (node.isEmpty() || node.get().isNull()) {
      return Optional.empty();
    }
    JsonNode n = node.get();
    if (n.isTextual()) {
      return n.asText().isEmpty() ? Optional.empty() : Optional.of(n.asText());
    }
    if (n.isNumber()) {
      return Optional.of(n.asText());
    }
    throw new PagingException(field + " '" + path + "' is " + Records.describe(n) + ", not "
        + (field.startsWith("cursor") ? "a cursor (text or a number)" : "a URL"));
  }

  /** {@code link} as an absolute http(s) URL, relative ones resolved against {@code request}. */
  static URI resolve(URI request, String link, String what) throws PagingException {
    URI target;
    try {
      target = request.resolve(new URI(link.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new PagingException(what + " '" + link + "' is not a URL: " + e.getMessage(), e);
    }
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
      throw new PagingException(what + " '" + link + "' is not an http(s) URL with a host");
    }
    if (target.getRawUserInfo() != null) {
      throw new PagingException(what + " '" + link + "' carries a user name or password");
    }
    return target;
  }
}
