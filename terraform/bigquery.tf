# One silver and one gold dataset per domain (schemas/domains/<name>.json), named as the code
# names them (MedallionConfig.silverDataset(source) = Domain.dataset: <layer>_<domain>, after the
# prefix) and labelled as Domain.labels (domain, owner, data_product), so that billing and the
# console can group a domain's data; ops stays one shared dataset. Tables come from the schema
# files in schemas/bigquery/<layer>/, the same files the code and its tests read, each in its
# source's domain's dataset.
resource "google_bigquery_dataset" "domain" {
  for_each = local.domain_datasets

  dataset_id                 = "${local.dataset_prefix}_${local.datasets[each.value.layer]}_${each.value.domain}"
  friendly_name              = "medallion ${each.value.layer} of ${each.value.domain}"
  description                = "medallion ${each.value.layer} layer of domain ${each.value.domain}, owned by ${each.value.owner} (managed by Terraform; schemas/domains/${each.value.domain}.json)."
  location                   = var.bigquery_location
  labels                     = merge(local.labels, { layer = each.value.layer, domain = each.value.domain, owner = each.value.owner, data_product = each.key })
  delete_contents_on_destroy = var.force_destroy

  depends_on = [google_project_service.apis]
}

# The shared silver and gold datasets of the layout before domains: Terraform forgets them and
# destroys nothing (a removed block, Terraform 1.7+:
# https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources). Their
# tables are moved by the script `./medallion domains move --gcp` prints (bq cp, count, bq rm),
# then the empty datasets are removed by hand; the order is in terraform/README.md ("Domains").
removed {
  from = google_bigquery_dataset.silver
  lifecycle {
    destroy = false
  }
}

removed {
  from = google_bigquery_dataset.gold
  lifecycle {
    destroy = false
  }
}

resource "google_bigquery_dataset" "ops" {
  dataset_id                 = "${local.dataset_prefix}_${local.datasets.ops}"
  friendly_name              = "medallion ops"
  description                = "medallion ops layer (managed by Terraform; tables from schemas/bigquery/ops/)."
  location                   = var.bigquery_location
  labels                     = merge(local.labels, { layer = "ops" })
  delete_contents_on_destroy = var.force_destroy

  depends_on = [google_project_service.apis]
}

# Silver rows, one table per declared resource (local.silver_tables, from schemas/sources/),
# appended by one load job per run and table. Partitioned as the resource declares
# (silver.partition: by ingestion day unless it names a column, a granularity, an expiration) so
# a backfill or a day's check reads its partitions only; clustered by silver.cluster (default: the
# key gold deduplicates on).
#
# Changing an existing table's partition column replaces the table: time_partitioning.field is
# ForceNew in the provider (google/services/bigquery/resource_bigquery_table.go in
# hashicorp/terraform-provider-google), and BigQuery itself cannot change a table's partitioning
# ("Cannot replace a table with a different partitioning spec. Instead, DROP the table, and then
# recreate it", https://github.com/dataform-co/dataform/issues/590). deletion_protection refuses
# that replacement, so no apply ever drops silver: move the table first with
# `./medallion repartition --source NAME` (functions/silver/README.md), after which the table
# already is as declared and `terraform plan` shows no change. The expiration and the clustering
# are updated in place (neither is ForceNew; the API patches timePartitioning.expirationMs); a new
# clustering applies to rows written after it. One provider issue reports a plan that replaced the
# table for an expiration change instead
# (https://github.com/hashicorp/terraform-provider-google/issues/9056): deletion_protection then
# refuses the apply rather than drop the data. The default, by day of _ingested_at, is what an
# incremental gold model's window (_ingested_at >= @since) filters on: BigQuery bills only the
# days it names.
resource "google_bigquery_table" "silver" {
  for_each = local.silver_tables

  dataset_id          = google_bigquery_dataset.domain["silver_${each.value.domain}"].dataset_id
  table_id            = each.key
  description         = "Typed, validated records of source ${each.value.source} with lineage columns (schemas/bigquery/silver/${each.key}.json)."
  schema              = templatefile("${path.module}/schemas/silver/${each.key}.json.tpl", { policy_tags = local.policy_tag_names[local.silver_table_domains[each.key]] })
  labels              = merge(local.labels, { layer = "silver", source = each.value.source })
  deletion_protection = !var.force_destroy

  time_partitioning {
    type          = each.value.granularity
    field         = each.value.partition
    expiration_ms = each.value.expiration_ms
  }
  clustering = length(each.value.clustering) == 0 ? null : each.value.clustering
}

# The breweries table was a resource of its own before sources were declared: the same table.
moved {
  from = google_bigquery_table.silver_breweries
  to   = google_bigquery_table.silver["breweries"]
}

# The run ledger: one row per run/stage event, written by every function, read by status and resume.
resource "google_bigquery_table" "ops_run_ledger" {
  dataset_id          = google_bigquery_dataset.ops.dataset_id
  table_id            = "run_ledger"
  description         = "One row per run and stage event (medallion status reads it, resume relies on it)."
  schema              = file("${path.module}/../schemas/bigquery/ops/run_ledger.json")
  labels              = merge(local.labels, { layer = "ops" })
  deletion_protection = !var.force_destroy

  time_partitioning {
    type  = "DAY"
    field = "recorded_at"
  }
  clustering = ["run_id", "stage"]
}

# Data-quality verdicts: one row per check per gold build, inserted by the check's own query job
# (sql/<source>/checks/, README "Data-quality checks").
resource "google_bigquery_table" "ops_dq_results" {
  dataset_id          = google_bigquery_dataset.ops.dataset_id
  table_id            = "dq_results"
  description         = "One row per data-quality check per gold build: failing rows, load job, check job."
  schema              = file("${path.module}/../schemas/bigquery/ops/dq_results.json")
  labels              = merge(local.labels, { layer = "ops" })
  deletion_protection = !var.force_destroy

  time_partitioning {
    type  = "DAY"
    field = "checked_at"
  }
  clustering = ["run_id", "check_name"]
}

# Gold tables are owned by the gold SQL models (sql/<source>/<table>.sql, CREATE OR REPLACE on
# every run, checked against these schema files by GoldSqlIsBigQuerySqlTest). Terraform creates
# them up front, so that they can be queried and granted before the first run, and then leaves
# them to the models: every later change is theirs. Derived data, rebuilt by the next run from
# silver, so not protected from deletion.
resource "google_bigquery_table" "gold" {
  for_each = toset(local.gold_tables)

  dataset_id          = google_bigquery_dataset.domain["gold_${local.gold_table_domains[each.value]}"].dataset_id
  table_id            = each.value
  description         = "Gold model ${each.value} (sql/<source>/${each.value}.sql)."
  schema              = templatefile("${path.module}/schemas/gold/${each.value}.json.tpl", { policy_tags = local.policy_tag_names[local.gold_table_domains[each.value]] })
  labels              = merge(local.labels, { layer = "gold" })
  deletion_protection = false

  lifecycle {
    ignore_changes = all
  }
}
