{
  "openapi": "3.0.3",
  "info": {
    "title": "medallion gold query API",
    "version": "1",
    "description": "Read-only routes over the gold tables the sources publish (gold.api in schemas/sources/<source>.json), generated from those declarations and the gold schemas. JSON or CSV (Accept), keyset pagination with opaque page tokens, ETag and Cache-Control from the table's last change."
  },
  "x-google-api-management": {
    "metrics": {
      "read_requests": {
        "displayName": "Read requests"
      }
    },
    "quota": {
      "read_requests": {
        "limits": {
          "read_requests_limit": {
            "metric": "read_requests",
            "values": 6000
          }
        }
      }
    },
    "backends": {
      "medallion_api": {
        "address": "${backend_url}",
        "jwtAudience": "${backend_url}",
        "pathTranslation": "APPEND_PATH_TO_ADDRESS",
        "deadline": 60.0
      }
    }
  },
  "security": [
    {
      "api_key": []
    }
  ],
  "paths": {
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "description": "The OpenAPI document of this API, generated from the declarations.",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.0 document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1": {
      "get": {
        "operationId": "index",
        "summary": "The published tables",
        "description": "Every gold table this API serves, with its list route.",
        "responses": {
          "200": {
            "description": "The published tables, by source then declaration order.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Index"
                }
              }
            }
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/audience/expected_audience": {
      "get": {
        "operationId": "list_audience_expected_audience",
        "summary": "List audience.expected_audience",
        "description": "Rows of the gold table expected_audience (source audience), filtered by equality on signal, broadcast_date, program_code, program_name and by period (from/to on broadcast_date), in pages ordered by order_by then the key (signal, broadcast_date, program_code).",
        "tags": [
          "audience"
        ],
        "parameters": [
          {
            "name": "signal",
            "in": "query",
            "required": false,
            "description": "Rows whose signal equals one of these values (repeat the parameter for a list: signal=a&signal=b). The channel's signal. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "broadcast_date",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date equals one of these values (repeat the parameter for a list: broadcast_date=a&broadcast_date=b). A day the signal has advertising time for sale. (DATE)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date"
              }
            }
          },
          {
            "name": "program_code",
            "in": "query",
            "required": false,
            "description": "Rows whose program_code equals one of these values (repeat the parameter for a list: program_code=a&program_code=b). A program shown on that signal on the same weekday before that day. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "program_name",
            "in": "query",
            "required": false,
            "description": "Rows whose program_name equals one of these values (repeat the parameter for a list: program_name=a&program_name=b). Its name at its latest of those exhibitions. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: signal, broadcast_date, program_code, program_name, expected_audience, exhibitions, last_exhibition_date, available_seconds.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "signal",
                  "broadcast_date",
                  "program_code",
                  "program_name",
                  "expected_audience",
                  "exhibitions",
                  "last_exhibition_date",
                  "available_seconds"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of broadcast_date, expected_audience, signal, program_code, prefixed with - for descending; the key (signal, broadcast_date, program_code) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "broadcast_date",
                  "-broadcast_date",
                  "expected_audience",
                  "-expected_audience",
                  "signal",
                  "-signal",
                  "program_code",
                  "-program_code"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/audience.expected_audience"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/audience/expected_audience/{signal}/{broadcast_date}/{program_code}": {
      "get": {
        "operationId": "get_audience_expected_audience",
        "summary": "Get one row of audience.expected_audience",
        "description": "The row of expected_audience whose key (signal, broadcast_date, program_code) has these values.",
        "tags": [
          "audience"
        ],
        "parameters": [
          {
            "name": "signal",
            "in": "path",
            "required": true,
            "description": "The row's signal. The channel's signal. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "broadcast_date",
            "in": "path",
            "required": true,
            "description": "The row's broadcast_date. A day the signal has advertising time for sale. (DATE)",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "program_code",
            "in": "path",
            "required": true,
            "description": "The row's program_code. A program shown on that signal on the same weekday before that day. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: signal, broadcast_date, program_code, program_name, expected_audience, exhibitions, last_exhibition_date, available_seconds.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "signal",
                  "broadcast_date",
                  "program_code",
                  "program_name",
                  "expected_audience",
                  "exhibitions",
                  "last_exhibition_date",
                  "available_seconds"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/audience.expected_audience"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/audience/available_time": {
      "get": {
        "operationId": "list_audience_available_time",
        "summary": "List audience.available_time",
        "description": "Rows of the gold table available_time (source audience), filtered by equality on signal, broadcast_date and by period (from/to on broadcast_date), in pages ordered by order_by then the key (signal, broadcast_date).",
        "tags": [
          "audience"
        ],
        "parameters": [
          {
            "name": "signal",
            "in": "query",
            "required": false,
            "description": "Rows whose signal equals one of these values (repeat the parameter for a list: signal=a&signal=b). The channel's signal. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "broadcast_date",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date equals one of these values (repeat the parameter for a list: broadcast_date=a&broadcast_date=b). The day. (DATE)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose broadcast_date is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: signal, broadcast_date, available_seconds.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "signal",
                  "broadcast_date",
                  "available_seconds"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of broadcast_date, available_seconds, signal, prefixed with - for descending; the key (signal, broadcast_date) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "broadcast_date",
                  "-broadcast_date",
                  "available_seconds",
                  "-available_seconds",
                  "signal",
                  "-signal"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/audience.available_time"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/audience/available_time/{signal}/{broadcast_date}": {
      "get": {
        "operationId": "get_audience_available_time",
        "summary": "Get one row of audience.available_time",
        "description": "The row of available_time whose key (signal, broadcast_date) has these values.",
        "tags": [
          "audience"
        ],
        "parameters": [
          {
            "name": "signal",
            "in": "path",
            "required": true,
            "description": "The row's signal. The channel's signal. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "broadcast_date",
            "in": "path",
            "required": true,
            "description": "The row's broadcast_date. The day. (DATE)",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: signal, broadcast_date, available_seconds.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "signal",
                  "broadcast_date",
                  "available_seconds"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/audience.available_time"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/breweries/dim_breweries": {
      "get": {
        "operationId": "list_breweries_dim_breweries",
        "summary": "List breweries.dim_breweries",
        "description": "Rows of the gold table dim_breweries (source breweries), filtered by equality on brewery_id, brewery_type, city, state_province, country, in pages ordered by order_by then the key (brewery_id).",
        "tags": [
          "breweries"
        ],
        "parameters": [
          {
            "name": "brewery_id",
            "in": "query",
            "required": false,
            "description": "Rows whose brewery_id equals one of these values (repeat the parameter for a list: brewery_id=a&brewery_id=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "brewery_type",
            "in": "query",
            "required": false,
            "description": "Rows whose brewery_type equals one of these values (repeat the parameter for a list: brewery_type=a&brewery_type=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "city",
            "in": "query",
            "required": false,
            "description": "Rows whose city equals one of these values (repeat the parameter for a list: city=a&city=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "state_province",
            "in": "query",
            "required": false,
            "description": "Rows whose state_province equals one of these values (repeat the parameter for a list: state_province=a&state_province=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "country",
            "in": "query",
            "required": false,
            "description": "Rows whose country equals one of these values (repeat the parameter for a list: country=a&country=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: brewery_id, name, brewery_type, city, state_province, country, website_url, longitude, latitude, has_website, has_coordinates, is_closed, is_known_type, _run_id, _source_uri, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "brewery_id",
                  "name",
                  "brewery_type",
                  "city",
                  "state_province",
                  "country",
                  "website_url",
                  "longitude",
                  "latitude",
                  "has_website",
                  "has_coordinates",
                  "is_closed",
                  "is_known_type",
                  "_run_id",
                  "_source_uri",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of name, brewery_id, prefixed with - for descending; the key (brewery_id) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "name",
                  "-name",
                  "brewery_id",
                  "-brewery_id"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/breweries.dim_breweries"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/breweries/dim_breweries/{brewery_id}": {
      "get": {
        "operationId": "get_breweries_dim_breweries",
        "summary": "Get one row of breweries.dim_breweries",
        "description": "The row of dim_breweries whose key (brewery_id) has these values.",
        "tags": [
          "breweries"
        ],
        "parameters": [
          {
            "name": "brewery_id",
            "in": "path",
            "required": true,
            "description": "The row's brewery_id. Type STRING.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: brewery_id, name, brewery_type, city, state_province, country, website_url, longitude, latitude, has_website, has_coordinates, is_closed, is_known_type, _run_id, _source_uri, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "brewery_id",
                  "name",
                  "brewery_type",
                  "city",
                  "state_province",
                  "country",
                  "website_url",
                  "longitude",
                  "latitude",
                  "has_website",
                  "has_coordinates",
                  "is_closed",
                  "is_known_type",
                  "_run_id",
                  "_source_uri",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/breweries.dim_breweries"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/github_issues/dim_github_issues": {
      "get": {
        "operationId": "list_github_issues_dim_github_issues",
        "summary": "List github_issues.dim_github_issues",
        "description": "Rows of the gold table dim_github_issues (source github_issues), filtered by equality on issue_id, state, user_login, created_at and by period (from/to on created_at), in pages ordered by order_by then the key (issue_id).",
        "tags": [
          "github_issues"
        ],
        "parameters": [
          {
            "name": "issue_id",
            "in": "query",
            "required": false,
            "description": "Rows whose issue_id equals one of these values (repeat the parameter for a list: issue_id=a&issue_id=b). GitHub's id of the issue. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "state",
            "in": "query",
            "required": false,
            "description": "Rows whose state equals one of these values (repeat the parameter for a list: state=a&state=b). open or closed. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "user_login",
            "in": "query",
            "required": false,
            "description": "Rows whose user_login equals one of these values (repeat the parameter for a list: user_login=a&user_login=b). Who opened it. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "created_at",
            "in": "query",
            "required": false,
            "description": "Rows whose created_at equals one of these values (repeat the parameter for a list: created_at=a&created_at=b). Type TIMESTAMP.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date-time"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose created_at is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose created_at is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: issue_id, number, title, state, state_reason, user_login, label_names, comments, created_at, updated_at, closed_at, is_closed, days_to_close, html_url, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "issue_id",
                  "number",
                  "title",
                  "state",
                  "state_reason",
                  "user_login",
                  "label_names",
                  "comments",
                  "created_at",
                  "updated_at",
                  "closed_at",
                  "is_closed",
                  "days_to_close",
                  "html_url",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of created_at, updated_at, number, issue_id, prefixed with - for descending; the key (issue_id) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "created_at",
                  "-created_at",
                  "updated_at",
                  "-updated_at",
                  "number",
                  "-number",
                  "issue_id",
                  "-issue_id"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/github_issues.dim_github_issues"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/github_issues/dim_github_issues/{issue_id}": {
      "get": {
        "operationId": "get_github_issues_dim_github_issues",
        "summary": "Get one row of github_issues.dim_github_issues",
        "description": "The row of dim_github_issues whose key (issue_id) has these values.",
        "tags": [
          "github_issues"
        ],
        "parameters": [
          {
            "name": "issue_id",
            "in": "path",
            "required": true,
            "description": "The row's issue_id. GitHub's id of the issue. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: issue_id, number, title, state, state_reason, user_login, label_names, comments, created_at, updated_at, closed_at, is_closed, days_to_close, html_url, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "issue_id",
                  "number",
                  "title",
                  "state",
                  "state_reason",
                  "user_login",
                  "label_names",
                  "comments",
                  "created_at",
                  "updated_at",
                  "closed_at",
                  "is_closed",
                  "days_to_close",
                  "html_url",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/github_issues.dim_github_issues"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/invoices/fct_invoices": {
      "get": {
        "operationId": "list_invoices_fct_invoices",
        "summary": "List invoices.fct_invoices",
        "description": "Rows of the gold table fct_invoices (source invoices), filtered by equality on access_key, issued_on, issuer_cnpj, issuer_state and by period (from/to on issued_on), in pages ordered by order_by then the key (access_key).",
        "tags": [
          "invoices"
        ],
        "parameters": [
          {
            "name": "access_key",
            "in": "query",
            "required": false,
            "description": "Rows whose access_key equals one of these values (repeat the parameter for a list: access_key=a&access_key=b). chNFe: the 44-digit access key, one row each. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "issued_on",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on equals one of these values (repeat the parameter for a list: issued_on=a&issued_on=b). The day it was issued, in Brasília time (-03:00). (DATE)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date"
              }
            }
          },
          {
            "name": "issuer_cnpj",
            "in": "query",
            "required": false,
            "description": "Rows whose issuer_cnpj equals one of these values (repeat the parameter for a list: issuer_cnpj=a&issuer_cnpj=b). emit.CNPJ. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "issuer_state",
            "in": "query",
            "required": false,
            "description": "Rows whose issuer_state equals one of these values (repeat the parameter for a list: issuer_state=a&issuer_state=b). emit UF. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: access_key, number, series, issued_at, issued_on, issuer_cnpj, issuer_name, issuer_state, recipient_document, is_recipient_company, recipient_state, is_interstate, item_count, products_amount, icms_amount, pis_amount, cofins_amount, total_amount, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "access_key",
                  "number",
                  "series",
                  "issued_at",
                  "issued_on",
                  "issuer_cnpj",
                  "issuer_name",
                  "issuer_state",
                  "recipient_document",
                  "is_recipient_company",
                  "recipient_state",
                  "is_interstate",
                  "item_count",
                  "products_amount",
                  "icms_amount",
                  "pis_amount",
                  "cofins_amount",
                  "total_amount",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of issued_on, total_amount, access_key, prefixed with - for descending; the key (access_key) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "issued_on",
                  "-issued_on",
                  "total_amount",
                  "-total_amount",
                  "access_key",
                  "-access_key"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/invoices.fct_invoices"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/invoices/fct_invoices/{access_key}": {
      "get": {
        "operationId": "get_invoices_fct_invoices",
        "summary": "Get one row of invoices.fct_invoices",
        "description": "The row of fct_invoices whose key (access_key) has these values.",
        "tags": [
          "invoices"
        ],
        "parameters": [
          {
            "name": "access_key",
            "in": "path",
            "required": true,
            "description": "The row's access_key. chNFe: the 44-digit access key, one row each. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: access_key, number, series, issued_at, issued_on, issuer_cnpj, issuer_name, issuer_state, recipient_document, is_recipient_company, recipient_state, is_interstate, item_count, products_amount, icms_amount, pis_amount, cofins_amount, total_amount, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "access_key",
                  "number",
                  "series",
                  "issued_at",
                  "issued_on",
                  "issuer_cnpj",
                  "issuer_name",
                  "issuer_state",
                  "recipient_document",
                  "is_recipient_company",
                  "recipient_state",
                  "is_interstate",
                  "item_count",
                  "products_amount",
                  "icms_amount",
                  "pis_amount",
                  "cofins_amount",
                  "total_amount",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/invoices.fct_invoices"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/invoices/revenue_by_issuer_day": {
      "get": {
        "operationId": "list_invoices_revenue_by_issuer_day",
        "summary": "List invoices.revenue_by_issuer_day",
        "description": "Rows of the gold table revenue_by_issuer_day (source invoices), filtered by equality on issued_on, issuer_cnpj and by period (from/to on issued_on), in pages ordered by order_by then the key (issued_on, issuer_cnpj).",
        "tags": [
          "invoices"
        ],
        "parameters": [
          {
            "name": "issued_on",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on equals one of these values (repeat the parameter for a list: issued_on=a&issued_on=b). The day, Brasília time. (DATE)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date"
              }
            }
          },
          {
            "name": "issuer_cnpj",
            "in": "query",
            "required": false,
            "description": "Rows whose issuer_cnpj equals one of these values (repeat the parameter for a list: issuer_cnpj=a&issuer_cnpj=b). The issuer. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose issued_on is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: issued_on, issuer_cnpj, issuer_name, invoice_count, item_count, revenue_amount, icms_amount, pis_amount, cofins_amount, _run_id, _as_of.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "issued_on",
                  "issuer_cnpj",
                  "issuer_name",
                  "invoice_count",
                  "item_count",
                  "revenue_amount",
                  "icms_amount",
                  "pis_amount",
                  "cofins_amount",
                  "_run_id",
                  "_as_of"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of revenue_amount, invoice_count, issued_on, issuer_cnpj, prefixed with - for descending; the key (issued_on, issuer_cnpj) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "revenue_amount",
                  "-revenue_amount",
                  "invoice_count",
                  "-invoice_count",
                  "issued_on",
                  "-issued_on",
                  "issuer_cnpj",
                  "-issuer_cnpj"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/invoices.revenue_by_issuer_day"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/invoices/revenue_by_issuer_day/{issued_on}/{issuer_cnpj}": {
      "get": {
        "operationId": "get_invoices_revenue_by_issuer_day",
        "summary": "Get one row of invoices.revenue_by_issuer_day",
        "description": "The row of revenue_by_issuer_day whose key (issued_on, issuer_cnpj) has these values.",
        "tags": [
          "invoices"
        ],
        "parameters": [
          {
            "name": "issued_on",
            "in": "path",
            "required": true,
            "description": "The row's issued_on. The day, Brasília time. (DATE)",
            "schema": {
              "type": "string",
              "format": "date"
            }
          },
          {
            "name": "issuer_cnpj",
            "in": "path",
            "required": true,
            "description": "The row's issuer_cnpj. The issuer. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: issued_on, issuer_cnpj, issuer_name, invoice_count, item_count, revenue_amount, icms_amount, pis_amount, cofins_amount, _run_id, _as_of.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "issued_on",
                  "issuer_cnpj",
                  "issuer_name",
                  "invoice_count",
                  "item_count",
                  "revenue_amount",
                  "icms_amount",
                  "pis_amount",
                  "cofins_amount",
                  "_run_id",
                  "_as_of"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/invoices.revenue_by_issuer_day"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/podcasts/dim_podcast_shows": {
      "get": {
        "operationId": "list_podcasts_dim_podcast_shows",
        "summary": "List podcasts.dim_podcast_shows",
        "description": "Rows of the gold table dim_podcast_shows (source podcasts), filtered by equality on show_id, publisher, media_type, in pages ordered by order_by then the key (show_id).",
        "tags": [
          "podcasts"
        ],
        "parameters": [
          {
            "name": "show_id",
            "in": "query",
            "required": false,
            "description": "Rows whose show_id equals one of these values (repeat the parameter for a list: show_id=a&show_id=b). Spotify ID of the show. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "publisher",
            "in": "query",
            "required": false,
            "description": "Rows whose publisher equals one of these values (repeat the parameter for a list: publisher=a&publisher=b). Type STRING.",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "media_type",
            "in": "query",
            "required": false,
            "description": "Rows whose media_type equals one of these values (repeat the parameter for a list: media_type=a&media_type=b). audio, video or mixed. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: show_id, show_name, publisher, media_type, is_explicit, total_episodes, episode_count, latest_release_date, spotify_url, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "show_id",
                  "show_name",
                  "publisher",
                  "media_type",
                  "is_explicit",
                  "total_episodes",
                  "episode_count",
                  "latest_release_date",
                  "spotify_url",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of show_name, episode_count, show_id, prefixed with - for descending; the key (show_id) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "show_name",
                  "-show_name",
                  "episode_count",
                  "-episode_count",
                  "show_id",
                  "-show_id"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/podcasts.dim_podcast_shows"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/podcasts/dim_podcast_shows/{show_id}": {
      "get": {
        "operationId": "get_podcasts_dim_podcast_shows",
        "summary": "Get one row of podcasts.dim_podcast_shows",
        "description": "The row of dim_podcast_shows whose key (show_id) has these values.",
        "tags": [
          "podcasts"
        ],
        "parameters": [
          {
            "name": "show_id",
            "in": "path",
            "required": true,
            "description": "The row's show_id. Spotify ID of the show. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: show_id, show_name, publisher, media_type, is_explicit, total_episodes, episode_count, latest_release_date, spotify_url, _run_id, _ingested_at.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "show_id",
                  "show_name",
                  "publisher",
                  "media_type",
                  "is_explicit",
                  "total_episodes",
                  "episode_count",
                  "latest_release_date",
                  "spotify_url",
                  "_run_id",
                  "_ingested_at"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/podcasts.dim_podcast_shows"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/sales/sales_by_brand_year_month": {
      "get": {
        "operationId": "list_sales_sales_by_brand_year_month",
        "summary": "List sales.sales_by_brand_year_month",
        "description": "Rows of the gold table sales_by_brand_year_month (source sales), filtered by equality on id_marca, marca, year, month and by period (from/to on year), in pages ordered by order_by then the key (id_marca, year, month).",
        "tags": [
          "sales"
        ],
        "parameters": [
          {
            "name": "id_marca",
            "in": "query",
            "required": false,
            "description": "Rows whose id_marca equals one of these values (repeat the parameter for a list: id_marca=a&id_marca=b). The brand's id. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "marca",
            "in": "query",
            "required": false,
            "description": "Rows whose marca equals one of these values (repeat the parameter for a list: marca=a&marca=b). The brand's name. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "year",
            "in": "query",
            "required": false,
            "description": "Rows whose year equals one of these values (repeat the parameter for a list: year=a&year=b). The year of the sales day. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "month",
            "in": "query",
            "required": false,
            "description": "Rows whose month equals one of these values (repeat the parameter for a list: month=a&month=b). Its month, 1 to 12. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose year is at or after this value (inclusive).",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose year is at or before this value (inclusive).",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: id_marca, marca, year, month, qtd_venda.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "id_marca",
                  "marca",
                  "year",
                  "month",
                  "qtd_venda"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of year, month, qtd_venda, id_marca, prefixed with - for descending; the key (id_marca, year, month) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "year",
                  "-year",
                  "month",
                  "-month",
                  "qtd_venda",
                  "-qtd_venda",
                  "id_marca",
                  "-id_marca"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/sales.sales_by_brand_year_month"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/sales/sales_by_brand_year_month/{id_marca}/{year}/{month}": {
      "get": {
        "operationId": "get_sales_sales_by_brand_year_month",
        "summary": "Get one row of sales.sales_by_brand_year_month",
        "description": "The row of sales_by_brand_year_month whose key (id_marca, year, month) has these values.",
        "tags": [
          "sales"
        ],
        "parameters": [
          {
            "name": "id_marca",
            "in": "path",
            "required": true,
            "description": "The row's id_marca. The brand's id. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "year",
            "in": "path",
            "required": true,
            "description": "The row's year. The year of the sales day. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "month",
            "in": "path",
            "required": true,
            "description": "The row's month. Its month, 1 to 12. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: id_marca, marca, year, month, qtd_venda.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "id_marca",
                  "marca",
                  "year",
                  "month",
                  "qtd_venda"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/sales.sales_by_brand_year_month"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/sales/sales_by_year_month": {
      "get": {
        "operationId": "list_sales_sales_by_year_month",
        "summary": "List sales.sales_by_year_month",
        "description": "Rows of the gold table sales_by_year_month (source sales), filtered by equality on year, month and by period (from/to on year), in pages ordered by order_by then the key (year, month).",
        "tags": [
          "sales"
        ],
        "parameters": [
          {
            "name": "year",
            "in": "query",
            "required": false,
            "description": "Rows whose year equals one of these values (repeat the parameter for a list: year=a&year=b). The year of the sales day. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "month",
            "in": "query",
            "required": false,
            "description": "Rows whose month equals one of these values (repeat the parameter for a list: month=a&month=b). Its month, 1 to 12. (INT64)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose year is at or after this value (inclusive).",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose year is at or before this value (inclusive).",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: year, month, qtd_venda.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "year",
                  "month",
                  "qtd_venda"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of qtd_venda, year, month, prefixed with - for descending; the key (year, month) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "qtd_venda",
                  "-qtd_venda",
                  "year",
                  "-year",
                  "month",
                  "-month"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/sales.sales_by_year_month"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/sales/sales_by_year_month/{year}/{month}": {
      "get": {
        "operationId": "get_sales_sales_by_year_month",
        "summary": "Get one row of sales.sales_by_year_month",
        "description": "The row of sales_by_year_month whose key (year, month) has these values.",
        "tags": [
          "sales"
        ],
        "parameters": [
          {
            "name": "year",
            "in": "path",
            "required": true,
            "description": "The row's year. The year of the sales day. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "month",
            "in": "path",
            "required": true,
            "description": "The row's month. Its month, 1 to 12. (INT64)",
            "schema": {
              "type": "integer",
              "format": "int64"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: year, month, qtd_venda.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "year",
                  "month",
                  "qtd_venda"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/sales.sales_by_year_month"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/transactions/volume_by_merchant_hour": {
      "get": {
        "operationId": "list_transactions_volume_by_merchant_hour",
        "summary": "List transactions.volume_by_merchant_hour",
        "description": "Rows of the gold table volume_by_merchant_hour (source transactions), filtered by equality on hour_started_at, merchant, currency and by period (from/to on hour_started_at), in pages ordered by order_by then the key (hour_started_at, merchant, currency).",
        "tags": [
          "transactions"
        ],
        "parameters": [
          {
            "name": "hour_started_at",
            "in": "query",
            "required": false,
            "description": "Rows whose hour_started_at equals one of these values (repeat the parameter for a list: hour_started_at=a&hour_started_at=b). The hour (UTC) the transactions were made in, at its start. (TIMESTAMP)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "format": "date-time"
              }
            }
          },
          {
            "name": "merchant",
            "in": "query",
            "required": false,
            "description": "Rows whose merchant equals one of these values (repeat the parameter for a list: merchant=a&merchant=b). The merchant. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "currency",
            "in": "query",
            "required": false,
            "description": "Rows whose currency equals one of these values (repeat the parameter for a list: currency=a&currency=b). Amounts are summed per currency, never across. (STRING)",
            "style": "form",
            "explode": true,
            "schema": {
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": false,
            "description": "Rows whose hour_started_at is at or after this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": false,
            "description": "Rows whose hour_started_at is at or before this value (inclusive).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: hour_started_at, merchant, currency, transaction_count, authorized_count, declined_count, authorized_amount.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "hour_started_at",
                  "merchant",
                  "currency",
                  "transaction_count",
                  "authorized_count",
                  "declined_count",
                  "authorized_amount"
                ]
              }
            }
          },
          {
            "name": "order_by",
            "in": "query",
            "required": false,
            "description": "The order of the rows, comma-separated, each one of transaction_count, hour_started_at, merchant, currency, prefixed with - for descending; the key (hour_started_at, merchant, currency) always orders last, so that pages never overlap.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "transaction_count",
                  "-transaction_count",
                  "hour_started_at",
                  "-hour_started_at",
                  "merchant",
                  "-merchant",
                  "currency",
                  "-currency"
                ]
              }
            }
          },
          {
            "name": "page_size",
            "in": "query",
            "required": false,
            "description": "Rows per page, 1 to 1000.",
            "schema": {
              "type": "integer",
              "format": "int32",
              "minimum": 1,
              "maximum": 1000,
              "default": 100
            },
            "example": 2
          },
          {
            "$ref": "#/components/parameters/page_token"
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of rows (JSON: data and next_page_token; CSV: a header row, then the rows, the token in the Next-Page-Token header). Link points to the next page in both.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              },
              "Link": {
                "$ref": "#/components/headers/Link"
              },
              "Next-Page-Token": {
                "$ref": "#/components/headers/Next-Page-Token"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/transactions.volume_by_merchant_hour"
                      }
                    },
                    "next_page_token": {
                      "type": "string",
                      "description": "The page_token of the next page; absent on the last page."
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    },
    "/v1/transactions/volume_by_merchant_hour/{hour_started_at}/{merchant}/{currency}": {
      "get": {
        "operationId": "get_transactions_volume_by_merchant_hour",
        "summary": "Get one row of transactions.volume_by_merchant_hour",
        "description": "The row of volume_by_merchant_hour whose key (hour_started_at, merchant, currency) has these values.",
        "tags": [
          "transactions"
        ],
        "parameters": [
          {
            "name": "hour_started_at",
            "in": "path",
            "required": true,
            "description": "The row's hour_started_at. The hour (UTC) the transactions were made in, at its start. (TIMESTAMP)",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "merchant",
            "in": "path",
            "required": true,
            "description": "The row's merchant. The merchant. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "currency",
            "in": "path",
            "required": true,
            "description": "The row's currency. Amounts are summed per currency, never across. (STRING)",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "fields",
            "in": "query",
            "required": false,
            "description": "The columns to return, comma-separated (default: all), any of: hour_started_at, merchant, currency, transaction_count, authorized_count, declined_count, authorized_amount.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "hour_started_at",
                  "merchant",
                  "currency",
                  "transaction_count",
                  "authorized_count",
                  "declined_count",
                  "authorized_amount"
                ]
              }
            }
          },
          {
            "$ref": "#/components/parameters/If-None-Match"
          }
        ],
        "responses": {
          "200": {
            "description": "The row (JSON: data; CSV: a header row, then the row).",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Last-Modified": {
                "$ref": "#/components/headers/Last-Modified"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "data"
                  ],
                  "properties": {
                    "data": {
                      "$ref": "#/components/schemas/transactions.volume_by_merchant_hour"
                    }
                  },
                  "additionalProperties": false
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string",
                  "description": "RFC 4180 CSV: a header row of the selected columns, then one line per row."
                }
              }
            }
          },
          "304": {
            "description": "Not modified: the table has not changed since the If-None-Match ETag.",
            "headers": {
              "ETag": {
                "$ref": "#/components/headers/ETag"
              },
              "Cache-Control": {
                "$ref": "#/components/headers/Cache-Control"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/400"
          },
          "404": {
            "$ref": "#/components/responses/404"
          },
          "406": {
            "$ref": "#/components/responses/406"
          }
        },
        "x-google-backend": "medallion_api",
        "x-google-quota": {
          "metricCosts": {
            "read_requests": 1
          }
        }
      }
    }
  },
  "components": {
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error"
        ],
        "properties": {
          "error": {
            "type": "object",
            "required": [
              "code",
              "message"
            ],
            "properties": {
              "code": {
                "type": "string",
                "description": "A stable, machine-readable reason."
              },
              "message": {
                "type": "string",
                "description": "What was wrong, for a person."
              },
              "parameter": {
                "type": "string",
                "description": "The offending parameter, when one is."
              },
              "allowed": {
                "type": "array",
                "items": {
                  "type": "string"
                },
                "description": "The values the parameter allows, when a list."
              }
            }
          }
        }
      },
      "Index": {
        "type": "object",
        "required": [
          "tables",
          "openapi"
        ],
        "properties": {
          "tables": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "source",
                "table",
                "path",
                "row_path",
                "key",
                "filters",
                "order_by",
                "max_page_size"
              ],
              "properties": {
                "source": {
                  "type": "string"
                },
                "table": {
                  "type": "string"
                },
                "path": {
                  "type": "string",
                  "description": "The list route, /v1/<source>/<table>."
                },
                "row_path": {
                  "type": "string",
                  "description": "The single-row route's template, /v1/<source>/<table>/{k1}/..."
                },
                "key": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  },
                  "description": "The key columns, in path order."
                },
                "period": {
                  "type": "string",
                  "description": "The column from and to bound; absent when none."
                },
                "filters": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  },
                  "description": "The columns filterable by equality."
                },
                "order_by": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  },
                  "description": "The columns order_by may name."
                },
                "max_page_size": {
                  "type": "integer",
                  "format": "int32"
                }
              }
            }
          },
          "openapi": {
            "type": "string",
            "description": "Where this document is served."
          }
        }
      },
      "audience.expected_audience": {
        "type": "object",
        "description": "A row of expected_audience (only the selected fields when fields is given).",
        "properties": {
          "signal": {
            "type": "string",
            "description": "The channel's signal."
          },
          "broadcast_date": {
            "type": "string",
            "format": "date",
            "description": "A day the signal has advertising time for sale."
          },
          "program_code": {
            "type": "string",
            "description": "A program shown on that signal on the same weekday before that day."
          },
          "program_name": {
            "type": "string",
            "nullable": true,
            "description": "Its name at its latest of those exhibitions."
          },
          "expected_audience": {
            "type": "number",
            "format": "double",
            "description": "The median average audience of its last four exhibitions on that weekday before that day (of those there are, when fewer)."
          },
          "exhibitions": {
            "type": "integer",
            "format": "int64",
            "description": "How many exhibitions the median is of: 1 to 4."
          },
          "last_exhibition_date": {
            "type": "string",
            "format": "date",
            "description": "The latest of them."
          },
          "available_seconds": {
            "type": "integer",
            "format": "int64",
            "description": "The signal's advertising time for sale that day, in seconds."
          }
        },
        "additionalProperties": false
      },
      "audience.available_time": {
        "type": "object",
        "description": "A row of available_time (only the selected fields when fields is given).",
        "properties": {
          "signal": {
            "type": "string",
            "description": "The channel's signal."
          },
          "broadcast_date": {
            "type": "string",
            "format": "date",
            "description": "The day."
          },
          "available_seconds": {
            "type": "integer",
            "format": "int64",
            "description": "Advertising time for sale that day, in seconds (more than 0)."
          }
        },
        "additionalProperties": false
      },
      "breweries.dim_breweries": {
        "type": "object",
        "description": "A row of dim_breweries (only the selected fields when fields is given).",
        "properties": {
          "brewery_id": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "brewery_type": {
            "type": "string",
            "nullable": true
          },
          "city": {
            "type": "string",
            "nullable": true
          },
          "state_province": {
            "type": "string",
            "nullable": true
          },
          "country": {
            "type": "string",
            "nullable": true
          },
          "website_url": {
            "type": "string",
            "nullable": true
          },
          "longitude": {
            "type": "number",
            "format": "double",
            "nullable": true
          },
          "latitude": {
            "type": "number",
            "format": "double",
            "nullable": true
          },
          "has_website": {
            "type": "boolean",
            "nullable": true,
            "description": "website_url is present."
          },
          "has_coordinates": {
            "type": "boolean",
            "nullable": true,
            "description": "Both latitude and longitude are present."
          },
          "is_closed": {
            "type": "boolean",
            "nullable": true,
            "description": "brewery_type is closed."
          },
          "is_known_type": {
            "type": "boolean",
            "nullable": true,
            "description": "brewery_type is one of the types Open Brewery DB documents."
          },
          "_run_id": {
            "type": "string",
            "description": "Lineage: run of the silver row this row comes from."
          },
          "_source_uri": {
            "type": "string",
            "description": "Lineage: bronze object of that row."
          },
          "_ingested_at": {
            "type": "string",
            "format": "date-time",
            "description": "Lineage: when that bronze object was written."
          }
        },
        "additionalProperties": false
      },
      "github_issues.dim_github_issues": {
        "type": "object",
        "description": "A row of dim_github_issues (only the selected fields when fields is given).",
        "properties": {
          "issue_id": {
            "type": "integer",
            "format": "int64",
            "description": "GitHub's id of the issue."
          },
          "number": {
            "type": "integer",
            "format": "int64",
            "description": "Its number in the repository."
          },
          "title": {
            "type": "string",
            "nullable": true
          },
          "state": {
            "type": "string",
            "nullable": true,
            "description": "open or closed."
          },
          "state_reason": {
            "type": "string",
            "nullable": true,
            "description": "completed, not_planned, reopened or NULL."
          },
          "user_login": {
            "type": "string",
            "nullable": true,
            "description": "Who opened it."
          },
          "label_names": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "Its labels."
          },
          "comments": {
            "type": "integer",
            "format": "int64",
            "nullable": true
          },
          "created_at": {
            "type": "string",
            "format": "date-time"
          },
          "updated_at": {
            "type": "string",
            "format": "date-time",
            "description": "When the version kept here was last changed: the latest of all loads."
          },
          "closed_at": {
            "type": "string",
            "format": "date-time",
            "nullable": true
          },
          "is_closed": {
            "type": "boolean",
            "nullable": true,
            "description": "state is closed."
          },
          "days_to_close": {
            "type": "number",
            "format": "double",
            "nullable": true,
            "description": "Days from created_at to closed_at (whole seconds over 86400), NULL while open."
          },
          "html_url": {
            "type": "string",
            "nullable": true
          },
          "_run_id": {
            "type": "string",
            "description": "Lineage: run of the silver row this row comes from."
          },
          "_ingested_at": {
            "type": "string",
            "format": "date-time",
            "description": "Lineage: when that row's bronze object was written."
          }
        },
        "additionalProperties": false
      },
      "invoices.fct_invoices": {
        "type": "object",
        "description": "A row of fct_invoices (only the selected fields when fields is given).",
        "properties": {
          "access_key": {
            "type": "string",
            "description": "chNFe: the 44-digit access key, one row each."
          },
          "number": {
            "type": "integer",
            "format": "int64",
            "description": "nNF."
          },
          "series": {
            "type": "integer",
            "format": "int64",
            "description": "serie."
          },
          "issued_at": {
            "type": "string",
            "format": "date-time",
            "description": "dhEmi, in UTC."
          },
          "issued_on": {
            "type": "string",
            "format": "date",
            "description": "The day it was issued, in Brasília time (-03:00)."
          },
          "issuer_cnpj": {
            "type": "string",
            "description": "emit.CNPJ."
          },
          "issuer_name": {
            "type": "string",
            "nullable": true,
            "description": "emit.xNome."
          },
          "issuer_state": {
            "type": "string",
            "nullable": true,
            "description": "emit UF."
          },
          "recipient_document": {
            "type": "string",
            "nullable": true,
            "description": "dest.CNPJ, or dest.CPF for a person. A CPF is the silver hash (HMAC-SHA256, hex) of the CPF, never the CPF itself; a CNPJ is in clear."
          },
          "is_recipient_company": {
            "type": "boolean",
            "nullable": true,
            "description": "Whether the recipient has a CNPJ."
          },
          "recipient_state": {
            "type": "string",
            "nullable": true,
            "description": "dest UF."
          },
          "is_interstate": {
            "type": "boolean",
            "nullable": true,
            "description": "Whether the goods leave the issuer's state; NULL when a state is unknown."
          },
          "item_count": {
            "type": "integer",
            "format": "int64",
            "nullable": true,
            "description": "How many lines."
          },
          "products_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "description": "vProd: the sum of the lines, exact."
          },
          "icms_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "vICMS."
          },
          "pis_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "vPIS."
          },
          "cofins_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "vCOFINS."
          },
          "total_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "description": "vNF: what the invoice is for."
          },
          "_run_id": {
            "type": "string",
            "description": "Lineage: the run that loaded the row read."
          },
          "_ingested_at": {
            "type": "string",
            "format": "date-time",
            "description": "Lineage: when that row's bronze object was written."
          }
        },
        "additionalProperties": false
      },
      "invoices.revenue_by_issuer_day": {
        "type": "object",
        "description": "A row of revenue_by_issuer_day (only the selected fields when fields is given).",
        "properties": {
          "issued_on": {
            "type": "string",
            "format": "date",
            "description": "The day, Brasília time."
          },
          "issuer_cnpj": {
            "type": "string",
            "description": "The issuer."
          },
          "issuer_name": {
            "type": "string",
            "nullable": true,
            "description": "Its name."
          },
          "invoice_count": {
            "type": "integer",
            "format": "int64",
            "description": "Invoices it issued that day."
          },
          "item_count": {
            "type": "integer",
            "format": "int64",
            "nullable": true,
            "description": "Their lines."
          },
          "revenue_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "description": "The sum of their totals (vNF), exact."
          },
          "icms_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "ICMS on them."
          },
          "pis_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "PIS."
          },
          "cofins_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "nullable": true,
            "description": "COFINS."
          },
          "_run_id": {
            "type": "string",
            "nullable": true,
            "description": "The run whose gold build last recomputed the row."
          },
          "_as_of": {
            "type": "string",
            "format": "date-time",
            "nullable": true,
            "description": "When that build started."
          }
        },
        "additionalProperties": false
      },
      "podcasts.dim_podcast_shows": {
        "type": "object",
        "description": "A row of dim_podcast_shows (only the selected fields when fields is given).",
        "properties": {
          "show_id": {
            "type": "string",
            "description": "Spotify ID of the show."
          },
          "show_name": {
            "type": "string"
          },
          "publisher": {
            "type": "string",
            "nullable": true
          },
          "media_type": {
            "type": "string",
            "nullable": true,
            "description": "audio, video or mixed."
          },
          "is_explicit": {
            "type": "boolean",
            "nullable": true
          },
          "total_episodes": {
            "type": "integer",
            "format": "int64",
            "nullable": true,
            "description": "Episodes the show has, as Spotify counts them."
          },
          "episode_count": {
            "type": "integer",
            "format": "int64",
            "description": "Distinct episodes of the show in silver (0 when none)."
          },
          "latest_release_date": {
            "type": "string",
            "nullable": true,
            "description": "The greatest release_date of its episodes, as text (1981, 1981-12 or 1981-12-15)."
          },
          "spotify_url": {
            "type": "string",
            "nullable": true
          },
          "_run_id": {
            "type": "string",
            "description": "The run that loaded the show's latest silver row."
          },
          "_ingested_at": {
            "type": "string",
            "format": "date-time",
            "description": "When that row's bronze object was written."
          }
        },
        "additionalProperties": false
      },
      "sales.sales_by_brand_year_month": {
        "type": "object",
        "description": "A row of sales_by_brand_year_month (only the selected fields when fields is given).",
        "properties": {
          "id_marca": {
            "type": "integer",
            "format": "int64",
            "description": "The brand's id."
          },
          "marca": {
            "type": "string",
            "nullable": true,
            "description": "The brand's name."
          },
          "year": {
            "type": "integer",
            "format": "int64",
            "description": "The year of the sales day."
          },
          "month": {
            "type": "integer",
            "format": "int64",
            "description": "Its month, 1 to 12."
          },
          "qtd_venda": {
            "type": "integer",
            "format": "int64",
            "description": "Units sold: the sum of QTD_VENDA."
          }
        },
        "additionalProperties": false
      },
      "sales.sales_by_year_month": {
        "type": "object",
        "description": "A row of sales_by_year_month (only the selected fields when fields is given).",
        "properties": {
          "year": {
            "type": "integer",
            "format": "int64",
            "description": "The year of the sales day."
          },
          "month": {
            "type": "integer",
            "format": "int64",
            "description": "Its month, 1 to 12."
          },
          "qtd_venda": {
            "type": "integer",
            "format": "int64",
            "description": "Units sold: the sum of QTD_VENDA."
          }
        },
        "additionalProperties": false
      },
      "transactions.volume_by_merchant_hour": {
        "type": "object",
        "description": "A row of volume_by_merchant_hour (only the selected fields when fields is given).",
        "properties": {
          "hour_started_at": {
            "type": "string",
            "format": "date-time",
            "description": "The hour (UTC) the transactions were made in, at its start."
          },
          "merchant": {
            "type": "string",
            "description": "The merchant."
          },
          "currency": {
            "type": "string",
            "description": "Amounts are summed per currency, never across."
          },
          "transaction_count": {
            "type": "integer",
            "format": "int64",
            "description": "Transactions of any status."
          },
          "authorized_count": {
            "type": "integer",
            "format": "int64",
            "description": "Those authorized."
          },
          "declined_count": {
            "type": "integer",
            "format": "int64",
            "description": "Those declined."
          },
          "authorized_amount": {
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]{1,9})?$",
            "description": "The exact sum of the authorized amounts (0 when none)."
          }
        },
        "additionalProperties": false
      }
    },
    "parameters": {
      "page_token": {
        "name": "page_token",
        "in": "query",
        "required": false,
        "description": "The next_page_token of the previous page, as given: opaque, signed and expiring; only valid with the same filters, fields and order.",
        "schema": {
          "type": "string"
        }
      },
      "If-None-Match": {
        "name": "If-None-Match",
        "in": "header",
        "required": false,
        "description": "An ETag of an earlier answer: 304, no body, when the table has not changed since.",
        "schema": {
          "type": "string"
        }
      }
    },
    "headers": {
      "ETag": {
        "description": "The version of the answer, from the table's last change and the request.",
        "schema": {
          "type": "string"
        }
      },
      "Last-Modified": {
        "description": "When the table last changed (HTTP date).",
        "schema": {
          "type": "string"
        }
      },
      "Cache-Control": {
        "description": "How long a client or proxy may keep the answer (the table's cache_seconds).",
        "schema": {
          "type": "string"
        }
      },
      "Link": {
        "description": "The next page, as <url>; rel=\"next\"; absent on the last page.",
        "schema": {
          "type": "string"
        }
      },
      "Next-Page-Token": {
        "description": "A CSV page's next_page_token (CSV has no place for it); absent on the last page.",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "400": {
        "description": "A parameter is unknown or its value is not allowed (wrong type, unknown column, page size over the limit, forged or expired page token, from after to, a query over the cost guard).",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "404": {
        "description": "No such table, or no row with this key.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "406": {
        "description": "The Accept header asks for neither application/json nor text/csv.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "securitySchemes": {
      "api_key": {
        "type": "apiKey",
        "name": "x-api-key",
        "in": "header"
      }
    }
  }
}
