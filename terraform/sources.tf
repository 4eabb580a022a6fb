# Everything per source comes from the declaration files (schemas/sources/<name>.json, the files the
# functions carry and read): adding a source edits no .tf file. Files named <name>.json with no
# other dot are declarations; <name>.generator.json and the like are local replay data.
locals {
  source_files = [for f in fileset("${path.module}/../schemas/sources", "*.json") : f if length(regexall("^[a-z][a-z0-9_]*\\.json$", f)) > 0]
  sources      = { for f in local.source_files : trimsuffix(f, ".json") => jsondecode(file("${path.module}/../schemas/sources/${f}")) }

  # A Cloud Scheduler job per source that declares a schedule (cron, UTC): a run request, or for a
  # stream source (stream_sources) a gold build request.
  scheduled_sources = { for name, s in local.sources : name => s.schedule if try(s.schedule, null) != null && try(s.push.mode, "files") != "stream" }

  # The secrets the sources' auth names ({"secret": "NAME"}), which ingest reads, and those that
  # sign pushes (push.secret), which the webhook reads: a Secret Manager secret each.
  auth_secrets = toset(flatten([
    for s in local.sources : [for field in ["api_key", "token", "username", "password", "client_id", "client_secret"] :
    s.client.auth[field].secret if can(s.client.auth[field].secret)]
  ]))
  push_secrets   = toset([for s in local.sources : s.push.secret.secret if can(s.push.secret.secret)])
  source_secrets = setunion(local.auth_secrets, local.push_secrets)

  # Who may call the webhook (roles/run.invoker on its Cloud Run service): the principals every
  # pushed source declares in push.callers, and nobody else.
  push_callers = toset(flatten([for s in local.sources : try(s.push.callers, []) if can(s.push)]))

  # A silver table per declared resource, keyed by table name, partitioned and clustered as its
  # silver.partition and silver.cluster declare, with the defaults Source.partitioning applies: by
  # _ingested_at, a partition a day, none expiring, clustered by silver.key. A stream table has no
  # load and so no _ingested_at: it is partitioned by the publish_time its subscription writes.
  silver_tables = merge([
    for name, s in local.sources : {
      for r in s.resources : r.silver.table => {
        source          = name
        domain          = s.domain
        key             = try(r.silver.key, null)
        partition       = try(r.silver.partition.column, try(s.push.mode, "files") == "stream" ? "publish_time" : "_ingested_at")
        granularity     = try(r.silver.partition.granularity, "DAY")
        expiration_days = try(r.silver.partition.expiration_days, null)
        expiration_ms   = try(r.silver.partition.expiration_days * 86400000, null)
        clustering      = try(r.silver.cluster, try(r.silver.key, null) == null ? [] : [r.silver.key])
      }
    }
  ]...)

  # Gold tables: every model of every source.
  gold_tables = distinct(flatten([for s in local.sources : s.gold.models]))

  # Domains (schemas/domains/<name>.json, the files io.medallion.domain.DomainDeclarations reads):
  # each owns its sources' tables, in a silver and a gold dataset of its own (Domain.dataset:
  # <layer>_<domain>), keyed here by that name.
  domain_files = [for f in fileset("${path.module}/../schemas/domains", "*.json") : f if length(regexall("^[a-z][a-z0-9_]*\\.json$", f)) > 0]
  domains      = { for f in local.domain_files : trimsuffix(f, ".json") => jsondecode(file("${path.module}/../schemas/domains/${f}")) }
  domain_datasets = merge([
    for name, d in local.domains : {
      for layer in ["silver", "gold"] : "${layer}_${name}" => {
        domain    = name
        layer     = layer
        owner     = d.owner.team
        consumers = try(d.consumers, [])
      }
    }
  ]...)
  # The domain of each gold table (its source's).
  gold_table_domains = merge([for name, s in local.sources : { for m in s.gold.models : m => s.domain }]...)
  # One read grant per domain dataset and declared consumer.
  consumer_grants = merge([
    for key, ds in local.domain_datasets : { for c in ds.consumers : "${key} ${c}" => { dataset = key, member = c } }
  ]...)

  # File sources (a files block instead of client): their inbox, archive and quarantine prefixes
  # in the bronze bucket, with the defaults SourceDeclarations applies.
  file_sources = {
    for name, s in local.sources : name => {
      inbox           = try(s.files.inbox, "${name}/inbox/")
      archive         = try(s.files.archive, "${name}/archive/")
      quarantine      = try(s.files.quarantine, "${name}/quarantine/")
      cold_after_days = try(s.files.archive_cold_after_days, 30)
      # Silver tables whose rows a later file of the same key replaces (gold runs the DELETE).
      keyed_tables = [for r in s.resources : r.silver.table if try(r.file.key, null) != null]
    } if can(s.files)
  }

  # Sources that take records pushed to the webhook (push): a topic each, batched into bronze
  # files by a Cloud Storage subscription. The prefix is where silver finds a drop of that resource.
  push_sources = {
    for name, s in local.sources : name => {
      prefix       = length(s.resources) > 1 ? "${name}/${try(s.push.resource, s.resources[0].name)}/pushed/" : "${name}/pushed/"
      max_duration = "${try(s.push.batch.max_seconds, 300)}s"
      max_bytes    = try(s.push.batch.max_bytes, 104857600)
    } if can(s.push)
  }

  # Sources pushed to in mode files: a collection every push.load_every_minutes (a divisor of 60)
  # loads what was pushed since the last in one load job per table, so pushes spend at most
  # 1440/n of the 1,500 load jobs a table may take a day, at any push rate.
  collected_sources = {
    for name, s in local.sources : name => {
      every  = try(s.push.load_every_minutes, 5)
      prefix = length(s.resources) > 1 ? "${name}/${try(s.push.resource, s.resources[0].name)}/pushed/" : "${name}/pushed/"
    } if can(s.push) && try(s.push.mode, "files") == "files"
  }

  # Pushed sources in mode files: their topic's Cloud Storage subscription writes bronze files.
  files_push_sources = { for name, p in local.push_sources : name => p if try(local.sources[name].push.mode, "files") == "files" }

  # Sources in stream mode (push-only): a Pub/Sub BigQuery subscription writes each pushed record
  # as a row of the silver table, rows BigQuery refuses go to the source's own dead-letter topic,
  # and gold runs on the source's schedule (a gold build request), since no load job completes.
  stream_sources = {
    for name, s in local.sources : name => {
      table               = [for r in s.resources : r.silver.table if r.name == try(s.push.resource, s.resources[0].name)][0]
      drop_unknown_fields = try([for r in s.resources : r.silver.unknown_fields if r.name == try(s.push.resource, s.resources[0].name)][0], "keep") == "drop"
      schedule            = try(s.schedule, null)
    } if try(s.push.mode, "files") == "stream"
  }
  gold_schedules = { for name, s in local.stream_sources : name => s.schedule if s.schedule != null }

  # Sources that promise gold every so many hours (gold.freshness_hours): an alert each.
  fresh_sources = { for name, s in local.sources : name => s.gold.freshness_hours if try(s.gold.freshness_hours, null) != null }
}

