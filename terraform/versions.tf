terraform {
  # 1.5 for validation blocks that reference other variables' rules and for check blocks.
  required_version = ">= 1.5.0, < 2.0.0"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x: build_config.service_account on gen2 functions, PromQL alert conditions.
      version = ">= 6.0.0, < 7.0.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0, < 3.0.0"
    }
  }

  # State: local by default. For a team or Cloud Build, keep it in a bucket: see the README,
  # "Keep the state in a bucket" (a backend.tf with backend "gcs", or -backend-config).
}

provider "google" {
  project = var.project_id
  region  = var.region
}
