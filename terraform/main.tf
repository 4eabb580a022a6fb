# Names the code uses, in one place. Each one here is the code's default name
# (io.medallion.config.MedallionConfig, LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC), prefixed below;
# the functions get the real names through the MEDALLION_* variables.
# TerraformAgreesWithCodeTest checks these against the code.
locals {
  topics = {
    run_requests         = "run-requests"
    bq_jobs              = "bq-jobs"
    dead_letters         = "dead-letters"
    bronze_notifications = "bronze-notifications"
    gold_schedule        = "gold-schedule"
  }
  buckets = {
    bronze          = "bronze"
    staging         = "silver-staging"
    function_source = "function-source"
  }
  # One dataset per layer, as schemas/bigquery/<layer>/.
  datasets = {
    silver = "silver"
    gold   = "gold"
    ops    = "ops"
  }
  dataset_prefix = replace(var.name_prefix, "-", "_")

  # The three functions: the deployed entry point (an HTTP function that a push subscription
  # calls), the deploy jar `mvn package` builds, and what each needs to run.
  functions = {
    ingest = {
      entry_point   = "io.medallion.ingest.IngestPushFunction"
      jar           = "../functions/ingest/target/medallion-ingest-deploy.jar"
      memory        = "512Mi"
      max_instances = 3
      topic         = "run_requests"
    }
    silver = {
      entry_point   = "io.medallion.silver.SilverPushFunction"
      jar           = "../functions/silver/target/medallion-silver-deploy.jar"
      memory        = "1Gi"
      max_instances = 5
      topic         = "bronze_notifications"
    }
    gold = {
      entry_point   = "io.medallion.gold.GoldPushFunction"
      jar           = "../functions/gold/target/medallion-gold-deploy.jar"
      memory        = "512Mi"
      max_instances = 2
      topic         = "bq_jobs"
    }
  }

  # The webhook (functions/webhook): an HTTP function that partners' systems call directly with an
  # ID token, not through a push subscription, so it is none of local.functions (no topic, no
  # BigQuery, no ledger). It waits on Pub/Sub, not on the CPU, so one instance takes many requests.
  webhook = {
    entry_point   = "io.medallion.webhook.WebhookFunction"
    jar           = "../functions/webhook/target/medallion-webhook-deploy.jar"
    memory        = "512Mi"
    max_instances = 10
    concurrency   = 16
  }
  # Every deploy jar: uploaded as an archive each (storage.tf); the query API's is in api.tf.
  function_jars = merge({ for name, f in local.functions : name => f.jar }, { webhook = local.webhook.jar, api = local.api.jar })
  # A pushed source's topic is this and its name (MedallionConfig.pushTopic).
  push_topic_prefix = "${var.name_prefix}-push-"

  # Every resource that takes labels gets these (observability.tf and the billing export use them).
  labels = {
    pipeline   = "medallion"
    managed-by = "terraform"
    deployment = var.name_prefix
  }

  # Ack deadline of a push subscription: above the functions' 540 s timeout, within Pub/Sub's 600 s.
  ack_deadline_seconds = 600
  function_timeout     = 540
}

data "google_project" "this" {
  project_id = var.project_id
}

# The APIs the pipeline uses. Disabling them on destroy would break anything else in the project.
resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "monitoring.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}
