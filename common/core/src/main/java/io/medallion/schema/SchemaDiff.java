package io.medallion.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a schema file changes in a table that exists: the declared schema against the table's live
 * one, column by column and field by field inside RECORDs, to any depth.
 *
 * <p>A load can make two kinds of change itself, as BigQuery's load jobs do with {@code
 * ALLOW_FIELD_ADDITION} and {@code ALLOW_FIELD_RELAXATION}: {@link Kind#ADDED} (a new NULLABLE or
 * REPEATED column or RECORD field; rows already loaded read NULL, or an empty array) and {@link
 * Kind#RELAXED} (REQUIRED to NULLABLE). Everything else is {@link Kind#BREAKING}: a load would fail
 * on it or lose what the table holds, so it is refused before any load, naming the column and what
 * to do. See https://cloud.google.com/bigquery/docs/managing-table-schemas.
 *
 * <p>Column order and descriptions are not compared: BigQuery appends new columns at the end
 * whatever the file's order, and loads match JSON fields by name.
 */
public final class SchemaDiff {

  /** What a change does to the table. */
  public enum Kind {
    /** A new NULLABLE or REPEATED column or RECORD field: the next load adds it. */
    ADDED,
    /** REQUIRED to NULLABLE: the next load relaxes it. */
    RELAXED,
    /** Anything else: refused before any load. */
    BREAKING
  }

  /**
   * One difference.
   *
   * @param path the column, or a RECORD's field by its dotted path ({@code items.unit_price})
   * @param what what changed ({@code type changed from INT64 to STRING})
   * @param todo what happens next, or what to do about it
   */
  public record Change(Kind kind, String path, String what, String todo) {
    /** {@code items.unit_price: type changed from ... (add a new column ...)}. */
    public String describe() {
      return path + ": " + what + " (" + todo + ")";
    }
  }

  private static final String NEW_VERSION =
      "create a new table version (a new silver table, loaded again from bronze)";
  private static final String NEW_COLUMN_OR_VERSION =
      "a load cannot change a column in place: add a new column and backfill it, or " + NEW_VERSION;

  private final List<Change> changes;

  private SchemaDiff(List<Change> changes) {
    this.changes = List.copyOf(changes);
  }

  /** The changes {@code declared} (the schema file) makes to {@code live} (the table as it is). */
  public static SchemaDiff between(TableSchema declared, TableSchema live) {
    List<Change> changes = new ArrayList<>();
    compare(declared.fields(), live.fields(), "", changes);
    return new SchemaDiff(changes);
  }

  private static void compare(List<Field> declared, List<Field> live, String prefix, List<Change> out) {
    for (Field d : declared) {
      String path = prefix + d.name();
      Field l = find(live, d.name());
      if (l == null) {
        added(d, path, !prefix.isEmpty(), out);
      } else {
        changed(d, l, path, out);
      }
    }
    for (Field l : live) {
      if (find(declared, l.name()) == null) {
        out.add(new Change(Kind.BREAKING, prefix + l.name(),
            (prefix.isEmpty() ? "column" : "field") + " removed from the schema file, still in the table",
            "a load cannot remove it: keep it in the schema file (NULLABLE if it is no longer filled), or "
                + NEW_VERSION));
      }
    }
  }

  private static void added(Field d, String path, boolean nested, List<Change> out) {
    String what = "new " + (nested ? "field" : "column") + " " + typeOf(d) + " " + d.mode();
    if (d.required()) {
      out.add(new Change(Kind.BREAKING, path, what,
          "rows already in the table have no value for it: declare it NULLABLE, or " + NEW_VERSION));
    } else {
      // REQUIRED fields inside a new RECORD are fine: BigQuery adds them with the RECORD, which
      // older rows hold as NULL ("you can create a nested REQUIRED column as part of a new RECORD
      // field", managing-table-schemas).
      out.add(new Change(Kind.ADDED, path, what, "added by the next load; rows already loaded read "
          + (d.repeated() ? "an empty array" : "NULL")));
    }
  }

  private static void changed(Field d, Field l, String path, List<Change> out) {
    if (d.repeated() != l.repeated()) {
      out.add(new Change(Kind.BREAKING, path, "mode changed from " + l.mode() + " to " + d.mode(),
          NEW_COLUMN_OR_VERSION));
      return;
    }
    if (d.type() != l.type()) {
      out.add(new Change(Kind.BREAKING, path, "type changed from " + typeOf(l) + " to " + typeOf(d),
          NEW_COLUMN_OR_VERSION));
      return;
    }
    if (d.type().isDecimal()) {
      decimal(d, l, path, out);
    }
    if (d.required() && !l.required()) {
      out.add(new Change(Kind.BREAKING, path, "mode changed from NULLABLE to REQUIRED",
          "rows already loaded may hold NULL: keep it NULLABLE, or " + NEW_VERSION));
    } else if (!d.required() && l.required()) {
      out.add(new Change(Kind.RELAXED, path, "relaxed from REQUIRED to NULLABLE", "relaxed by the next load"));
    }
    if (d.isRecord()) {
      compare(d.fields(), l.fields(), path + ".", out);
    }
  }

  /** A decimal's precision and scale: narrowing loses values, and a load widens nothing either. */
  private static void decimal(Field d, Field l, String path, List<Change> out) {
    int dp = precision(d);
    int lp = precision(l);
    int ds = d.effectiveScale();
    int ls = l.effectiveScale();
    if (dp == lp && ds == ls) {
      return;
    }
    boolean wider = ds >= ls && dp - ds >= lp - ls;
    String what = (wider ? "widened" : "narrowed") + " from " + typeOf(l) + " to " + typeOf(d);
    out.add(new Change(Kind.BREAKING, path, what, wider
        ? "a load does not change a column's type: widen it first (ALTER TABLE ... ALTER COLUMN " + path
            + " SET DATA TYPE " + typeOf(d) + ", which BigQuery allows for a wider decimal), or " + NEW_VERSION
        : "values already loaded may not fit: keep " + typeOf(l) + ", or add a new column and backfill it, or "
            + NEW_VERSION));
  }

  /** The declared precision, or the type's: 38 for NUMERIC, 77 (76.76) for BIGNUMERIC. */
  private static int precision(Field f) {
    return f.precision() > 0 ? f.precision() : f.type() == FieldType.NUMERIC ? 38 : 77;
  }

  private static String typeOf(Field f) {
    return f.isRecord() ? "RECORD" : f.typeName();
  }

  private static Field find(List<Field> fields, String name) {
    for (Field f : fields) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  /** Every change, the declared schema's order first, then what it removed. */
  public List<Change> changes() {
    return changes;
  }

  /** The changes of one kind. */
  public List<Change> of(Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).toList();
  }

  /** Whether the schema file and the table agree (order and descriptions aside). */
  public boolean unchanged() {
    return changes.isEmpty();
  }

  /** Whether a load must be refused. */
  public boolean breaking() {
    return changes.stream().anyMatch(c -> c.kind() == Kind.BREAKING);
  }

  /** The error of a refused load into {@code table}: every breaking change, with what to do. */
  public String refusal(String table) {
    List<Change> breaking = of(Kind.BREAKING);
    return "the schema file of " + table + " changes the table in a way no load can, so nothing was loaded: "
        + breaking.stream().map(Change::describe).collect(Collectors.joining("; "));
  }

  @Override
  public String toString() {
    return changes.stream().map(c -> c.kind() + " " + c.describe()).collect(Collectors.joining("\n"));
  }
}
