[
  {
    "name": "show_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Spotify ID of the show (API field id)."
  },
  {
    "name": "name",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The show's name."
  },
  {
    "name": "publisher",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its publisher."
  },
  {
    "name": "description",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Plain-text description (HTML removed by Spotify)."
  },
  {
    "name": "media_type",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "audio, video or mixed, lowercased."
  },
  {
    "name": "explicit",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "Whether it has explicit content (false: no, or unknown)."
  },
  {
    "name": "total_episodes",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "Episodes the show has, as Spotify counts them."
  },
  {
    "name": "languages",
    "type": "STRING",
    "mode": "REPEATED",
    "description": "Languages (ISO 639) the show is in."
  },
  {
    "name": "spotify_url",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "external_urls.spotify: the show's page."
  },
  {
    "name": "uri",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "spotify:show:<id>."
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
