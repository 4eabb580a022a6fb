package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SecretRef;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * terraform/sources.tf derives the scheduler jobs, secrets and tables from the declaration files
 * with for-expressions that only Terraform can evaluate. {@code terraform console} evaluates them
 * offline (no provider is needed for locals), and the result is compared with what the code reads
 * from the same files: so a source added as data gets its schedule, secrets and tables on GCP
 * without a .tf edit, and the two readings of a declaration cannot drift apart.
 */
class TerraformSourcesTest {

  private static final String EVALUATE =
      "jsonencode({scheduled = local.scheduled_sources, secrets = local.source_secrets,"
          + " auth_secrets = local.auth_secrets, push_secrets = local.push_secrets, callers = local.push_callers,"
          + " pushed = keys(local.push_sources), silver = local.silver_tables, gold = local.gold_tables,"
          + " collected = local.collected_sources, streamed = local.stream_sources, gold_schedules = local.gold_schedules})";

  @Test
  void schedulesSecretsAndTables_areTheShippedDeclarations() throws Exception {
    Path terraform = Repository.root().resolve("terraform");
    JsonObject tf = evaluate(terraform);
    assertDerivedFrom(SourceRegistry.standard().all(), tf);
  }

  @Test
  void aNewDeclaration_getsItsJobSecretAndTables_withoutATfEdit(@TempDir Path dir) throws Exception {
    // A repository-shaped copy holding one new source; its generator file is local replay data.
    Path root = Repository.root();
    String declaration = Files.readString(root.resolve("schemas/sources/github_issues.json"))
        .replace("\"github_issues\"", "\"tickets\"")
        .replace("github_issues.generator.json", "tickets.generator.json")
        .replace("GITHUB_TOKEN", "TICKETS_TOKEN")
        .replace("\"15 * * * *\"", "\"45 2 * * 1\"")
        // Its table declares a month's partitions by a business date, kept 400 days, and its clustering.
        .replace("\"table\": \"tickets\"", "\"table\": \"tickets\", \"partition\": {\"column\": \"created_at\","
            + " \"granularity\": \"MONTH\", \"expiration_days\": 400}, \"cluster\": [\"state\", \"issue_id\"]")
        // It also takes signed pushes, from two declared callers.
        .replace("\"resources\": [", "\"push\": {\"secret\": {\"secret\": \"TICKETS_PUSH_SECRET\"},"
            + " \"callers\": [\"serviceAccount:helpdesk@partner.iam.gserviceaccount.com\", \"group:support@example.com\"]},"
            + " \"resources\": [");
    write(dir.resolve("schemas/sources/tickets.json"), declaration);
    write(dir.resolve("schemas/sources/tickets.generator.json"),
        Files.readString(root.resolve("schemas/sources/github_issues.generator.json")));
    write(dir.resolve("schemas/bigquery/silver/tickets.json"),
        Files.readString(root.resolve("schemas/bigquery/silver/github_issues.json")));
    try (Stream<Path> sql = Files.walk(root.resolve("sql/github_issues"))) {
      for (Path f : sql.filter(Files::isRegularFile).toList()) {
        write(dir.resolve("sql/tickets").resolve(root.resolve("sql/github_issues").relativize(f)),
            Files.readString(f).replace("github_issues", "tickets"));
      }
    }
    Path terraform = dir.resolve("terraform");
    Files.createDirectories(terraform);

    Source tickets = SourceRegistry.withDirectories(List.of(dir)).find("tickets").orElseThrow();
    JsonObject tf = evaluate(terraform);
    assertDerivedFrom(List.of(tickets), tf);
    assertEquals("45 2 * * 1", tf.getAsJsonObject("scheduled").get("tickets").getAsString());
    assertEquals(Set.of("TICKETS_TOKEN", "TICKETS_PUSH_SECRET"), set(tf.get("secrets")), "a secret container each");
    assertEquals(Set.of("TICKETS_TOKEN"), set(tf.get("auth_secrets")), "what ingest may read");
    assertEquals(Set.of("TICKETS_PUSH_SECRET"), set(tf.get("push_secrets")), "what the webhook may read");
    assertEquals(Set.of("serviceAccount:helpdesk@partner.iam.gserviceaccount.com", "group:support@example.com"),
        set(tf.get("callers")), "local.push_callers: who may invoke the webhook (roles/run.invoker)");
    assertEquals(Set.of("tickets"), set(tf.get("pushed")));
    JsonObject table = tf.getAsJsonObject("silver").getAsJsonObject("tickets");
    assertEquals("created_at", table.get("partition").getAsString(), "the declared partition column, not _ingested_at");
    assertEquals("MONTH", table.get("granularity").getAsString());
    assertEquals(400L * 86_400_000L, table.get("expiration_ms").getAsLong());
  }

