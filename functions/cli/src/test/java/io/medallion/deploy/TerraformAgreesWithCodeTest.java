package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import io.medallion.cli.LocalPipeline;
import io.medallion.cli.ColdStart;
import io.medallion.config.MedallionConfig;
import io.medallion.event.PushFunction;
import io.medallion.metrics.Metrics;
import io.medallion.gold.GoldPushFunction;
import io.medallion.ingest.IngestPushFunction;
import io.medallion.port.Labels;
import io.medallion.silver.SilverPushFunction;
import io.medallion.webhook.WebhookFunction;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import io.micrometer.stackdriver.StackdriverMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * terraform/ names what the code uses: topics, buckets, datasets, tables, entry points and
 * environment variables, each compared with the code's own constant or class, never a copy.
 *
 * <p>hcl4j parses the .tf files into maps (block type, then name, then attributes); it keeps a
 * reference such as {@code google_pubsub_topic.run_requests.name} as that text and drops index
 * keys and function calls ({@code file()} comes back as null), so file() paths are read from the
 * source text. {@code terraform validate} needs the providers, which cannot be downloaded here:
 * {@code terraform fmt -check} runs instead when terraform is installed.
 */
class TerraformAgreesWithCodeTest {

  private static final MedallionConfig CODE = MedallionConfig.defaults();
  static final Pattern SOURCES_LOCALS = Pattern.compile("(?ms)^locals \\{.*?^\\}");
  /** file("${path.module}/...") and templatefile("${path.module}/...", {...}). */
  private static final Pattern FILE_CALL = Pattern.compile("file\\(\"\\$\\{path\\.module\\}/([^\"]+)\"[),]");

  static Path root;
  static Path terraform;
  /** Every top-level block of every .tf file, merged: "resource" -> type -> name -> attributes. */
  static Map<String, Object> tf;
  static String source;

  @BeforeAll
  static void parse() throws Exception {
    root = Repository.root();
    terraform = root.resolve("terraform");
    tf = new LinkedHashMap<>();
    StringBuilder all = new StringBuilder();
    for (Path file : tfFiles()) {
      Map<String, Object> blocks;
      String text = Files.readString(file);
      if (java.util.Set.of("sources.tf", "slo.tf", "policy_tags.tf").contains(file.getFileName().toString())) {
        // hcl4j cannot parse object for-expressions ({ for f in ... : k => v }); terraform console
        // evaluates these locals instead (TerraformSourcesTest, TerraformSlosTest). Their resources are parsed here.
        text = SOURCES_LOCALS.matcher(text).replaceFirst("");
      }
      try {
        blocks = new HCLParser().parse(text);
      } catch (Exception e) {
        throw new AssertionError("hcl4j cannot parse " + root.relativize(file) + ": " + e.getMessage(), e);
      }
      merge(tf, asMap(normalized(blocks)), 3);
      all.append(Files.readString(file)).append('\n');
    }
    source = all.toString();
  }

  @Test
  void topics_areTheCodesNames_underTheNamePrefix() {
    Map<String, Object> topics = local("topics");
    assertEquals(CODE.runRequestsTopic(), topics.get("run_requests"), "local.topics.run_requests");
    assertEquals(CODE.bqJobsTopic(), topics.get("bq_jobs"), "local.topics.bq_jobs");
    assertEquals(CODE.deadLettersTopic(), topics.get("dead_letters"), "local.topics.dead_letters");
    assertEquals(LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC, topics.get("bronze_notifications"),
        "local.topics.bronze_notifications (the topic the bronze bucket notifies)");
    Map<String, Map<String, Object>> resources = new java.util.LinkedHashMap<>(resources("google_pubsub_topic"));
    // A pushed source's topic, one per declaration that has push (issue 17): named by the source.
    Map<String, Object> pushed = resources.remove("push");
    assertEquals("local.push_sources", pushed.get("for_each"), "google_pubsub_topic.push: one per pushed source");
    assertEquals("push-a-b", CODE.pushTopic("a_b"), "the local topic is named as the deployed one, prefix aside");
    assertTrue(oneSpaced(blockText("resource", "google_pubsub_topic", "push"))
            .contains("name = \"${local.push_topic_prefix}${replace(each.key, \"_\", \"-\")}\""),
        "google_pubsub_topic.push is named as MedallionConfig.pushTopic names it, from the prefix the webhook is given");
    assertTrue(oneSpaced(source).contains("push_topic_prefix = \"${var.name_prefix}-push-\""), "local.push_topic_prefix");
    // A stream source's own dead-letter topic, named as the local one (prefix aside).
    Map<String, Object> streamDead = resources.remove("stream_dead_letters");
    assertEquals("local.stream_sources", streamDead.get("for_each"), "google_pubsub_topic.stream_dead_letters: one per stream source");
    assertTrue(String.valueOf(streamDead.get("name")).endsWith("-dead-letters"), "stream dead-letter topic name: " + streamDead.get("name"));
    assertEquals(LocalPipeline.pushTopic("a_b") + "-dead-letters", LocalPipeline.streamDeadLetterTopic("a_b"));
    assertEquals(LocalPipeline.GOLD_SCHEDULE_TOPIC, topics.get("gold_schedule"), "local.topics.gold_schedule (gold build requests)");
    assertEquals(topics.keySet(), resources.keySet(), "one google_pubsub_topic per local.topics entry");
    resources.forEach((name, topic) ->
        assertEquals("var.name_prefix-local.topics." + name, topic.get("name"), "google_pubsub_topic." + name + ".name"));
  }

  @Test
  void buckets_areTheCodesNames_underProjectAndPrefix() {
    Map<String, Object> buckets = local("buckets");
    String prefix = (String) variable("name_prefix").get("default");
    assertEquals(CODE.bronzeBucket(), prefix + "-" + buckets.get("bronze"), "default prefix + local.buckets.bronze");
    assertEquals(CODE.stagingBucket(), prefix + "-" + buckets.get("staging"), "default prefix + local.buckets.staging");
    for (String bucket : List.of("bronze", "staging")) {
      assertEquals("var.project_id-var.name_prefix-local.buckets." + bucket,
          resource("google_storage_bucket", bucket).get("name"), "google_storage_bucket." + bucket + ".name");
    }
    resources("google_storage_bucket").forEach((name, bucket) -> {
      assertEquals(true, bucket.get("uniform_bucket_level_access"), name + ": uniform bucket-level access");
      assertEquals("enforced", bucket.get("public_access_prevention"), name + ": public access prevention");
    });
    assertEquals(true, block(resource("google_storage_bucket", "bronze"), "versioning").get("enabled"), "bronze versioning");
  }

