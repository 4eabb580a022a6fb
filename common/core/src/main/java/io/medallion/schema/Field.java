package io.medallion.schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One column of a BigQuery table schema, or one field of a RECORD column.
 *
 * @param mode as in the {@code bq} schema file: a REPEATED column holds an array of its type
 *     (never NULL: empty when there is nothing)
 * @param fields the fields of a RECORD, in order; empty for every other type
 * @param precision a NUMERIC or BIGNUMERIC column's declared precision (total digits), or 0 for
 *     the type's own (38 and 76)
 * @param scale a NUMERIC or BIGNUMERIC column's declared scale (digits after the point), or -1 for
 *     the type's own (9 and 38)
 * @param sensitivity the column's {@code "sensitive"} mark (policy tag, masking), or null
 */
public record Field(String name, FieldType type, Mode mode, String description, List<Field> fields, int precision, int scale,
    Sensitivity sensitivity) {

  /** The largest BIGNUMERIC, (2^255 - 1) / 10^38: BigQuery documents 5.7896044618658097711785492504343953926634992332820282019728792003956564819967E+38. */
  private static final BigDecimal BIGNUMERIC_MAX =
      new BigDecimal(java.math.BigInteger.TWO.pow(255).subtract(java.math.BigInteger.ONE), 38);

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
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mode, "mode");
    description = description == null ? "" : description;
    fields = List.copyOf(fields);
    if (type == FieldType.RECORD && fields.isEmpty()) {
      throw new IllegalArgumentException("a RECORD needs its fields");
    }
    if (type != FieldType.RECORD && !fields.isEmpty()) {
      throw new IllegalArgumentException("only a RECORD has fields (this is " + type + ")");
    }
    if (sensitivity != null && type == FieldType.RECORD) {
      throw new IllegalArgumentException("a RECORD cannot be marked sensitive: mark its leaf fields");
    }
    if ((precision != 0 || scale != -1) && !type.isDecimal()) {
      throw new IllegalArgumentException("only NUMERIC and BIGNUMERIC take a precision and a scale");
    }
    if (type.isDecimal() && (precision != 0 || scale != -1)) {
      // BigQuery's parameterized decimal types: NUMERIC(P[, S]) with 0 <= S <= 9 and
      // max(1, S) <= P <= S + 29; BIGNUMERIC with S <= 38 and P <= S + 38.
      int maxScale = type == FieldType.NUMERIC ? 9 : 38;
      int s = scale < 0 ? 0 : scale;
      if (s > maxScale || precision < Math.max(1, s) || precision > s + (type == FieldType.NUMERIC ? 29 : 38)) {
        throw new IllegalArgumentException(type + "(" + precision + (scale < 0 ? "" : ", " + scale) + ") is not a valid "
            + type + ": the scale is 0 to " + maxScale + " and the precision at least max(1, scale) and at most scale + "
            + (type == FieldType.NUMERIC ? 29 : 38));
      }
    }
  }

  /** A column with no sensitivity mark. */
  public Field(String name, FieldType type, Mode mode, String description, List<Field> fields, int precision, int scale) {
    this(name, type, mode, description, fields, precision, scale, null);
  }

  /** Whether the column carries a {@code "sensitive"} mark. */
  public boolean sensitive() {
    return sensitivity != null;
  }

  /** The masking silver applies to this column, or null. */
  public Sensitivity.Masking masking() {
    return sensitivity == null ? null : sensitivity.masking();
  }

  /** A NULLABLE, REQUIRED or REPEATED column of a scalar type. */
  public Field(String name, FieldType type, Mode mode, String description) {
    this(name, type, mode, description, List.of(), 0, -1);
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

  /** Whether this is a RECORD. */
  public boolean isRecord() {
    return type == FieldType.RECORD;
  }

  /** A RECORD's field by name, or null. */
  public Field field(String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** A decimal column's scale: the declared one, or the type's (9, 38). */
  public int effectiveScale() {
    if (scale >= 0) {
      return scale;
    }
    if (precision > 0) {
      return 0; // NUMERIC(P) means NUMERIC(P, 0), as in BigQuery
    }
    return type == FieldType.NUMERIC ? 9 : 38;
  }

  /**
   * The largest magnitude a decimal column holds: {@code 10^(P-S) - 10^-S} for a declared
   * precision, {@code 10^29 - 10^-9} for NUMERIC and (2^255 - 1) / 10^38 for BIGNUMERIC.
   */
  public BigDecimal decimalMax() {
    int s = effectiveScale();
    if (precision > 0) {
      return BigDecimal.TEN.pow(precision - s).subtract(BigDecimal.ONE.movePointLeft(s));
    }
    return type == FieldType.NUMERIC ? BigDecimal.TEN.pow(29).subtract(BigDecimal.ONE.movePointLeft(9)) : BIGNUMERIC_MAX;
  }

  /** The type as BigQuery's DDL spells it: {@code NUMERIC(12, 2)}, {@code STRUCT<...>} is left to callers. */
  public String typeName() {
    if (type.isDecimal() && precision > 0) {
      return type + "(" + precision + (scale < 0 ? "" : ", " + scale) + ")";
    }
    return type.name();
  }
}
