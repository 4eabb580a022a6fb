[
  {
    "name": "year",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "The year of the sales day."
  },
  {
    "name": "month",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Its month, 1 to 12."
  },
  {
    "name": "qtd_venda",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "Units sold: the sum of QTD_VENDA."
  }
]
