# One service account per function, with only what its code does (the role table in the README
# lists the same grants). Grants are on the bucket, topic, dataset or table, not the project,
# except bigquery.jobUser: BigQuery has no narrower place to allow creating jobs.

resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = "${var.name_prefix}-${each.key}"
  display_name = "medallion ${each.key} function"
  description  = "Runs ${each.value.entry_point}."

  depends_on = [google_project_service.apis]
}

# The identity in the push subscriptions' OIDC tokens: the only one allowed to invoke the functions.
resource "google_service_account" "pusher" {
  account_id   = "${var.name_prefix}-pusher"
  display_name = "medallion Pub/Sub push"
  description  = "Signs the push requests of the functions' subscriptions."

  depends_on = [google_project_service.apis]
}

# The webhook's identity: it publishes pushed records and run requests, reads the push secrets and
# keeps idempotency keys; nothing in BigQuery.
resource "google_service_account" "webhook" {
  account_id   = "${var.name_prefix}-webhook"
  display_name = "medallion webhook function"
  description  = "Runs ${local.webhook.entry_point}."

  depends_on = [google_project_service.apis]
}

# Builds the functions' container images (instead of the default compute service account).
resource "google_service_account" "build" {
  account_id   = "${var.name_prefix}-build"
  display_name = "medallion function builds"
  description  = "Cloud Build identity for building the three functions."

  depends_on = [google_project_service.apis]
}

locals {
  pubsub_agent  = "serviceAccount:${google_project_service_identity.pubsub.email}"
  storage_agent = "serviceAccount:${data.google_storage_project_service_account.gcs.email_address}"
  # Where Cloud Run functions keeps the sources its gen2 builds read (see build_reads_gcf_sources).
  gcf_sources_bucket = "gcf-v2-sources-${data.google_project.this.number}-${var.region}"
}

# Pub/Sub's service agent (service-PROJECT_NUMBER@gcp-sa-pubsub) is not created by enabling the API:
# in a new project, granting to it fails with "Service account ... does not exist" until something
# else makes Pub/Sub create it. This creates it before the grants below (google-beta only).
resource "google_project_service_identity" "pubsub" {
  provider = google-beta
  project  = var.project_id
  service  = "pubsub.googleapis.com"

  depends_on = [google_project_service.apis]
}

# Reading the GCS service agent's address (projects.serviceAccount.get) also creates the agent when
# the project has none yet, so the notification grant below never names a missing account.
data "google_storage_project_service_account" "gcs" {
  project = var.project_id

  depends_on = [google_project_service.apis]
}

# --- ingest: reads the API, writes bronze (create-only), continues itself, keeps bad requests ---

resource "google_storage_bucket_iam_member" "ingest_bronze" {
  for_each = toset(["roles/storage.objectCreator", "roles/storage.objectViewer"])
  bucket   = google_storage_bucket.bronze.name
  role     = each.value
  member   = google_service_account.function["ingest"].member
}

# A collection moves pushed files into its run: a create-only copy, then a delete of exactly the
# version it claimed. objectUser has both; the condition keeps it to the pushed folders (IAM
# conditions need uniform bucket-level access, which bronze and staging have:
# https://cloud.google.com/storage/docs/samples/storage-add-bucket-conditional-iam-binding).
resource "google_storage_bucket_iam_member" "ingest_collects_pushed" {
  count  = length(local.collected_sources) == 0 ? 0 : 1
  bucket = google_storage_bucket.bronze.name
  role   = "roles/storage.objectUser"
  member = google_service_account.function["ingest"].member

  condition {
    title       = "pushed-folders"
    description = "Only the folders a Cloud Storage subscription writes pushed records into."
    expression  = join(" || ", [for name, c in local.collected_sources : "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.bronze.name}/objects/${c.prefix}\")"])
  }
}

# Its claims on those files live in staging, one create-only object per file; a claim a dead
# collection left is deleted by the one that takes over.
resource "google_storage_bucket_iam_member" "ingest_claims_pushed" {
  count  = length(local.collected_sources) == 0 ? 0 : 1
  bucket = google_storage_bucket.staging.name
  role   = "roles/storage.objectUser"
  member = google_service_account.function["ingest"].member

  condition {
    title       = "pushed-claims"
    description = "Only the claims of collections on pushed files."
    expression  = join(" || ", [for name in keys(local.collected_sources) : "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.staging.name}/objects/${name}/pushed_claims/\")"])
  }
}

resource "google_pubsub_topic_iam_member" "ingest_continues" {
  topic  = google_pubsub_topic.run_requests.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.function["ingest"].member
}

