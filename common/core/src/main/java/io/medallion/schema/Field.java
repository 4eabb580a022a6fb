package io.medallion.schema;

/** One column of a BigQuery table schema. */
public record Field(String name, FieldType type, boolean required, String description) {}
