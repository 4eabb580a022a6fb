[
  {
    "name": "country",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "state_province",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "brewery_type",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "brewery_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "share_of_country",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "brewery_count over all breweries of the country, rounded to 4 places."
  },
  {
    "name": "share_of_total",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "brewery_count over all breweries, rounded to 4 places."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The run whose gold build last rebuilt the table."
  },
  {
    "name": "_as_of",
    "type": "TIMESTAMP",
    "mode": "NULLABLE",
    "description": "When that build started."
  }
]
