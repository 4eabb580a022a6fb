[
  {
    "name": "access_key",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "chNFe: the 44-digit access key, one row each."
  },
  {
    "name": "number",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "nNF."
  },
  {
    "name": "series",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "serie."
  },
  {
    "name": "issued_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "dhEmi, in UTC."
  },
  {
    "name": "issued_on",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "The day it was issued, in Brasília time (-03:00)."
  },
  {
    "name": "issuer_cnpj",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "emit.CNPJ."
  },
  {
    "name": "issuer_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "emit.xNome."
  },
  {
    "name": "issuer_state",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "emit UF."
  },
  {
    "name": "recipient_document",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "dest.CNPJ, or dest.CPF for a person. A CPF is the silver hash (HMAC-SHA256, hex) of the CPF, never the CPF itself; a CNPJ is in clear.",
    "policyTags": {
      "names": [
        ${jsonencode(policy_tags["tax_id"])}
      ]
    }
  },
  {
    "name": "is_recipient_company",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "Whether the recipient has a CNPJ."
  },
  {
    "name": "recipient_state",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "dest UF."
  },
  {
    "name": "is_interstate",
    "type": "BOOL",
    "mode": "NULLABLE",
    "description": "Whether the goods leave the issuer's state; NULL when a state is unknown."
  },
  {
    "name": "item_count",
    "type": "INT64",
    "mode": "NULLABLE",
    "description": "How many lines."
  },
  {
    "name": "products_amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "vProd: the sum of the lines, exact."
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
    "name": "total_amount",
    "type": "NUMERIC",
    "mode": "REQUIRED",
    "description": "vNF: what the invoice is for."
  },
  {
    "name": "_run_id",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "Lineage: the run that loaded the row read."
  },
  {
    "name": "_ingested_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "Lineage: when that row's bronze object was written."
  }
]
