package io.medallion.source.rest;

import io.medallion.source.Redactor;
import io.medallion.source.RetryPolicy;
import io.medallion.source.Secrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Objects;

/**
 * What a run gives the engine besides the declaration.
 *
 * @param baseUrl where requests go: the declared base URL, or what replaces it (--source-url,
 *     MEDALLION_SOURCE_URL, a local replay server); every absolute URL of the declaration (a token
 *     endpoint) moves with it when it differs from the declared one
 * @param pageSize the run's page size, or null for the declaration's
 * @param retry attempts, backoff and the invocation's deadline; its sleeper counts each wait
 * @param parentValues a child resource's placeholders filled from one parent record (empty otherwise)
 * @param incrementalStart the value sent as the incremental start parameter, or null to send none
 * @param secrets where secret values come from
 * @param redactor remembers each secret value used, so that no message carries it
 * @param http the HTTP client (its connect timeout and redirect policy apply)
 */
public record ReadSettings(
    URI baseUrl, Integer pageSize, RetryPolicy retry, Map<String, String> parentValues, String incrementalStart,
    Secrets secrets, Redactor redactor, HttpClient http) {

  public ReadSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(retry, "retry");
    parentValues = Map.copyOf(parentValues);
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(redactor, "redactor");
    Objects.requireNonNull(http, "http");
  }
}
