# Sensitive columns (schemas/bigquery/README.md#sensitive-columns): a column a schema file marks
# {"sensitive": {"policy_tag": "<tag>"}} carries that policy tag in BigQuery, so that only the
# domain's sensitive_readers (schemas/domains/<name>.json) read it in clear. One taxonomy per domain
# whose tables use a tag, holding the tags they use (terraform/schemas/policy_tags.json, generated
# from the schema files and kept current by GcpSchemaTemplatesAreCurrentTest). The tables' schemas
# are the generated templates terraform/schemas/<layer>/<table>.json.tpl: BigQuery refuses the
# schema files' own "sensitive" key, so the templates carry policyTags.names instead.
#
# Column-level access control: https://cloud.google.com/bigquery/docs/column-level-security-intro
# A query selecting a tagged column without Fine-Grained Reader fails with accessDenied (no data
# masking policy is declared here): https://cloud.google.com/bigquery/docs/column-level-security#query
# The taxonomy must be in the tables' location: "to apply policy tags from a taxonomy to a table
# column, the taxonomy and the table must exist in the same regional location"
# (https://cloud.google.com/bigquery/docs/managing-policy-tags-across-locations).

locals {
  policy_domain_files = fileset("${path.module}/../schemas/domains", "*.json")
  policy_domains      = { for f in local.policy_domain_files : trimsuffix(f, ".json") => jsondecode(file("${path.module}/../schemas/domains/${f}")) }

  policy_tag_descriptions = jsondecode(file("${path.module}/../schemas/policy-tags.json")).policy_tags
  # domain => the tags its tables use
  policy_tags_used = jsondecode(file("${path.module}/schemas/policy_tags.json"))

  policy_tags = merge([
    for domain, tags in local.policy_tags_used : {
      for tag in tags : "${domain}/${tag}" => { domain = domain, tag = tag }
    }
  ]...)

  policy_tag_readers = merge([
    for key, t in local.policy_tags : {
      for reader in try(local.policy_domains[t.domain].sensitive_readers, []) : "${key}/${reader}" => { tag = key, reader = reader }
    }
  ]...)

  # Which domain's tags a table's template takes: the domain of the source that loads or builds it.
  silver_table_domains = merge([for name, s in local.sources : { for r in s.resources : r.silver.table => s.domain }]...)
  gold_table_domains   = merge([for name, s in local.sources : { for m in s.gold.models : m => s.domain }]...)

  # The domains' masking salts, read by silver (hash masking). No shipped streamed source hashes (the
  # webhook masks a streamed record itself): such a source would need the webhook granted too.
  masking_salts = toset([for d in local.policy_domains : d.masking_salt.secret if can(d.masking_salt.secret)])

  # domain => {tag => policy tag resource name}, for templatefile; {} for a domain with no tags.
  policy_tag_names = {
    for domain in keys(local.policy_domains) : domain => {
      for key, t in local.policy_tags : t.tag => google_data_catalog_policy_tag.sensitive[key].name if t.domain == domain
    }
  }
}

resource "google_project_service" "datacatalog" {
  service            = "datacatalog.googleapis.com"
  disable_on_destroy = false
}

resource "google_data_catalog_taxonomy" "domain" {
  for_each = local.policy_tags_used

  region                 = lower(var.bigquery_location)
  display_name           = "${var.name_prefix}-${each.key}"
  description            = "Policy tags of the ${each.key} domain's sensitive columns (schemas/domains/${each.key}.json)."
  activated_policy_types = ["FINE_GRAINED_ACCESS_CONTROL"]

  depends_on = [google_project_service.datacatalog]
}

resource "google_data_catalog_policy_tag" "sensitive" {
  for_each = local.policy_tags

  taxonomy     = google_data_catalog_taxonomy.domain[each.value.domain].id
  display_name = each.value.tag
  description  = local.policy_tag_descriptions[each.value.tag]
}

# Fine-Grained Reader on each tag: the domain's sensitive_readers, and (below) the pipeline.
resource "google_data_catalog_policy_tag_iam_member" "sensitive_readers" {
  for_each = local.policy_tag_readers

  policy_tag = google_data_catalog_policy_tag.sensitive[each.value.tag].name
  role       = "roles/datacatalog.categoryFineGrainedReader"
  member     = each.value.reader
}

# Gold builds its models from silver: they select tagged columns (user_login, account_id,
# recipient.cpf into recipient_document), which BigQuery refuses to a reader without Fine-Grained
# Reader. The query API reads published gold tables with tagged columns (fct_invoices,
# dim_github_issues) and masks those columns in every answer (functions/api/README.md). People
# read in clear only through their domain's sensitive_readers.
resource "google_data_catalog_policy_tag_iam_member" "gold_reads_tagged" {
  for_each = local.policy_tags

  policy_tag = google_data_catalog_policy_tag.sensitive[each.key].name
  role       = "roles/datacatalog.categoryFineGrainedReader"
  member     = google_service_account.function["gold"].member
}

resource "google_data_catalog_policy_tag_iam_member" "api_reads_tagged" {
  for_each = local.policy_tags

  policy_tag = google_data_catalog_policy_tag.sensitive[each.key].name
  role       = "roles/datacatalog.categoryFineGrainedReader"
  member     = google_service_account.api.member
}

# The domains' masking salts (masking_salt in schemas/domains/<name>.json): a Secret Manager
# secret each, its value added by hand (gcloud secrets versions add NAME --data-file=-, 32 random
# bytes as hex). Silver keys hash masking with it (silver_reads_masking_salt); no shipped streamed
# source hashes, so the webhook is not granted them.
resource "google_secret_manager_secret" "masking_salt" {
  for_each = local.masking_salts

  secret_id = each.value
  labels    = local.labels

  replication {
    auto {}
  }
}

resource "google_secret_manager_secret_iam_member" "silver_reads_masking_salt" {
  for_each = local.masking_salts

  secret_id = google_secret_manager_secret.masking_salt[each.value].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function["silver"].member
}
