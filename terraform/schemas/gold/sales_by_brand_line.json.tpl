[
  {
    "name": "id_marca",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "The brand's id."
  },
  {
    "name": "marca",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The brand's name."
  },
  {
    "name": "id_linha",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "The product line's id."
  },
  {
    "name": "linha",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The product line's name."
  },
  {
    "name": "qtd_venda",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Units sold: the sum of QTD_VENDA."
  }
]
