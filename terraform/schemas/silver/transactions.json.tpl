[
  {
    "name": "transaction_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The processor's id of the transaction; a retried push or a redelivered message may write it twice (gold keeps one)."
  },
  {
    "name": "account_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The card account.",
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
    "description": "The merchant's name as the processor sends it."
  },
  {
    "name": "amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "precision": "18",
    "scale": "2",
    "description": "The amount in the currency's units, exact (two decimals)."
  },
  {
    "name": "currency",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "ISO 4217 code (BRL, USD, EUR)."
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
    "name": "subscription_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "Written by the Pub/Sub BigQuery subscription (write_metadata): the subscription that wrote the row."
  },
  {
    "name": "message_id",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "write_metadata: the Pub/Sub message id (one record per message)."
  },
  {
    "name": "publish_time",
    "type": "TIMESTAMP",
    "mode": "NULLABLE",
    "description": "write_metadata: when the webhook published the record."
  },
  {
    "name": "attributes",
    "type": "JSON",
    "mode": "NULLABLE",
    "description": "write_metadata: the message's attributes (source, received_at, idempotency_key)."
  }
]
