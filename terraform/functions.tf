# The configuration every function reads through MedallionConfig (one MEDALLION_* variable per
# setting; TerraformAgreesWithCodeTest checks that each one the code defines is set here), and the
# JVM options the cold-start bench measures.
locals {
  function_env = {
    MEDALLION_PROJECT            = var.project_id
    MEDALLION_BRONZE_BUCKET      = google_storage_bucket.bronze.name
    MEDALLION_STAGING_BUCKET     = google_storage_bucket.staging.name
    MEDALLION_RUN_REQUESTS_TOPIC = google_pubsub_topic.run_requests.name
    MEDALLION_BQ_JOBS_TOPIC      = google_pubsub_topic.bq_jobs.name
    MEDALLION_DEAD_LETTERS_TOPIC = google_pubsub_topic.dead_letters.name
    # Layer names: each source's dataset is <layer>_<domain> (MedallionConfig.silverDataset(source)).
    MEDALLION_SILVER_DATASET = "${local.dataset_prefix}_${local.datasets.silver}"
    MEDALLION_GOLD_DATASET   = "${local.dataset_prefix}_${local.datasets.gold}"
    MEDALLION_OPS_DATASET    = google_bigquery_dataset.ops.dataset_id
    MEDALLION_PAGE_SIZE      = var.page_size == null ? "" : tostring(var.page_size)
    MEDALLION_ADAPTERS       = "gcp"
    MEDALLION_BQ_LOCATION    = var.bigquery_location
    # Where the Data Lineage API keeps the OpenLineage events (lineage.tf).
    MEDALLION_LINEAGE_LOCATION = local.lineage_location
    # Each source reads the base_url its declaration names (a mirror is a declaration edit): one
    # override for every source would send each source's credentials to the same host, and a run
    # request naming any other URL is refused (SourceEndpoints.configured).
    MEDALLION_SOURCE_URL = ""
    # The functions read the declarations they carry (schemas/sources/ in the jar); more
    # directories are a local convenience.
    MEDALLION_SOURCES_DIR = ""
    # Pages in flight per listing: each declaration's max_concurrency unless set.
    MEDALLION_INGEST_CONCURRENCY = ""
    # Where the webhook publishes a pushed source's records (pubsub.tf names the topics so).
    MEDALLION_PUSH_TOPIC_PREFIX = local.push_topic_prefix
    # Not configuration: the JVM reads it at start (see var.java_tool_options).
    JAVA_TOOL_OPTIONS = var.java_tool_options
  }
}

# Three gen2 functions (Cloud Run services), each with its own service account. HTTP functions:
# the push subscriptions in pubsub.tf call them; internal ingress and no public invoker, so only
# the pusher identity can.
resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = "${var.name_prefix}-${each.key}"
  location    = var.region
  description = "medallion ${each.key} (${each.value.entry_point})"
  labels      = merge(local.labels, { function = each.key })

  build_config {
    runtime         = var.java_runtime
    entry_point     = each.value.entry_point
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.function_source.name
        object = google_storage_bucket_object.function_source[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = each.value.memory
    available_cpu                    = "1"
    timeout_seconds                  = local.function_timeout
    min_instance_count               = 0
    max_instance_count               = each.value.max_instances
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.function[each.key].email
    environment_variables            = local.function_env
  }

  # The build account's grants, after they have had time to propagate (iam.tf).
  depends_on = [
    google_project_service.apis,
    time_sleep.build_grants_propagate,
  ]
}

# The webhook: POST /v1/sources/<source>/records and /notify (functions/webhook). Ingress from
# anywhere, since partners call it from outside Google Cloud; but no public invoker: Cloud Run lets
# in only an ID token of a principal granted roles/run.invoker, and iam.tf grants that to each
# pushed source's declared push.callers and nobody else. A source that declares a secret also
# needs its HMAC signature. One instance takes many requests (it waits on Pub/Sub's ack, not the
# CPU); concurrency above 1 needs a whole CPU (https://cloud.google.com/run/docs/about-concurrency).
resource "google_cloudfunctions2_function" "webhook" {
  name        = "${var.name_prefix}-webhook"
  location    = var.region
  description = "medallion webhook (${local.webhook.entry_point})"
  labels      = merge(local.labels, { function = "webhook" })

  build_config {
    runtime         = var.java_runtime
    entry_point     = local.webhook.entry_point
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.function_source.name
        object = google_storage_bucket_object.function_source["webhook"].name
      }
    }
  }

  service_config {
    available_memory                 = local.webhook.memory
    available_cpu                    = "1"
    timeout_seconds                  = 60
    min_instance_count               = 0
    max_instance_count               = local.webhook.max_instances
    max_instance_request_concurrency = local.webhook.concurrency
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.webhook.email
    environment_variables            = local.function_env
  }

  depends_on = [
    google_project_service.apis,
    time_sleep.build_grants_propagate,
  ]
}
