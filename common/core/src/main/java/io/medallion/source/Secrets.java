package io.medallion.source;

import java.io.IOException;

/**
 * Port to where secret values live: environment variables locally, Secret Manager on GCP. A value
 * read here is only ever put into a request; it never reaches a log, the ledger, bronze, a dead
 * letter or an error message (see {@link Redactor}).
 */
@FunctionalInterface
public interface Secrets {

  /**
   * The value of {@code ref}.
   *
   * @throws SecretMissingException when no value is set, naming the secret and where it was looked for
   */
  String value(SecretRef ref) throws IOException;

  /** A secret that is not set. */
  final class SecretMissingException extends IOException {
    private static final long serialVersionUID = 1L;

    public SecretMissingException(SecretRef ref, String where) {
      super("secret " + ref.name() + " is not set (" + where + ")");
    }
  }

  /** Values from environment variables (the local runtime). */
  static Secrets fromEnvironment(java.util.Map<String, String> env) {
    return ref -> {
      String v = env.get(ref.name());
      if (v == null || v.isEmpty()) {
        throw new SecretMissingException(ref, "the environment variable " + ref.name() + " is empty or unset");
      }
      return v;
    };
  }
}
