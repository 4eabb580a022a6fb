# Observability: log-based metrics, alert policies and a dashboard for the meters the functions
# export to Cloud Monitoring (README "Operate it" explains each one). Uses only var.project_id,
# var.name_prefix, var.alert_notification_channels and local.labels from the other files.
#
# Micrometer's Stackdriver registry names a meter custom.googleapis.com/<name with dots as
# slashes>: medallion.records -> custom.googleapis.com/medallion/records. Counters are CUMULATIVE
# DOUBLE series (aligned with ALIGN_DELTA); timers are GAUGE DISTRIBUTION series in milliseconds
# (aligned with ALIGN_SUM, then a percentile across series), plus
# /max and /count. Tags become metric labels; each function instance is a generic_task resource.

locals {
  medallion_metric = "custom.googleapis.com/medallion"

  # One dashboard tile per meter: [title, metric type suffix, label to group by, aligner, reducer].
  medallion_tiles = [
    ["Records per layer", "records", "metric.label.layer", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Bytes per layer", "bytes", "metric.label.layer", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Silver rejects per reason", "rejects", "metric.label.reason", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Stage duration p95 (ms)", "stage/duration", "metric.label.stage", "ALIGN_SUM", "REDUCE_PERCENTILE_95"],
    ["Warehouse job duration p95 (ms)", "job/duration", "metric.label.kind", "ALIGN_SUM", "REDUCE_PERCENTILE_95"],
    ["Run latency, request to gold (ms, p95)", "run/latency", "metric.label.source", "ALIGN_SUM", "REDUCE_PERCENTILE_95"],
    ["API retries per stage", "retries", "metric.label.stage", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Dead letters per stage", "dead_letters", "metric.label.stage", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Data-quality failing rows per check", "dq/failures", "metric.label.check", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Unknown fields in the latest silver load", "silver/unknown_fields", "metric.label.source", "ALIGN_MAX", "REDUCE_MAX"],
    ["Webhook refusals per reason", "webhook/refusals", "metric.label.reason", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Freshness SLO: fresh days per domain", "slo/freshness/good", "metric.label.domain", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Freshness SLO: days counted per domain", "slo/freshness/total", "metric.label.domain", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Quality SLO: passing checks per domain", "slo/quality/good", "metric.label.domain", "ALIGN_DELTA", "REDUCE_SUM"],
    ["Quality SLO: check results per domain", "slo/quality/total", "metric.label.domain", "ALIGN_DELTA", "REDUCE_SUM"],
  ]

  # Every metric type the code writes, with the kind, value type and labels Micrometer's
  # Stackdriver registry writes it with (useSemanticMetricTypes, as StackdriverMeterExport sets
  # it): a counter is CUMULATIVE DOUBLE; a timer is a GAUGE DISTRIBUTION in ms plus /max (GAUGE
  # DOUBLE, ms) and /count (CUMULATIVE INT64). Labels are the meter's tags (io.medallion.metrics.
  # Metrics). Declared up front so that an alert on one can be created before the first point is
  # written; Micrometer finds them and creates none itself. TerraformAgreesWithCodeTest checks this
  # map against the meters the code registers.
  medallion_metric_descriptors = {
    "records"              = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["layer", "source"] }
    "bytes"                = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "By", labels = ["layer", "source"] }
    "rejects"              = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["reason", "source"] }
    "retries"              = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["source", "stage"] }
    "dead_letters"         = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["source", "stage"] }
    "dq/failures"          = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["check", "source"] }
    "webhook/refusals"     = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["reason", "source"] }
    "stage/duration"       = { kind = "GAUGE", value_type = "DISTRIBUTION", unit = "ms", labels = ["outcome", "source", "stage"] }
    "stage/duration/max"   = { kind = "GAUGE", value_type = "DOUBLE", unit = "ms", labels = ["outcome", "source", "stage"] }
    "stage/duration/count" = { kind = "CUMULATIVE", value_type = "INT64", unit = "1", labels = ["outcome", "source", "stage"] }
    "job/duration"         = { kind = "GAUGE", value_type = "DISTRIBUTION", unit = "ms", labels = ["kind", "source"] }
    "job/duration/max"     = { kind = "GAUGE", value_type = "DOUBLE", unit = "ms", labels = ["kind", "source"] }
    "job/duration/count"   = { kind = "CUMULATIVE", value_type = "INT64", unit = "1", labels = ["kind", "source"] }
    "run/latency"          = { kind = "GAUGE", value_type = "DISTRIBUTION", unit = "ms", labels = ["source"] }
    "run/latency/max"      = { kind = "GAUGE", value_type = "DOUBLE", unit = "ms", labels = ["source"] }
    "run/latency/count"    = { kind = "CUMULATIVE", value_type = "INT64", unit = "1", labels = ["source"] }
    # The SLI events of the domains' SLOs (terraform/slo.tf): good and total per domain.
    "slo/freshness/good"  = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["domain"] }
    "slo/freshness/total" = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["domain"] }
    "slo/quality/good"    = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["domain"] }
    "slo/quality/total"   = { kind = "CUMULATIVE", value_type = "DOUBLE", unit = "1", labels = ["domain"] }
    # A gauge (Micrometer's Stackdriver registry writes gauges as GAUGE DOUBLE).
    "silver/unknown_fields" = { kind = "GAUGE", value_type = "DOUBLE", unit = "1", labels = ["source"] }
  }

  # The alerts on what only the code knows; monitoring.tf alerts on the dead letters, function
  # errors and gold freshness. README "Operate it" says what each means and what to do.
  medallion_alerts = {
    dq_failed = {
      name      = "data-quality checks failed"
      condition = "a gold build failed a data-quality check"
      filter    = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.dq_failures.name}\" AND resource.type=\"cloud_run_revision\""
      threshold = 0
      period    = "300s"
      aligner   = "ALIGN_DELTA"
      reducer   = "REDUCE_SUM"
      group_by  = ["metric.label.source"]
      doc       = "A gold build failed one or more data-quality checks: the run is marked failed in the ledger. `select * from ops.dq_results where failing_rows > 0 order by checked_at desc`, then run the check's SQL (sql/<source>/checks/<check>.sql) to see the rows. See README, Operate it."
    }
    load_failed = {
      name      = "silver load job failed"
      condition = "a silver load job ended with an error"
      filter    = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.load_failures.name}\" AND resource.type=\"cloud_run_revision\""
      threshold = 0
      period    = "300s"
      aligner   = "ALIGN_DELTA"
      reducer   = "REDUCE_SUM"
      group_by  = ["resource.label.service_name"]
      doc       = "BigQuery refused a silver load: nothing of that run reached silver or gold. The ledger event (stage silver_load, status failed) carries the job's errorResult. See README, Operate it."
    }
    unknown_fields = {
      name      = "source sends fields its schema does not name"
      condition = "a silver load met fields no column reads"
      filter    = "metric.type=\"${local.medallion_metric}/silver/unknown_fields\" AND resource.type=\"generic_task\""
      threshold = 0
      period    = "3600s"
      aligner   = "ALIGN_MAX"
      reducer   = "REDUCE_MAX"
      group_by  = ["metric.label.source"]
      doc       = "The source's API added fields: silver keeps them in the table's `_extra` JSON column (or drops or rejects them, as the declaration says) and the run summary names them (`new field ... in N records`). Promote a field to a column by adding it to schemas/bigquery/silver/<table>.json (a nullable column: the table evolves on the next load), or name it in the source's silver.drop. See functions/silver/README.md, Unknown fields."
    }
    api_retries = {
      name      = "source API retrying"
      condition = "more than 20 API retries in 15 minutes"
      filter    = "metric.type=\"${local.medallion_metric}/retries\" AND resource.type=\"generic_task\""
      threshold = 20
      period    = "900s"
      aligner   = "ALIGN_DELTA"
      reducer   = "REDUCE_SUM"
      group_by  = ["metric.label.source"]
      doc       = "The source API answers 429, 5xx or times out often: runs slow down and may fail after 5 attempts per request. Check the API's status; a failed run resumes with `medallion resume RUN_ID`. See README, Operate it."
    }
  }
}

