# Run requests: Cloud Scheduler, the CLI, gcloud and ingest's own continuations publish here.
resource "google_pubsub_topic" "run_requests" {
  name   = "${var.name_prefix}-${local.topics.run_requests}"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# BigQuery job completions, routed by the log sink in logging.tf.
resource "google_pubsub_topic" "bq_jobs" {
  name   = "${var.name_prefix}-${local.topics.bq_jobs}"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# The bronze bucket's OBJECT_FINALIZE notifications (storage.tf).
resource "google_pubsub_topic" "bronze_notifications" {
  name   = "${var.name_prefix}-${local.topics.bronze_notifications}"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# Where every message ends that could not be processed: after max_delivery_attempts failed pushes
# (Pub/Sub moves it), or at once with the reason when it can never succeed (the functions publish
# it with a medallion_error attribute).
resource "google_pubsub_topic" "dead_letters" {
  name   = "${var.name_prefix}-${local.topics.dead_letters}"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

# Keeps the dead letters until someone looks (gcloud pubsub subscriptions pull). Never expires.
resource "google_pubsub_subscription" "dead_letters_keep" {
  name                       = "${var.name_prefix}-${local.topics.dead_letters}-keep"
  topic                      = google_pubsub_topic.dead_letters.id
  labels                     = local.labels
  ack_deadline_seconds       = 60
  message_retention_duration = "${var.dead_letter_retention_days * 86400}s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# One push subscription per function. Terraform owns each, so each carries what Eventarc's
# subscriptions cannot be given from a trigger: a retry policy, a dead-letter policy, a 7-day
# retention and no expiry. Pushes carry an OIDC token of the pusher service account, the only
# identity allowed to invoke the functions.
resource "google_pubsub_subscription" "push" {
  for_each = local.functions

  name                       = "${var.name_prefix}-${local.topics[each.value.topic]}-${each.key}"
  topic                      = local.function_topics[each.key]
  labels                     = local.labels
  ack_deadline_seconds       = local.ack_deadline_seconds
  message_retention_duration = "604800s"

  push_config {
    push_endpoint = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.pusher.email
      audience              = google_cloudfunctions2_function.function[each.key].service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letters.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }
}

locals {
  function_topics = {
    ingest = google_pubsub_topic.run_requests.id
    silver = google_pubsub_topic.bronze_notifications.id
    gold   = google_pubsub_topic.bq_jobs.id
  }
}

# Records pushed to a source: the webhook function publishes them to its topic, and a Cloud Storage subscription
# that writes the topic's messages into bronze as text files, one message per line, closing a file
# at max_duration or max_bytes, whichever comes first
# (https://cloud.google.com/pubsub/docs/create-cloudstorage-subscription). Each file's finalize
# event is a drop silver loads as any other. Messages Pub/Sub cannot write go to the dead letters.
resource "google_pubsub_topic" "push" {
  for_each = local.push_sources

  name   = "${local.push_topic_prefix}${replace(each.key, "_", "-")}"
  labels = local.labels
}

resource "google_pubsub_subscription" "push_to_bronze" {
  for_each = local.files_push_sources

  name                       = "${var.name_prefix}-push-${replace(each.key, "_", "-")}-to-bronze"
  topic                      = google_pubsub_topic.push[each.key].id
  labels                     = local.labels
  message_retention_duration = "604800s"

  cloud_storage_config {
    bucket          = google_storage_bucket.bronze.name
    filename_prefix = each.value.prefix
    filename_suffix = ".ndjson"
    max_duration    = each.value.max_duration
    max_bytes       = each.value.max_bytes
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.dead_letters.id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_storage_bucket_iam_member.pubsub_writes_pushed]
}

