[
  {
    "name": "signal",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The channel's signal."
  },
  {
    "name": "broadcast_date",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "A day the signal has advertising time for sale."
  },
  {
    "name": "program_code",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "A program shown on that signal on the same weekday before that day."
  },
  {
    "name": "program_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its name at its latest of those exhibitions."
  },
  {
    "name": "expected_audience",
    "type": "FLOAT64",
    "mode": "REQUIRED",
    "description": "The median average audience of its last four exhibitions on that weekday before that day (of those there are, when fewer)."
  },
  {
    "name": "exhibitions",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "How many exhibitions the median is of: 1 to 4."
  },
  {
    "name": "last_exhibition_date",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "The latest of them."
  },
  {
    "name": "available_seconds",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "The signal's advertising time for sale that day, in seconds."
  }
]
