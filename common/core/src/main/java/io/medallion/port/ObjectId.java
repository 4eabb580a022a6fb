package io.medallion.port;

import java.util.Objects;

/**
 * The address of an object in a bucket. Validated on construction so that no object name can
 * escape a bucket: names come from events, manifests and users, and a local bucket is a directory.
 */
public record ObjectId(String bucket, String name) {

  /** GCS limit on object names, in UTF-8 bytes. */
  public static final int MAX_NAME_BYTES = 1024;

  public ObjectId {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(name, "name");
    if (!bucket.matches("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("Invalid bucket name '" + bucket + "'");
    }
    String problem = nameProblem(name);
    if (problem != null) {
      throw new IllegalArgumentException(
          "Invalid object name '" + printable(name) + "' in bucket " + bucket + ": " + problem);
    }
  }

  /** Parses {@code gs://bucket/name}. */
  public static ObjectId fromUri(String uri) {
    if (uri == null || !uri.startsWith("gs://")) {
      throw new IllegalArgumentException("Not a gs:// URI: " + uri);
    }
    int slash = uri.indexOf('/', 5);
    if (slash < 0) {
      throw new IllegalArgumentException("No object name in URI: " + uri);
    }
    return new ObjectId(uri.substring(5, slash), uri.substring(slash + 1));
  }

  public String uri() {
    return "gs://" + bucket + "/" + name;
  }

  /** The last path segment of the name. */
  public String fileName() {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  @Override
  public String toString() {
    return uri();
  }

  /** Why a name is unsafe, or null when it is fine. */
  static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "empty name";
    }
    if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "longer than " + MAX_NAME_BYTES + " bytes";
    }
    if (name.startsWith("/")) {
      return "absolute path";
    }
    if (name.contains("\\")) {
      return "backslash in name";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return "control character at position " + i;
      }
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        return "'" + segment + "' path segment";
      }
      if (segment.isEmpty()) {
        return "empty path segment";
      }
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : c);
    }
    return b.length() > 200 ? b.substring(0, 200) + "..." : b.toString();
  }
}
