package io.medallion.api;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * The API Gateway configuration: the {@link OpenApiDocument} plus Google's OpenAPI 3.x extensions
 * (https://docs.cloud.google.com/api-gateway/docs/oasv3-extensions), as a Terraform template.
 * terraform/api.tf reads the committed output ({@link #TEMPLATE_PATH}) with {@code templatefile},
 * which fills {@value #BACKEND_URL} with the function's URL; {@code GatewayDocumentIsCurrentTest}
 * fails when the committed file is not what this class writes now.
 *
 * <ul>
 *   <li>Root {@code x-google-api-management} (required in 3.x): one backend, {@value #BACKEND},
 *       at the function's URL, with {@code jwtAudience} the same URL (the page: a backend sets
 *       {@code jwtAudience} or {@code disableAuth}; a Cloud Run service accepts an ID token whose
 *       audience is its URL), the path appended to the address ({@code APPEND_PATH_TO_ADDRESS},
 *       as Google's 3.x API-key example does), so the function sees {@code /v1/...} as a local
 *       request would; one metric, {@value #METRIC}, and a quota limit on it.
 *   <li>Per operation: {@code x-google-backend} naming that backend (in 3.x a string that
 *       references a backend by name) and {@code x-google-quota} charging the metric one unit per
 *       request, so the limit holds per API key's project.
 *   <li>An API key required on every operation: a securityScheme of type apiKey in the {@code
 *       x-api-key} header, the form of Google's OpenAPI 3.x example
 *       (https://docs.cloud.google.com/api-gateway/docs/authenticate-api-keys); keys are checked
 *       only once the API's managed service is enabled (terraform/api.tf enables it).
 * </ul>
 *
 * Any {@code ${} or {@code %{} the descriptions carry is escaped ({@code $${}, {@code %%{}), so
 * that {@code templatefile} substitutes the backend URL and nothing else.
 */
public final class GatewayDocument {

  /** Where the generated template is committed, from the repository root. */
  public static final String TEMPLATE_PATH = "terraform/api/openapi-gateway.json.tpl";
  /** The template variable terraform fills with the function's URL. */
  public static final String BACKEND_URL = "${backend_url}";
  /** The backend's name in {@code x-google-api-management.backends}. */
  public static final String BACKEND = "medallion_api";
  /** The metric every operation charges one unit of. */
  public static final String METRIC = "read_requests";
  /** The quota limit on {@link #METRIC}: requests an API key's project may make before it is refused. */
  public static final long READ_REQUESTS_LIMIT = 6000;
  /** The apiKey security scheme's name. */
  public static final String API_KEY_SCHEME = "api_key";
  /** The header a client sends its API key in. */
  public static final String API_KEY_HEADER = "x-api-key";
  /** Seconds the gateway waits for the function (the function's own timeout is 60 s). */
  static final double DEADLINE_SECONDS = 60.0;

  /** Marks where the backend URL goes while the rest of the text is escaped (JSON writes it as is). */
  private static final String URL_MARK = "medallion-backend-url-goes-here";

  private GatewayDocument() {}

  /** The template, pretty-printed and deterministic: {@link #BACKEND_URL} where the function's URL goes. */
  public static String json(ApiRoutes routes) {
    String text = OpenApiDocument.toJson(tree(routes, URL_MARK));
    if (text.split(URL_MARK, -1).length != 3) {
      throw new IllegalStateException("the backend URL's mark must occur exactly twice (address, jwtAudience)");
    }
    // templatefile reads ${...} and %{...} as its own syntax anywhere in the file.
    text = text.replace("${", "$${").replace("%{", "%%{");
    return text.replace(URL_MARK, BACKEND_URL);
  }

  /** The gateway document with a concrete backend URL (what templatefile produces). */
  public static String render(ApiRoutes routes, String backendUrl) {
    return OpenApiDocument.toJson(tree(routes, backendUrl));
  }

  private static JsonObject tree(ApiRoutes routes, String backendUrl) {
    JsonObject doc = OpenApiDocument.document(routes);
    JsonObject management = new JsonObject();
    JsonObject metrics = new JsonObject();
    JsonObject metric = new JsonObject();
    metric.addProperty("displayName", "Read requests");
    metrics.add(METRIC, metric);
    management.add("metrics", metrics);
    JsonObject limit = new JsonObject();
    limit.addProperty("metric", METRIC);
    limit.addProperty("values", READ_REQUESTS_LIMIT);
    JsonObject limits = new JsonObject();
    limits.add(METRIC + "_limit", limit);
    JsonObject quota = new JsonObject();
    quota.add("limits", limits);
    JsonObject quotas = new JsonObject();
    quotas.add(METRIC, quota);
    management.add("quota", quotas);
    JsonObject backend = new JsonObject();
    backend.addProperty("address", backendUrl);
    backend.addProperty("jwtAudience", backendUrl);
    backend.addProperty("pathTranslation", "APPEND_PATH_TO_ADDRESS");
    backend.addProperty("deadline", DEADLINE_SECONDS);
    JsonObject backends = new JsonObject();
    backends.add(BACKEND, backend);
    management.add("backends", backends);

    // The extension first, as the documentation's examples place it, then the document.
    JsonObject out = new JsonObject();
    for (Map.Entry<String, JsonElement> e : doc.entrySet()) {
      out.add(e.getKey(), e.getValue());
      if (e.getKey().equals("info")) {
        out.add("x-google-api-management", management);
        JsonArray security = new JsonArray();
        JsonObject requirement = new JsonObject();
        requirement.add(API_KEY_SCHEME, new JsonArray());
        security.add(requirement);
        out.add("security", security);
      }
    }
    for (Map.Entry<String, JsonElement> path : out.getAsJsonObject("paths").entrySet()) {
      for (Map.Entry<String, JsonElement> op : path.getValue().getAsJsonObject().entrySet()) {
        JsonObject operation = op.getValue().getAsJsonObject();
        // The contract test's examples are for the function; the gateway has no use for them.
        operation.remove(OpenApiDocument.EXAMPLES);
        operation.addProperty("x-google-backend", BACKEND);
        JsonObject costs = new JsonObject();
        costs.addProperty(METRIC, 1);
        JsonObject charge = new JsonObject();
        charge.add("metricCosts", costs);
        operation.add("x-google-quota", charge);
      }
    }
    JsonObject scheme = new JsonObject();
    scheme.addProperty("type", "apiKey");
    scheme.addProperty("name", API_KEY_HEADER);
    scheme.addProperty("in", "header");
    JsonObject schemes = new JsonObject();
    schemes.add(API_KEY_SCHEME, scheme);
    out.getAsJsonObject("components").add("securitySchemes", schemes);
    return out;
  }
}
