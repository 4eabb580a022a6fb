terraform {
  # 1.9 for variable validations that refer to another variable (bigquery_location checks region).
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x: build_config.service_account on gen2 functions, PromQL alert conditions.
      version = ">= 6.0.0, < 7.0.0"
    }
    # Only for google_project_service_identity (iam.tf), which the google provider does not have:
    # it creates the Pub/Sub service agent before anything is granted to it.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = ">= 6.0.0, < 7.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
    # time_sleep: waits for IAM grants and new metric types to propagate (iam.tf, observability.tf).
    time = {
      source  = "hashicorp/time"
      version = ">= 0.9.0, < 1.0.0"
    }
  }

  # State: local by default. For a team or Cloud Build, keep it in a bucket: see the README,
  # "Keep the state in a bucket" (a backend.tf with backend "gcs", or -backend-config).
}

provider "google" {
  project = var.project_id
  region  = var.region
}

provider "google-beta" {
  project = var.project_id
  region  = var.region
}