  @Test
  void datasets_arePerSchemaLayer_andTablesComeFromTheSchemaFiles() throws IOException {
    Map<String, Object> datasets = local("datasets");
    assertEquals(CODE.silverDataset(), datasets.get("silver"));
    assertEquals(CODE.goldDataset(), datasets.get("gold"));
    assertEquals(CODE.opsDataset(), datasets.get("ops"));
    Map<String, Set<String>> schemas = schemaFiles();
    // silver and gold: one dataset per domain and layer (TerraformDomainsTest); ops: one, shared.
    assertEquals(Set.of("domain", "ops"), resources("google_bigquery_dataset").keySet(),
        "google_bigquery_dataset.domain (each domain's silver and gold) and .ops");
    assertEquals(Set.of("silver", "gold", "ops"), schemas.keySet(), "schemas/bigquery/<layer>/");
    assertEquals("local.dataset_prefix_local.datasets.ops", resource("google_bigquery_dataset", "ops").get("dataset_id"));

    // The silver and gold tables are for_each over locals derived from the declarations
    // (TerraformSourcesTest evaluates them); here: what each table is made of.
    Map<String, Object> silver = resource("google_bigquery_table", "silver");
    assertEquals("local.silver_tables", silver.get("for_each"));
    assertEquals("each.key", silver.get("table_id"));
    assertTrue(oneSpaced(blockText("resource", "google_bigquery_table", "silver"))
        .contains("dataset_id = google_bigquery_dataset.domain[\"silver_${each.value.domain}\"].dataset_id"),
        "each silver table in its source's domain's silver dataset");
    // Partitioned and clustered as local.silver_tables derives from each declaration, which
    // TerraformSourcesTest compares with Source.partitioning.
    Map<String, Object> partitioning = block(silver, "time_partitioning");
    assertEquals("each.value.partition", partitioning.get("field"));
    assertEquals("each.value.granularity", partitioning.get("type"));
    assertEquals("each.value.expiration_ms", partitioning.get("expiration_ms"));
    assertTrue(String.valueOf(silver.get("clustering")).contains("each.value.clustering"), String.valueOf(silver.get("clustering")));
    Map<String, Object> gold = resource("google_bigquery_table", "gold");
    assertEquals("each.value", gold.get("table_id"));
    assertTrue(oneSpaced(blockText("resource", "google_bigquery_table", "gold"))
        .contains("dataset_id = google_bigquery_dataset.domain[\"gold_${local.gold_table_domains[each.value]}\"].dataset_id"),
        "each gold table in its source's domain's gold dataset");
    Map<String, Object> ledger = resource("google_bigquery_table", "ops_run_ledger");
    assertEquals(CODE.ledgerTable().table(), ledger.get("table_id"));
    assertEquals("google_bigquery_dataset.ops.dataset_id", ledger.get("dataset_id"));

    // Every schema file is the schema of its table, and every file() names a file that exists:
    // ${each.key} of the silver tables and ${each.value} of the gold ones over what the sources declare.
    List<Source> sources = SourceRegistry.standard().all();
    List<String> silverTables = sources.stream().flatMap(s -> s.silverTables().stream()).toList();
    List<String> goldTables = sources.stream().flatMap(s -> s.goldModels().stream()).toList();
    Set<String> referenced = new TreeSet<>();
    Matcher m = FILE_CALL.matcher(source);
    while (m.find()) {
      String path = m.group(1);
      List<String> expanded = path.contains("/silver/${each.key}")
          ? silverTables.stream().map(t -> path.replace("${each.key}", t)).toList()
          : path.contains("/gold/${each.value}")
          ? goldTables.stream().map(t -> path.replace("${each.value}", t)).toList()
          : path.contains("${") ? List.of() // the declarations themselves (sources.tf)
          : List.of(path);
      for (String p : expanded) {
        Path file = terraform.resolve(p).normalize();
        assertTrue(Files.isRegularFile(file), "file(\"" + p + "\") in terraform/ does not exist: " + file);
        String relative = root.relativize(file).toString().replace(File.separatorChar, '/');
        // A silver or gold table's schema is the template generated from its schema file (policy
        // tags instead of the sensitive marks; GcpSchemaTemplatesAreCurrentTest keeps it current).
        java.util.regex.Matcher template = Pattern.compile("terraform/schemas/(\\w+)/(\\w+)\\.json\\.tpl").matcher(relative);
        if (template.matches()) {
          relative = "schemas/bigquery/" + template.group(1) + "/" + template.group(2) + ".json";
        }
        if (relative.startsWith("schemas/bigquery/")) {
          referenced.add(relative);
        }
      }
    }
    Set<String> expected = new TreeSet<>();
    schemas.forEach((layer, tables) -> tables.forEach(t -> expected.add("schemas/bigquery/" + layer + "/" + t + ".json")));
    assertEquals(expected, referenced, "the schema files terraform/ reads with file(): one per table the sources declare");
    assertEquals("schemas/silver/${each.key}.json.tpl", schemaOf("silver"));
    assertEquals("../schemas/bigquery/ops/" + CODE.ledgerTable().table() + ".json", schemaOf("ops_run_ledger"));
  }

  @Test
  void functions_deployTheHttpPushEntryPoints_builtByTheirModules() throws IOException {
    Map<String, Object> functions = local("functions");
    Map<String, Class<? extends PushFunction>> code = Map.of(
        "ingest", IngestPushFunction.class, "silver", SilverPushFunction.class, "gold", GoldPushFunction.class);
    assertEquals(code.keySet(), functions.keySet(), "local.functions");
    Map<String, Object> functionTopics = local("function_topics");
    for (var e : code.entrySet()) {
      Map<String, Object> fn = asMap(functions.get(e.getKey()));
      assertEquals(e.getValue().getName(), fn.get("entry_point"), e.getKey() + ".entry_point");
      String artifact = "medallion-" + e.getKey();
      assertEquals("../functions/" + e.getKey() + "/target/" + artifact + "-deploy.jar", fn.get("jar"), e.getKey() + ".jar");
      String pom = Files.readString(root.resolve("functions").resolve(e.getKey()).resolve("pom.xml"));
      assertTrue(pom.contains("<artifactId>" + artifact + "</artifactId>") && pom.contains("maven-shade-plugin"),
          "functions/" + e.getKey() + "/pom.xml builds " + artifact + "-deploy.jar");
      assertEquals("google_pubsub_topic." + fn.get("topic") + ".id", functionTopics.get(e.getKey()),
          e.getKey() + ": local.functions.topic and local.function_topics agree");
    }
    Map<String, Object> build = block(resource("google_cloudfunctions2_function", "function"), "build_config");
    assertEquals("each.value.entry_point", build.get("entry_point"));

    // The webhook: an HTTP function of its own (no push subscription), its jar uploaded with the others.
    Map<String, Object> webhook = local("webhook");
    assertEquals(WebhookFunction.class.getName(), webhook.get("entry_point"), "local.webhook.entry_point");
    assertEquals("../functions/webhook/target/medallion-webhook-deploy.jar", webhook.get("jar"), "local.webhook.jar");
    String pom = Files.readString(root.resolve("functions/webhook/pom.xml"));
    assertTrue(pom.contains("<artifactId>medallion-webhook</artifactId>") && pom.contains("maven-shade-plugin"),
        "functions/webhook/pom.xml builds medallion-webhook-deploy.jar");
    assertEquals("local.webhook.entry_point",
        block(resource("google_cloudfunctions2_function", "webhook"), "build_config").get("entry_point"));
    assertTrue(oneSpaced(source).contains(
            "function_jars = merge({ for name, f in local.functions : name => f.jar }, { webhook = local.webhook.jar, api = local.api.jar })"),
        "local.function_jars: every function's jar, the webhook's and the query API's");
    assertEquals("local.function_jars", resource("google_storage_bucket_object", "function_source").get("for_each"));
  }

