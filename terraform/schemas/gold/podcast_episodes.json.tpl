[
  {
    "name": "episode_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Spotify ID of the episode."
  },
  {
    "name": "episode_name",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "show_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The show it was read for."
  },
  {
    "name": "show_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "NULL when the show is not in dim_podcast_shows (checked by podcast_episodes_have_a_show)."
  },
  {
    "name": "description",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "duration_ms",
    "type": "INT64",
    "mode": "NULLABLE"
  },
  {
    "name": "is_explicit",
    "type": "BOOL",
    "mode": "NULLABLE"
  },
  {
    "name": "language",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "release_date",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "1981, 1981-12 or 1981-12-15: as precise as release_date_precision says."
  },
  {
    "name": "release_date_precision",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "year, month or day."
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
    "description": "The run that loaded the episode's latest silver row."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When that row's bronze object was written."
  }
]
