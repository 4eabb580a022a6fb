package io.medallion.schema;

import java.util.Locale;
import java.util.Objects;

/**
 * One column of a BigQuery table schema.
 *
 * @param mode as in the {@code bq} schema file: a REPEATED column holds an array of its type
 *     (never NULL: empty when there is nothing)
 */
public record Field(String name, FieldType type, Mode mode, String description) {

  /** A column's mode, as BigQuery names it. */
  public enum Mode {
    NULLABLE,
    REQUIRED,
    REPEATED;

    /** The mode a schema file names; absent means NULLABLE, as for {@code bq}. */
    public static Mode parse(String name) {
      try {
        return valueOf(name.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unknown mode " + name + " (NULLABLE, REQUIRED or REPEATED)", e);
      }
    }
  }

  public Field {
    Objects.requireNonNull(mode, "mode");
  }

  /** A NULLABLE or REQUIRED column. */
  public Field(String name, FieldType type, boolean required, String description) {
    this(name, type, required ? Mode.REQUIRED : Mode.NULLABLE, description);
  }

  /** Whether every row must have a value. */
  public boolean required() {
    return mode == Mode.REQUIRED;
  }

  /** Whether the column holds an array of {@link #type()}. */
  public boolean repeated() {
    return mode == Mode.REPEATED;
  }
}