# --- silver: reads bronze, writes staging (create-only), loads the silver tables ---

resource "google_storage_bucket_iam_member" "silver_reads_bronze" {
  bucket = google_storage_bucket.bronze.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.function["silver"].member
}

# A file source's lifecycle moves files out of its inbox: silver to the quarantine (and a file
# whose bytes were loaded already to the archive), gold to the archive once the load is
# confirmed. A move is a copy (objects.rewrite: get on the source, create on the target) and a
# delete. objectUser has create and delete; the condition keeps them to the file sources' folders
# (Google's sample for a prefix condition:
# https://cloud.google.com/storage/docs/samples/storage-add-bucket-conditional-iam-binding; IAM
# conditions need uniform bucket-level access, which bronze has). Bronze is versioned, so even a
# delete keeps the bytes for var.bronze_noncurrent_days.
resource "google_storage_bucket_iam_member" "moves_dropped_files" {
  for_each = length(local.file_sources) == 0 ? toset([]) : toset(["silver", "gold"])
  bucket   = google_storage_bucket.bronze.name
  role     = "roles/storage.objectUser"
  member   = google_service_account.function[each.key].member

  condition {
    title       = "file-source-folders"
    description = "Only the folders of file sources (inbox, archive, quarantine)."
    expression  = join(" || ", [for name in keys(local.file_sources) : "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.bronze.name}/objects/${name}/\")"])
  }
}

# gold finds a dropped file's version in the inbox before it archives it.
resource "google_storage_bucket_iam_member" "gold_reads_bronze" {
  count  = length(local.file_sources) == 0 ? 0 : 1
  bucket = google_storage_bucket.bronze.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.function["gold"].member
}

# objectViewer also lets the load job, which runs as silver, read the staged rows. A big CSV file
# typed in BigQuery is read from bronze (objectViewer above) and its rows and rejects are written
# here by EXPORT DATA, which runs as silver too: objectCreator
# (https://cloud.google.com/bigquery/docs/exporting-data#required_permissions).
resource "google_storage_bucket_iam_member" "silver_staging" {
  for_each = toset(["roles/storage.objectCreator", "roles/storage.objectViewer"])
  bucket   = google_storage_bucket.staging.name
  role     = each.value
  member   = google_service_account.function["silver"].member
}

# Each silver table, one per declared resource. Data Editor on a table "provides permissions to read
# and update data and metadata for the table" (googleapis/python-bigquery, google/cloud/bigquery/iam.py,
# after https://cloud.google.com/bigquery/docs/access-control): the load itself, the tables.get silver
# makes before it to refuse a breaking schema, and the schema update a load with ALLOW_FIELD_ADDITION
# makes ("Data Editor (roles/bigquery.dataEditor) on a table ... to update table properties",
# https://cloud.google.com/bigquery/docs/managing-tables).
resource "google_bigquery_table_iam_member" "silver_loads" {
  for_each   = google_bigquery_table.silver
  dataset_id = each.value.dataset_id
  table_id   = each.value.table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function["silver"].member
}

# --- gold: reads silver, replaces the gold tables ---

resource "google_bigquery_table_iam_member" "gold_reads_silver" {
  for_each   = google_bigquery_table.silver
  dataset_id = each.value.dataset_id
  table_id   = each.value.table_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.function["gold"].member
}

# A later file of the same logical key replaces the earlier one's rows: gold runs that DELETE on
# the file sources' keyed silver tables once the new load is confirmed.
resource "google_bigquery_table_iam_member" "gold_replaces_file_rows" {
  for_each   = toset(flatten([for s in local.file_sources : s.keyed_tables]))
  dataset_id = google_bigquery_table.silver[each.value].dataset_id
  table_id   = google_bigquery_table.silver[each.value].table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function["gold"].member
}

# CREATE OR REPLACE TABLE needs to create and delete tables (bigquery.tables.create, .delete):
# dataset level, on each domain's gold dataset.
resource "google_bigquery_dataset_iam_member" "gold_writes_gold" {
  for_each   = { for k, d in local.domain_datasets : k => d if d.layer == "gold" }
  dataset_id = google_bigquery_dataset.domain[each.key].dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function["gold"].member
}

# The data-quality checks insert their verdicts (one row per check per build).
resource "google_bigquery_table_iam_member" "gold_records_checks" {
  dataset_id = google_bigquery_table.ops_dq_results.dataset_id
  table_id   = google_bigquery_table.ops_dq_results.table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function["gold"].member
}

