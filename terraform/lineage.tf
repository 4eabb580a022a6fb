# Lineage: the functions that run the pipeline's steps (ingest, silver, gold) send an OpenLineage
# run event per step and gold model to Dataplex's Data Lineage API (common/gcp
# io.medallion.gcp.lineage.DataLineageApiSink, method projects.locations.processOpenLineageRunEvent:
# https://cloud.google.com/dataplex/docs/reference/data-lineage/rest/v1/projects.locations/processOpenLineageRunEvent).
# Lineage never fails a run: an event the API refuses is logged and counted, and the run goes on.

variable "lineage_location" {
  type        = string
  default     = null
  description = "Where the Data Lineage API records the pipeline's lineage (a region such as us-central1, or us / eu). Default: the BigQuery location in lower case, where BigQuery's own lineage of the same tables is."

  validation {
    condition     = var.lineage_location == null || can(regex("^[a-z][a-z0-9-]{1,40}$", var.lineage_location))
    error_message = "lineage_location is a Data Lineage location in lower case, such as us, eu or europe-west1."
  }
}

locals {
  lineage_location = coalesce(var.lineage_location, lower(var.bigquery_location))
  # The functions whose code emits lineage (io.medallion.lineage.StepLineage): each one's own
  # service account gets the producer role (LineageTerraformTest checks the set against the code).
  lineage_emitters = toset(["ingest", "silver", "gold"])
}

resource "google_project_service" "datalineage" {
  project            = var.project_id
  service            = "datalineage.googleapis.com"
  disable_on_destroy = false
}

# Data Lineage Events Producer: "Grants access to creating all resources in Data Lineage API",
# which ProcessOpenLineageRunEvent needs (it creates the process, the run and the lineage events):
# https://cloud.google.com/iam/docs/roles-permissions/datalineage. Project-level: lineage resources
# live under projects/<p>/locations/<l>, there is no narrower place to grant it.
resource "google_project_iam_member" "lineage_producer" {
  for_each = local.lineage_emitters

  project = var.project_id
  role    = "roles/datalineage.producer"
  member  = google_service_account.function[each.key].member

  depends_on = [google_project_service.datalineage]
}
