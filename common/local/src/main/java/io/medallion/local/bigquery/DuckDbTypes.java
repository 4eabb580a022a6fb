package io.medallion.local.bigquery;

import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  // ---- DuckDB's column types read back as schema fields

  /**
   * The column a DuckDB column of this type stands for: the reverse of {@link #stored}, so that
   * {@code column(name, stored(f), notNull)} is {@code f} wherever DuckDB keeps the difference. It
   * does not keep some: DATETIME and TIMESTAMP are both TIMESTAMP, a BIGNUMERIC wider than 38
   * digits is VARCHAR, a NUMERIC's declared precision is its DECIMAL's, and a STRUCT's fields have
   * no NOT NULL. A LIST is REPEATED; a top-level column is REQUIRED when NOT NULL.
   *
   * @throws IllegalArgumentException for a type no BigQuery type stands for (MAP, UNION, ...)
   */
  static Field column(String name, String duckDbType, boolean notNull) {
    return new TypeReader(duckDbType).field(name, notNull);
  }

  /** What a table made from {@code declared} reads back as: see {@link #column}. */
  public static TableSchema asStored(TableSchema declared) {
    List<Field> fields = new ArrayList<>();
    for (Field f : declared.fields()) {
      fields.add(column(f.name(), stored(f), f.required() || f.repeated()));
    }
    return new TableSchema(fields);
  }

  /** A recursive-descent reader of one DuckDB type name, as information_schema.columns spells it. */
  private static final class TypeReader {
    private final String text;
    private int at;

    TypeReader(String text) {
      this.text = text;
    }

    Field field(String name, boolean notNull) {
      Field f = type(name, notNull);
      skipSpaces();
      if (at != text.length()) {
        throw unsupported();
      }
      return f;
    }

    private Field type(String name, boolean notNull) {
      skipSpaces();
      Field element = element(name);
      skipSpaces();
      if (text.startsWith("[]", at)) {
        at += 2;
        if (element.repeated() || text.startsWith("[]", at)) {
          throw unsupported(); // a list of lists: BigQuery has no ARRAY<ARRAY<...>>
        }
        return new Field(name, element.type(), Field.Mode.REPEATED, "", element.fields(), element.precision(), element.scale());
      }
      return notNull
          ? new Field(name, element.type(), Field.Mode.REQUIRED, "", element.fields(), element.precision(), element.scale())
          : element;
    }

    private Field element(String name) {
      int start = at;
      while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_'
          || (text.charAt(at) == ' ' && text.startsWith(" WITH TIME ZONE", at)))) {
        at += text.startsWith(" WITH TIME ZONE", at) ? " WITH TIME ZONE".length() : 1;
      }
      String word = text.substring(start, at).toUpperCase(Locale.ROOT);
      if (word.equals("STRUCT")) {
        return new Field(name, FieldType.RECORD, Field.Mode.NULLABLE, "", structFields(), 0, -1);
      }
      if (word.equals("DECIMAL") || word.equals("NUMERIC")) {
        expect('(');
        int precision = number();
        expect(',');
        int scale = number();
        expect(')');
        // DECIMAL(38, 9) is NUMERIC's own; anything NUMERIC(P, S) cannot hold is a BIGNUMERIC.
        FieldType type = scale <= 9 && precision <= scale + 29 ? FieldType.NUMERIC : FieldType.BIGNUMERIC;
        return new Field(name, type, Field.Mode.NULLABLE, "", List.of(), precision, scale);
      }
      FieldType type = switch (word) {
        case "VARCHAR", "UUID" -> FieldType.STRING;
        case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UINTEGER", "USMALLINT", "UTINYINT" -> FieldType.INT64;
        case "DOUBLE", "FLOAT" -> FieldType.FLOAT64;
        case "BOOLEAN" -> FieldType.BOOL;
        case "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> FieldType.TIMESTAMP;
        case "DATE" -> FieldType.DATE;
        case "TIME" -> FieldType.TIME;
        case "BLOB" -> FieldType.BYTES;
        case "JSON" -> FieldType.JSON;
        default -> throw unsupported();
      };
      return new Field(name, type, Field.Mode.NULLABLE, "");
    }

    private List<Field> structFields() {
      expect('(');
      List<Field> fields = new ArrayList<>();
      do {
        skipSpaces();
        String name = identifier();
        fields.add(type(name, false));
        skipSpaces();
      } while (accept(','));
      expect(')');
      return fields;
    }

    /** A field name, bare or double-quoted (DuckDB quotes keywords and odd names). */
    private String identifier() {
      if (accept('"')) {
        StringBuilder name = new StringBuilder();
        while (at < text.length()) {
          char c = text.charAt(at++);
          if (c == '"') {
            if (at < text.length() && text.charAt(at) == '"') {
              name.append('"');
              at++;
            } else {
              return name.toString();
            }
          } else {
            name.append(c);
          }
        }
        throw unsupported();
      }
      int start = at;
      while (at < text.length() && text.charAt(at) != ' ') {
        at++;
      }
      return text.substring(start, at);
    }

    private int number() {
      skipSpaces();
      int start = at;
      while (at < text.length() && Character.isDigit(text.charAt(at))) {
        at++;
      }
      if (start == at) {
        throw unsupported();
      }
      return Integer.parseInt(text.substring(start, at));
    }

    private boolean accept(char c) {
      skipSpaces();
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!accept(c)) {
        throw unsupported();
      }
    }

    private void skipSpaces() {
      while (at < text.length() && text.charAt(at) == ' ') {
        at++;
      }
    }

    private IllegalArgumentException unsupported() {
      return new IllegalArgumentException("DuckDB type " + text + " stands for no BigQuery type the schema files name");
    }
  }
}
