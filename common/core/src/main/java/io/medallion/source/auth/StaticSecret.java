package io.medallion.source.auth;

import io.medallion.source.Secrets;
import io.medallion.source.StringOrSecret;
import java.io.IOException;

/** A declared value read once, when it is first needed (a missing secret fails the first request, not the start). */
final class StaticSecret {

  private final StringOrSecret declared;
  private final Secrets secrets;
  private volatile String value;

  StaticSecret(StringOrSecret declared, Secrets secrets) {
    this.declared = declared;
    this.secrets = secrets;
  }

  String value() throws IOException {
    String v = value;
    if (v == null) {
      v = declared.resolve(secrets);
      if (v == null || v.isEmpty()) {
        throw new Secrets.SecretMissingException(declared.secret(), "it is empty");
      }
      value = v;
    }
    return v;
  }

  /** Whether the value is a secret (a literal user name is not). */
  boolean secret() {
    return declared.secret() != null;
  }
}
