[
  {
    "name": "issue_id",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "GitHub's id of the issue."
  },
  {
    "name": "number",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Its number in the repository."
  },
  {
    "name": "title",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "state",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "open or closed."
  },
  {
    "name": "state_reason",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "completed, not_planned, reopened or NULL."
  },
  {
    "name": "user_login",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Who opened it.",
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
    "description": "Its labels."
  },
  {
    "name": "comments",
    "type": "INT64",
    "mode": "NULLABLE"
  },
  {
    "name": "created_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED"
  },
  {
    "name": "updated_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When the version kept here was last changed: the latest of all loads."
  },
  {
    "name": "closed_at",
    "type": "TIMESTAMP",
    "mode": "NULLABLE"
  },
  {
    "name": "is_closed",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "state is closed."
  },
  {
    "name": "days_to_close",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "Days from created_at to closed_at (whole seconds over 86400), NULL while open."
  },
  {
    "name": "html_url",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: run of the silver row this row comes from."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "Lineage: when that row's bronze object was written."
  }
]