  /**
   * The webhook is reachable from anywhere but invoked only by the callers the pushed sources
   * declare; it reads the push secrets and no other, publishes to the push topics and run-requests
   * only, and ingest no longer reads the push secrets.
   */
  @Test
  void webhook_isInvokedOnlyByDeclaredCallers_andReadsOnlyThePushSecrets() {
    Map<String, Object> service = block(resource("google_cloudfunctions2_function", "webhook"), "service_config");
    assertEquals("ALLOW_ALL", service.get("ingress_settings"), "partners call it from outside Google Cloud");
    assertEquals("google_service_account.webhook.email", service.get("service_account_email"));
    assertEquals(block(resource("google_cloudfunctions2_function", "function"), "service_config").get("environment_variables"),
        service.get("environment_variables"), "the configuration every function reads");
    assertTrue(oneSpaced(blockText("resource", "google_cloudfunctions2_function", "webhook"))
        .contains("environment_variables = local.function_env"), "the webhook gets local.function_env");
    assertTrue(!Pattern.compile("member\\s*=\\s*\"all(Authenticated)?Users\"").matcher(source).find(), "no public member");

    Map<String, Object> callers = resource("google_cloud_run_v2_service_iam_member", "webhook_callers");
    assertEquals("local.push_callers", callers.get("for_each"), "one grant per declared caller");
    assertEquals("roles/run.invoker", callers.get("role"));
    assertEquals("each.value", callers.get("member"));
    assertTrue(String.valueOf(callers.get("name")).startsWith("google_cloudfunctions2_function.webhook.service_config"),
        "granted on the webhook's Cloud Run service: " + callers.get("name"));
    // The pusher invokes the three functions; nobody else is granted run.invoker on anything.
    assertEquals(Set.of("pusher_invokes", "webhook_callers", "gateway_invokes_api"),
        resources("google_cloud_run_v2_service_iam_member").keySet());

    assertEquals("local.push_secrets", resource("google_secret_manager_secret_iam_member", "webhook").get("for_each"));
    assertEquals("google_service_account.webhook.member", resource("google_secret_manager_secret_iam_member", "webhook").get("member"));
    assertEquals("local.auth_secrets", resource("google_secret_manager_secret_iam_member", "ingest").get("for_each"),
        "ingest reads the auth secrets only");
    Map<String, Object> publishes = resource("google_pubsub_topic_iam_member", "webhook_publishes_pushes");
    assertEquals("local.push_sources", publishes.get("for_each"));
    assertEquals("google_pubsub_topic.push.each.key.id", publishes.get("topic"), "each pushed source's own topic");
    assertEquals("google_pubsub_topic.run_requests.id",
        resource("google_pubsub_topic_iam_member", "webhook_requests_runs").get("topic"), "a notice's run request");
    List<String> webhookGrants = new ArrayList<>();
    Matcher grant = Pattern.compile("resource \"(google_\\w+_iam_member)\" \"(\\w+)\" \\{\n(.*?)\n\\}", Pattern.DOTALL).matcher(source);
    while (grant.find()) {
      if (grant.group(3).contains("google_service_account.webhook.member")) {
        webhookGrants.add(grant.group(1) + "." + grant.group(2));
      }
    }
    assertEquals(List.of("google_pubsub_topic_iam_member.webhook_publishes_pushes",
            "google_pubsub_topic_iam_member.webhook_requests_runs", "google_storage_bucket_iam_member.webhook_keeps_keys",
            "google_project_iam_member.webhook_writes_metrics", "google_secret_manager_secret_iam_member.webhook"),
        webhookGrants, "the webhook's grants, and no BigQuery, bronze or dead-letter grant");
    String keys = oneSpaced(blockText("resource", "google_storage_bucket_iam_member", "webhook_keeps_keys"));
    assertTrue(keys.contains("objects/${name}/push_keys/"), "the key grants hold only under <source>/push_keys/, where "
        + "StoredIdempotencyKeys keeps them:\n" + keys);
  }

  /**
   * The query API (api.tf): its entry point is a class of functions/api, API Gateway is configured
   * from the template the code generates now, and the gateway's account is the only one that may
   * invoke the function.
   */
  @Test
  void queryApi_deploysItsEntryPoint_behindTheGeneratedGatewayDocument_invokedByTheGatewayOnly() throws Exception {
    Map<String, Object> api = local("api");
    String entryPoint = (String) api.get("entry_point");
    Class<?> function = Class.forName(entryPoint);
    assertTrue(com.google.cloud.functions.HttpFunction.class.isAssignableFrom(function), entryPoint + " is an HTTP function");
    assertEquals("../functions/api/target/medallion-api-deploy.jar", api.get("jar"), "local.api.jar");
    String pom = Files.readString(root.resolve("functions/api/pom.xml"));
    assertTrue(pom.contains("<artifactId>medallion-api</artifactId>") && pom.contains("maven-shade-plugin"),
        "functions/api/pom.xml builds medallion-api-deploy.jar");
    // hcl4j resolves a local of the same file (api.tf) to its value: the source text is checked instead.
    String fn = oneSpaced(blockText("resource", "google_cloudfunctions2_function", "api"));
    for (String line : List.of("entry_point = local.api.entry_point", "service_account_email = google_service_account.api.email",
        "environment_variables = local.function_env", "key = local.api_token_key_env",
        "secret = google_secret_manager_secret.api_token_key.secret_id",
        "object = google_storage_bucket_object.function_source[\"api\"].name")) {
      assertTrue(fn.contains(line), "google_cloudfunctions2_function.api: " + line + "\n" + fn);
    }
    // The page-token key: the variable ApiFunction reads, from the secret only the API may read.
    assertTrue(Pattern.compile("api_token_key_env\\s*=\\s*\"" + Pattern.quote((String) function.getField("TOKEN_KEY").get(null))
        + "\"").matcher(source).find(), "local.api_token_key_env is ApiFunction.TOKEN_KEY");
    assertEquals("google_secret_manager_secret.api_token_key.id",
        resource("google_secret_manager_secret_iam_member", "api_reads_token_key").get("secret_id"));

    // The gateway reads the committed template, which is what the code generates now.
    Matcher document = Pattern.compile("api_gateway_document\\s*=\\s*\"\\$\\{path\\.module}/([^\"]+)\"").matcher(source);
    assertTrue(document.find(), "local.api_gateway_document");
    Path template = terraform.resolve(document.group(1)).normalize();
    assertEquals(root.resolve(io.medallion.api.GatewayDocument.TEMPLATE_PATH).normalize(), template,
        "terraform reads the template GatewayDocument writes");
    assertEquals(io.medallion.api.GatewayDocument.json(io.medallion.api.ApiRoutes.of(SourceRegistry.standard())),
        Files.readString(template), document.group(1) + " is not current: see GatewayDocumentIsCurrentTest");
    String config = oneSpaced(blockText("resource", "google_api_gateway_api_config", "api"));
    String variable = io.medallion.api.GatewayDocument.BACKEND_URL.replaceAll("^\\$\\{|}$", "");
    assertTrue(config.contains("contents = base64encode(templatefile(local.api_gateway_document, { " + variable
            + " = google_cloudfunctions2_function.api.service_config[0].uri }))"),
        "the api config fills " + io.medallion.api.GatewayDocument.BACKEND_URL + " with the function's URL:\n" + config);
    assertEquals("google_service_account.gateway.email",
        block(block(resource("google_api_gateway_api_config", "api"), "gateway_config"), "backend_config")
            .get("google_service_account"), "the gateway calls the function as its own account");
    for (String type : List.of("google_api_gateway_api", "google_api_gateway_api_config", "google_api_gateway_gateway")) {
      resources(type).forEach((name, r) -> assertEquals("google-beta", r.get("provider"), type + " is in google-beta only"));
    }
    assertEquals("google_api_gateway_api.api.managed_service",
        resource("google_project_service", "api_managed_service").get("service"), "API keys need the managed service enabled");

    // run.invoker on the API's service: the gateway's account, and nobody else anywhere.
    List<String> invokers = new ArrayList<>();
    Matcher grant = Pattern.compile("resource \"(google_\\w+_iam_(member|binding|policy))\" \"(\\w+)\" \\{\n(.*?)\n\\}", Pattern.DOTALL)
        .matcher(source);
    while (grant.find()) {
      String body = grant.group(4);
      if (body.contains("google_cloudfunctions2_function.api.") || grant.group(1).startsWith("google_cloudfunctions2_function_iam")) {
        invokers.add(grant.group(1) + "." + grant.group(3) + " -> " + find(body, "\\bmember\\s*=\\s*(.+)").trim());
      }
    }
    assertEquals(List.of("google_cloud_run_v2_service_iam_member.gateway_invokes_api -> google_service_account.gateway.member"),
        invokers, "the grants on the query API function");
    assertEquals("roles/run.invoker", resource("google_cloud_run_v2_service_iam_member", "gateway_invokes_api").get("role"));
    assertTrue(!Pattern.compile("resource \"google_project_iam_\\w+\"[^}]*roles/run\\.invoker").matcher(source).find(),
        "no project-wide run.invoker");

    // What the API's own account may do: read gold, run jobs, read its key.
    List<String> apiGrants = new ArrayList<>();
    Matcher member = Pattern.compile("resource \"(google_\\w+_iam_member)\" \"(\\w+)\" \\{\n(.*?)\n\\}", Pattern.DOTALL).matcher(source);
    while (member.find()) {
      if (member.group(3).contains("google_service_account.api.member")) {
        apiGrants.add(member.group(1) + "." + member.group(2) + " " + find(member.group(3), "\\brole\\s*=\\s*\"([^\"]+)\""));
      }
    }
    assertEquals(List.of(
            "google_secret_manager_secret_iam_member.api_reads_token_key roles/secretmanager.secretAccessor",
            "google_bigquery_dataset_iam_member.api_reads_gold roles/bigquery.dataViewer",
            "google_project_iam_member.api_runs_jobs roles/bigquery.jobUser",
            // published gold tables hold policy-tagged columns, which the API masks in its answers
            "google_data_catalog_policy_tag_iam_member.api_reads_tagged roles/datacatalog.categoryFineGrainedReader"),
        apiGrants, "the query API's grants");
    // Each domain's gold dataset (TerraformDomainsTest checks the for_each).
    assertEquals("google_bigquery_dataset.domain.each.key.dataset_id",
        resource("google_bigquery_dataset_iam_member", "api_reads_gold").get("dataset_id"));
  }

