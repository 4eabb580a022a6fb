[
  {
    "name": "episode_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Spotify ID of the episode (API field id)."
  },
  {
    "name": "name",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The episode's name."
  },
  {
    "name": "description",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Plain-text description."
  },
  {
    "name": "duration_ms",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "Length in milliseconds."
  },
  {
    "name": "explicit",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "Whether it has explicit content."
  },
  {
    "name": "language",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its language (deprecated by Spotify for languages, still sent)."
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
    "mode": "NULLABLE",
    "description": "external_urls.spotify: the episode's page."
  },
  {
    "name": "uri",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "spotify:episode:<id>."
  },
  {
    "name": "_parent_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The show the episode belongs to: the id of the show record it was read for."
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
