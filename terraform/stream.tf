# Stream mode (push.mode "stream", issue 17): a source's pushed records reach silver row by row,
# with no bronze file and no load job. The webhook publishes each record as one message on the
# source's push topic (pubsub.tf); a BigQuery subscription writes each message's JSON fields into
# the silver table's columns of the same names (use_table_schema) with the subscription name,
# message id, publish time and attributes beside them (write_metadata):
# https://cloud.google.com/pubsub/docs/bigquery. Gold has no load completion to start from, so
# Cloud Scheduler asks the gold function for a build on the source's schedule. Every resource
# here is derived from local.stream_sources (sources.tf): adding a stream source edits no .tf file.

# Each stream source's own dead-letter topic: the rows BigQuery refuses (a value of the wrong
# type, a REQUIRED field missing, a field without a column when unknown fields are not dropped),
# kept apart from the pipeline's dead letters so they can be read, fixed and pushed again.
resource "google_pubsub_topic" "stream_dead_letters" {
  for_each = local.stream_sources

  name   = "${var.name_prefix}-push-${replace(each.key, "_", "-")}-dead-letters"
  labels = local.labels
}

# Keeps them until someone looks (gcloud pubsub subscriptions pull). Never expires.
resource "google_pubsub_subscription" "stream_dead_letters_keep" {
  for_each = local.stream_sources

  name                       = "${var.name_prefix}-push-${replace(each.key, "_", "-")}-dead-letters-keep"
  topic                      = google_pubsub_topic.stream_dead_letters[each.key].id
  labels                     = local.labels
  ack_deadline_seconds       = 60
  message_retention_duration = "${var.dead_letter_retention_days * 86400}s"
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# The BigQuery subscription: one row per message into the source's silver table, which Terraform
# creates from schemas/bigquery/silver/<table>.json with the four metadata columns
# (bigquery.tf). drop_unknown_fields follows silver.unknown_fields: "drop" drops a field without a
# column, "reject" leaves such a message to be dead-lettered.
resource "google_pubsub_subscription" "push_to_silver" {
  for_each = local.stream_sources

  name                       = "${var.name_prefix}-push-${replace(each.key, "_", "-")}-to-silver"
  topic                      = google_pubsub_topic.push[each.key].id
  labels                     = local.labels
  message_retention_duration = "604800s"

  bigquery_config {
    table               = "${var.project_id}.${google_bigquery_table.silver[each.value.table].dataset_id}.${google_bigquery_table.silver[each.value.table].table_id}"
    use_table_schema    = true
    write_metadata      = true
    drop_unknown_fields = each.value.drop_unknown_fields
  }

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.stream_dead_letters[each.key].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  expiration_policy {
    ttl = ""
  }

  depends_on = [google_bigquery_table_iam_member.pubsub_writes_stream]
}

# The Pub/Sub service agent writes the rows: BigQuery Data Editor on the table alone, the narrowest
# place the documentation allows ("Assign BigQuery service account roles",
# https://cloud.google.com/pubsub/docs/create-bigquery-subscription).
resource "google_bigquery_table_iam_member" "pubsub_writes_stream" {
  for_each   = local.stream_sources
  dataset_id = google_bigquery_table.silver[each.value.table].dataset_id
  table_id   = google_bigquery_table.silver[each.value.table].table_id
  role       = "roles/bigquery.dataEditor"
  member     = local.pubsub_agent
}

# Dead-lettering a refused row: the agent publishes to the source's dead-letter topic and
# acknowledges on the BigQuery subscription (as for the functions' subscriptions in iam.tf).
resource "google_pubsub_topic_iam_member" "pubsub_stream_dead_letters" {
  for_each = local.stream_sources
  topic    = google_pubsub_topic.stream_dead_letters[each.key].id
  role     = "roles/pubsub.publisher"
  member   = local.pubsub_agent
}

resource "google_pubsub_subscription_iam_member" "pubsub_forwards_stream" {
  for_each     = local.stream_sources
  subscription = google_pubsub_subscription.push_to_silver[each.key].id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

# Gold on a short schedule: gold build requests ({"source": NAME} with the attribute
# medallion_request=gold_schedule) on the gold-schedule topic, pushed to the gold function as its
# load completions are. A build's run id derives from the request's publish time, so a
# redelivered request runs nothing twice.
resource "google_pubsub_topic" "gold_schedule" {
  name   = "${var.name_prefix}-${local.topics.gold_schedule}"
  labels = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "gold_schedule" {
  name                       = "${var.name_prefix}-${local.topics.gold_schedule}-gold"
  topic                      = google_pubsub_topic.gold_schedule.id
  labels                     = local.labels
  ack_deadline_seconds       = local.ack_deadline_seconds
  message_retention_duration = "604800s"

  push_config {
    push_endpoint = google_cloudfunctions2_function.function["gold"].service_config[0].uri
    oidc_token {
      service_account_email = google_service_account.pusher.email
      audience              = google_cloudfunctions2_function.function["gold"].service_config[0].uri
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

resource "google_pubsub_subscription_iam_member" "pubsub_forwards_gold_schedule" {
  subscription = google_pubsub_subscription.gold_schedule.id
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_agent
}

resource "google_cloud_scheduler_job" "gold_schedule" {
  for_each = local.gold_schedules

  name        = "${var.name_prefix}-gold-${replace(each.key, "_", "-")}"
  description = "Builds the gold of stream source ${each.key} (${each.value}, UTC, as the declaration says)."
  region      = var.region
  schedule    = each.value
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.gold_schedule.id
    data       = base64encode("{\"source\":\"${each.key}\"}")
    attributes = {
      medallion_request = "gold_schedule"
      trigger           = "scheduler"
    }
  }

  retry_config {
    retry_count          = 3
    min_backoff_duration = "10s"
    max_backoff_duration = "300s"
  }

  depends_on = [google_project_service.apis]
}

# A record BigQuery refused waits in its source's dead letters: someone fixes it (or the schema) and
# pushes it again. Alerted as the pipeline's own dead letters are (monitoring.tf).
resource "google_monitoring_alert_policy" "stream_dead_letters" {
  for_each = local.stream_sources

  display_name          = "${var.name_prefix}: records of ${each.key} BigQuery refused"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = "undelivered messages on ${google_pubsub_subscription.stream_dead_letters_keep[each.key].name}"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.stream_dead_letters_keep[each.key].name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Records pushed to ${each.key} wait in `${google_pubsub_subscription.stream_dead_letters_keep[each.key].name}`: its BigQuery subscription could not write them ${var.max_delivery_attempts} times (a value of the wrong type, a REQUIRED field missing, a field without a column). Read them with `gcloud pubsub subscriptions pull ${google_pubsub_subscription.stream_dead_letters_keep[each.key].name} --limit=10`, fix the sender or the schema, then push them again."
  }
}
