package io.medallion.cli;

import io.medallion.local.bigquery.DuckDbTypes;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import io.medallion.source.SourcePath;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * DuckDB's side of the bench's race: one SQL statement that does what silver does to a resource's
 * records (its silver schema's types, its mapping's paths, trimming, blank-to-NULL, lowercasing,
 * the lineage columns) and writes NDJSON rows, over one of three inputs holding the same records.
 *
 * <p>Derived from the schema and mapping alone, not from any one source: a column read from a
 * nested path ({@code user.login}, {@code labels[].name}) is read through a STRUCT (a LIST of
 * STRUCTs for {@code []}) built from all the paths, and each column is read and converted with
 * {@link DuckDbTypes}, the types the local warehouse loads silver with (RECORD as STRUCT, REPEATED
 * as LIST, NUMERIC as DECIMAL, ...). It checks no ranges, keeps no rejects (records it cannot type
 * are skipped), does not deduplicate keys and writes no {@code _source_record}.
 */
final class DuckDbRace {

  /** The ways the same records are laid out for DuckDB to read. */
  enum Input {
    /** The one JSON array silver reads. */
    ARRAY("DuckDB one JSON array"),
    /** The same records, one per line. */
    NDJSON("DuckDB NDJSON"),
    /** The same records as a run's bronze page files, read by one glob. */
    PAGES("DuckDB bronze page glob");

    final String label;

    Input(String label) {
      this.label = label;
    }
  }

  /** The column an unnested page record is read into, when the records sit inside each page's object. */
  private static final String RECORD = "__record";

  private final TableSchema schema;
  private final Source.Resource resource;
  private final Node root = new Node();

  /**
   * The race for {@code resource}'s records. Its paths do not meet (SourceDeclarations refuses a
   * field that feeds one column and leads to another).
   */
  DuckDbRace(Source source, Source.Resource resource) {
    this.resource = resource;
    this.schema = source.silverSchema(resource.silverTable());
    for (Field f : schema.fields()) {
      if (!SourceDeclarations.LINEAGE_COLUMNS.contains(f.name())) {
        register(f, resource.silver().sourcePath(f.name()));
      }
    }
  }

  /**
   * The statement that writes the rows of the records at {@code location} to {@code rows} as
   * NDJSON: for {@link Input#PAGES} a glob of page files, each as the API returned it.
   */
  String copy(Input input, String location, Path rows) {
    return "COPY (" + select(input, location) + ") TO " + literal(rows.toString()) + " (FORMAT json)";
  }

  /** The query of the silver rows of the records at {@code location}, as {@link #copy} writes them. */
  String select(Input input, String location) {
    boolean unnested = input == Input.PAGES && !"$".equals(resource.endpoint().dataSelector());
    StringJoiner select = new StringJoiner(", ");
    for (Field f : schema.fields()) {
      String value = switch (f.name()) {
        case "_run_id" -> "'bench'";
        case "_source_uri" -> input == Input.PAGES ? "filename" : literal(Path.of(location).toUri().toString());
        case "_source_generation" -> "1";
        case "_source_record" -> null; // silver's position in the object; not computed here
        case "_ingested_at" -> "TIMESTAMP '2026-01-01 00:00:00'";
        default -> expression(f, resource.silver().sourcePath(f.name()), unnested);
      };
      if (value != null) {
        select.add(value + " AS " + quoted(f.name()));
      }
    }
    String options = ", columns = " + root.columns() + ", ignore_errors = true";
    String from = switch (input) {
      case ARRAY -> "read_json(" + literal(location) + ", format = 'array'" + options + ")";
      case NDJSON -> "read_json(" + literal(location) + ", format = 'newline_delimited'" + options + ")";
      case PAGES -> unnested ? unnestedPages(location)
          : "read_json(" + literal(location) + ", format = 'array'" + options + ", filename = true)";
    };
    return "SELECT " + select + " FROM " + from;
  }

