[
  {
    "name": "transaction_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "One row per transaction: the latest message of an id when Pub/Sub wrote it twice."
  },
  {
    "name": "account_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The card account. Masked in silver: all but its last four characters are *.",
    "policyTags": {
      "names": [
        ${jsonencode(policy_tags["account_number"])}
      ]
    }
  },
  {
    "name": "merchant",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The merchant."
  },
  {
    "name": "amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "The amount, exact."
  },
  {
    "name": "currency",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "ISO 4217 code."
  },
  {
    "name": "transacted_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "When the card was used."
  },
  {
    "name": "status",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "authorized, declined or reversed."
  },
  {
    "name": "published_at",
    "type": "TIMESTAMP",
    "mode": "NULLABLE",
    "description": "When the kept message was published."
  }
]
