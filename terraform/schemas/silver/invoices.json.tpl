[
  {
    "name": "access_key",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "chNFe: the 44-digit access key (cUF, AAMM, issuer CNPJ, model, series, number, emission type, code, mod-11 check digit)."
  },
  {
    "name": "number",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "nNF: the invoice number within the issuer's series."
  },
  {
    "name": "series",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "serie: the issuer's series."
  },
  {
    "name": "model",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "mod: 55 for an NF-e."
  },
  {
    "name": "issued_at",
    "type": "TIMESTAMP",
    "mode": "REQUIRED",
    "description": "dhEmi: when it was issued (sent with its offset, -03:00)."
  },
  {
    "name": "operation",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "natOp: the nature of the operation (Venda de mercadoria, ...)."
  },
  {
    "name": "issuer",
    "type": "RECORD",
    "mode": "REQUIRED",
    "description": "emit: who issued it.",
    "fields": [
      {
        "name": "cnpj",
        "type": "STRING",
        "mode": "REQUIRED",
        "description": "CNPJ: 14 digits, two check digits."
      },
      {
        "name": "name",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "xNome: the company's legal name."
      },
      {
        "name": "trade_name",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "xFant: the name it trades under."
      },
      {
        "name": "state_registration",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "IE: the state tax registration."
      },
      {
        "name": "state",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "UF: the state, two letters."
      },
      {
        "name": "city",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "xMun: the city."
      }
    ]
  },
  {
    "name": "recipient",
    "type": "RECORD",
    "mode": "NULLABLE",
    "description": "dest: who bought, a company (cnpj) or a person (cpf).",
    "fields": [
      {
        "name": "cnpj",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "CNPJ of a company recipient."
      },
      {
        "name": "cpf",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "CPF of a person: 11 digits, two check digits.",
        "policyTags": {
          "names": [
            ${jsonencode(policy_tags["tax_id"])}
          ]
        }
      },
      {
        "name": "name",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "xNome.",
        "policyTags": {
          "names": [
            ${jsonencode(policy_tags["person_name"])}
          ]
        }
      },
      {
        "name": "state",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "UF."
      },
      {
        "name": "email",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "email.",
        "policyTags": {
          "names": [
            ${jsonencode(policy_tags["contact"])}
          ]
        }
      }
    ]
  },
  {
    "name": "items",
    "type": "RECORD",
    "mode": "REPEATED",
    "description": "det: the lines, 1 to 990 in an NF-e.",
    "fields": [
      {
        "name": "number",
        "type": "INT64",
        "mode": "REQUIRED",
        "description": "nItem: the line number, from 1."
      },
      {
        "name": "product_code",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "cProd: the issuer's product code."
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
        "description": "NCM: the Mercosur goods code, 8 digits."
      },
      {
        "name": "cfop",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "CFOP: the fiscal operation code, 4 digits."
      },
      {
        "name": "unit",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "uCom: the commercial unit (UN, KG, CX, ...)."
      },
      {
        "name": "quantity",
        "type": "NUMERIC",
        "mode": "REQUIRED",
        "precision": "15",
        "scale": "4",
        "description": "qCom: up to 4 decimals."
      },
      {
        "name": "unit_price",
        "type": "NUMERIC",
        "mode": "REQUIRED",
        "precision": "15",
        "scale": "2",
        "description": "vUnCom: the unit price."
      },
      {
        "name": "total",
        "type": "NUMERIC",
        "mode": "REQUIRED",
        "precision": "15",
        "scale": "2",
        "description": "vProd: quantity x unit price, rounded half-even to the cent."
      },
      {
        "name": "taxes",
        "type": "RECORD",
        "mode": "NULLABLE",
        "description": "imposto: the line's taxes.",
        "fields": [
          {
            "name": "icms",
            "type": "RECORD",
            "mode": "NULLABLE",
            "description": "ICMS: the state VAT on goods.",
            "fields": [
              {
                "name": "cst",
                "type": "STRING",
                "mode": "NULLABLE",
                "description": "CST: the tax situation code."
              },
              {
                "name": "rate",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "5",
                "scale": "2",
                "description": "pICMS: the rate in percent."
              },
              {
                "name": "base",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vBC: the amount the rate applies to."
              },
              {
                "name": "amount",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vICMS: the tax, base x rate / 100 rounded half-even to the cent."
              }
            ]
          },
          {
            "name": "pis",
            "type": "RECORD",
            "mode": "NULLABLE",
            "description": "PIS.",
            "fields": [
              {
                "name": "cst",
                "type": "STRING",
                "mode": "NULLABLE",
                "description": "CST: the tax situation code."
              },
              {
                "name": "rate",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "7",
                "scale": "4",
                "description": "pPIS: the rate in percent."
              },
              {
                "name": "base",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vBC: the amount the rate applies to."
              },
              {
                "name": "amount",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vPIS: the tax, base x rate / 100 rounded half-even to the cent."
              }
            ]
          },
          {
            "name": "cofins",
            "type": "RECORD",
            "mode": "NULLABLE",
            "description": "COFINS.",
            "fields": [
              {
                "name": "cst",
                "type": "STRING",
                "mode": "NULLABLE",
                "description": "CST: the tax situation code."
              },
              {
                "name": "rate",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "7",
                "scale": "4",
                "description": "pCOFINS: the rate in percent."
              },
              {
                "name": "base",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vBC: the amount the rate applies to."
              },
              {
                "name": "amount",
                "type": "NUMERIC",
                "mode": "NULLABLE",
                "precision": "15",
                "scale": "2",
                "description": "vCOFINS: the tax, base x rate / 100 rounded half-even to the cent."
              }
            ]
          }
        ]
      }
    ]
  },
  {
    "name": "totals",
    "type": "RECORD",
    "mode": "REQUIRED",
    "description": "total.ICMSTot: the invoice's totals.",
    "fields": [
      {
        "name": "products",
        "type": "NUMERIC",
        "mode": "REQUIRED",
        "precision": "15",
        "scale": "2",
        "description": "vProd: the sum of the lines' totals."
      },
      {
        "name": "icms_base",
        "type": "NUMERIC",
        "mode": "NULLABLE",
        "precision": "15",
        "scale": "2",
        "description": "vBC: the sum of the lines' ICMS bases."
      },
      {
        "name": "icms",
        "type": "NUMERIC",
        "mode": "NULLABLE",
        "precision": "15",
        "scale": "2",
        "description": "vICMS: the sum of the lines' ICMS."
      },
      {
        "name": "pis",
        "type": "NUMERIC",
        "mode": "NULLABLE",
        "precision": "15",
        "scale": "2",
        "description": "vPIS."
      },
      {
        "name": "cofins",
        "type": "NUMERIC",
        "mode": "NULLABLE",
        "precision": "15",
        "scale": "2",
        "description": "vCOFINS."
      },
      {
        "name": "total",
        "type": "NUMERIC",
        "mode": "REQUIRED",
        "precision": "15",
        "scale": "2",
        "description": "vNF: what the invoice is for (here the products: no freight, insurance, discount or IPI)."
      }
    ]
  },
  {
    "name": "protocol",
    "type": "RECORD",
    "mode": "NULLABLE",
    "description": "protNFe: the state tax authority's (SEFAZ) authorization of the invoice.",
    "fields": [
      {
        "name": "number",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "nProt: the authorization protocol's number, 15 digits."
      },
      {
        "name": "authorized_at",
        "type": "TIMESTAMP",
        "mode": "NULLABLE",
        "description": "dhRecbto: when it was authorized."
      },
      {
        "name": "status",
        "type": "INT64",
        "mode": "NULLABLE",
        "description": "cStat: 100 when the use of the NF-e is authorized."
      },
      {
        "name": "reason",
        "type": "STRING",
        "mode": "NULLABLE",
        "description": "xMotivo: the status in words."
      }
    ]
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
