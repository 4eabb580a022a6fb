package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.config.MedallionConfig;
import io.medallion.domain.Domain;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Terraform's domains agree with the declarations the code reads: one silver and one gold dataset
 * per declared domain, named as {@link Domain#dataset} names them (after Terraform's prefix) and
 * labelled as {@link Domain#labels}; every table in its source's domain's dataset; each declared
 * consumer granted read on its domain's datasets and nothing else; the pipeline's grants per domain
 * dataset. The locals are evaluated by {@code terraform console} (as TerraformSourcesTest does).
 */
class TerraformDomainsTest {

  private static final MedallionConfig CODE = MedallionConfig.defaults();
  private static final SourceRegistry REGISTRY = SourceRegistry.standard();
  private static final String EVALUATE = "jsonencode({datasets = local.domain_datasets, silver = local.silver_tables,"
      + " gold = local.gold_table_domains, grants = local.consumer_grants})";

  private static String text(String file) throws Exception {
    // Without comment lines (they may name what the code must not use), every run of whitespace one space.
    return Files.readString(Repository.root().resolve("terraform").resolve(file)).replaceAll("(?m)^\\s*#.*$", "")
        .replaceAll("\\s+", " ");
  }

  @Test
  void oneDatasetPerDomainAndLayer_namedLabelledAndGrantedAsDeclared() throws Exception {
    JsonObject tf = TerraformSourcesTest.evaluate(Repository.root().resolve("terraform"), EVALUATE);

    // Datasets: keyed by Domain.dataset(layer), with the labels Domain.labels gives.
    Map<String, String> expected = new TreeMap<>();
    Map<String, String> actual = new TreeMap<>();
    for (Domain d : REGISTRY.domains()) {
      for (String layer : new String[] {"silver", "gold"}) {
        String dataset = d.dataset(layer.equals("silver") ? CODE.silverDataset() : CODE.goldDataset());
        Map<String, String> labels = d.labels(layer);
        expected.put(dataset, layer + " " + d.name() + " labels domain=" + labels.get("domain") + " owner=" + labels.get("owner")
            + " data_product=" + labels.get("data_product") + " consumers=" + new TreeSet<>(d.consumers()));
      }
    }
    tf.getAsJsonObject("datasets").entrySet().forEach(e -> {
      JsonObject ds = e.getValue().getAsJsonObject();
      Set<String> consumers = new TreeSet<>();
      ds.getAsJsonArray("consumers").forEach(c -> consumers.add(c.getAsString()));
      // The labels as bigquery.tf sets them: domain, owner (the team) and data_product (the key).
      actual.put(e.getKey(), ds.get("layer").getAsString() + " " + ds.get("domain").getAsString() + " labels domain="
          + ds.get("domain").getAsString() + " owner=" + ds.get("owner").getAsString() + " data_product=" + e.getKey()
          + " consumers=" + consumers);
    });
    assertEquals(expected, actual, "local.domain_datasets: one per declared domain and layer, as the code names and labels it");
    String bigquery = text("bigquery.tf");
    assertTrue(bigquery.contains("resource \"google_bigquery_dataset\" \"domain\" { for_each = local.domain_datasets"
        + " dataset_id = \"${local.dataset_prefix}_${local.datasets[each.value.layer]}_${each.value.domain}\""), bigquery);
    assertTrue(bigquery.contains("labels = merge(local.labels, { layer = each.value.layer, domain = each.value.domain,"
        + " owner = each.value.owner, data_product = each.key })"), "the dataset labels are Domain.labels");
    // The functions get the layer's base name; the code appends _<domain> (MedallionConfig.silverDataset(source)).
    String functions = text("functions.tf");
    assertTrue(functions.contains("MEDALLION_SILVER_DATASET = \"${local.dataset_prefix}_${local.datasets.silver}\""), functions);
    assertTrue(functions.contains("MEDALLION_GOLD_DATASET = \"${local.dataset_prefix}_${local.datasets.gold}\""), functions);
    MedallionConfig deployed = MedallionConfig.from(Map.of("MEDALLION_PROJECT", "my-project",
        "MEDALLION_SILVER_DATASET", "medallion_silver", "MEDALLION_GOLD_DATASET", "medallion_gold"));
    Source breweries = REGISTRY.find("breweries").orElseThrow();
    assertEquals("medallion_silver_" + breweries.domain(), deployed.silverDataset(breweries),
        "the deployed function writes the dataset terraform names medallion_silver_<domain>");

    // Every table in its source's domain's dataset.
    Map<String, String> silver = new TreeMap<>();
    Map<String, String> gold = new TreeMap<>();
    for (Source s : REGISTRY.all()) {
      s.silverTables().forEach(t -> silver.put(t, s.domain()));
      s.goldModels().forEach(m -> gold.put(m, s.domain()));
    }
    Map<String, String> tfSilver = new TreeMap<>();
    tf.getAsJsonObject("silver").entrySet().forEach(e -> tfSilver.put(e.getKey(), e.getValue().getAsJsonObject().get("domain").getAsString()));
    Map<String, String> tfGold = new TreeMap<>();
    tf.getAsJsonObject("gold").entrySet().forEach(e -> tfGold.put(e.getKey(), e.getValue().getAsString()));
    assertEquals(silver, tfSilver, "each silver table's domain (google_bigquery_table.silver's dataset)");
    assertEquals(gold, tfGold, "each gold table's domain (google_bigquery_table.gold's dataset)");

    // Consumers: dataViewer on each of their domain's datasets, one additive member each, nobody else.
    Set<String> grants = new TreeSet<>();
    for (Domain d : REGISTRY.domains()) {
      for (String c : d.consumers()) {
        grants.add(d.dataset(CODE.silverDataset()) + " " + c);
        grants.add(d.dataset(CODE.goldDataset()) + " " + c);
      }
    }
    Set<String> tfGrants = new TreeSet<>();
    tf.getAsJsonObject("grants").entrySet().forEach(e -> {
      JsonObject g = e.getValue().getAsJsonObject();
      tfGrants.add(g.get("dataset").getAsString() + " " + g.get("member").getAsString());
    });
    assertEquals(grants, tfGrants, "local.consumer_grants: each declared consumer on its domain's two datasets");
    String iam = text("iam.tf");
    assertTrue(iam.contains("resource \"google_bigquery_dataset_iam_member\" \"consumers\" { for_each = local.consumer_grants"
        + " dataset_id = google_bigquery_dataset.domain[each.value.dataset].dataset_id role = \"roles/bigquery.dataViewer\""
        + " member = each.value.member }"), "consumers read, additively, on their domain's datasets");
    String all = text("bigquery.tf") + text("iam.tf") + text("api.tf") + text("stream.tf");
    for (String authoritative : new String[] {"google_bigquery_dataset_iam_policy", "google_bigquery_dataset_iam_binding",
        "google_bigquery_dataset_access", "access {"}) {
      assertTrue(!all.contains(authoritative), authoritative + " would fight the additive members");
    }
    // The pipeline: gold creates and replaces tables in every domain's gold dataset, the API reads them.
    assertTrue(iam.contains("resource \"google_bigquery_dataset_iam_member\" \"gold_writes_gold\" { for_each = { for k, d in"
        + " local.domain_datasets : k => d if d.layer == \"gold\" } dataset_id = google_bigquery_dataset.domain[each.key].dataset_id"
        + " role = \"roles/bigquery.dataEditor\""), iam);
    String api = text("api.tf");
    assertTrue(api.contains("resource \"google_bigquery_dataset_iam_member\" \"api_reads_gold\" { for_each = { for k, d in"
        + " local.domain_datasets : k => d if d.layer == \"gold\" } dataset_id = google_bigquery_dataset.domain[each.key].dataset_id"
        + " role = \"roles/bigquery.dataViewer\""), api);
    // The shared datasets of the layout before domains are forgotten, never destroyed.
    for (String layer : new String[] {"silver", "gold"}) {
      assertTrue(bigquery.contains("removed { from = google_bigquery_dataset." + layer + " lifecycle { destroy = false } }"), layer);
    }
  }
}
