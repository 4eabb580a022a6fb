[
  {
    "name": "label",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "A label, or '(no label)' for issues without one."
  },
  {
    "name": "issue_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Issues with the label (pull requests left out)."
  },
  {
    "name": "open_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "closed_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "median_days_to_close",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "Median days_to_close of its closed issues (the mean of the two middle ones for an even count); NULL when none is closed."
  }
]