  @Test
  void everyConfigVariable_isSetOnTheFunctions_fromTheResourceItNames() throws Exception {
    Map<String, Object> service = block(resource("google_cloudfunctions2_function", "function"), "service_config");
    Map<String, Object> env = asMap(service.get("environment_variables"));
    Set<String> medallion = new TreeSet<>(env.keySet());
    medallion.remove("JAVA_TOOL_OPTIONS");
    // The GCP adapter set's own: where lineage goes (LineageTerraformTest checks it).
    medallion.remove(io.medallion.gcp.GcpPortsProvider.LINEAGE_LOCATION);
    assertEquals(configKeys(), medallion, "MEDALLION_* variables set by Terraform");
    // The JVM options are the ones medallion bench measures cold starts with.
    assertEquals("var.java_tool_options", env.get("JAVA_TOOL_OPTIONS"));
    assertEquals(ColdStart.DEPLOY_JVM_OPTIONS, variable("java_tool_options").get("default"),
        "var.java_tool_options and ColdStart.DEPLOY_JVM_OPTIONS");
    Map<String, String> expected = new HashMap<>();
    expected.put(MedallionConfig.PROJECT, "var.project_id");
    expected.put(MedallionConfig.BRONZE_BUCKET, "google_storage_bucket.bronze.name");
    expected.put(MedallionConfig.STAGING_BUCKET, "google_storage_bucket.staging.name");
    expected.put(MedallionConfig.RUN_REQUESTS_TOPIC, "google_pubsub_topic.run_requests.name");
    expected.put(MedallionConfig.BQ_JOBS_TOPIC, "google_pubsub_topic.bq_jobs.name");
    expected.put(MedallionConfig.DEAD_LETTERS_TOPIC, "google_pubsub_topic.dead_letters.name");
    // The layers' base names: the code appends _<domain> per source, as google_bigquery_dataset.domain names them.
    expected.put(MedallionConfig.SILVER_DATASET, "local.dataset_prefix_local.datasets.silver");
    expected.put(MedallionConfig.GOLD_DATASET, "local.dataset_prefix_local.datasets.gold");
    expected.put(MedallionConfig.OPS_DATASET, "google_bigquery_dataset.ops.dataset_id");
    expected.put(MedallionConfig.BQ_LOCATION, "var.bigquery_location");
    // Declarations carry their base URLs and the directories they are read from.
    expected.put(MedallionConfig.SOURCE_URL, "");
    expected.put(MedallionConfig.SOURCES_DIR, "");
    expected.put(MedallionConfig.INGEST_CONCURRENCY, "");
    expected.put(MedallionConfig.PUSH_TOPIC_PREFIX, "local.push_topic_prefix");
    expected.forEach((key, reference) -> assertEquals(reference, env.get(key), key));
    assertEquals(CODE.adapters(), env.get(MedallionConfig.ADAPTERS), MedallionConfig.ADAPTERS + " on GCP");
    // The literal values and the variables' defaults are values MedallionConfig accepts.
    Map<String, String> defaults = new HashMap<>();
    defaults.put(MedallionConfig.ADAPTERS, (String) env.get(MedallionConfig.ADAPTERS));
    defaults.put(MedallionConfig.BQ_LOCATION, (String) variable("bigquery_location").get("default"));
    expected.forEach((key, value) -> {
      if (value.isEmpty()) {
        defaults.put(key, value);
      }
    });
    MedallionConfig.from(defaults);
    assertEquals(null, variable("page_size").get("default"), "var.page_size: each source's declared page size unless set");
    assertTrue(Pattern.compile(MedallionConfig.PAGE_SIZE
            + "\\s*=\\s*var\\.page_size == null \\? \"\" : tostring\\(var\\.page_size\\)").matcher(source).find(),
        MedallionConfig.PAGE_SIZE + " from var.page_size, empty when it is null");
  }

  @Test
  void logSink_routesOnlyTheLoadJobsGoldWaitsFor_toBqJobs() {
    Map<String, Object> sink = resource("google_logging_project_sink", "bq_jobs");
    assertEquals("pubsub.googleapis.com/google_pubsub_topic.bq_jobs.id", sink.get("destination"));
    String filter = (String) sink.get("filter");
    for (String clause : List.of(
        "protoPayload.metadata.jobChange.after=\"DONE\"",
        "protoPayload.metadata.jobChange.job.jobConfig.type=\"IMPORT\"",
        "protoPayload.metadata.jobChange.job.jobConfig.labels." + Labels.PIPELINE + "=\"" + Labels.PIPELINE_NAME + "\"",
        "protoPayload.metadata.jobChange.job.jobConfig.labels." + Labels.LAYER + "=\"silver\"")) {
      assertTrue(filter.contains(clause), "the sink filter lacks " + clause + ":\n" + filter);
    }
    Map<String, Object> grant = resource("google_pubsub_topic_iam_member", "sink_publishes");
    assertEquals("google_pubsub_topic.bq_jobs.id", grant.get("topic"));
    assertEquals("google_logging_project_sink.bq_jobs.writer_identity", grant.get("member"));
  }

