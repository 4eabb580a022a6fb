variable "project_id" {
  type        = string
  description = "The GCP project to deploy into (it must exist, with billing enabled)."
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a GCP project id: 6-30 lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  type        = string
  description = "Region of the functions, buckets, scheduler job and Pub/Sub push endpoints."
  default     = "us-central1"
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a GCP region such as us-central1 or europe-west1."
  }
}

variable "bigquery_location" {
  type        = string
  description = "Location of the BigQuery datasets and jobs (US, EU or a region). Passed to the functions as MEDALLION_BQ_LOCATION."
  default     = "US"
  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{1,40}$", var.bigquery_location))
    error_message = "bigquery_location must be a BigQuery location such as US, EU or europe-west1."
  }
  # Silver's load jobs read the staging bucket, which is in var.region. BigQuery loads from a bucket
  # in the dataset's own region, or in a region its multi-region contains; only the US
  # multi-region loads from a bucket anywhere
  # (https://cloud.google.com/bigquery/docs/loading-data-cloud-storage-json#limitations).
  # The EU multi-region is data centers in EU member states: not London (europe-west2) or Zurich
  # (europe-west6).
  validation {
    condition = (
      upper(var.bigquery_location) == "US"
      || lower(var.bigquery_location) == var.region
      || (upper(var.bigquery_location) == "EU" && startswith(var.region, "europe-") && !contains(["europe-west2", "europe-west6"], var.region))
    )
    error_message = "bigquery_location must hold the buckets' region (var.region), as silver loads from them: the region itself (e.g. \"${var.region}\"), the multi-region that contains it (EU for an EU europe-* region), or US. ${var.bigquery_location} does not contain ${var.region}."
  }
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every resource name (buckets also get the project id, as bucket names are global). With the default, topics are named as the code's defaults: medallion-run-requests and so on."
  default     = "medallion"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "page_size" {
  type        = number
  description = "Records per API page for every source (MEDALLION_PAGE_SIZE); null: each source's declared page size."
  default     = null
  validation {
    condition     = var.page_size == null ? true : var.page_size >= 1 && var.page_size <= 200 && floor(var.page_size) == var.page_size
    error_message = "page_size must be a whole number from 1 to 200."
  }
}

variable "java_runtime" {
  type        = string
  description = "Cloud Run functions Java runtime."
  default     = "java17"
  validation {
    condition     = contains(["java17", "java21"], var.java_runtime)
    error_message = "java_runtime must be java17 or java21."
  }
}

variable "java_tool_options" {
  type        = string
  description = "JVM options of the functions (JAVA_TOOL_OPTIONS): C1 only and the serial collector shorten a cold start of these short-lived, one-request-at-a-time instances (measured by medallion bench); empty for the JVM's defaults."
  default     = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}

variable "max_delivery_attempts" {
  type        = number
  description = "Deliveries of a message to a function before Pub/Sub moves it to the dead-letter topic."
  default     = 5
  validation {
    condition     = var.max_delivery_attempts >= 5 && var.max_delivery_attempts <= 100
    error_message = "max_delivery_attempts must be 5..100 (Pub/Sub's limits)."
  }
}

variable "dead_letter_retention_days" {
  type        = number
  description = "How long the dead-letters subscription keeps a message nobody acknowledged (Pub/Sub allows up to 31 days)."
  default     = 31
  validation {
    condition     = var.dead_letter_retention_days >= 1 && var.dead_letter_retention_days <= 31
    error_message = "dead_letter_retention_days must be 1..31."
  }
}

variable "bronze_nearline_after_days" {
  type        = number
  description = "Age after which bronze objects move to the Nearline storage class (raw pages are rarely read again after silver)."
  default     = 30
  validation {
    condition     = var.bronze_nearline_after_days >= 1
    error_message = "bronze_nearline_after_days must be at least 1."
  }
}

variable "bronze_noncurrent_days" {
  type        = number
  description = "Days a replaced or deleted bronze object version is kept (object versioning) before it is deleted."
  default     = 30
  validation {
    condition     = var.bronze_noncurrent_days >= 1
    error_message = "bronze_noncurrent_days must be at least 1."
  }
}

variable "staging_retention_days" {
  type        = number
  description = "Days staged silver rows and rejects are kept; resume reuses staged rows, and rejects are the record of what was refused."
  default     = 90
  validation {
    condition     = var.staging_retention_days >= 7
    error_message = "staging_retention_days must be at least 7, so that a failed run can still be resumed."
  }
}

variable "alert_notification_channels" {
  type        = list(string)
  description = "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) that every alert notifies. Empty: alerts open incidents in the console only."
  default     = []
  validation {
    condition     = alltrue([for c in var.alert_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[0-9]+$", c))])
    error_message = "Each alert_notification_channels entry must look like projects/PROJECT/notificationChannels/NUMBER."
  }
}

variable "freshness_hours" {
  type        = number
  description = "Alert when no gold run succeeded for this many hours (a daily schedule needs more than 24)."
  default     = 26
  validation {
    condition     = var.freshness_hours >= 1 && var.freshness_hours <= 168
    error_message = "freshness_hours must be 1..168."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete buckets that still hold objects and datasets that still hold tables. Keep false in production."
  default     = false
}
