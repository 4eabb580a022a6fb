[
  {
    "name": "brewery_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Open Brewery DB id (API field id)."
  },
  {
    "name": "name",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Brewery name, trimmed."
  },
  {
    "name": "brewery_type",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Type as the source gives it, lowercased (micro, brewpub, closed, ...); unknown types are kept."
  },
  {
    "name": "address_1",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Street address; empty strings become NULL."
  },
  {
    "name": "address_2",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "address_3",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "city",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "state_province",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "postal_code",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Kept as text: postal codes are not numbers."
  },
  {
    "name": "country",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "phone",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Kept as text."
  },
  {
    "name": "website_url",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "longitude",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "Degrees, -180..180; numbers given as strings are parsed."
  },
  {
    "name": "latitude",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "Degrees, -90..90; numbers given as strings are parsed."
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