  @Test
  void everySubscriptionThatDeliversToAFunction_retriesThenDeadLetters() {
    Map<String, Map<String, Object>> subscriptions = resources("google_pubsub_subscription");
    subscriptions.forEach((name, s) -> {
      if (name.equals("dead_letters_keep")) {
        assertEquals("google_pubsub_topic.dead_letters.id", s.get("topic"));
        return;
      }
      if (name.equals("stream_dead_letters_keep")) {
        assertEquals("google_pubsub_topic.stream_dead_letters.id", String.valueOf(s.get("topic")).replace(".each.key", ""));
        return;
      }
      assertTrue(s.containsKey("push_config") || s.containsKey("cloud_storage_config") || s.containsKey("bigquery_config"),
          name + " delivers by push to a function, or writes to Cloud Storage or BigQuery (pushed records)");
      Map<String, Object> dlq = block(s, "dead_letter_policy");
      // A stream source's refused rows go to its own dead-letter topic, as they do locally.
      assertEquals(s.containsKey("bigquery_config") ? "google_pubsub_topic.stream_dead_letters.id" : "google_pubsub_topic.dead_letters.id",
          String.valueOf(dlq.get("dead_letter_topic")).replace(".each.key", ""), name + " dead-letter topic");
      assertEquals("var.max_delivery_attempts", dlq.get("max_delivery_attempts"), name + " max delivery attempts");
      Map<String, Object> retry = block(s, "retry_policy");
      assertTrue(retry.containsKey("minimum_backoff") && retry.containsKey("maximum_backoff"), name + " retry policy");
      // Kept longer than a day, so that a failing event is dead-lettered, never dropped.
      assertEquals("604800s", s.get("message_retention_duration"), name + " retention");
      if (s.containsKey("push_config")) {
        assertTrue(block(block(s, "push_config"), "oidc_token").containsKey("service_account_email"), name + " signs its pushes");
      } else if (s.containsKey("bigquery_config")) {
        // As the local stand-in (BigQuerySubscription) writes: the table's own columns, the metadata beside.
        Map<String, Object> bq = block(s, "bigquery_config");
        assertEquals(true, bq.get("use_table_schema"), name + " use_table_schema");
        assertEquals(true, bq.get("write_metadata"), name + " write_metadata");
        assertEquals("each.value.drop_unknown_fields", bq.get("drop_unknown_fields"), name + " drop_unknown_fields from the declaration");
        assertEquals("local.stream_sources", s.get("for_each"), name + ": one per stream source");
        assertEquals("google_pubsub_topic.push.id", String.valueOf(s.get("topic")).replace(".each.key", ""),
            name + " reads the source's push topic");
      } else {
        assertEquals("google_storage_bucket.bronze.name", block(s, "cloud_storage_config").get("bucket"),
            name + " writes pushed records into bronze, where silver finds them");
      }
    });
    assertEquals("local.functions", resource("google_pubsub_subscription", "push").get("for_each"), "one push subscription per function");

    Map<String, Object> notification = resource("google_storage_notification", "bronze_finalized");
    assertEquals("google_storage_bucket.bronze.name", notification.get("bucket"));
    assertEquals("google_pubsub_topic.bronze_notifications.id", notification.get("topic"));
    assertEquals(List.of("OBJECT_FINALIZE"), notification.get("event_types"));
    assertEquals("JSON_API_V1", notification.get("payload_format"));
  }

  /** terraform/README.md's role table lists exactly the grants terraform/ makes (identity and role). */
  @Test
  void readmeRoleTable_listsEveryGrantTerraformMakes() throws IOException {
    String prefix = (String) variable("name_prefix").get("default");
    List<String> functions = new ArrayList<>(local("functions").keySet());
    Map<String, String> grantees = new LinkedHashMap<>();
    grantees.put("google_service_account.pusher.member", prefix + "-pusher");
    grantees.put("google_service_account.webhook.member", prefix + "-webhook");
    grantees.put("google_service_account.api.member", prefix + "-api");
    grantees.put("google_service_account.gateway.member", prefix + "-gateway");
    grantees.put("each.value", "each pushed source's push.callers");
    grantees.put("each.value.member", "each consumers principal of a domain (schemas/domains/<name>.json)");
    grantees.put("each.value.reader", "each sensitive_readers principal of a domain");
    grantees.put("google_service_account.build.member", prefix + "-build");
    grantees.put("local.pubsub_agent", "Pub/Sub service agent");
    grantees.put("local.storage_agent", "GCS service agent");
    grantees.put("google_logging_project_sink.bq_jobs.writer_identity", "log sink writer identity");

    Set<String> granted = new TreeSet<>();
    Matcher block = Pattern.compile("resource \"google_\\w+_iam_member\" \"(\\w+)\" \\{\n(.*?)\n\\}", Pattern.DOTALL)
        .matcher(source);
    while (block.find()) {
      String body = block.group(2);
      List<String> forEach = quoted(find(body, "for_each\\s*=\\s*(toset\\(\\[[^\\]]*\\]\\)|.+)"));
      String roleExpr = find(body, "\\brole\\s*=\\s*(.+)");
      List<String> roles = roleExpr.contains("each.value") ? forEach : quoted(roleExpr);
      String member = find(body, "\\bmember\\s*=\\s*(.+)").trim();
      List<String> who;
      Matcher fn = Pattern.compile("google_service_account\\.function\\[(\"(\\w+)\"|each\\.key)\\]\\.member").matcher(member);
      if (fn.matches()) {
        who = fn.group(2) != null ? List.of(prefix + "-" + fn.group(2))
            : (forEach.isEmpty() ? functions : forEach).stream().map(f -> prefix + "-" + f).toList();
      } else {
        assertTrue(grantees.containsKey(member), "a grant in iam.tf to " + member + " the README table does not know");
        who = List.of(grantees.get(member));
      }
      assertTrue(!roles.isEmpty(), block.group(1) + ": no role found");
      for (String w : who) {
        roles.forEach(r -> granted.add(w + " " + r.replaceFirst("^roles/", "")));
      }
    }

    Set<String> documented = new TreeSet<>();
    String readme = Files.readString(terraform.resolve("README.md"));
    int start = readme.indexOf("| identity | role | on | why |");
    assertTrue(start >= 0, "terraform/README.md has no role table (| identity | role | on | why |)");
    String identity = null;
    for (String row : readme.substring(start).split("\n")) {
      if (!row.startsWith("|")) {
        break;
      }
      String[] cells = row.split("\\|");
      if (cells.length < 3 || cells[1].trim().equals("identity") || cells[1].contains("---")) {
        continue;
      }
      String first = cells[1].replace("`", "").trim();
      identity = first.isEmpty() ? identity : first;
      if (identity.startsWith("whoever applies")) {
        continue; // the deployer's own roles, not granted by Terraform
      }
      List<String> who = identity.equals("all three") ? functions.stream().map(f -> prefix + "-" + f).toList() : List.of(identity);
      Matcher role = Pattern.compile("`([a-z]+\\.[a-zA-Z]+)`").matcher(cells[2]);
      while (role.find()) {
        for (String w : who) {
          documented.add(w + " " + role.group(1));
        }
      }
    }
    assertEquals(granted, documented, "terraform/README.md role table (left: the grants of terraform/*.tf)");
  }