# Every failed data-quality verdict is one ERROR line from gold ("data-quality checks failed: ...").
# A log-based metric still counts when a metrics flush was lost, so the alert relies on it.
resource "google_logging_metric" "dq_failures" {
  project = var.project_id
  name    = "${var.name_prefix}-dq-failures"
  filter  = "resource.type=\"cloud_run_revision\" AND severity>=ERROR AND labels.stage=\"gold\" AND jsonPayload.message:\"data-quality checks failed\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "source"
      value_type  = "STRING"
      description = "The source whose gold build failed its checks."
    }
  }
  label_extractors = {
    "source" = "EXTRACT(labels.source)"
  }
}

# A silver load job that BigQuery finished with an error (gold records it and logs it once).
resource "google_logging_metric" "load_failures" {
  project = var.project_id
  name    = "${var.name_prefix}-load-failures"
  filter  = "resource.type=\"cloud_run_revision\" AND severity>=ERROR AND labels.stage=\"gold\" AND jsonPayload.message:\"gold: silver load\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_monitoring_metric_descriptor" "medallion" {
  for_each = local.medallion_metric_descriptors

  project      = var.project_id
  type         = "${local.medallion_metric}/${each.key}"
  display_name = "medallion ${each.key}"
  description  = "Written by the medallion functions (README, Operate it)."
  metric_kind  = each.value.kind
  value_type   = each.value.value_type
  unit         = each.value.unit

  dynamic "labels" {
    for_each = each.value.labels
    content {
      key         = labels.value
      value_type  = "STRING"
      description = "The meter's ${labels.value} tag."
    }
  }
}

# A metric type an alert filters on must exist when the policy is created, and a new one does not
# at once: "Cannot find metric(s) that match type ... If a metric was created recently, it could
# take up to 10 minutes to become available" (https://github.com/hashicorp/terraform-provider-google/issues/11102,
# open; the same 404 for log-based metrics). The alert policies wait for this; it waits again only
# when a metric an alert may use is added or replaced. If an apply still meets the 404, applying
# again finishes it.
resource "time_sleep" "alerted_metrics_exist" {
  create_duration = "180s"

  triggers = {
    descriptors = join(",", sort([for d in google_monitoring_metric_descriptor.medallion : d.type]))
    log_metrics = join(",", [
      google_logging_metric.dq_failures.id,
      google_logging_metric.load_failures.id,
      google_logging_metric.gold_runs_succeeded.id,
    ])
  }
}

resource "google_monitoring_alert_policy" "medallion" {
  for_each = local.medallion_alerts

  project               = var.project_id
  display_name          = "${var.name_prefix}: ${each.value.name}"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = local.labels

  conditions {
    display_name = each.value.condition
    condition_threshold {
      filter          = each.value.filter
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = "0s"
      aggregations {
        alignment_period     = each.value.period
        per_series_aligner   = each.value.aligner
        cross_series_reducer = each.value.reducer
        group_by_fields      = each.value.group_by
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = each.value.doc
  }

  depends_on = [time_sleep.alerted_metrics_exist]
}

resource "google_monitoring_dashboard" "medallion" {
  project = var.project_id
  dashboard_json = jsonencode({
    displayName = "${var.name_prefix} pipeline"
    labels      = local.labels
    mosaicLayout = {
      columns = 12
      tiles = [
        for i, t in local.medallion_tiles : {
          xPos   = (i % 2) * 6
          yPos   = floor(i / 2) * 4
          width  = 6
          height = 4
          widget = {
            title = t[0]
            xyChart = {
              dataSets = [{
                plotType = "LINE"
                timeSeriesQuery = {
                  timeSeriesFilter = {
                    filter = "metric.type=\"${local.medallion_metric}/${t[1]}\" AND resource.type=\"generic_task\""
                    aggregation = {
                      alignmentPeriod    = "3600s"
                      perSeriesAligner   = t[3]
                      crossSeriesReducer = t[4]
                      groupByFields      = [t[2]]
                    }
                  }
                }
              }]
            }
          }
        }
      ]
    }
  })
}
