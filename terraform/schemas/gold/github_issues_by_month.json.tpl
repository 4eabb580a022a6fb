[
  {
    "name": "month",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "YYYY-MM, UTC."
  },
  {
    "name": "opened_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Issues created in the month."
  },
  {
    "name": "closed_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Issues closed in the month."
  },
  {
    "name": "still_open_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Of those created in the month, how many are open."
  },
  {
    "name": "median_days_to_close",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "Median days_to_close of the closed issues created in the month; NULL when none is closed."
  }
]
