package io.medallion.source;

import io.medallion.event.InvalidEventException;
import java.io.IOException;
import java.net.URI;

/**
 * Which origins this deployment reads sources from, and where their requests go. A deployed
 * function accepts only the source's own URL and the configured one ({@code MEDALLION_SOURCE_URL}),
 * so that a message on the run-requests topic can never point ingest, and a source's credentials,
 * at another host. The local pipeline accepts any http(s) URL a person gives it and serves {@code
 * replay:} origins from an embedded server.
 */
@FunctionalInterface
public interface SourceEndpoints {

  /**
   * The base URL requests go to for a run of {@code source} that reads {@code origin}.
   *
   * @throws InvalidEventException when this deployment does not read {@code source} from {@code
   *     origin}: a permanent refusal, with the reason
   */
  URI resolve(Source source, URI origin) throws InvalidEventException, IOException;

  /**
   * Where a run reading {@code origin} gets its secret values: the deployment's own, except that a
   * local replay server hands out the credentials it accepts.
   */
  default Secrets secrets(Source source, URI origin, Secrets deployed) throws IOException {
    return deployed;
  }

  /** What a deployed function accepts: the source's own URL or the configured one, used as they are. */
  static SourceEndpoints configured(URI configuredUrl) {
    return (source, origin) -> {
      SourceOrigin.check(origin);
      boolean own = SourceOrigin.same(origin, source.defaultBaseUrl());
      boolean configured = configuredUrl != null && SourceOrigin.same(origin, configuredUrl);
      if (!own && !configured) {
        throw new InvalidEventException(
            "this deployment reads " + source.name() + " only from " + source.defaultBaseUrl()
                + (configuredUrl == null ? "" : " or " + configuredUrl) + ", not from " + SourceOrigin.redacted(origin));
      }
      return origin;
    };
  }
}
