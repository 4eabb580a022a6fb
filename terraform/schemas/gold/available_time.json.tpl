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
    "description": "The day."
  },
  {
    "name": "available_seconds",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Advertising time for sale that day, in seconds (more than 0)."
  }
]