# --- all three: run BigQuery jobs (ledger DML, loads, models), write the run ledger, meters ---

resource "google_project_iam_member" "functions_run_jobs" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/bigquery.jobUser"
  member   = google_service_account.function[each.key].member
}

resource "google_bigquery_table_iam_member" "ledger" {
  for_each   = local.functions
  dataset_id = google_bigquery_table.ops_run_ledger.dataset_id
  table_id   = google_bigquery_table.ops_run_ledger.table_id
  role       = "roles/bigquery.dataEditor"
  member     = google_service_account.function[each.key].member
}

# Each function writes its meters to Cloud Monitoring before it returns (custom.googleapis.com/medallion/*).
resource "google_project_iam_member" "functions_write_metrics" {
  for_each = local.functions
  project  = var.project_id
  role     = "roles/monitoring.metricWriter"
  member   = google_service_account.function[each.key].member
}

# ingest and gold keep a message that can never succeed in the dead letters, with the reason.
resource "google_pubsub_topic_iam_member" "functions_keep_dead_letters" {
  for_each = toset(["ingest", "gold"])
  topic    = google_pubsub_topic.dead_letters.id
  role     = "roles/pubsub.publisher"
  member   = google_service_account.function[each.key].member
}

# --- delivery: push invoker, Pub/Sub's dead-lettering, GCS notifications ---

resource "google_cloud_run_v2_service_iam_member" "pusher_invokes" {
  for_each = local.functions
  location = var.region
  name     = google_cloudfunctions2_function.function[each.key].service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.pusher.member
}

