[
  {
    "name": "show_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Spotify ID of the show."
  },
  {
    "name": "show_name",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "publisher",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "media_type",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "audio, video or mixed."
  },
  {
    "name": "is_explicit",
    "type": "BOOL",
    "mode": "NULLABLE"
  },
  {
    "name": "total_episodes",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "Episodes the show has, as Spotify counts them."
  },
  {
    "name": "episode_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Distinct episodes of the show in silver (0 when none)."
  },
  {
    "name": "latest_release_date",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The greatest release_date of its episodes, as text (1981, 1981-12 or 1981-12-15)."
  },
  {
    "name": "spotify_url",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The run that loaded the show's latest silver row."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When that row's bronze object was written."
  }
]
