[
  {
    "name": "brewery_id",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "name",
    "type": "STRING",
    "mode": "REQUIRED"
  },
  {
    "name": "brewery_type",
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
    "name": "country",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "website_url",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "longitude",
    "type": "FLOAT64",
    "mode": "NULLABLE"
  },
  {
    "name": "latitude",
    "type": "FLOAT64",
    "mode": "NULLABLE"
  },
  {
    "name": "has_website",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "website_url is present."
  },
  {
    "name": "has_coordinates",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "Both latitude and longitude are present."
  },
  {
    "name": "is_closed",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "brewery_type is closed."
  },
  {
    "name": "is_known_type",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "brewery_type is one of the types Open Brewery DB documents."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: run of the silver row this row comes from."
  },
  {
    "name": "_source_uri",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: bronze object of that row."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "Lineage: when that bronze object was written."
  }
]
