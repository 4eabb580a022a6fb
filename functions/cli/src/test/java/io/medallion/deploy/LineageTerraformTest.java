package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.gcp.GcpPortsProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * terraform/lineage.tf agrees with the code: the Data Lineage API is enabled, every function whose
 * code emits lineage (its step builds an {@code io.medallion.lineage.StepLineage}) has its own
 * service account granted {@code roles/datalineage.producer}, and the functions are told the
 * location under the variable the GCP adapter set reads.
 */
class LineageTerraformTest {

  private static final Path ROOT = Repository.root();

  private static String text(String file) throws IOException {
    return Files.readString(ROOT.resolve("terraform").resolve(file)).replaceAll("[ \\t]+", " ");
  }

  /** The function modules whose main code builds a StepLineage. */
  private static Set<String> emitters() throws IOException {
    Set<String> modules = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("functions"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/"))::iterator) {
        if (Files.readString(f).contains("new io.medallion.lineage.StepLineage(")) {
          modules.add(ROOT.resolve("functions").relativize(f).getName(0).toString());
        }
      }
    }
    return modules;
  }

  @Test
  void everyFunctionThatEmitsLineage_hasTheProducerRole_onItsOwnServiceAccount() throws IOException {
    Set<String> emitters = emitters();
    assertEquals(Set.of("ingest", "silver", "gold"), emitters, "the steps that emit lineage");
    String lineage = text("lineage.tf");
    Matcher declared = Pattern.compile("lineage_emitters = toset\\(\\[([^\\]]*)]\\)").matcher(lineage);
    assertTrue(declared.find(), "local.lineage_emitters in terraform/lineage.tf");
    Set<String> granted = new TreeSet<>();
    Matcher name = Pattern.compile("\"([a-z_]+)\"").matcher(declared.group(1));
    while (name.find()) {
      granted.add(name.group(1));
    }
    assertEquals(emitters, granted, "local.lineage_emitters: the functions whose code emits lineage");
    String main = text("main.tf");
    for (String f : granted) {
      assertTrue(Pattern.compile("(?s)functions = \\{.*\\n " + f + " = \\{").matcher(main).find(),
          f + " is a key of local.functions, so google_service_account.function[\"" + f + "\"] is its own account");
    }
    Matcher grant = Pattern.compile("(?s)resource \"google_project_iam_member\" \"lineage_producer\" \\{(.*?)\\n}").matcher(lineage);
    assertTrue(grant.find(), "google_project_iam_member.lineage_producer");
    String g = grant.group(1);
    assertTrue(g.contains("for_each = local.lineage_emitters"), g);
    assertTrue(g.contains("role = \"roles/datalineage.producer\""), g);
    assertTrue(g.contains("member = google_service_account.function[each.key].member"), g);
  }

  @Test
  void theApiIsEnabled_andTheFunctionsAreToldWhereLineageGoes() throws IOException {
    String lineage = text("lineage.tf");
    assertTrue(lineage.contains("service = \"datalineage.googleapis.com\""), "datalineage.googleapis.com enabled");
    assertTrue(text("functions.tf").contains(GcpPortsProvider.LINEAGE_LOCATION + " = local.lineage_location"),
        "local.function_env sets " + GcpPortsProvider.LINEAGE_LOCATION);
    assertTrue(lineage.contains("lineage_location = coalesce(var.lineage_location, lower(var.bigquery_location))"),
        "the default is the one GcpPortsProvider falls back to: the BigQuery location in lower case");
  }
}