  // --- what a first apply in an empty project needs (issue 13) ---

  /**
   * A gen2 build reads the source from the gcf-v2-sources bucket Cloud Run functions copies it to,
   * not from ours; the build account may read exactly that bucket, and the functions wait until
   * the build account's grants have had time to propagate.
   */
  @Test
  void buildAccount_readsTheGcfSourcesBucket_andTheFunctionsWaitForItsGrants() {
    Map<String, Object> build = block(resource("google_cloudfunctions2_function", "function"), "build_config");
    assertEquals("google_service_account.build.id", build.get("service_account"), "functions build as medallion-build");

    Map<String, Object> sources = resource("google_project_iam_member", "build_reads_gcf_sources");
    assertEquals("roles/storage.objectViewer", sources.get("role"));
    assertEquals("google_service_account.build.member", sources.get("member"));
    assertTrue(Pattern.compile("gcf_sources_bucket\\s*=\\s*\"gcf-v2-sources-\\$\\{data\\.google_project\\.this\\.number}-\\$\\{var\\.region}\"")
        .matcher(source).find(), "local.gcf_sources_bucket is gcf-v2-sources-PROJECT_NUMBER-REGION");
    String condition = oneSpaced(blockText("resource", "google_project_iam_member", "build_reads_gcf_sources"));
    assertTrue(condition.contains("expression = \"resource.name.startsWith(\\\"projects/_/buckets/${local.gcf_sources_bucket}\\\")\""),
        "the project-level read is limited to that bucket by a condition:\n" + condition);

    List<?> waitsFor = (List<?>) resource("google_cloudfunctions2_function", "function").get("depends_on");
    assertTrue(waitsFor.contains("time_sleep.build_grants_propagate"), "the functions wait for the build grants: " + waitsFor);
    String sleep = blockText("resource", "time_sleep", "build_grants_propagate");
    Matcher grant = Pattern.compile("resource \"(google_\\w+_iam_member)\" \"(\\w+)\" \\{\n(.*?)\n\\}", Pattern.DOTALL).matcher(source);
    int buildGrants = 0;
    while (grant.find()) {
      if (Pattern.compile("\\bmember\\s*=\\s*google_service_account\\.build\\.member\\b").matcher(grant.group(3)).find()) {
        buildGrants++;
        assertTrue(references(sleep, grant.group(1) + "." + grant.group(2)),
            "time_sleep.build_grants_propagate waits for " + grant.group(1) + "." + grant.group(2) + ":\n" + sleep);
      }
    }
    assertTrue(buildGrants >= 3, "the build account's grant resources: " + buildGrants);
  }

  /** Pub/Sub's service agent is created before anything is granted to it. */
  @Test
  void pubsubServiceAgent_isCreatedBeforeItIsGranted() {
    Map<String, Object> identity = resource("google_project_service_identity", "pubsub");
    assertEquals("pubsub.googleapis.com", identity.get("service"));
    assertEquals("google-beta", identity.get("provider"), "google_project_service_identity is in google-beta only");
    assertTrue(Pattern.compile("pubsub_agent\\s*=\\s*\"serviceAccount:\\$\\{google_project_service_identity\\.pubsub\\.email}\"")
        .matcher(source).find(), "local.pubsub_agent is the created identity");
    Map<String, Object> providers = block(asMap(tf.get("terraform")), "required_providers");
    Map<String, Object> google = asMap(providers.get("google"));
    Map<String, Object> beta = asMap(providers.get("google-beta"));
    assertEquals("hashicorp/google-beta", beta.get("source"));
    assertEquals(google.get("version"), beta.get("version"), "google and google-beta in the same version range");
    assertTrue(asMap(tf.get("provider")).containsKey("google-beta"), "a google-beta provider block with project and region");
    // The GCS agent: reading its address creates it; after the storage API is on.
    Map<String, Object> gcs = asMap(asMap(asMap(tf.get("data")).get("google_storage_project_service_account")).get("gcs"));
    assertEquals(List.of("google_project_service.apis"), gcs.get("depends_on"));
  }

