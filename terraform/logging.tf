# BigQuery job completions to the bq-jobs topic, for gold. Only DONE load (IMPORT) jobs that
# silver labelled (io.medallion.port.Labels: pipeline=medallion, layer=silver) pass, so gold is
# invoked once per silver load and never by its own query jobs; failed loads pass too (DONE with
# an error) and gold records them. BigQuery writes these data_access audit entries by default.
resource "google_logging_project_sink" "bq_jobs" {
  name                   = "${var.name_prefix}-bq-jobs"
  description            = "Silver load-job completions (BigQueryAuditMetadata) to the bq-jobs topic."
  destination            = "pubsub.googleapis.com/${google_pubsub_topic.bq_jobs.id}"
  unique_writer_identity = true
  filter                 = <<-EOT
    resource.type="bigquery_project"
    logName="projects/${var.project_id}/logs/cloudaudit.googleapis.com%2Fdata_access"
    protoPayload.metadata.jobChange.after="DONE"
    protoPayload.metadata.jobChange.job.jobConfig.type="IMPORT"
    protoPayload.metadata.jobChange.job.jobConfig.labels.pipeline="medallion"
    protoPayload.metadata.jobChange.job.jobConfig.labels.layer="silver"
  EOT
}

resource "google_pubsub_topic_iam_member" "sink_publishes" {
  topic  = google_pubsub_topic.bq_jobs.id
  role   = "roles/pubsub.publisher"
  member = google_logging_project_sink.bq_jobs.writer_identity
}

# One point per successful gold run (GoldStep logs "gold RUN_ID: N models, M rows" at INFO when
# every model ran; a gen2 function's Cloud Run service has the function's name): the freshness
# alert in monitoring.tf watches it.
resource "google_logging_metric" "gold_runs_succeeded" {
  name        = "${local.dataset_prefix}_gold_runs_succeeded"
  description = "Gold runs that ran every model (medallion ${var.name_prefix})."
  filter      = <<-EOT
    resource.type="cloud_run_revision"
    resource.labels.service_name="${google_cloudfunctions2_function.function["gold"].name}"
    severity=INFO
    jsonPayload.message=~"^gold [^ ]+: [0-9]+ models, [0-9]+ rows$"
  EOT

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
    labels {
      key         = "source"
      value_type  = "STRING"
      description = "The source whose gold was built (a label may be added to a log-based metric, never removed)."
    }
  }
  label_extractors = {
    "source" = "EXTRACT(labels.source)"
  }
}
