[
  {
    "name": "access_key",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "The invoice's access key."
  },
  {
    "name": "item_number",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "nItem, from 1."
  },
  {
    "name": "issuer_cnpj",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "emit.CNPJ."
  },
  {
    "name": "issued_on",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "The invoice's day, Brasília time."
  },
  {
    "name": "product_code",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "cProd."
  },
  {
    "name": "description",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "xProd."
  },
  {
    "name": "ncm",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "NCM."
  },
  {
    "name": "cfop",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "CFOP."
  },
  {
    "name": "unit",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "uCom."
  },
  {
    "name": "quantity",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "qCom, up to 4 decimals."
  },
  {
    "name": "unit_price",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "vUnCom."
  },
  {
    "name": "total_amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "vProd: quantity x unit price, rounded half-even to the cent."
  },
  {
    "name": "icms_rate",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "pICMS, percent."
  },
  {
    "name": "icms_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "vICMS."
  },
  {
    "name": "pis_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "vPIS."
  },
  {
    "name": "cofins_amount",
    "type": "NUMERIC",
    "mode": "NULLABLE",
    "description": "vCOFINS."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: the run that loaded the invoice read."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "Lineage: when the bronze object of the line's invoice was written (which of two loads of an invoice is newer)."
  }
]
