[
  {
    "name": "issue_id",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "GitHub's id of the issue (API field id)."
  },
  {
    "name": "number",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "The issue's number in its repository."
  },
  {
    "name": "title",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its title."
  },
  {
    "name": "state",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "open or closed, lowercased."
  },
  {
    "name": "state_reason",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "completed, not_planned, reopened or NULL, lowercased."
  },
  {
    "name": "user_login",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "user.login: who opened it.",
    "policyTags": {
      "names": [
        ${jsonencode(policy_tags["person_name"])}
      ]
    }
  },
  {
    "name": "label_names",
    "type": "STRING",
    "mode": "REPEATED",
    "description": "labels[].name: its labels."
  },
  {
    "name": "comments",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "How many comments it has."
  },
  {
    "name": "pull_request_url",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "pull_request.url: set when the issue is a pull request."
  },
  {
    "name": "created_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When it was opened."
  },
  {
    "name": "updated_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When it last changed: the incremental cursor."
  },
  {
    "name": "closed_at",
    "type": "TIMESTAMP",
    "mode": "NULLABLE",
    "description": "When it was closed, NULL while open."
  },
  {
    "name": "html_url",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its page on github.com."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: the run that loaded the row (run id, or drop-... for a dropped file)."
  },
  {
    "name": "_source_uri",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: gs:// URI of the bronze object the record came from."
  },
  {
    "name": "_source_generation",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Lineage: generation of that bronze object."
  },
  {
    "name": "_source_record",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Lineage: 0-based position of the record in that object."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "Lineage: creation time of the bronze object (deterministic across retries)."
  },
  {
    "name": "_extra",
    "type": "JSON",
    "mode": "NULLABLE",
    "description": "Fields of the record that no column reads and the source does not drop, by path (items[2].discount), as they came; NULL when there are none."
  }
]
