[
  {
    "name": "hour_started_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "The hour (UTC) the transactions were made in, at its start."
  },
  {
    "name": "merchant",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The merchant."
  },
  {
    "name": "currency",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Amounts are summed per currency, never across."
  },
  {
    "name": "transaction_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Transactions of any status."
  },
  {
    "name": "authorized_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Those authorized."
  },
  {
    "name": "declined_count",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Those declined."
  },
  {
    "name": "authorized_amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "The exact sum of the authorized amounts (0 when none)."
  }
]
