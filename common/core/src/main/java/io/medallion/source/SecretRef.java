package io.medallion.source;

import java.util.Objects;

/**
 * A secret by name, never its value: {@code {"secret": "GITHUB_TOKEN"}} in a declaration. Locally
 * the environment variable of that name holds the value, on GCP the Secret Manager secret of that
 * name. {@link #toString()} never shows a value, since there is none here.
 */
public record SecretRef(String name) {
  public SecretRef {
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return "{secret " + name + "}";
  }
}
