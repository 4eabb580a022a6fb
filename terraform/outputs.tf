output "bronze_bucket" {
  description = "Raw pages and manifests; a file copied here is processed on its own."
  value       = google_storage_bucket.bronze.name
}

output "staging_bucket" {
  description = "Staged silver rows and rejects (one reason each)."
  value       = google_storage_bucket.staging.name
}

output "topics" {
  description = "Pub/Sub topics by role."
  value = {
    run_requests         = google_pubsub_topic.run_requests.name
    bq_jobs              = google_pubsub_topic.bq_jobs.name
    dead_letters         = google_pubsub_topic.dead_letters.name
    bronze_notifications = google_pubsub_topic.bronze_notifications.name
  }
}

output "dead_letters_subscription" {
  description = "Pull it to read the dead letters."
  value       = google_pubsub_subscription.dead_letters_keep.name
}

output "datasets" {
  description = "BigQuery datasets: each domain's silver and gold (keyed <layer>_<domain>), and ops."
  value = merge({ for k, d in google_bigquery_dataset.domain : k => d.dataset_id }, {
    ops = google_bigquery_dataset.ops.dataset_id
  })
}

output "functions" {
  description = "Function name and URL (internal ingress: only the push subscriptions reach them)."
  value       = { for k, f in google_cloudfunctions2_function.function : k => { name = f.name, uri = f.service_config[0].uri } }
}

output "webhook" {
  description = "The webhook's URL: POST <uri>/v1/sources/<source>/records or /notify, with an ID token of a declared push.caller (gcloud auth print-identity-token)."
  value       = { name = google_cloudfunctions2_function.webhook.name, uri = google_cloudfunctions2_function.webhook.service_config[0].uri }
}

output "service_accounts" {
  description = "The functions' own service accounts, the push identity, the build identity, and the query API's and its gateway's."
  value = merge(
    { for k, sa in google_service_account.function : k => sa.email },
    { pusher = google_service_account.pusher.email, build = google_service_account.build.email },
    { api = google_service_account.api.email, gateway = google_service_account.gateway.email },
  )
}

output "scheduler_jobs" {
  description = "One per source with a schedule, by source. Run one now with: gcloud scheduler jobs run <name> --location=<region>."
  value       = { for name, job in google_cloud_scheduler_job.source : name => job.name }
}

output "start_a_run" {
  description = "Publishes a run request of every source, as a fan-out (or name one: {\"source\":\"breweries\"})."
  value       = "gcloud pubsub topics publish ${google_pubsub_topic.run_requests.name} --project=${var.project_id} --message='{\"sources\":[\"*\"]}'"
}

output "source_secrets" {
  description = "Secret Manager secrets the sources' auth names; add each value with: gcloud secrets versions add NAME --data-file=-."
  value       = sort([for s in google_secret_manager_secret.source : s.secret_id])
}

output "query_api" {
  description = "The query API: call https://<gateway_host>/v1 with an API key in the x-api-key header (README: Query API); the function itself answers only the gateway. The managed service is what an API key is restricted to."
  value = {
    gateway_host    = google_api_gateway_gateway.api.default_hostname
    managed_service = google_api_gateway_api.api.managed_service
    function        = google_cloudfunctions2_function.api.name
    token_key       = google_secret_manager_secret.api_token_key.secret_id
  }
}
