package io.medallion.gcp.secrets;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.auth.Credentials;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretVersionName;
import io.medallion.port.Lazy;
import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Source secrets on GCP: a declared {@code {"secret": NAME}} is the latest version of the Secret
 * Manager secret {@code projects/{project}/secrets/NAME}. Terraform creates the secret (its
 * container); a person adds its value as a version.
 *
 * <p>Reading a version's payload needs {@code secretmanager.versions.access}, which the Secret
 * Manager Secret Accessor role ({@code roles/secretmanager.secretAccessor}) grants; grant it to the
 * ingest function's service account on each secret, nothing wider
 * (https://cloud.google.com/secret-manager/docs/access-secret-version,
 * https://cloud.google.com/iam/docs/roles-permissions/secretmanager).
 *
 * <p>No value is cached here: the engine reads each secret once per run, so a rotated value (a new
 * latest version) is used from the next run on. A value never appears in a message.
 */
public final class SecretManagerSecrets implements Secrets, AutoCloseable {

  /** The one call made to Secret Manager: a seam, so that tests answer it without GCP. */
  @FunctionalInterface
  public interface VersionAccess {
    /**
     * The payload of the secret version named {@code versionName}
     * ({@code projects/P/secrets/S/versions/latest}).
     *
     * @throws ApiException as the client library throws it
     */
    byte[] payload(String versionName);
  }

  private final String project;
  private final VersionAccess access;
  private final AutoCloseable closer;

  /** Over {@code access} (tests). */
  public SecretManagerSecrets(String project, VersionAccess access) {
    this(project, access, () -> {});
  }

  private SecretManagerSecrets(String project, VersionAccess access, AutoCloseable closer) {
    this.project = Objects.requireNonNull(project, "project");
    this.access = Objects.requireNonNull(access, "access");
    this.closer = closer;
  }

  /**
   * Secrets of {@code project} read with {@code credentials} (null: application default
   * credentials). The client is built on the first read, so a source without secrets builds none.
   */
  public static SecretManagerSecrets create(String project, Credentials credentials) {
    Lazy<SecretManagerServiceClient> client = Lazy.of(() -> {
      try {
        SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder();
        if (credentials != null) {
          settings.setCredentialsProvider(FixedCredentialsProvider.create(credentials));
        }
        return SecretManagerServiceClient.create(settings.build());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create the Secret Manager client", e);
      }
    });
    return new SecretManagerSecrets(project,
        name -> client.get().accessSecretVersion(name).getPayload().getData().toByteArray(),
        () -> {
          if (client.isBuilt()) {
            client.get().close();
          }
        });
  }

  @Override
  public String value(SecretRef ref) throws IOException {
    String name = SecretVersionName.of(project, ref.name(), "latest").toString();
    String where = "the Secret Manager secret projects/" + project + "/secrets/" + ref.name();
    byte[] payload;
    try {
      payload = access.payload(name);
    } catch (ApiException e) {
      StatusCode.Code code = e.getStatusCode().getCode();
      if (code == StatusCode.Code.NOT_FOUND) {
        throw new SecretMissingException(ref, where + " does not exist or has no version: create it (terraform does)"
            + " and add its value with `gcloud secrets versions add " + ref.name() + " --data-file=-`");
      }
      if (code == StatusCode.Code.FAILED_PRECONDITION) {
        throw new SecretMissingException(ref, "the latest version of " + where + " is disabled or destroyed");
      }
      if (code == StatusCode.Code.PERMISSION_DENIED) {
        throw new IOException("Cannot read " + where + ": permission denied; the service account needs"
            + " roles/secretmanager.secretAccessor on that secret", e);
      }
      throw new IOException("Cannot read " + where + ": " + code, e);
    }
    if (payload == null || payload.length == 0) {
      throw new SecretMissingException(ref, "the latest version of " + where + " is empty");
    }
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    closer.close();
  }
}