  /**
   * Silver loads from the staging bucket in var.region into datasets in var.bigquery_location:
   * terraform refuses a pair BigQuery would refuse. Runs terraform on variables.tf alone (no
   * providers needed, so it works offline).
   */
  @Test
  void regionAndBigQueryLocation_thatCannotLoadFromEachOther_areRefusedAtPlan() throws Exception {
    Path exe = onPath("terraform");
    if (exe == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("terraform is not on PATH; under CI=true it is required (.ci/run checks for it)");
      }
      Assumptions.abort("terraform is not on PATH: the variable validations were not run");
    }
    Path dir = Files.createTempDirectory("medallion-tf-variables");
    try {
      Files.copy(terraform.resolve("variables.tf"), dir.resolve("variables.tf"));
      String init = terraform(exe, dir, "init", "-input=false", "-no-color");
      assertTrue(init.startsWith("0\n"), "terraform init of variables.tf alone:\n" + init);
      Map<String, Boolean> pairs = new LinkedHashMap<>();
      pairs.put("us-central1 US", true);
      pairs.put("europe-west1 US", true); // the US multi-region loads from a bucket anywhere
      pairs.put("europe-west1 EU", true);
      pairs.put("europe-west1 europe-west1", true);
      pairs.put("asia-northeast1 asia-northeast1", true);
      pairs.put("us-central1 EU", false);
      pairs.put("europe-west2 EU", false); // London is not in the EU multi-region
      pairs.put("asia-northeast1 EU", false);
      pairs.put("us-central1 us-east1", false);
      for (var pair : pairs.entrySet()) {
        String[] p = pair.getKey().split(" ");
        String out = terraform(exe, dir, "plan", "-input=false", "-no-color", "-lock=false",
            "-var=project_id=my-medallion-project", "-var=region=" + p[0], "-var=bigquery_location=" + p[1]);
        boolean accepted = out.startsWith("0\n");
        assertEquals(pair.getValue(), accepted, "region " + p[0] + ", bigquery_location " + p[1] + ":\n" + out);
        if (!accepted) {
          assertTrue(out.contains("bigquery_location must hold the buckets' region"), out);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /**
   * Every metric the code writes has a descriptor of the kind, value type and labels Micrometer's
   * Stackdriver registry writes it with, so an alert on it can be created before its first point.
   */
  @Test
  void everyMeterTheCodeWrites_hasAMetricDescriptorOfItsKindAndLabels() throws Exception {
    assertTrue(io.medallion.gcp.monitoring.StackdriverMeterExport.config("p", false, Map.of()).useSemanticMetricTypes(),
        "counters are CUMULATIVE only with semantic metric types");
    StackdriverMeterRegistry registry = StackdriverMeterRegistry.builder(
        io.medallion.gcp.monitoring.StackdriverMeterExport.config("p", false, Map.of())).build();
    Map<String, Map<String, Object>> expected = new TreeMap<>();
    try {
      Metrics metrics = Metrics.of(registry);
      Duration d = Duration.ofMillis(5);
      metrics.records("bronze", "s", 1);
      metrics.bytes("bronze", "s", 1);
      metrics.rejects("s", "WRONG_TYPE", 1);
      metrics.stage("silver", "s", "loaded", d);
      metrics.job("load", "s", d);
      metrics.retry("ingest", "s");
      metrics.deadLetter("gold", "s");
      metrics.runLatency("s", d);
      metrics.dqFailures("c", "s", 1);
      metrics.unknownFields("s", 2);
      metrics.webhookRefusal("s", "BAD_SIGNATURE");
      metrics.sloFreshness("d", 1, 1);
      metrics.sloQuality("d", 1, 1);
      Set<String> constants = new TreeSet<>();
      for (Field f : Metrics.class.getFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && ((String) f.get(null)).startsWith("medallion.")) {
          constants.add((String) f.get(null));
        }
      }
      assertEquals(constants, registry.getMeters().stream().map(m -> m.getId().getName()).collect(Collectors.toCollection(TreeSet::new)),
          "this test records every meter Metrics defines");
      String prefix = "custom.googleapis.com/";
      assertEquals(prefix + "medallion", local("medallion_metric").get("value"));
      for (var meter : registry.getMeters()) {
        var id = meter.getId();
        String type = registry.config().namingConvention().name(id.getName(), id.getType()).replaceFirst("^medallion/", "");
        List<String> labels = id.getTags().stream().map(t -> registry.config().namingConvention().tagKey(t.getKey())).sorted().toList();
        switch (id.getType()) {
          // Micrometer 1.14 StackdriverMeterRegistry with useSemanticMetricTypes.
          case COUNTER -> expected.put(type, descriptor("CUMULATIVE", "DOUBLE", labels));
          // A gauge's point is its current value: a GAUGE DOUBLE series.
          case GAUGE -> expected.put(type, descriptor("GAUGE", "DOUBLE", labels));
          case TIMER -> {
            expected.put(type, descriptor("GAUGE", "DISTRIBUTION", labels));
            expected.put(type + "/max", descriptor("GAUGE", "DOUBLE", labels));
            expected.put(type + "/count", descriptor("CUMULATIVE", "INT64", labels));
          }
          default -> fail("a " + id.getType() + " meter: say here which metric types Micrometer writes for it");
        }
      }
    } finally {
      registry.close();
    }
    Map<String, Map<String, Object>> declared = new TreeMap<>();
    assertTrue(asMap(tf.get("locals")).containsKey("medallion_metric_descriptors"),
        "observability.tf declares local.medallion_metric_descriptors");
    local("medallion_metric_descriptors").forEach((type, d) -> {
      Map<String, Object> descriptor = asMap(d);
      declared.put(type, descriptor(String.valueOf(descriptor.get("kind")), String.valueOf(descriptor.get("value_type")),
          ((List<?>) descriptor.get("labels")).stream().map(String::valueOf).sorted().toList()));
    });
    assertEquals(expected, declared, "local.medallion_metric_descriptors (right) against what the code writes (left)");
    String resource = oneSpaced(blockText("resource", "google_monitoring_metric_descriptor", "medallion"));
    for (String line : List.of("for_each = local.medallion_metric_descriptors", "type = \"${local.medallion_metric}/${each.key}\"",
        "metric_kind = each.value.kind", "value_type = each.value.value_type", "key = labels.value")) {
      assertTrue(resource.contains(line), "google_monitoring_metric_descriptor.medallion has " + line + ":\n" + resource);
    }
  }

  private static Map<String, Object> descriptor(String kind, String valueType, List<String> labels) {
    return Map.of("kind", kind, "value_type", valueType, "labels", labels);
  }

  /**
   * An alert policy on a metric type that does not exist yet is refused (404), and a new type
   * takes a while to become known: every metric an alert filters on is a built-in one, or a
   * descriptor or log-based metric declared here that the policy waits for.
   */
  @Test
  void everyMetricAnAlertFiltersOn_isDeclared_andThePolicyWaitsForIt() {
    Pattern metricType = Pattern.compile("metric\\.type\\s*=\\s*\"([^\"]+)\"");
    Pattern promLogMetric = Pattern.compile("logging_googleapis_com:user_google_logging_metric\\.(\\w+)\\.name");
    Set<String> builtIn = Set.of("pubsub.googleapis.com/", "run.googleapis.com/");
    int checked = 0;
    for (var policy : resources("google_monitoring_alert_policy").entrySet()) {
      String name = "google_monitoring_alert_policy." + policy.getKey();
      List<String> queries = new ArrayList<>();
      if (policy.getValue().get("for_each") instanceof Map<?, ?> each) {
        each.values().forEach(v -> queries.add(String.valueOf(asMap(v).get("filter"))));
      }
      collectConditions(policy.getValue().get("conditions"), queries);
      Set<String> needs = new TreeSet<>();
      for (String query : queries) {
        Matcher m = metricType.matcher(query);
        while (m.find()) {
          String type = m.group(1);
          if (builtIn.stream().anyMatch(type::startsWith)) {
            continue;
          }
          Matcher log = Pattern.compile("logging\\.googleapis\\.com/user/google_logging_metric\\.(\\w+)\\.name").matcher(type);
          if (log.matches()) {
            needs.add("google_logging_metric." + log.group(1));
          } else if (type.startsWith(local("medallion_metric").get("value") + "/")) {
            String suffix = type.substring(((String) local("medallion_metric").get("value")).length() + 1);
            assertTrue(local("medallion_metric_descriptors").containsKey(suffix), name + " filters on " + type + ", which no descriptor declares");
            needs.add("google_monitoring_metric_descriptor.medallion");
          } else {
            fail(name + " filters on " + type + ": neither built in nor declared in terraform/");
          }
        }
        Matcher prom = promLogMetric.matcher(query);
        while (prom.find()) {
          needs.add("google_logging_metric." + prom.group(1));
        }
      }
      for (String need : needs) {
        String[] r = need.split("\\.");
        resource(r[0], r[1]);
        assertTrue(waitsFor(policy.getValue(), need), name + " does not wait for " + need);
        checked++;
      }
    }
    assertTrue(checked >= 4, "the alerts on dq_failures, load_failures, retries and gold_runs_succeeded were found: " + checked);
  }

  /** Whether {@code resource} depends on {@code target} directly or through a time_sleep that references it. */
  private static boolean waitsFor(Map<String, Object> resource, String target) {
    Object dependsOn = resource.get("depends_on");
    if (!(dependsOn instanceof List<?> list)) {
      return false;
    }
    for (Object d : list) {
      String dep = String.valueOf(d);
      if (dep.equals(target)) {
        return true;
      }
      if (dep.startsWith("time_sleep.") && references(blockText("resource", "time_sleep", dep.substring("time_sleep.".length())), target)) {
        return true;
      }
    }
    return false;
  }

  private static void collectConditions(Object conditions, List<String> into) {
    if (conditions instanceof List<?> list) {
      list.forEach(c -> collectConditions(c, into));
      return;
    }
    if (conditions instanceof Map<?, ?> condition) {
      for (String kind : List.of("condition_threshold", "condition_absent")) {
        if (condition.get(kind) instanceof Map<?, ?> c) {
          into.add(String.valueOf(c.get("filter")));
        }
      }
      if (condition.get("condition_prometheus_query_language") instanceof Map<?, ?> c) {
        into.add(String.valueOf(c.get("query")));
      }
    }
  }

  /** The same jar gives the same archive, whatever the machine: only a changed jar redeploys. */
  @Test
  void functionArchives_areNamedByTheirContent_withAFixedEntryMode() {
    Map<String, Object> archive = asMap(asMap(asMap(tf.get("data")).get("archive_file")).get("function"));
    assertEquals("0644", archive.get("output_file_mode"), "the zip entry's mode, else the jar file's (umask-dependent)");
    String object = oneSpaced(blockText("resource", "google_storage_bucket_object", "function_source"));
    assertTrue(object.contains("name = \"${each.key}/${data.archive_file.function[each.key].output_sha256}.zip\""),
        "the archive object is named by its content hash:\n" + object);
    Map<String, Object> build = block(resource("google_cloudfunctions2_function", "function"), "build_config");
    assertTrue(String.valueOf(block(block(build, "source"), "storage_source").get("object")).contains("google_storage_bucket_object.function_source"));
  }

  /** {@code text} with every run of whitespace as one space (terraform fmt aligns the equals signs). */
  static String oneSpaced(String text) {
    return text.replaceAll("\\s+", " ");
  }

  /** Whether {@code text} names {@code address} (not merely a longer name that starts with it). */
  private static boolean references(String text, String address) {
    return Pattern.compile(Pattern.quote(address) + "(?![\\w-])").matcher(text).find();
  }

  /** The source text of one top-level block, from its header to the closing brace at column 0. */
  private static String blockText(String kind, String type, String name) {
    Matcher m = Pattern.compile(kind + " \"" + type + "\" \"" + name + "\" \\{\n.*?\n\\}", Pattern.DOTALL).matcher(source);
    assertTrue(m.find(), "no " + kind + " " + type + "." + name + " in terraform/");
    return m.group();
  }

  /** Runs terraform in {@code dir}; the exit code, a newline, then what it printed. */
  private static String terraform(Path exe, Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(exe.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // No version check against HashiCorp's servers, no user CLI configuration.
    pb.environment().put("CHECKPOINT_DISABLE", "1");
    pb.environment().put("TF_IN_AUTOMATION", "1");
    pb.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "terraform " + String.join(" ", args) + " did not finish");
    return p.exitValue() + "\n" + out;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "";
  }

  private static List<String> quoted(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyVariable_isTypedAndDescribed() {
    Map<String, Object> variables = asMap(tf.get("variable"));
    for (String required : List.of("project_id", "region", "name_prefix",
        "alert_notification_channels", "freshness_hours")) {
      assertTrue(variables.containsKey(required), "variable " + required);
    }
    variables.forEach((name, v) -> {
      Map<String, Object> variable = asMap(v);
      assertTrue(variable.get("type") != null, "variable " + name + " has a type");
      assertTrue(variable.get("description") instanceof String d && !d.isBlank(), "variable " + name + " is described");
    });
  }

  @Test
  void terraformFmtCheck_passes() throws Exception {
    Path exe = onPath("terraform");
    if (exe == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("terraform is not on PATH; under CI=true it is required (.ci/run checks for it)");
      }
      Assumptions.abort("terraform is not on PATH: terraform fmt -check skipped (install Terraform 1.5+ to run it)");
    }
    Process p = new ProcessBuilder(exe.toString(), "fmt", "-check", "-recursive", "-diff", "-no-color")
        .directory(terraform.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "terraform fmt did not finish");
    assertEquals(0, p.exitValue(), "terraform fmt -check -recursive found unformatted files (run terraform fmt -recursive in terraform/):\n" + out);
  }

  // --- helpers ---

  /** The path in the file() of a google_bigquery_table's schema, from the source text. */
  private static String schemaOf(String table) {
    Matcher m = Pattern.compile("resource \"google_bigquery_table\" \"" + table + "\" \\{(?:\\$\\{[^}]*\\}|[^}])*?schema\\s*=\\s*(?:template)?"
        + FILE_CALL.pattern()).matcher(source);
    assertTrue(m.find(), "google_bigquery_table." + table + " has no schema = file(...)");
    return m.group(1);
  }

  private static List<Path> tfFiles() throws IOException {
    try (Stream<Path> files = Files.list(terraform)) {
      List<Path> tfs = files.filter(f -> f.getFileName().toString().endsWith(".tf")).sorted().toList();
      assertTrue(!tfs.isEmpty(), "no .tf files in " + terraform);
      return tfs;
    }
  }

  /** schemas/bigquery: layer -> table names (file stems). */
  private static Map<String, Set<String>> schemaFiles() throws IOException {
    Map<String, Set<String>> layers = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("schemas").resolve("bigquery"), 2)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        String table = f.getFileName().toString().replaceFirst("\\.json$", "");
        layers.computeIfAbsent(f.getParent().getFileName().toString(), k -> new TreeSet<>()).add(table);
      }
    }
    return layers;
  }

  /** The MEDALLION_* names MedallionConfig defines, read from the class. */
  private static Set<String> configKeys() throws IllegalAccessException {
    Set<String> keys = new TreeSet<>();
    for (Field f : MedallionConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && ((String) f.get(null)).startsWith("MEDALLION_")) {
        keys.add((String) f.get(null));
      }
    }
    return keys;
  }

  /** hcl4j's unevaluated references (its own symbol types) as their text, e.g. "google_pubsub_topic.x.id". */
  private static Object normalized(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), normalized(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(TerraformAgreesWithCodeTest::normalized).toList();
    }
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return String.valueOf(value);
  }

  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> into, Map<String, Object> from, int depth) {
    from.forEach((k, v) -> {
      Object existing = into.get(k);
      if (depth > 1 && existing instanceof Map && v instanceof Map) {
        merge((Map<String, Object>) existing, (Map<String, Object>) v, depth - 1);
      } else if (existing != null && depth > 1) {
        fail("terraform/ declares " + k + " twice");
      } else {
        into.put(k, v instanceof Map<?, ?> m && depth > 1 ? new LinkedHashMap<>((Map<String, Object>) m) : v);
      }
    });
  }

  private static Map<String, Object> local(String name) {
    Object value = asMap(tf.get("locals")).get(name);
    return value instanceof Map ? asMap(value) : Map.of("value", value == null ? List.of() : value);
  }

  private static List<?> list(Map<String, Object> wrapped) {
    return (List<?>) wrapped.get("value");
  }

  private static Map<String, Object> variable(String name) {
    return asMap(asMap(tf.get("variable")).get(name));
  }

  private static Map<String, Map<String, Object>> resources(String type) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    Object byType = asMap(tf.get("resource")).get(type);
    assertTrue(byType != null, "no " + type + " in terraform/");
    asMap(byType).forEach((name, r) -> out.put(name, asMap(r)));
    assertTrue(!out.isEmpty(), "no " + type + " in terraform/");
    return out;
  }

  private static Map<String, Object> resource(String type, String name) {
    Map<String, Object> r = resources(type).get(name);
    assertTrue(r != null, "no " + type + "." + name + " in terraform/");
    return r;
  }

  private static Map<String, Object> block(Map<String, Object> parent, String name) {
    Object b = parent.get(name);
    assertTrue(b instanceof Map, "no " + name + " block");
    return asMap(b);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    assertTrue(o instanceof Map, "expected a block, got " + o);
    return (Map<String, Object>) o;
  }

  static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
