[
  {
    "name": "signal",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "SINAL: the channel's signal (its broadcast feed, e.g. SP1)."
  },
  {
    "name": "program_code",
    "type": "STRING",
    "mode": "REQUIRED",
    "description": "COD_PROGRAMA: the program's code in the partner's grid."
  },
  {
    "name": "program_name",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "PROGRAMA: the program's name, accents as the partner writes them."
  },
  {
    "name": "exhibition_date",
    "type": "DATE",
    "mode": "REQUIRED",
    "description": "DATA_EXIBICAO: the day it was shown (dd/MM/yyyy in the file)."
  },
  {
    "name": "start_time",
    "type": "TIME",
    "mode": "REQUIRED",
    "description": "HORA_INICIO: when it started, local time."
  },
  {
    "name": "average_audience",
    "type": "FLOAT64",
    "mode": "REQUIRED",
    "description": "AUDIENCIA_MEDIA: its average audience, in rating points (decimal comma in the file)."
  },
  {
    "name": "_file_key",
    "type": "STRING",
    "mode": "NULLABLE",
    "description": "The logical key of the file the row came from (file.key: its date, yyyyMMdd); a later file of the same key replaces these rows."
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
