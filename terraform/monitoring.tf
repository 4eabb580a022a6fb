locals {
  function_services = [for f in google_cloudfunctions2_function.function : f.name]
}

# Anything in the dead letters needs a person: a message that failed max_delivery_attempts
# times, or one a function refused with a reason (`gcloud pubsub subscriptions pull` shows it).
resource "google_monitoring_alert_policy" "dead_letters" {
  display_name          = "${var.name_prefix}: messages in the dead letters"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = "undelivered messages on ${google_pubsub_subscription.dead_letters_keep.name}"
    condition_threshold {
      filter          = "resource.type = \"pubsub_subscription\" AND resource.labels.subscription_id = \"${google_pubsub_subscription.dead_letters_keep.name}\" AND metric.type = \"pubsub.googleapis.com/subscription/num_undelivered_messages\""
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
    content   = "Messages wait in `${google_pubsub_subscription.dead_letters_keep.name}`. Each carries `medallion_error` (the reason) when a function refused it, or `CloudPubSubDeadLetterSourceSubscription` when its deliveries failed ${var.max_delivery_attempts} times. Read them with `gcloud pubsub subscriptions pull ${google_pubsub_subscription.dead_letters_keep.name} --limit=10`, fix the cause, then publish the data again to its topic."
  }
}

# A push that keeps failing is retried with backoff for up to 7 days' retention, then dead-lettered
# after max_delivery_attempts; repeated failures are worth a look before that.
resource "google_monitoring_alert_policy" "function_errors" {
  display_name          = "${var.name_prefix}: function errors"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = "non-2xx answers to pushes, per function"
    condition_threshold {
      filter          = "resource.type = \"cloud_run_revision\" AND resource.labels.service_name = one_of(${join(", ", [for s in local.function_services : "\"${s}\""])}) AND metric.type = \"run.googleapis.com/request_count\" AND metric.labels.response_code_class = one_of(\"4xx\", \"5xx\")"
      comparison      = "COMPARISON_GT"
      threshold_value = 2
      duration        = "0s"
      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_DELTA"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["resource.label.service_name"]
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A function answered more than 2 pushes in 10 minutes with an error. Its logs: `gcloud logging read 'resource.type=\"cloud_run_revision\" AND severity>=WARNING AND resource.labels.service_name=~\"^${var.name_prefix}-\"' --freshness=1h`. The run ledger (`${local.dataset_prefix}_${local.datasets.ops}.run_ledger`) says which run and stage failed."
  }
}

# The freshness objective: a successful gold run at least every freshness_hours. PromQL's
# absent_over_time, because a metric-absence condition's window is capped at about a day, too
# short for a daily schedule with slack, and it fires only for series that once had data.
resource "google_monitoring_alert_policy" "freshness" {
  display_name          = "${var.name_prefix}: gold older than ${var.freshness_hours} h"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = "no successful gold run in ${var.freshness_hours} h"
    condition_prometheus_query_language {
      query               = "absent_over_time(logging_googleapis_com:user_${google_logging_metric.gold_runs_succeeded.name}{monitored_resource=\"cloud_run_revision\"}[${var.freshness_hours}h])"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "No gold run succeeded for ${var.freshness_hours} hours. Check the scheduler jobs (`gcloud scheduler jobs list --location=${var.region}`), the dead letters, and `select * from ${local.dataset_prefix}_${local.datasets.ops}.run_ledger order by recorded_at desc limit 50`. Right after the first deploy this fires until the first run succeeds."
  }

  # The log-based metric is new in the same apply (observability.tf says why this waits).
  depends_on = [time_sleep.alerted_metrics_exist]
}

# A source whose input arrives on its own schedule (a partner's files) declares how long its gold
# may go without a build (gold.freshness_hours): the same absent_over_time, for its series alone.
# A dataset of several files that stays incomplete shows here too: its model does not build.
resource "google_monitoring_alert_policy" "source_freshness" {
  for_each = local.fresh_sources

  display_name          = "${var.name_prefix}: ${each.key} gold older than ${each.value} h"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = "no gold build of ${each.key} in ${each.value} h"
    condition_prometheus_query_language {
      query               = "absent_over_time(logging_googleapis_com:user_${google_logging_metric.gold_runs_succeeded.name}{monitored_resource=\"cloud_run_revision\",source=\"${each.key}\"}[${each.value}h])"
      duration            = "0s"
      evaluation_interval = "300s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "No gold build of ${each.key} for ${each.value} hours: its files have not arrived, or a dataset waits for one of its files. `medallion status` locally, or the run ledger (`select * from ${local.dataset_prefix}_${local.datasets.ops}.run_ledger where source = '${each.key}' order by recorded_at desc limit 50`) shows the last drops, quarantined files (stage silver, status failed) and models waiting (stage gold, status ignored)."
  }

  depends_on = [time_sleep.alerted_metrics_exist]
}
