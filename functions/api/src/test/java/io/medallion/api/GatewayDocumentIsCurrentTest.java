package io.medallion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * terraform/api/openapi-gateway.json.tpl, which terraform/api.tf configures API Gateway from, is
 * what {@link GatewayDocument} writes from the declarations now; and, filled in as terraform's
 * templatefile fills it, it is a valid OpenAPI document with Google's extensions on every operation.
 */
class GatewayDocumentIsCurrentTest {

  /** -Dmedallion.regenerateGateway=true writes the template instead of comparing it. */
  private static final boolean REGENERATE = Boolean.getBoolean("medallion.regenerateGateway");
  private static final String REGENERATE_COMMAND =
      "mvn -B -q -pl functions/api -am test -Dtest=GatewayDocumentIsCurrentTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dmedallion.regenerateGateway=true";
  private static final String URL = "https://medallion-api-abc123-uc.a.run.app";

  @Test
  void committedTemplate_isWhatTheDeclarationsGiveNow() throws IOException {
    Path template = repositoryRoot().resolve(GatewayDocument.TEMPLATE_PATH);
    String now = GatewayDocument.json(ApiRoutes.of(SourceRegistry.standard()));
    if (REGENERATE) {
      Files.createDirectories(template.getParent());
      Files.writeString(template, now);
    }
    assertTrue(Files.exists(template) && Files.readString(template).equals(now), GatewayDocument.TEMPLATE_PATH
        + " is not what the declarations (schemas/sources/*.json gold.api) and the gold schemas give now; "
        + "terraform would configure API Gateway with stale routes. Regenerate it with:\n  " + REGENERATE_COMMAND);
  }

  @Test
  void filledTemplate_isValidOpenApi_withTheGatewayExtensionsOnEveryOperation() {
    ApiRoutes routes = ApiRoutes.of(SourceRegistry.standard());
    String filled = fill(GatewayDocument.json(routes), URL);
    assertEquals(GatewayDocument.render(routes, URL), filled, "templatefile's output is the document for that URL");
    OpenAPI api = OpenApiDocumentTest.parsedWithoutMessages(filled);

    JsonObject management = api.getExtensions() == null ? null
        : JsonParser.parseString(new com.google.gson.Gson().toJson(api.getExtensions().get("x-google-api-management")))
            .getAsJsonObject();
    assertNotNull(management, "root x-google-api-management");
    JsonObject backend = management.getAsJsonObject("backends").getAsJsonObject(GatewayDocument.BACKEND);
    assertEquals(URL, backend.get("address").getAsString());
    assertEquals(URL, backend.get("jwtAudience").getAsString(), "an ID token for the function's URL");
    assertEquals("APPEND_PATH_TO_ADDRESS", backend.get("pathTranslation").getAsString());
    assertTrue(management.getAsJsonObject("metrics").has(GatewayDocument.METRIC));
    assertEquals(GatewayDocument.METRIC, management.getAsJsonObject("quota").getAsJsonObject(GatewayDocument.METRIC)
        .getAsJsonObject("limits").getAsJsonObject(GatewayDocument.METRIC + "_limit").get("metric").getAsString());

    assertEquals("apiKey", api.getComponents().getSecuritySchemes().get(GatewayDocument.API_KEY_SCHEME).getType().toString());
    assertEquals(List.of(GatewayDocument.API_KEY_SCHEME), List.copyOf(api.getSecurity().get(0).keySet()), "a key on every call");
    int operations = 0;
    for (var item : api.getPaths().values()) {
      for (Operation op : item.readOperations()) {
        operations++;
        assertEquals(GatewayDocument.BACKEND, op.getExtensions().get("x-google-backend"), op.getOperationId());
        assertTrue(op.getExtensions().containsKey("x-google-quota"), op.getOperationId() + " charges the quota");
        assertFalse(op.getExtensions().containsKey(OpenApiDocument.EXAMPLES), op.getOperationId());
      }
    }
    assertEquals(2 + 2 * routes.all().size(), operations);
  }

  @Test
  void templateSyntaxInADescription_isEscaped_soOnlyTheBackendUrlIsFilled() {
    ApiRoute route = new ApiRoute("s", "t", new TableSchema(List.of(
        new Field("id", FieldType.STRING, true, "Literally ${id} and %{ if x }"))),
        new Source.Published(List.of("id"), null, List.of(), List.of(), 10, 1L << 30, 60));
    String template = GatewayDocument.json(new ApiRoutes(List.of(route)));
    assertTrue(template.contains("Literally $${id} and %%{ if x }"), "escaped for templatefile");
    Matcher placeholders = Pattern.compile("(?<![$%])[$%]\\{([^}]*)}").matcher(template);
    while (placeholders.find()) {
      assertEquals("${backend_url}", placeholders.group(), "the only template expression");
    }
    assertTrue(fill(template, URL).contains("Literally ${id} and %{ if x }"), "and comes out as written");
  }

  /** What terraform's templatefile does to this template: the variable filled, escapes undone. */
  static String fill(String template, String backendUrl) {
    Matcher m = Pattern.compile("\\$\\$\\{|%%\\{|\\$\\{backend_url}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String token = m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(
          token.equals("$${") ? "${" : token.equals("%%{") ? "%{" : backendUrl));
    }
    return m.appendTail(out).toString();
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !(Files.isDirectory(dir.resolve("terraform")) && Files.isDirectory(dir.resolve("schemas")))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "no repository root (with terraform/ and schemas/) above " + Path.of("").toAbsolutePath());
    return dir;
  }
}
