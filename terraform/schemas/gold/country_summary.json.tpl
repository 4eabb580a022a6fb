[
  {
    "name": "country",
    "type": "STRING",
    "mode": "NULLABLE"
  },
  {
    "name": "brewery_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "open_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Breweries not closed."
  },
  {
    "name": "closed_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "with_website_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "with_coordinates_count",
    "type": "INT64",
    "mode": "REQUIRED"
  },
  {
    "name": "website_share",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "with_website_count over brewery_count, rounded to 4 places."
  },
  {
    "name": "coordinates_share",
    "type": "FLOAT64",
    "mode": "NULLABLE",
    "description": "with_coordinates_count over brewery_count, rounded to 4 places."
  },
  {
    "name": "country_rank",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "1 = most breweries; ties share a rank."
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
