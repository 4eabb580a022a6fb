package io.medallion.repartition;

import io.medallion.port.TableId;
import io.medallion.port.TablePartitioning;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The BigQuery script that moves an existing silver table to its declared partitioning and
 * clustering without losing a row. BigQuery cannot change a table's partitioning in place, and
 * Terraform would replace the table (which {@code deletion_protection} refuses), so the rows are
 * copied into a new table made as declared, the copy is checked against the original, and the two
 * swap names: the table id stays, Terraform finds the table as it declares it, and the old rows
 * stay in {@code t__before_repartition} until someone drops them.
 *
 * <p>Each statement is in the GoogleSQL DDL reference
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language):
 * {@code CREATE TABLE ... (columns) PARTITION BY ... CLUSTER BY ... OPTIONS (...) AS SELECT}
 * (#create_table_statement; the column list keeps the schema file's REQUIRED modes and
 * descriptions, which a bare {@code AS SELECT} would drop, so that Terraform sees no change),
 * {@code ALTER TABLE ... RENAME TO} (#alter_table_rename_to_statement), {@code ALTER TABLE ... SET
 * OPTIONS (partition_expiration_days = N)} (#alter_table_set_options_statement); and {@code
 * ASSERT} from procedural language (https://cloud.google.com/bigquery/docs/reference/standard-sql/debugging-statements#assert),
 * which ends the script with an error before anything is renamed. GoldSqlIsBigQuerySqlTest
 * analyzes the statements with ZetaSQL, BigQuery's own analyzer.
 */
public final class RepartitionScript {

  private RepartitionScript() {}

  /**
   * The statements, in order, that move {@code table} (whose schema file is {@code schema}) to
   * {@code declared}: copy, two checks, swap, and the expiration last (set on the copy it would
   * delete old partitions before the checks could count them).
   *
   * @param tableOptions the table's options as Terraform sets them (description, labels), so that
   *     the new table has them too
   */
  public static List<String> statements(TableId table, TableSchema schema, TablePartitioning declared, TableOptions tableOptions) {
    TableId copy = TablePartitioning.repartitioned(table);
    TableId before = TablePartitioning.beforeRepartition(table);
    if (schema.indexOf(declared.column()) < 0) {
      throw new IllegalArgumentException("partition column " + declared.column() + " is not a column of " + table);
    }
    Field column = schema.field(declared.column());
    StringJoiner columns = new StringJoiner(",\n  ", "(\n  ", "\n)");
    StringJoiner names = new StringJoiner(", ");
    for (Field f : schema.fields()) {
      columns.add(identifier(f.name()) + " " + type(f) + (f.required() ? " NOT NULL" : "") + description(f));
      names.add(identifier(f.name()));
    }
    StringJoiner clustering = new StringJoiner(", ");
    declared.clustering().forEach(c -> clustering.add(identifier(c)));
    List<String> out = new ArrayList<>();
    out.add("CREATE TABLE " + name(copy) + " " + columns
        + "\nPARTITION BY " + partitionExpression(column, declared.granularity())
        + (declared.clustering().isEmpty() ? "" : "\nCLUSTER BY " + clustering)
        + "\nOPTIONS (description = " + literal(tableOptions.description()) + ", labels = " + labels(tableOptions.labels()) + ")"
        + "\nAS SELECT " + names + " FROM " + name(table));
    out.add("ASSERT (SELECT COUNT(*) FROM " + name(table) + ") = (SELECT COUNT(*) FROM " + name(copy) + ")"
        + " AS " + literal(copy.sql() + " does not hold as many rows as " + table.sql() + ": nothing renamed"));
    out.add("ASSERT (" + checksum(table, names) + ") = (" + checksum(copy, names) + ")"
        + " AS " + literal(copy.sql() + " does not hold the rows of " + table.sql() + " (checksum): nothing renamed"));
    out.add("ALTER TABLE " + name(table) + " RENAME TO " + identifier(before.table()));
    out.add("ALTER TABLE " + name(copy) + " RENAME TO " + identifier(table.table()));
    // Rows loaded into the old table while the copy was made would be missing from the new one.
    out.add("ASSERT (SELECT COUNT(*) FROM " + name(before) + ") = (SELECT COUNT(*) FROM " + name(table) + ")"
        + " AS " + literal("rows were loaded into " + table.sql() + " during the move: they are in " + before.sql()
            + " only; insert them into " + table.sql() + " before dropping it"));
    if (declared.expirationDays() != null) {
      out.add("ALTER TABLE " + name(table) + " SET OPTIONS (partition_expiration_days = " + declared.expirationDays() + ")");
    }
    return out;
  }

  /**
   * The table's description and labels, as terraform/bigquery.tf gives {@code google_bigquery_table.silver}.
   */
  public record TableOptions(String description, Map<String, String> labels) {
    public TableOptions {
      labels = new java.util.TreeMap<>(labels);
    }

    /**
     * What Terraform sets on a silver table of {@code source} deployed under {@code namePrefix}
     * ({@code var.name_prefix}): {@code description} and {@code merge(local.labels, {layer, source})}.
     */
    public static TableOptions silver(String source, String table, String namePrefix) {
      return new TableOptions("Typed, validated records of source " + source + " with lineage columns (schemas/bigquery/silver/"
          + table + ".json).", Map.of("pipeline", "medallion", "managed-by", "terraform", "deployment", namePrefix,
          "layer", "silver", "source", source));
    }
  }

  /**
   * The script as {@code medallion repartition} prints it: how to run it, the statements, then what
   * to do in Terraform and when to drop the old table.
   */
  public static String printed(String source, TableId table, TableSchema schema, TablePartitioning declared, TableOptions options) {
    TableId before = TablePartitioning.beforeRepartition(table);
    StringBuilder s = new StringBuilder();
    s.append("-- medallion repartition: ").append(table.sql()).append(" of source ").append(source).append(" to ")
        .append(declared).append('\n');
    s.append("-- Run it as one script (bq query --use_legacy_sql=false < this.sql) while nothing loads into the table:\n")
        .append("-- pause the source's Cloud Scheduler job and let running runs end (medallion status); rows loaded\n")
        .append("-- meanwhile would land in the old table only (the last ASSERT says so). An ASSERT that fails ends the\n")
        .append("-- script before anything is renamed.\n");
    for (String statement : statements(table, schema, declared, options)) {
      s.append(statement).append(";\n");
    }
    s.append("-- Terraform: nothing to replace. The table id is the same and the table is now partitioned and clustered\n")
        .append("-- as declared, so `terraform plan` shows no change to google_bigquery_table.silver[\"").append(table.table())
        .append("\"].\n")
        .append("-- Keep ").append(before.sql()).append(" until gold has run on the moved table and its results are checked\n")
        .append("-- (deletion_protection does not cover it: Terraform does not know it); then:\n")
        .append("--   DROP TABLE ").append(name(before)).append(";\n");
    return s.toString();
  }

  /**
   * The PARTITION BY expression of a time-unit column partitioning: the column itself for a DATE
   * by day, else the column truncated to the day or month ({@code TIMESTAMP_TRUNC},
   * {@code DATETIME_TRUNC}, {@code DATE_TRUNC}), as the DDL reference's partition_expression lists them.
   */
  static String partitionExpression(Field column, TablePartitioning.Granularity granularity) {
    String c = identifier(column.name());
    return switch (column.type()) {
      case DATE -> granularity == TablePartitioning.Granularity.DAY ? c : "DATE_TRUNC(" + c + ", MONTH)";
      case TIMESTAMP -> "TIMESTAMP_TRUNC(" + c + ", " + granularity + ")";
      case DATETIME -> "DATETIME_TRUNC(" + c + ", " + granularity + ")";
      default -> throw new IllegalArgumentException("partition column " + column.name() + " is " + column.type()
          + ", not TIMESTAMP, DATE or DATETIME");
    };
  }

  /** The column's GoogleSQL type: an ARRAY when REPEATED, a STRUCT of its fields when a RECORD. */
  static String type(Field f) {
    String type;
    if (f.type() == FieldType.RECORD) {
      StringJoiner fields = new StringJoiner(", ", "STRUCT<", ">");
      for (Field sub : f.fields()) {
        fields.add(identifier(sub.name()) + " " + type(sub) + (sub.required() ? " NOT NULL" : ""));
      }
      type = fields.toString();
    } else if (f.type().isDecimal() && f.precision() != 0) {
      type = f.type() + "(" + f.precision() + (f.scale() < 0 ? "" : ", " + f.scale()) + ")";
    } else {
      type = f.type().name();
    }
    return f.repeated() ? "ARRAY<" + type + ">" : type;
  }

  private static String description(Field f) {
    return f.description().isEmpty() ? "" : " OPTIONS (description = " + literal(f.description()) + ")";
  }

  private static String checksum(TableId table, StringJoiner names) {
    // A sum, not a BIT_XOR: a row twice counts twice. BIGNUMERIC holds any sum of INT64s exactly.
    return "SELECT IFNULL(SUM(CAST(FARM_FINGERPRINT(TO_JSON_STRING(STRUCT(" + names + "))) AS BIGNUMERIC)), 0) FROM " + name(table);
  }

  private static String labels(Map<String, String> labels) {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    labels.forEach((k, v) -> out.add("(" + literal(k) + ", " + literal(v) + ")"));
    return out.toString();
  }

  /** {@code `dataset.table`}: validated identifiers, quoted since either may be a reserved word. */
  static String name(TableId table) {
    return "`" + table.dataset() + "." + table.table() + "`";
  }

  /** A column name, quoted: a schema file may name a column {@code at} or {@code number}, reserved words. */
  static String identifier(String name) {
    return "`" + TableId.requireIdentifier(name, "column") + "`";
  }

  /** A GoogleSQL string literal. */
  static String literal(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '\\' -> s.append("\\\\");
        case '"' -> s.append("\\\"");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> s.append(c);
      }
    }
    return s.append('"').toString();
  }
}
