package io.medallion.gcp.lineage;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.gson.JsonObject;
import io.medallion.lineage.LineageSink;
import io.medallion.port.Lazy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The GCP lineage sink: Dataplex's Data Lineage API, {@code
 * POST https://datalineage.googleapis.com/v1/projects/{project}/locations/{location}:processOpenLineageRunEvent}
 * with the OpenLineage event as the request body (a {@code Struct}), as the function's service
 * account (terraform/lineage.tf grants it {@code roles/datalineage.producer}).
 * https://cloud.google.com/dataplex/docs/reference/data-lineage/rest/v1/projects.locations/processOpenLineageRunEvent
 *
 * <p>REST rather than {@code google-cloud-datalineage}'s {@code LineageClient.processOpenLineageRunEvent}:
 * that artifact could not be resolved for this build, and the REST method is the same call with
 * the same body. Each request carries a {@code requestId} derived from the event's bytes, so a
 * retried send of the same event is not recorded twice (the API is idempotent only with one).
 */
public final class DataLineageApiSink implements LineageSink {

  static final String ENDPOINT = "https://datalineage.googleapis.com/v1/";
  private static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");

  private final String parent;
  private final Lazy<Credentials> credentials;
  private final Lazy<HttpClient> http;
  private final String endpoint;

  /**
   * @param credentials null: application default credentials, looked up on the first send
   */
  public DataLineageApiSink(String project, String location, Credentials credentials) {
    this(project, location, credentials, ENDPOINT,
        Lazy.of(() -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()));
  }

  /** For tests: another endpoint (a loopback stand-in) and client. */
  DataLineageApiSink(String project, String location, Credentials credentials, String endpoint, HttpClient http) {
    this(project, location, credentials, endpoint, Lazy.of(() -> http));
  }

  /**
   * Builds no client: the HTTP client (and its selector thread) and the credentials are made on the
   * first send, so a function that emits no lineage pays nothing at cold start.
   */
  private DataLineageApiSink(String project, String location, Credentials credentials, String endpoint, Lazy<HttpClient> http) {
    if (project == null || project.isBlank() || location == null || location.isBlank()) {
      throw new IllegalArgumentException("The Data Lineage API needs a project and a location (MEDALLION_LINEAGE_LOCATION)");
    }
    this.parent = "projects/" + project + "/locations/" + location;
    this.credentials = Lazy.of(() -> {
      if (credentials != null) {
        return credentials;
      }
      try {
        return GoogleCredentials.getApplicationDefault().createScoped(SCOPES);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("No application default credentials for the Data Lineage API", e);
      }
    });
    this.endpoint = endpoint;
    this.http = http;
  }

  /** The request that sends {@code event}: its URL carries the parent and the request id. */
  HttpRequest request(JsonObject event) throws IOException {
    byte[] body = event.toString().getBytes(StandardCharsets.UTF_8);
    // At most 36 ASCII characters: a name-based UUID of the body.
    String requestId = UUID.nameUUIDFromBytes(body).toString();
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create(endpoint + parent + ":processOpenLineageRunEvent?requestId=" + requestId))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (Map.Entry<String, List<String>> h : credentials.get().getRequestMetadata(URI.create(endpoint)).entrySet()) {
      for (String value : h.getValue()) {
        request.header(h.getKey(), value);
      }
    }
    return request.build();
  }

  @Override
  public void send(JsonObject event) throws IOException {
    HttpResponse<String> response;
    try {
      response = http.get().send(request(event), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted sending a lineage event to " + parent, e);
    }
    if (response.statusCode() / 100 != 2) {
      String body = response.body();
      throw new IOException("Data Lineage API " + parent + ":processOpenLineageRunEvent answered " + response.statusCode()
          + ": " + (body.length() > 500 ? body.substring(0, 500) + "..." : body));
    }
  }
}