# Pub/Sub mints the push OIDC tokens as the pusher (needed explicitly in projects created before
# April 2021; harmless after).
resource "google_service_account_iam_member" "pubsub_signs_as_pusher" {
  service_account_id = google_service_account.pusher.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

# Dead-lettering: Pub/Sub's service agent publishes to the dead-letter topic and acknowledges on
# the source subscription. Without both, messages are retried forever instead of moved.
resource "google_pubsub_topic_iam_member" "pubsub_dead_letters" {
  topic  = google_pubsub_topic.dead_letters.id
  role   = "roles/pubsub.publisher"
  member = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "pubsub_forwards" {
  for_each     = local.functions
  subscription = google_pubsub_subscription.push[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# The GCS service agent publishes the bronze bucket's notifications.
resource "google_pubsub_topic_iam_member" "gcs_publishes_notifications" {
  topic  = google_pubsub_topic.bronze_notifications.id
  role   = "roles/pubsub.publisher"
  member = local.storage_agent
}

# --- the build identity of the functions ---

resource "google_project_iam_member" "build" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/artifactregistry.writer",
  ])
  project = var.project_id
  role    = each.value
  member  = google_service_account.build.member
}

# The uploaded archives, in this deployment's function-source bucket.
resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.function_source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# A gen2 build does not fetch the archive from our bucket: Cloud Run functions copies it into its
# own gcf-v2-sources-PROJECT_NUMBER-REGION bucket and the build reads it there ("Access to bucket
# gcf-v2-sources-... denied. You must grant Storage Object Viewer permission to <build account>",
# https://github.com/hashicorp/terraform-provider-google/issues/20571; bucket name:
# https://cloud.google.com/functions/docs/building). That bucket is created by the service on the
# first deploy, so it cannot be granted on directly: object read on the project, limited by an IAM
# condition to that bucket (https://cloud.google.com/iam/docs/conditions-resource-attributes).
# The provider's example (and Google's page for Cloud Run source deploys) grants project-wide
# storage.objectAdmin instead; a function's build only reads its source from Cloud Storage (the
# image goes to Artifact Registry), so read is granted, on that one bucket.
resource "google_project_iam_member" "build_reads_gcf_sources" {
  project = var.project_id
  role    = "roles/storage.objectViewer"
  member  = google_service_account.build.member

  condition {
    title       = "gcf-v2-sources only"
    description = "The bucket Cloud Run functions copies function sources to before a build."
    expression  = "resource.name.startsWith(\"projects/_/buckets/${local.gcf_sources_bucket}\")"
  }
}

# New grants take a while to reach Cloud Build: without a pause the first build fails to fetch its
# source. The provider's example waits 60 s (cloudfunctions2_basic_builder); its tests still failed
# half the time (issue 20571 above) and the provider's team doubled the wait for the same error in
# https://github.com/GoogleCloudPlatform/magic-modules/pull/11909. Runs on the first apply, and
# again only when a grant is replaced.
resource "time_sleep" "build_grants_propagate" {
  create_duration = "120s"

  triggers = {
    project_roles = join(",", sort([for g in google_project_iam_member.build : g.id]))
    gcf_sources   = google_project_iam_member.build_reads_gcf_sources.id
    source_bucket = google_storage_bucket_iam_member.build_reads_source.id
  }
}

# The Pub/Sub service agent writes pushed records into bronze through the Cloud Storage
# subscriptions: objectCreator to write the files, legacyBucketReader for the bucket's metadata
# (storage.buckets.get), as the subscription needs (issue 17, in progress).
resource "google_storage_bucket_iam_member" "pubsub_writes_pushed" {
  for_each = length(local.files_push_sources) == 0 ? toset([]) : toset(["roles/storage.objectCreator", "roles/storage.legacyBucketReader"])
  bucket   = google_storage_bucket.bronze.name
  role     = each.value
  member   = local.pubsub_agent
}


# --- webhook: publishes pushed records and run requests, keeps idempotency keys, is invoked by the
# declared callers only ---

resource "google_pubsub_topic_iam_member" "webhook_publishes_pushes" {
  for_each = local.push_sources
  topic    = google_pubsub_topic.push[each.key].id
  role     = "roles/pubsub.publisher"
  member   = google_service_account.webhook.member
}

# A "batch ready" notice starts a pull run: a run request, as the scheduler publishes.
resource "google_pubsub_topic_iam_member" "webhook_requests_runs" {
  topic  = google_pubsub_topic.run_requests.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.webhook.member
}

# Idempotency keys are create-only objects <source>/push_keys/... in staging (StoredIdempotencyKeys):
# objectViewer to see whether a key is there (objects.get), objectCreator to add one, both only
# under the pushed sources' push_keys/ folders (a prefix condition on the object name, as
# moves_dropped_files; staging has uniform bucket-level access, which conditions need).
resource "google_storage_bucket_iam_member" "webhook_keeps_keys" {
  for_each = length(local.push_sources) == 0 ? toset([]) : toset(["roles/storage.objectCreator", "roles/storage.objectViewer"])
  bucket   = google_storage_bucket.staging.name
  role     = each.value
  member   = google_service_account.webhook.member

  condition {
    title       = "push-keys-folders"
    description = "Only the idempotency keys of pushed sources."
    expression  = join(" || ", [for name in keys(local.push_sources) : "resource.name.startsWith(\"projects/_/buckets/${google_storage_bucket.staging.name}/objects/${name}/push_keys/\")"])
  }
}

# The webhook counts what it refuses (medallion.webhook.refusals).
resource "google_project_iam_member" "webhook_writes_metrics" {
  project = var.project_id
  role    = "roles/monitoring.metricWriter"
  member  = google_service_account.webhook.member
}

# Only the declared callers may invoke the webhook. A gen2 function is invoked through its Cloud
# Run service, which checks run.routes.invoke (roles/run.invoker) on that service
# (https://cloud.google.com/functions/docs/securing/authenticating); the role cannot be granted on
# the function resource itself, hence the Cloud Run service's IAM
# (https://github.com/hashicorp/terraform-provider-google/issues/21674). Never allUsers: the
# declaration schema admits only user:, serviceAccount:, group: and domain: principals, and the
# precondition refuses the public ones should a declaration skip the schema.
resource "google_cloud_run_v2_service_iam_member" "webhook_callers" {
  for_each = local.push_callers
  location = var.region
  name     = google_cloudfunctions2_function.webhook.service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value

  lifecycle {
    precondition {
      condition     = !contains(["allUsers", "allAuthenticatedUsers"], each.value)
      error_message = "push.callers may not make the webhook public (${each.value})."
    }
  }
}

# --- domains: who may read a domain's data ---

# Each consumer a domain declares (schemas/domains/<name>.json, consumers) reads that domain's
# silver and gold datasets, and no other's. Additive members, one per dataset and consumer:
# google_bigquery_dataset_iam_member is non-authoritative, so it neither removes nor fights the
# pipeline's own grants on the same datasets; _binding (authoritative for a role) would have to
# list the functions' and the API's members too, and _policy replaces the whole policy. None of
# the three may be combined with the dataset's access blocks or google_bigquery_dataset_access,
# "or they will fight over what the policy should be"
# (https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/bigquery_dataset_iam):
# no dataset here declares access blocks.
resource "google_bigquery_dataset_iam_member" "consumers" {
  for_each   = local.consumer_grants
  dataset_id = google_bigquery_dataset.domain[each.value.dataset].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = each.value.member
}