  /**
   * Pages whose records sit in an object at the data selector's path: each page is one JSON
   * object whose array at that path is read as a LIST of the record STRUCT, then unnested.
   */
  private String unnestedPages(String glob) {
    String[] steps = resource.endpoint().dataSelector().split("\\.");
    String type = root.type() + "[]";
    for (int i = steps.length - 1; i > 0; i--) {
      type = "STRUCT(" + quoted(steps[i]) + " " + type + ")";
    }
    String list = quoted(steps[0]);
    for (int i = 1; i < steps.length; i++) {
      list = "struct_extract(" + list + ", " + literal(steps[i]) + ")";
    }
    return "(SELECT unnest(" + list + ") AS " + RECORD + ", filename FROM read_json(" + literal(glob)
        + ", format = 'auto', records = 'true', columns = {" + literal(steps[0]) + ": " + literal(type)
        + "}, ignore_errors = true, filename = true))";
  }

  /** Adds what column {@code f} reads at {@code path} to the tree of what is read of a record. */
  private void register(Field f, SourcePath path) {
    Node node = root;
    List<String> fields = path.fields();
    for (int i = 0; i < fields.size(); i++) {
      node = node.child(fields.get(i), f, path.overElements() && i == fields.size() - 1);
    }
    if (path.overElements()) {
      for (String name : path.inElement()) {
        node = node.child(name, f, false);
      }
      node.leaf(element(f));
    } else {
      node.leaf(f);
    }
  }

  /**
   * Column {@code f}'s value from {@code path}: a record's top-level field is a column of
   * {@code read_json}, or a field of the unnested page record.
   */
  private String expression(Field f, SourcePath path, boolean unnested) {
    String first = path.fields().get(0);
    String value = unnested ? "struct_extract(" + RECORD + ", " + literal(first) + ")" : quoted(first);
    for (String name : path.fields().subList(1, path.fields().size())) {
      value = "struct_extract(" + value + ", " + literal(name) + ")";
    }
    if (path.overElements()) {
      String inner = "x";
      for (String name : path.inElement()) {
        inner = "struct_extract(" + inner + ", " + literal(name) + ")";
      }
      return "list_transform(" + value + ", lambda x: " + DuckDbTypes.convert(inner, element(f)) + ")";
    }
    value = DuckDbTypes.convert(value, f);
    if (f.type() == FieldType.STRING && !f.repeated()) {
      value = "nullif(trim(" + value + "), '')";
      if (resource.silver().lowercase().contains(f.name())) {
        value = "lower(" + value + ")";
      }
    }
    return value;
  }

  /** One element of a REPEATED column read through {@code []}: the column's type, not repeated. */
  private static Field element(Field f) {
    return new Field(f.name(), f.type(), Field.Mode.NULLABLE, "", f.fields(), f.precision(), f.scale());
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** What is read of a record's field: one column's value, or the fields below it (of each element, when an array). */
  private static final class Node {
    final Map<String, Node> children = new LinkedHashMap<>();
    Field leaf;
    boolean array;

    Node child(String name, Field column, boolean overElements) {
      Node child = children.computeIfAbsent(name, n -> new Node());
      child.array |= overElements;
      return child;
    }

    void leaf(Field column) {
      if (leaf != null || !children.isEmpty()) {
        throw new IllegalStateException("column " + column.name() + " reads a field another column reads or reads into");
      }
      leaf = column;
    }

    /** The DuckDB type this field is read as. */
    String type() {
      if (leaf != null) {
        return DuckDbTypes.read(leaf);
      }
      StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")" + (array ? "[]" : ""));
      children.forEach((name, child) -> fields.add(quoted(name) + " " + child.type()));
      return fields.toString();
    }

    /** {@code read_json}'s {@code columns}: the record's top-level fields and their types. */
    String columns() {
      StringJoiner fields = new StringJoiner(", ", "{", "}");
      children.forEach((name, child) -> fields.add(literal(name) + ": " + literal(child.type())));
      return fields.toString();
    }
  }
}
