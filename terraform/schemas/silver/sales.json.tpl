[
  {
    "name": "id_marca",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "ID_MARCA: the brand's id."
  },
  {
    "name": "marca",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "MARCA: the brand's name."
  },
  {
    "name": "id_linha",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "ID_LINHA: the product line's id (unique across brands)."
  },
  {
    "name": "linha",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "LINHA: the product line's name (two brands may have lines of the same name)."
  },
  {
    "name": "data_venda",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "DATA_VENDA: the day of the sales (an Excel date cell)."
  },
  {
    "name": "qtd_venda",
    "type": "INT64",
    "mode": "REQUIRED",
    "description": "QTD_VENDA: units sold that day of that line."
  },
  {
    "name": "_file_key",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The logical key of the file the row came from (file.key: its year); a later file of the same key replaces these rows."
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
