# The hands-off schedule: a run request (schemas/run-request.schema.json) on run-requests.
resource "google_cloud_scheduler_job" "daily_run" {
  name        = "${var.name_prefix}-run"
  description = "Starts a medallion run of ${var.source_name} (${var.schedule}, ${var.time_zone})."
  region      = var.region
  schedule    = var.schedule
  time_zone   = var.time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.run_requests.id
    data       = base64encode(jsonencode({ source = var.source_name }))
    attributes = {
      trigger = "scheduler"
    }
  }

  retry_config {
    retry_count          = 3
    min_backoff_duration = "10s"
    max_backoff_duration = "300s"
  }

  depends_on = [google_project_service.apis]
}