  private static void assertDerivedFrom(List<Source> sources, JsonObject tf) {
    Map<String, String> scheduled = new TreeMap<>();
    Set<String> secrets = new TreeSet<>();
    Map<String, String> silver = new TreeMap<>();
    Set<String> gold = new TreeSet<>();
    Map<String, String> collected = new TreeMap<>();
    Map<String, String> streamed = new TreeMap<>();
    for (Source s : sources) {
      if (s.schedule() != null && !s.streams()) {
        scheduled.put(s.name(), s.schedule());
      }
      if (s.streams()) {
        Source.Resource pushed = s.resource(s.push().resource()).orElseThrow();
        streamed.put(s.name(), pushed.silverTable() + " drop_unknown_fields="
            + (pushed.silver().unknownFields() == io.medallion.source.SilverMapping.UnknownFields.DROP) + " " + s.schedule());
      }
      s.secrets().stream().map(SecretRef::name).forEach(secrets::add);
      for (Source.Resource r : s.resources()) {
        // As Java derives it (Source.partitioning): a stream table is partitioned by publish time.
        io.medallion.port.TablePartitioning p = s.partitioning(r);
        silver.put(r.silverTable(), s.name() + "/" + r.silver().keyColumn() + "/" + p.column() + " " + p.granularity()
            + " expiration_ms=" + p.expirationMs() + " clustering=" + p.clustering());
      }
      gold.addAll(s.goldModels());
      if (s.push() != null && s.push().mode() == Source.Push.Mode.FILES) {
        collected.put(s.name(), s.push().loadEveryMinutes() + " " + io.medallion.bronze.BronzeLayout.pushedPrefix(s));
      }
    }
    Map<String, String> tfCollected = new TreeMap<>();
    tf.getAsJsonObject("collected").entrySet().forEach(e -> tfCollected.put(e.getKey(),
        e.getValue().getAsJsonObject().get("every").getAsInt() + " " + e.getValue().getAsJsonObject().get("prefix").getAsString()));
    assertEquals(collected, tfCollected,
        "local.collected_sources: a collection of each source pushed to in mode files, as often and from where the code does");
    assertEquals(scheduled, strings(tf.getAsJsonObject("scheduled")), "local.scheduled_sources: a job per scheduled source");
    assertEquals(secrets, set(tf.get("secrets")), "local.source_secrets: every secret a source names (auth and push)");
    Set<String> pushSecrets = new TreeSet<>();
    Set<String> callers = new TreeSet<>();
    Set<String> pushed = new TreeSet<>();
    for (Source s : sources) {
      if (s.push() != null) {
        pushed.add(s.name());
        callers.addAll(s.push().callers());
        if (s.push().secret() != null) {
          pushSecrets.add(s.push().secret().name());
        }
      }
    }
    assertEquals(pushSecrets, set(tf.get("push_secrets")), "local.push_secrets: the secrets that sign pushes");
    Set<String> auth = new TreeSet<>(secrets);
    auth.removeAll(pushSecrets);
    assertEquals(auth, set(tf.get("auth_secrets")), "local.auth_secrets: the secrets the sources' auth names");
    assertEquals(callers, set(tf.get("callers")), "local.push_callers: every declared push caller");
    assertEquals(pushed, set(tf.get("pushed")), "local.push_sources: every source that declares push");
    Map<String, String> tfStreamed = new TreeMap<>();
    tf.getAsJsonObject("streamed").entrySet().forEach(e -> {
      JsonObject t = e.getValue().getAsJsonObject();
      tfStreamed.put(e.getKey(), t.get("table").getAsString() + " drop_unknown_fields=" + t.get("drop_unknown_fields").getAsBoolean()
          + " " + (t.get("schedule").isJsonNull() ? null : t.get("schedule").getAsString()));
    });
    assertEquals(streamed, tfStreamed, "local.stream_sources: a BigQuery subscription per stream source, into its table");
    Map<String, String> goldSchedules = new TreeMap<>();
    sources.stream().filter(s -> s.streams() && s.schedule() != null).forEach(s -> goldSchedules.put(s.name(), s.schedule()));
    assertEquals(goldSchedules, strings(tf.getAsJsonObject("gold_schedules")), "local.gold_schedules: a gold build job per scheduled stream source");
    Map<String, String> tfSilver = new TreeMap<>();
    tf.getAsJsonObject("silver").entrySet().forEach(e -> {
      JsonObject t = e.getValue().getAsJsonObject();
      List<String> clustering = new java.util.ArrayList<>();
      t.getAsJsonArray("clustering").forEach(c -> clustering.add(c.getAsString()));
      tfSilver.put(e.getKey(), t.get("source").getAsString() + "/" + (t.get("key").isJsonNull() ? null : t.get("key").getAsString())
          + "/" + t.get("partition").getAsString() + " " + t.get("granularity").getAsString()
          + " expiration_ms=" + (t.get("expiration_ms").isJsonNull() ? null : t.get("expiration_ms").getAsLong())
          + " clustering=" + clustering);
    });
    assertEquals(silver, tfSilver, "local.silver_tables: table -> source/key/partitioning and clustering of every resource,"
        + " as google_bigquery_table.silver creates it and as Source.partitioning derives it");
    assertEquals(gold, set(tf.get("gold")), "local.gold_tables: every model of every source");
  }

