# The query API over gold (functions/api): an HTTP function that reads the published gold tables,
# fronted by API Gateway, which checks API keys and a per-key quota and is the only principal
# allowed to invoke the function. The gateway's configuration is api/openapi-gateway.json.tpl, the
# OpenAPI document the code generates from the declarations (GatewayDocument; regenerated and
# checked by GatewayDocumentIsCurrentTest), with the function's URL filled in here.
#
# API Gateway's resources are in the google-beta provider only (magic-modules
# mmv1/products/apigateway: min_version beta; https://github.com/GoogleCloudPlatform/magic-modules/pull/4066).

locals {
  # The function's entry point and deploy jar (`mvn package` builds it); its archive is uploaded
  # with the others (main.tf local.function_jars, storage.tf).
  api = {
    entry_point   = "io.medallion.api.ApiFunction"
    jar           = "../functions/api/target/medallion-api-deploy.jar"
    memory        = "512Mi"
    max_instances = 10
    # A request waits on BigQuery, not the CPU: one instance takes several (needs a whole CPU,
    # https://cloud.google.com/run/docs/about-concurrency).
    concurrency = 8
  }
  # The generated gateway document; templatefile fills ${backend_url} with the function's URL.
  api_gateway_document = "${path.module}/api/openapi-gateway.json.tpl"
  # The environment variable the function reads its page-token signing key from.
  api_token_key_env = "MEDALLION_API_TOKEN_KEY"
}

# API Gateway itself, and Service Management and Service Control, through which every call is
# checked (API keys, quota) and which host the API's managed service
# (https://docs.cloud.google.com/api-gateway/docs/secure-traffic-gcloud).
resource "google_project_service" "api_gateway" {
  for_each = toset([
    "apigateway.googleapis.com",
    "servicecontrol.googleapis.com",
    "servicemanagement.googleapis.com",
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

# The function's identity: reads the gold dataset and runs query jobs; nothing else.
resource "google_service_account" "api" {
  account_id   = "${var.name_prefix}-api"
  display_name = "medallion query API function"
  description  = "Runs ${local.api.entry_point}."

  depends_on = [google_project_service.apis]
}

# The gateway's identity: API Gateway signs the ID token it sends the function as this account
# (gateway_config.backend_config below), and only it may invoke the function.
resource "google_service_account" "gateway" {
  account_id   = "${var.name_prefix}-gateway"
  display_name = "medallion API Gateway"
  description  = "Invokes the query API function on behalf of API Gateway."

  depends_on = [google_project_service.apis]
}

# The page-token signing key (base64 of at least 32 random bytes): the container only, like the
# sources' secrets; its value is added by a person before the function is first deployed
# (README: Query API), so it is never in Terraform's state.
resource "google_secret_manager_secret" "api_token_key" {
  secret_id = "${var.name_prefix}-api-token-key"
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "api_reads_token_key" {
  secret_id = google_secret_manager_secret.api_token_key.id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.api.member
}

# Reads (tables.getData, tables.get for the last change) on the gold datasets only: each domain's.
resource "google_bigquery_dataset_iam_member" "api_reads_gold" {
  for_each   = { for k, d in local.domain_datasets : k => d if d.layer == "gold" }
  dataset_id = google_bigquery_dataset.domain[each.key].dataset_id
  role       = "roles/bigquery.dataViewer"
  member     = google_service_account.api.member
}

# Each request is a query job; BigQuery has no narrower place to allow creating jobs.
resource "google_project_iam_member" "api_runs_jobs" {
  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = google_service_account.api.member
}

# The API function. Ingress is ALLOW_ALL because API Gateway is not among the sources Cloud Run's
# "internal" ingress admits (https://cloud.google.com/run/docs/securing/ingress: same-project VPC,
# internal load balancers, Scheduler, Tasks, Eventarc, Pub/Sub, Workflows, BigQuery): what keeps
# everyone but the gateway out is IAM, roles/run.invoker granted to the gateway's account alone.
resource "google_cloudfunctions2_function" "api" {
  name        = "${var.name_prefix}-api"
  location    = var.region
  description = "medallion query API (${local.api.entry_point})"
  labels      = merge(local.labels, { function = "api" })

  build_config {
    runtime         = var.java_runtime
    entry_point     = local.api.entry_point
    service_account = google_service_account.build.id
    source {
      storage_source {
        bucket = google_storage_bucket.function_source.name
        object = google_storage_bucket_object.function_source["api"].name
      }
    }
  }

  service_config {
    available_memory                 = local.api.memory
    available_cpu                    = "1"
    timeout_seconds                  = 60
    min_instance_count               = 0
    max_instance_count               = local.api.max_instances
    max_instance_request_concurrency = local.api.concurrency
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.api.email
    environment_variables            = local.function_env

    # A revision cannot start on a secret without a version: add one before the first apply
    # creates this function (README: Query API).
    secret_environment_variables {
      key        = local.api_token_key_env
      project_id = var.project_id
      secret     = google_secret_manager_secret.api_token_key.secret_id
      version    = "latest"
    }
  }

  depends_on = [
    google_project_service.apis,
    time_sleep.build_grants_propagate,
    google_secret_manager_secret_iam_member.api_reads_token_key,
  ]
}

# Only the gateway may invoke the function (on its Cloud Run service, as webhook_callers in iam.tf
# explains); never a public member.
resource "google_cloud_run_v2_service_iam_member" "gateway_invokes_api" {
  location = var.region
  name     = google_cloudfunctions2_function.api.service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.gateway.member
}

resource "google_api_gateway_api" "api" {
  provider     = google-beta
  api_id       = "${var.name_prefix}-api"
  display_name = "medallion gold query API"
  labels       = local.labels

  depends_on = [google_project_service.api_gateway]
}

# An API config is immutable: a changed document is a new config (a fresh id from the prefix),
# created before the old one is destroyed so that the gateway always has one to serve.
resource "google_api_gateway_api_config" "api" {
  provider             = google-beta
  api                  = google_api_gateway_api.api.api_id
  api_config_id_prefix = "${var.name_prefix}-api-"
  labels               = local.labels

  openapi_documents {
    document {
      path = "openapi-gateway.json"
      contents = base64encode(templatefile(local.api_gateway_document, {
        backend_url = google_cloudfunctions2_function.api.service_config[0].uri
      }))
    }
  }

  # The identity whose ID token the gateway sends the function (audience: the backend's
  # jwtAudience, the function's URL).
  gateway_config {
    backend_config {
      google_service_account = google_service_account.gateway.email
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_api_gateway_gateway" "api" {
  provider     = google-beta
  region       = var.region
  gateway_id   = "${var.name_prefix}-api"
  display_name = "medallion gold query API"
  api_config   = google_api_gateway_api_config.api.id
  labels       = local.labels

  depends_on = [google_cloud_run_v2_service_iam_member.gateway_invokes_api]
}

# API keys are only accepted once the API's own managed service
# (<api>-<hash>.apigateway.<project>.cloud.goog) is enabled in the project
# (https://docs.cloud.google.com/api-gateway/docs/authenticate-api-keys: gcloud services enable
# MANAGED_SERVICE_NAME); the api resource exports that name as managed_service.
resource "google_project_service" "api_managed_service" {
  project = var.project_id
  service = google_api_gateway_api.api.managed_service

  depends_on = [google_api_gateway_gateway.api]
}
