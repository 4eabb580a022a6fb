package io.medallion.domain;

import io.medallion.source.SecretRef;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A domain, as its declaration says ({@code schemas/domains/<name>.json}, checked against {@code
 * schemas/domain.schema.json}): the team that owns a set of sources as data products, who may read
 * them, who may read their sensitive columns in clear, and the objectives it promises. Each domain
 * has its own silver and gold datasets ({@link #dataset(String)}).
 *
 * @param consumers IAM principals ({@code group:}, {@code user:} or {@code serviceAccount:} and an
 *     email) granted read on the domain's datasets
 * @param sensitiveReaders IAM principals granted read in clear of the domain's policy-tagged columns
 * @param maskingSalt the secret salting {@code hash} masking, or null when the domain declares none
 * @param file where the declaration is, for messages
 */
public record Domain(String name, String description, Owner owner, List<String> consumers, List<String> sensitiveReaders,
    SecretRef maskingSalt, Slo slo, String file) {

  public Domain {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(slo, "slo");
    consumers = List.copyOf(consumers);
    sensitiveReaders = List.copyOf(sensitiveReaders);
  }

  /** Who answers for the domain's data. @param team also the datasets' {@code owner} label */
  public record Owner(String team, String contact) {}

  /** The domain's service level objectives. */
  public record Slo(Freshness freshness, Quality quality) {}

  /**
   * Each day, every source of the domain has a successful gold run by {@code goldBy} (UTC); {@code
   * objective} is the share of days over {@code windowDays} that must meet it.
   */
  public record Freshness(LocalTime goldBy, double objective, int windowDays) {}

  /** The share of data-quality check results over {@code windowDays} that must pass. */
  public record Quality(double objective, int windowDays) {}

  /**
   * The dataset of this domain in a layer: {@code <layerDataset>_<name>}, e.g. {@code gold_brewing}
   * for the gold layer's dataset {@code gold}.
   */
  public String dataset(String layerDataset) {
    return dataset(layerDataset, name);
  }

  /** {@code <layerDataset>_<domain>}. */
  public static String dataset(String layerDataset, String domain) {
    return layerDataset + "_" + domain;
  }

  /** The labels of the domain's datasets in {@code layer} (silver, gold): domain, owner, data product. */
  public Map<String, String> labels(String layer) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("domain", name);
    labels.put("owner", owner.team());
    labels.put("data_product", layer + "_" + name);
    return labels;
  }
}
