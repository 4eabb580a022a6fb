package io.medallion.local.bigquery;

import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import java.util.StringJoiner;

/**
 * The DuckDB column that stands for each BigQuery column type locally, and how a silver row file's
 * JSON value becomes it. The table is in {@code functions/silver/README.md} ("Types"). Public for
 * the bench ({@code medallion bench}), whose DuckDB side reads a source's records with the same
 * types.
 */
public final class DuckDbTypes {

  /** DuckDB's widest DECIMAL. */
  public static final int MAX_DECIMAL_WIDTH = 38;

  private DuckDbTypes() {}

  /** The column's DuckDB type: a LIST of its type ({@code VARCHAR[]}) when REPEATED. */
  public static String stored(Field f) {
    return element(f, false) + (f.repeated() ? "[]" : "");
  }

  /**
   * The type {@code read_json} reads the column's JSON as: the stored type, except where the
   * stored value is made from text (a timestamp with its offset, base64 bytes).
   */
  public static String read(Field f) {
    return element(f, true) + (f.repeated() ? "[]" : "");
  }

  private static String element(Field f, boolean read) {
    return switch (f.type()) {
      case STRING -> "VARCHAR";
      case INT64 -> "BIGINT";
      case FLOAT64 -> "DOUBLE";
      case NUMERIC, BIGNUMERIC -> decimal(f);
      case BOOL -> "BOOLEAN";
      case TIMESTAMP -> read ? "VARCHAR" : "TIMESTAMP";
      case DATE -> "DATE";
      case DATETIME -> "TIMESTAMP";
      case TIME -> "TIME";
      case BYTES -> read ? "VARCHAR" : "BLOB";
      case JSON -> "JSON";
      case RECORD -> {
        StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")");
        for (Field sub : f.fields()) {
          fields.add(DuckDbWarehouse.quoted(sub.name()) + " " + (read ? read(sub) : stored(sub)));
        }
        yield fields.toString();
      }
    };
  }

  /**
   * An exact DECIMAL of the column's precision and scale. DuckDB's DECIMAL stops at 38 digits, so
   * a BIGNUMERIC wider than that is kept locally as its exact text (VARCHAR): gold SQL casts it.
   */
  private static String decimal(Field f) {
    int scale = f.effectiveScale();
    int precision = f.precision() > 0 ? f.precision() : f.type() == FieldType.NUMERIC ? 38 : 77;
    return precision > MAX_DECIMAL_WIDTH ? "VARCHAR" : "DECIMAL(" + precision + ", " + scale + ")";
  }

  /** Whether the value read for {@code f} needs converting to its stored form. */
  private static boolean converts(Field f) {
    return switch (f.type()) {
      case TIMESTAMP, BYTES -> true;
      case RECORD -> f.fields().stream().anyMatch(DuckDbTypes::converts);
      default -> false;
    };
  }

  /** The SQL that turns {@code expr}, read as {@link #read}, into the stored value. */
  public static String convert(String expr, Field f) {
    if (!converts(f)) {
      return expr;
    }
    if (f.repeated()) {
      Field one = new Field(f.name(), f.type(), Field.Mode.NULLABLE, "", f.fields(), f.precision(), f.scale());
      String x = "x" + depth(expr);
      // DuckDB 2 refuses the arrow lambda (x -> ...) by default: the Python-style form it asks for.
      return "list_transform(" + expr + ", lambda " + x + ": " + convert(x, one) + ")";
    }
    return switch (f.type()) {
      // read_json drops a timestamp's UTC offset; TIMESTAMPTZ applies it (session zone UTC), so
      // "12:00:00+02:00" is stored as 10:00 UTC, as BigQuery stores it.
      case TIMESTAMP -> "CAST(CAST(" + expr + " AS TIMESTAMPTZ) AS TIMESTAMP)";
      // BigQuery reads a BYTES value in JSON as base64.
      case BYTES -> "from_base64(" + expr + ")";
      case RECORD -> {
        StringJoiner fields = new StringJoiner(", ", "struct_pack(", ")");
        for (Field sub : f.fields()) {
          fields.add(DuckDbWarehouse.quoted(sub.name()) + " := "
              + convert("struct_extract(" + expr + ", '" + sub.name() + "')", sub));
        }
        yield "CASE WHEN " + expr + " IS NULL THEN NULL ELSE " + fields + " END";
      }
      default -> expr;
    };
  }

  /** A lambda variable name not used by an enclosing lambda. */
  private static int depth(String expr) {
    return expr.split("lambda ", -1).length - 1;
  }
}
