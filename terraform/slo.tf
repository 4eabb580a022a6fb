# Each domain's service level objectives (schemas/domains/<name>.json, "slo") as Cloud Monitoring
# SLOs: a custom service per domain, a request-based SLO each for freshness and quality over the
# SLI events the gold function counts (io.medallion.metrics.Metrics: medallion.slo.<sli>.good and
# .total, tagged by domain; the meaning of an event is in io.medallion.slo.FreshnessDays), and two
# burn-rate alerts per SLO. Adding a domain declaration adds its service, SLOs and alerts; no .tf
# file changes. TerraformAgreesWithCodeTest checks this file against the declarations and the code.

locals {
  slo_domain_files = [for f in fileset("${path.module}/../schemas/domains", "*.json") : f if length(regexall("^[a-z][a-z0-9_]*\\.json$", f)) > 0]
  slo_domains      = { for f in local.slo_domain_files : trimsuffix(f, ".json") => jsondecode(file("${path.module}/../schemas/domains/${f}")) }

  # One SLO per domain and indicator. window_days defaults to 28 as in schemas/domain.schema.json,
  # whose 1-30 range is the API's for a rolling period
  # (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/services.serviceLevelObjectives#ServiceLevelObjective).
  domain_slos = merge([
    for name, d in local.slo_domains : {
      for sli in ["freshness", "quality"] : "${name}.${sli}" => {
        domain      = name
        sli         = sli
        goal        = d.slo[sli].objective
        window_days = try(d.slo[sli].window_days, 28)
      }
    }
  ]...)

  # Multiwindow burn-rate alerting as the SRE workbook sets it for a 30-day objective: page when an
  # hour burns 2% of the budget (14.4x), ticket when six hours burn 5% (6x)
  # (https://sre.google/workbook/alerting-on-slos/, "Multiwindow, Multi-Burn-Rate Alerts"; the
  # selector: https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate).
  slo_burn_alerts = {
    fast = { lookback = "60m", threshold = 14.4, what = "fast burn (1 h at 14.4x: 2% of the budget in an hour)" }
    slow = { lookback = "360m", threshold = 6, what = "slow burn (6 h at 6x: 5% of the budget in six hours)" }
  }
  domain_slo_alerts = merge([
    for key, s in local.domain_slos : {
      for window, a in local.slo_burn_alerts : "${key}.${window}" => merge(a, { slo = key, window = window })
    }
  ]...)
}

resource "google_monitoring_custom_service" "domain" {
  for_each = local.slo_domains

  project      = var.project_id
  service_id   = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  display_name = "${var.name_prefix}: domain ${each.key}"
  user_labels  = merge(local.labels, { domain = each.key, owner = each.value.owner.team })
}

# An SLO over a metric type that does not exist yet is refused ("Invalid SLO definition: The metric
# referenced by the provided filter is unknown",
# https://github.com/GoogleCloudPlatform/cloud-ops-sandbox/issues/896), as an alert is: the metric
# descriptors are declared in observability.tf (local.medallion_metric_descriptors) and the SLOs
# wait, as the alert policies do, for them to propagate.
resource "google_monitoring_slo" "domain" {
  for_each = local.domain_slos

  project             = var.project_id
  service             = google_monitoring_custom_service.domain[each.value.domain].service_id
  slo_id              = each.value.sli
  display_name        = "${each.value.domain} ${each.value.sli}: ${each.value.goal * 100}% over ${each.value.window_days} days"
  goal                = each.value.goal
  rolling_period_days = each.value.window_days
  user_labels         = merge(local.labels, { domain = each.value.domain })

  # Request-based: good events / total events, both CUMULATIVE counters
  # (https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/identifying-custom-sli).
  request_based_sli {
    good_total_ratio {
      good_service_filter  = "metric.type=\"${local.medallion_metric}/slo/${each.value.sli}/good\" AND resource.type=\"generic_task\" AND metric.label.domain=\"${each.value.domain}\""
      total_service_filter = "metric.type=\"${local.medallion_metric}/slo/${each.value.sli}/total\" AND resource.type=\"generic_task\" AND metric.label.domain=\"${each.value.domain}\""
    }
  }

  depends_on = [time_sleep.alerted_metrics_exist]
}

resource "google_monitoring_alert_policy" "domain_slo_burn" {
  for_each = local.domain_slo_alerts

  project               = var.project_id
  display_name          = "${var.name_prefix}: ${each.value.slo} SLO ${each.value.window} burn"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels
  user_labels           = merge(local.labels, { domain = local.domain_slos[each.value.slo].domain })

  conditions {
    display_name = "${each.value.slo}: ${each.value.what}"
    condition_threshold {
      # An SLO condition uses only the filter: a time-series selector, no aggregations
      # (https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/api/create-policy-api).
      filter          = "select_slo_burn_rate(\"${google_monitoring_slo.domain[each.value.slo].name}\", \"${each.value.lookback}\")"
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = "0s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "Domain ${local.domain_slos[each.value.slo].domain} is spending its ${local.domain_slos[each.value.slo].sli} error budget ${each.value.threshold}x faster than its objective allows. `./medallion status` shows each domain's SLI, error budget left and burn rate from the run ledger; freshness: which sources built gold late or not at all; quality: `ops.dq_results`."
  }
}
