[
  {
    "name": "term",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The brand term, lower case."
  },
  {
    "name": "episode_id",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "episode_name",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "show_id",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "show_name",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "release_date",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "is_in_name",
    "type": "BOOL",
    "mode": "REQUIRED",
    "description": "The term is in the episode's name (case-insensitive)."
  },
  {
    "name": "is_in_description",
    "type": "BOOL",
    "mode": "REQUIRED",
    "description": "The term is in its description (case-insensitive)."
  }
]
