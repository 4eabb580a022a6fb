package io.medallion.source;

import java.io.IOException;

/** A declared value that is either written in the declaration or a {@link SecretRef}. */
public record StringOrSecret(String literal, SecretRef secret) {

  public static StringOrSecret of(String literal) {
    return new StringOrSecret(literal, null);
  }

  public static StringOrSecret of(SecretRef secret) {
    return new StringOrSecret(null, secret);
  }

  /** The value to send. */
  public String resolve(Secrets secrets) throws IOException {
    return secret != null ? secrets.value(secret) : literal;
  }
}