# The hands-off schedule: a run request (schemas/run-request.schema.json) of each source on
# run-requests, each an independent run.
resource "google_cloud_scheduler_job" "source" {
  for_each = local.scheduled_sources

  name        = "${var.name_prefix}-run-${replace(each.key, "_", "-")}"
  description = "Starts a medallion run of ${each.key} (${each.value}, UTC, as the declaration says)."
  region      = var.region
  schedule    = each.value
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.run_requests.id
    data       = base64encode(jsonencode({ source = each.key }))
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

# The collections of pushed files (schemas/run-request.schema.json, "pushed": true): each loads
# the batches the Cloud Storage subscription wrote since the last one, in one load job per table.
resource "google_cloud_scheduler_job" "collect_pushed" {
  for_each = local.collected_sources

  name        = "${var.name_prefix}-collect-${replace(each.key, "_", "-")}"
  description = "Loads the records pushed to ${each.key} every ${each.value.every} min (push.load_every_minutes)."
  region      = var.region
  schedule    = each.value.every == 60 ? "0 * * * *" : "*/${each.value.every} * * * *"
  time_zone   = "Etc/UTC"

  pubsub_target {
    topic_name = google_pubsub_topic.run_requests.id
    data       = base64encode("{\"source\":\"${each.key}\",\"pushed\":true}")
    attributes = {
      trigger = "scheduler"
    }
  }

  # A missed collection costs nothing: the next one takes what it would have.
  retry_config {
    retry_count = 0
  }

  depends_on = [google_project_service.apis]
}

# The secret containers only: their values are added by a person (gcloud secrets versions add
# NAME --data-file=-), never by Terraform, so no secret value is ever in the state.
resource "google_secret_manager_secret" "source" {
  for_each = local.source_secrets

  secret_id = each.value
  labels    = local.labels

  # auto {} is the provider 5+ form of the old automatic = true:
  # https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret#replication
  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

# Ingest reads the auth secrets, the webhook the push secrets, each only its own
# (roles/secretmanager.secretAccessor on each secret, not the project:
# https://cloud.google.com/secret-manager/docs/access-control).
resource "google_secret_manager_secret_iam_member" "ingest" {
  for_each = local.auth_secrets

  secret_id = google_secret_manager_secret.source[each.value].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function["ingest"].member
}

resource "google_secret_manager_secret_iam_member" "webhook" {
  for_each = local.push_secrets

  secret_id = google_secret_manager_secret.source[each.value].id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.webhook.member
}
