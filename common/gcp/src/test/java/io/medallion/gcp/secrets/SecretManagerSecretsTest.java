package io.medallion.gcp.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.StatusCode;
import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter over its one Secret Manager call: no GCP is reachable from tests. */
class SecretManagerSecretsTest {

  private final List<String> asked = new ArrayList<>();

  private static ApiException status(StatusCode.Code code) {
    StatusCode status = new StatusCode() {
      @Override
      public Code getCode() {
        return code;
      }

      @Override
      public Object getTransportCode() {
        return code;
      }
    };
    return ApiExceptionFactory.createException(new RuntimeException(code + " from the server"), status, false);
  }

  private SecretManagerSecrets answering(byte[] payload, ApiException failure) {
    return new SecretManagerSecrets("lakehouse-prod", name -> {
      asked.add(name);
      if (failure != null) {
        throw failure;
      }
      return payload;
    });
  }

  @Test
  void readsTheLatestVersionOfTheSecretNamedInTheDeclaration() throws IOException {
    String value = answering("ghp_token-ü".getBytes(StandardCharsets.UTF_8), null).value(new SecretRef("GITHUB_TOKEN"));
    assertEquals("ghp_token-ü", value);
    assertEquals(List.of("projects/lakehouse-prod/secrets/GITHUB_TOKEN/versions/latest"), asked);
  }

  @Test
  void aSecretThatDoesNotExistOrHasNoVersion_isMissing_namingIt() {
    Secrets.SecretMissingException e = assertThrows(Secrets.SecretMissingException.class,
        () -> answering(null, status(StatusCode.Code.NOT_FOUND)).value(new SecretRef("GITHUB_TOKEN")));
    assertTrue(e.getMessage().startsWith("secret GITHUB_TOKEN is not set (the Secret Manager secret"
        + " projects/lakehouse-prod/secrets/GITHUB_TOKEN does not exist or has no version"), e.getMessage());
  }

  @Test
  void anEmptyOrDisabledLatestVersion_isMissing() {
    assertThrows(Secrets.SecretMissingException.class,
        () -> answering(new byte[0], null).value(new SecretRef("TOKEN")));
    Secrets.SecretMissingException e = assertThrows(Secrets.SecretMissingException.class,
        () -> answering(null, status(StatusCode.Code.FAILED_PRECONDITION)).value(new SecretRef("TOKEN")));
    assertTrue(e.getMessage().contains("is disabled or destroyed"), e.getMessage());
  }

  @Test
  void permissionDenied_namesTheRoleTheServiceAccountNeeds_andIsNotAMissingSecret() {
    IOException e = assertThrows(IOException.class,
        () -> answering(null, status(StatusCode.Code.PERMISSION_DENIED)).value(new SecretRef("TOKEN")));
    assertFalse(e instanceof Secrets.SecretMissingException);
    assertTrue(e.getMessage().contains("roles/secretmanager.secretAccessor"), e.getMessage());
  }

  @Test
  void creatingIt_buildsNoClient() throws Exception {
    try (SecretManagerSecrets secrets = SecretManagerSecrets.create("p", null)) {
      assertTrue(secrets != null); // no credentials looked for, no connection made
    }
  }
}
