# What each domain's runs used per month (sql/ops/cost_by_domain_month.sql; README "What a run
# costs"): the gold function rebuilds the table after each build with CREATE OR REPLACE TABLE.

resource "google_bigquery_table" "ops_cost_by_domain_month" {
  dataset_id          = google_bigquery_dataset.ops.dataset_id
  table_id            = "cost_by_domain_month"
  description         = "Bytes billed, slot time, GCS bytes and instance time per domain and month, rolled up from the run ledger by the gold function (./medallion cost prices it)."
  schema              = file("${path.module}/../schemas/bigquery/ops/cost_by_domain_month.json")
  labels              = merge(local.labels, { layer = "ops" })
  deletion_protection = false # rebuilt whole from the ledger after every gold build
}

# CREATE OR REPLACE TABLE needs bigquery.tables.create on the dataset, which no table-level grant
# gives (https://cloud.google.com/bigquery/docs/tables#required_permissions): dataset level, as for
# gold's own tables (iam.tf, gold_writes_gold).
resource "google_bigquery_dataset_iam_member" "gold_rolls_up_cost" {
  dataset_id = google_bigquery_dataset.ops.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function["gold"].member
}
