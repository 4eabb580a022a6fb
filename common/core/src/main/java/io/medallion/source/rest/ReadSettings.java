package io.medallion.source.rest;

import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a run gives the engine besides the declaration.
 *
 * @param baseUrl where requests go: the declared base URL, or what replaces it (--source-url,
 *     MEDALLION_SOURCE_URL, a local replay server); every absolute URL of the declaration (a token
 *     endpoint) moves with it when it differs from the declared one
 * @param pageSize the run's page size, or null for the declaration's; it applies where the paging sends one
 *     (page_number with a page_size_param, offset) and is refused above the declared maximum
 * @param retry attempts, backoff and the invocation's deadline; its sleeper counts each wait
 * @param parentValues a child resource's placeholders filled from one parent record (empty otherwise)
 * @param incrementalStart the value sent as the incremental start parameter, or null to send none
 * @param secrets where secret values come from
 * @param redactor remembers each secret value used, so that no message carries it
 * @param http the HTTP client (its connect timeout applies; redirects of an authenticated source
 *     are followed by the engine, which sends credentials only to hosts the declaration names)
 * @param requestTimeout how long one attempt may take, body included (the deadline may cut it shorter)
 */
public record ReadSettings(
    URI baseUrl, Integer pageSize, RetryPolicy retry, Map<String, String> parentValues, String incrementalStart,
    Secrets secrets, Redactor redactor, HttpClient http, Duration requestTimeout) {

  public ReadSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(retry, "retry");
    parentValues = Map.copyOf(parentValues);
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
    }
  }

  /** With the default request timeout of 30 s ({@link Transport#DEFAULT_REQUEST_TIMEOUT}). */
  public ReadSettings(
      URI baseUrl, Integer pageSize, RetryPolicy retry, Map<String, String> parentValues, String incrementalStart,
      Secrets secrets, Redactor redactor, HttpClient http) {
    this(baseUrl, pageSize, retry, parentValues, incrementalStart, secrets, redactor, http,
        Transport.DEFAULT_REQUEST_TIMEOUT);
  }

  /** The same settings for one parent record of a child resource. */
  public ReadSettings withParentValues(Map<String, String> values) {
    return new ReadSettings(baseUrl, pageSize, retry, values, incrementalStart, secrets, redactor, http, requestTimeout);
  }

  /** The same settings sending {@code start} as the incremental start parameter (null: none). */
  public ReadSettings withIncrementalStart(String start) {
    return new ReadSettings(baseUrl, pageSize, retry, parentValues, start, secrets, redactor, http, requestTimeout);
  }

  /** The same settings with another request timeout. */
  public ReadSettings withRequestTimeout(Duration timeout) {
    return new ReadSettings(baseUrl, pageSize, retry, parentValues, incrementalStart, secrets, redactor, http, timeout);
  }

  /** The same settings with another retry policy (a deadline, a counting sleeper). */
  public ReadSettings withRetry(RetryPolicy policy) {
    return new ReadSettings(baseUrl, pageSize, policy, parentValues, incrementalStart, secrets, redactor, http,
        requestTimeout);
  }
}
