# Bronze: raw API pages and manifests, and files people drop in. Versioned, so an overwrite or a
# delete keeps the old bytes for bronze_noncurrent_days (the pipeline itself only ever creates).
resource "google_storage_bucket" "bronze" {
  name                        = "${var.project_id}-${var.name_prefix}-${local.buckets.bronze}"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { layer = "bronze" })

  versioning {
    enabled = true
  }

  # Raw pages are read once by silver and then only for reprocessing: cheaper storage after a month.
  lifecycle_rule {
    condition {
      age                   = var.bronze_nearline_after_days
      matches_storage_class = ["STANDARD"]
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  # A file source's archive: the dropped files, kept to be dropped again, go colder after the age
  # its declaration names (files.archive_cold_after_days). matches_prefix is the lifecycle
  # condition "object name prefixes" (https://cloud.google.com/storage/docs/lifecycle#matchesprefix-matchessuffix).
  dynamic "lifecycle_rule" {
    for_each = local.file_sources
    content {
      condition {
        age                   = lifecycle_rule.value.cold_after_days
        matches_prefix        = [lifecycle_rule.value.archive]
        matches_storage_class = ["STANDARD", "NEARLINE"]
      }
      action {
        type          = "SetStorageClass"
        storage_class = "COLDLINE"
      }
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = var.bronze_noncurrent_days
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# Silver staging: typed NDJSON the load job reads, rejects with their reasons, and the summary
# resume reuses. Not versioned (silver writes each object once); kept staging_retention_days.
resource "google_storage_bucket" "staging" {
  name                        = "${var.project_id}-${var.name_prefix}-${local.buckets.staging}"
  location                    = upper(var.region)
  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy
  labels                      = merge(local.labels, { layer = "silver" })

  lifecycle_rule {
    condition {
      age = var.staging_retention_days
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# The functions' source archives. Each archive is named by its content hash, so a new build is a
# new object and redeploys the function; no lifecycle rule, as a deleted archive would be
# re-uploaded and redeploy the function. Always force_destroy: it holds only build inputs.
resource "google_storage_bucket" "function_source" {
  name                        = "${var.project_id}-${var.name_prefix}-${local.buckets.function_source}"
  location                    = upper(var.region)
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  depends_on = [google_project_service.apis]
}

# A zip holding only the deploy jar: what Cloud Run functions builds a Java function from. The
# build is reproducible (project.build.outputTimestamp in the root pom: the same sources give the
# same jar bytes), archive_file zeroes the entry's time, and the entry's mode is fixed here, as it
# would otherwise be the jar file's (umask-dependent, so it differed between machines). Together:
# the same code gives the same output_sha256 on any machine, and only a changed jar is redeployed.
data "archive_file" "function" {
  for_each         = local.function_jars
  type             = "zip"
  source_file      = "${path.module}/${each.value}"
  output_path      = "${path.module}/.build/${var.name_prefix}-${each.key}.zip"
  output_file_mode = "0644"
}

resource "google_storage_bucket_object" "function_source" {
  for_each = local.function_jars
  name     = "${each.key}/${data.archive_file.function[each.key].output_sha256}.zip"
  bucket   = google_storage_bucket.function_source.name
  source   = data.archive_file.function[each.key].output_path
}

# Every finalized object in bronze is announced on the bronze-notifications topic; silver's push
# subscription delivers it (see pubsub.tf). Only finalize events: silver never reacts to deletes.
resource "google_storage_notification" "bronze_finalized" {
  bucket         = google_storage_bucket.bronze.name
  topic          = google_pubsub_topic.bronze_notifications.id
  payload_format = "JSON_API_V1"
  event_types    = ["OBJECT_FINALIZE"]

  depends_on = [google_pubsub_topic_iam_member.gcs_publishes_notifications]
}