  /** Evaluates sources.tf's locals with path.module at {@code module}, by terraform console. */
  private static JsonObject evaluate(Path module) throws Exception {
    return evaluate(module, EVALUATE);
  }

  /** Evaluates {@code expression} (a jsonencode of sources.tf's locals) with path.module at {@code module}. */
  static JsonObject evaluate(Path module, String expression) throws Exception {
    Path exe = TerraformAgreesWithCodeTest.onPath("terraform");
    if (exe == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("terraform is not on PATH; under CI=true it is required (.ci/run checks for it)");
      }
      Assumptions.abort("terraform is not on PATH: sources.tf's locals not evaluated (install Terraform 1.5+)");
    }
    String tf = Files.readString(Repository.root().resolve("terraform/sources.tf"));
    Matcher locals = TerraformAgreesWithCodeTest.SOURCES_LOCALS.matcher(tf);
    assertTrue(locals.find(), "terraform/sources.tf has a locals block");
    // Only the locals: the resources need providers, which terraform console would try to load.
    Path work = Files.createTempDirectory("tf-sources");
    Files.writeString(work.resolve("main.tf"),
        locals.group().replace("${path.module}", module.toAbsolutePath().toString().replace('\\', '/')));
    Process p = new ProcessBuilder(exe.toString(), "console").directory(work.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((expression + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "terraform console did not finish");
    assertEquals(0, p.exitValue(), "terraform console failed on sources.tf's locals:\n" + out);
    // console prints the string jsonencode returns as a quoted literal: unquote, then parse.
    String json = JsonParser.parseString(out).getAsString();
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static Map<String, String> strings(JsonObject o) {
    Map<String, String> out = new TreeMap<>();
    o.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
    return out;
  }

  private static Set<String> set(JsonElement array) {
    Set<String> out = new TreeSet<>();
    array.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
