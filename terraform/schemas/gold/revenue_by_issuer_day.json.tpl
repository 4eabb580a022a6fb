[
  {
    "name": "issued_on",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "The day, Brasília time."
  },
  {
    "name": "issuer_cnpj",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The issuer."
  },
  {
    "name": "issuer_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Its name."
  },
  {
    "name": "invoice_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Invoices it issued that day."
  },
  {
    "name": "item_count",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "Their lines."
  },
  {
    "name": "revenue_amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "The sum of their totals (vNF), exact."
  },
  {
    "name": "icms_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "ICMS on them."
  },
  {
    "name": "pis_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "PIS."
  },
  {
    "name": "cofins_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "COFINS."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The run whose gold build last recomputed the row."
  },
  {
    "name": "_as_of",
    "type": "TIMESTAMP",
    "mode": "NULLABLE",
    "description": "When that build started."
  }
]
