package io.medallion.silver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.Sensitivity;
import io.medallion.schema.TableSchema;
import io.medallion.silver.format.FileRecords;
import io.medallion.source.SilverMapping;
import io.medallion.source.SourcePath;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one bronze record into typed silver values, or says why it cannot. The rules are the
 * silver contract (see README "Silver rules"):
 *
 * <ul>
 *   <li>strings are trimmed and a blank string is NULL; a number or boolean in a string column
 *       becomes its JSON text; an object or array is {@link RejectReason#WRONG_TYPE};
 *   <li>numbers may come as JSON numbers or numeric strings; other text is {@link
 *       RejectReason#NOT_A_NUMBER}; values outside the mapping's range are {@link
 *       RejectReason#OUT_OF_RANGE};
 *   <li>TIMESTAMP and DATE columns take ISO 8601 text ({@link SilverTime}); anything else is
 *       {@link RejectReason#INVALID_TIMESTAMP} or {@link RejectReason#INVALID_DATE};
 *   <li>a column may come from a nested field ({@code user.login}): a JSON null or a missing object
 *       on the way gives NULL, anything else on the way that is not an object is WRONG_TYPE;
 *   <li>a REPEATED column takes a JSON array of its type ({@code languages}), or a field of each
 *       element of an array of objects ({@code labels[].name}); a null or missing array gives an
 *       empty one, a NULL element {@link RejectReason#MISSING_REQUIRED} (BigQuery arrays hold no
 *       NULL), a faulty element its reason, named by its path ({@code labels[2].name});
 *   <li>REQUIRED columns must end up non-NULL ({@link RejectReason#MISSING_REQUIRED});
 *   <li>RECORD columns take an object (an array of objects when REPEATED), typed field by field
 *       to any depth; NUMERIC and BIGNUMERIC are exact, a value that does not fit is refused,
 *       never rounded; JSON columns keep any value as compact JSON;
 *   <li>a field that appears twice in one object is {@link RejectReason#DUPLICATE_FIELD};
 *   <li>fields no column reads are kept in {@code _extra}, counted, or refused, as the mapping's
 *       {@link SilverMapping.UnknownFields} says, unless the mapping drops them.
 * </ul>
 *
 * Columns whose names start with {@code _} are lineage, filled by the transform, not the record.
 *
 * <p>The record is read from a streaming parser, no tree built: a first pass keeps each scalar
 * column's token and text (the last of repeated fields wins, as in a JSON object) and types the
 * elements of arrays as it meets them, keeping the first fault of each column; then the columns are
 * checked in schema order, so a record with two faults always gets the first column's reason. A
 * record of top-level scalar fields (the common case) takes the first pass's fast path: no path
 * walked, no state beyond three arrays. Thread-safe: one typer serves every worker.
 */
final class RecordTyper {

  /**
   * A typed record or a reject.
   *
   * @param unknown the fields of the record that no column reads and the declaration does not
   *     drop, by path with {@code []} for any element ({@code items[].discount}); empty for none
   * @param row the file row the record is ({@link FileRecords#ROW_FIELD}), or -1 for none
   */
  record Typed(Object[] values, RejectReason reason, String message, List<String> unknown, long row) {
    Typed(Object[] values, RejectReason reason, String message) {
      this(values, reason, message, List.of(), -1);
    }

    Typed(Object[] values, RejectReason reason, String message, List<String> unknown) {
      this(values, reason, message, unknown, -1);
    }

    /** The same, from row {@code row} of a file ({@link FileRecords#ROW_FIELD}). */
    Typed atRow(long row) {
      return new Typed(values, reason, message, unknown, row);
    }

    boolean rejected() {
      return reason != null;
    }
  }

  /** A RECORD value: its fields' values in the RECORD's order (null for NULL, a List when REPEATED). */
  record Struct(Shape shape, Object[] values) {}

  /** A JSON value (a JSON column, or the {@code _extra} object) as compact JSON text. */
  record RawJson(String json) {}

  /** A RECORD field's fields, found by name. */
  static final class Shape {
    final Field[] fields;
    final com.fasterxml.jackson.core.io.SerializedString[] names;
    final Map<String, Integer> index = new HashMap<>();
    final Shape[] shapes;
    /** The field seen at each position of earlier objects, as {@link RecordTyper#column} keeps them. */
    private final FieldAt[] fieldAt = new FieldAt[32];

    /** The index of field {@code name}, seen at {@code position} of its object, or -1. */
    int indexOf(String name, int position) {
      if (position < fieldAt.length) {
        FieldAt seen = fieldAt[position];
        if (seen != null && (seen.name() == name || seen.name().equals(name))) {
          return seen.column();
        }
      }
      Integer k = index.get(name);
      int found = k == null ? -1 : k;
      if (position < fieldAt.length) {
        fieldAt[position] = new FieldAt(name, found);
      }
      return found;
    }

    Shape(Field record) {
      List<Field> list = record.fields();
      this.fields = list.toArray(Field[]::new);
      this.names = new com.fasterxml.jackson.core.io.SerializedString[fields.length];
      this.shapes = new Shape[fields.length];
      for (int i = 0; i < fields.length; i++) {
        names[i] = new com.fasterxml.jackson.core.io.SerializedString(fields[i].name());
        index.put(fields[i].name(), i);
        shapes[i] = fields[i].isRecord() ? new Shape(fields[i]) : null;
      }
    }
  }

  /**
   * A string value still as its UTF-8 bytes in the input: one the output can take as it is. Made
   * only for a string with no escapes, no 4-byte character (which Jackson's writer would escape),
   * and a first and last byte that are visible ASCII (so strip() would change nothing and it is
   * not blank), in a column that is not lowercased: copying it gives the bytes decoding and
   * encoding would, without either.
   */
  record Utf8(byte[] bytes, int offset, int length) {
    @Override
    public String toString() {
      return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }
  }

  /** How a column's values are found in a record. */
  private enum Kind {
    /** One value: a NULLABLE or REQUIRED column. */
    SCALAR,
    /** A REPEATED column fed by a JSON array of values. */
    ARRAY,
    /** A REPEATED column fed by a field of each element of an array of objects ({@code []}). */
    ELEMENT
  }

  private record Column(int index, String sourceField, Field field, double[] range, boolean lowercase, Kind kind, Shape shape) {
    /** Whether a plain string of this column can be copied as its input bytes ({@link Utf8}). */
    boolean copiesPlainStrings() {
      return field.type() == FieldType.STRING && !lowercase && kind == Kind.SCALAR && field.masking() == null;
    }

    /** Whether its value is read whole where it is met (a RECORD or JSON), not kept as a token. */
    boolean consumes() {
      return shape != null || field.type() == FieldType.JSON;
    }
  }

  /**
   * A field on the way to columns, other than a top-level field that feeds one scalar column (those
   * take the fast path): the end of a path (a column), an object whose fields lead on, or an array
   * whose elements' fields do.
   */
  private static final class Node {
    /** The path to this field, up to the array it is in if it is in one. */
    final String prefix;
    /** The path from the element, when in an array; null otherwise. */
    final String suffix;
    /** The column this field's value feeds, or -1. */
    int column = -1;
    /** The fields of this field's object that lead on, by name. */
    Map<String, Node> children;
    /** Each element of this field's array, when the path goes through it ({@code []}). */
    Node elements;
    /** Every column fed from here or below. */
    int[] columnsUnder;

    Node(String prefix, String suffix) {
      this.prefix = prefix;
      this.suffix = suffix;
    }

    /** The field's path in messages: in an array, with its element's index. */
    String where(int element) {
      return suffix == null ? prefix : prefix + "[" + element + "]" + suffix;
    }

    /** The field's path with {@code []} for the element, as unknown fields are counted by. */
    String pattern() {
      return suffix == null ? prefix : prefix + "[]" + suffix;
    }

    boolean isEnd() {
      return children == null && elements == null;
    }
  }

  private final Column[] columns;
  /** Top-level fields that feed one scalar column each: their column. */
  private final Map<String, Integer> bySourceField = new HashMap<>();
  /** Other top-level fields (nested paths, arrays): their node, as {@code -2 - index} here. */
  private final Node[] nodes;
  private final boolean hasRepeated;
  private final boolean hasElements;
  private final boolean hasConsuming;
  private final SilverMapping.UnknownFields unknownFields;
  private final java.util.Set<String> drop;
  private final java.time.ZoneId timezone;
  /** The {@code _extra} column's index, or -1 when the table keeps no unknown fields. */
  private final int extraIndex;

  /**
   * The column of the field seen at each position of earlier records ({@code -1}: not a column,
   * {@code -2 - i}: {@code nodes[i]}): records of one source mostly list their fields in the same
   * order, and Jackson hands out the same interned name each time, so a hit costs one comparison
   * instead of a map lookup. Shared by the worker threads: each slot is one immutable pair,
   * replaced whole, checked on use.
   */
  private final FieldAt[] fieldAt = new FieldAt[64];

  private record FieldAt(String name, int column) {}

  /** Jackson's limit on a string's length, which it checks only when it decodes one. */
  private final int maxStringLength;

  /** The key of {@code hash} masking, or null when no column is hashed. */
  private final byte[] maskingSalt;

  /**
   * @throws IllegalArgumentException when a column's source path is not a path, takes {@code []}
   *     towards a column that is not REPEATED, or ends where another goes on
   */
  RecordTyper(TableSchema schema, SilverMapping mapping, int maxStringLength) {
    this(schema, mapping, maxStringLength, null);
  }

  /**
   * @param maskingSalt the domain's masking salt, needed when a column is masked by {@code hash}
   * @throws IllegalStateException when a column is hashed and there is no salt
   */
  RecordTyper(TableSchema schema, SilverMapping mapping, int maxStringLength, byte[] maskingSalt) {
    this.maxStringLength = maxStringLength;
    this.maskingSalt = maskingSalt == null ? null : maskingSalt.clone();
    for (TableSchema.Marked m : schema.marked()) {
      if (m.field().masking() == Sensitivity.Masking.HASH && (maskingSalt == null || maskingSalt.length == 0)) {
        throw new IllegalStateException("column " + m.path() + " is masked by hash and no masking salt was given:"
            + " refusing to type (the clear value would be written)");
      }
    }
    List<Column> list = new ArrayList<>();
    Map<String, Node> top = new LinkedHashMap<>();
    boolean repeated = false;
    boolean elements = false;
    boolean consuming = false;
    this.unknownFields = mapping.unknownFields();
    this.drop = mapping.drop();
    this.timezone = mapping.timezone();
    this.extraIndex = schema.indexOf(SilverMapping.EXTRA_COLUMN);
    if (extraIndex >= 0 && schema.fields().get(extraIndex).type() != FieldType.JSON) {
      throw new IllegalArgumentException("Column " + SilverMapping.EXTRA_COLUMN + " keeps the fields no column reads: it must be JSON, not "
          + schema.fields().get(extraIndex).type());
    }
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.fields().get(i);
      if (f.name().startsWith("_")) {
        continue;
      }
      SourcePath path;
      try {
        path = mapping.sourcePath(f.name());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Source column " + f.name() + ": " + e.getMessage(), e);
      }
      if (path.overElements() && !f.repeated()) {
        throw new IllegalArgumentException("Source column " + f.name() + ": " + path
            + " takes a value from each element of an array, so the column must be REPEATED");
      }
      Kind kind = !f.repeated() ? Kind.SCALAR : path.overElements() ? Kind.ELEMENT : Kind.ARRAY;
      repeated |= f.repeated();
      elements |= kind == Kind.ELEMENT;
      int slot = list.size();
      Column column = new Column(i, path.toString(), f, mapping.ranges().get(f.name()), mapping.lowercase().contains(f.name()), kind,
          f.isRecord() ? new Shape(f) : null);
      consuming |= column.consumes();
      list.add(column);
      place(top, path, slot, f.name());
    }
    this.columns = list.toArray(Column[]::new);
    this.hasRepeated = repeated;
    this.hasElements = elements;
    this.hasConsuming = consuming;
    List<Node> others = new ArrayList<>();
    for (Map.Entry<String, Node> e : top.entrySet()) {
      Node n = e.getValue();
      if (n.isEnd() && columns[n.column].kind() == Kind.SCALAR) {
        bySourceField.put(e.getKey(), n.column);
      } else {
        collectColumns(n);
        bySourceField.put(e.getKey(), -2 - others.size());
        others.add(n);
      }
    }
    this.nodes = others.toArray(Node[]::new);
  }

  /** Whether a column takes a field of each element of top-level field {@code name}'s array ({@code name[].x}). */
  boolean readsElementsOf(String name) {
    Integer c = bySourceField.get(name);
    if (c == null || c > -2) {
      return false;
    }
    Node n = nodes[-2 - c];
    return n.elements != null || n.column >= 0 && columns[n.column].consumes();
  }

  /** Adds the path of column {@code slot} to the tree of top-level fields. */
  private static void place(Map<String, Node> top, SourcePath path, int slot, String column) {
    List<String> names = path.fields();
    Node n = top.computeIfAbsent(names.get(0), name -> new Node(name, null));
    for (int k = 1; k < names.size(); k++) {
      n = child(n, names.get(k), path, column);
    }
    if (path.overElements()) {
      if (n.column >= 0 || n.children != null) {
        throw conflict(path, column, n);
      }
      if (n.elements == null) {
        n.elements = new Node(n.prefix, "");
      }
      n = n.elements;
      for (String name : path.inElement()) {
        n = child(n, name, path, column);
      }
    }
    if (n.column >= 0 || !n.isEnd()) {
      throw conflict(path, column, n);
    }
    n.column = slot;
  }

  private static Node child(Node parent, String name, SourcePath path, String column) {
    if (parent.column >= 0 || parent.elements != null) {
      throw conflict(path, column, parent);
    }
    if (parent.children == null) {
      parent.children = new LinkedHashMap<>();
    }
    return parent.children.computeIfAbsent(name, k -> parent.suffix == null
        ? new Node(parent.prefix + "." + name, null)
        : new Node(parent.prefix, parent.suffix + "." + name));
  }

  private static IllegalArgumentException conflict(SourcePath path, String column, Node at) {
    return new IllegalArgumentException("Source column " + column + ": " + path + " meets another column's path at '"
        + at.where(0).replace("[0]", "[]") + "' (a field is one column's value, or an object or an array on the way to others)");
  }

  private static int[] collectColumns(Node n) {
    List<Integer> under = new ArrayList<>();
    if (n.column >= 0) {
      under.add(n.column);
    }
    if (n.children != null) {
      for (Node c : n.children.values()) {
        for (int k : collectColumns(c)) {
          under.add(k);
        }
      }
    }
    if (n.elements != null) {
      for (int k : collectColumns(n.elements)) {
        under.add(k);
      }
    }
    n.columnsUnder = under.stream().mapToInt(Integer::intValue).toArray();
    return n.columnsUnder;
  }

  /**
   * The fields of one record that no column reads: kept as the {@code _extra} object, counted, or
   * the record's fault, as the declaration says; and the record's first duplicate field.
   */
  private final class Extras {
    /** The {@code _extra} object's members so far, or null for none. */
    StringBuilder json;
    /** Each unknown field by its path with {@code []} for elements, once. */
    List<String> names;
    /** The paths kept so far, with element indexes: a second one is a duplicate field. */
    List<String> kept;
    /** The record's first fault that belongs to no column (a duplicate or, under REJECT, an unknown field). */
    Typed fault;

    /**
     * Takes the value of an unknown field the parser is on ({@code path} with indexes, {@code
     * pattern} with {@code []}), leaving the parser on its last token.
     */
    void unknown(JsonParser p, String path, String pattern) throws IOException {
      if (dropped(pattern)) {
        skipValue(p);
        return;
      }
      if (names == null) {
        names = new ArrayList<>(4);
        kept = new ArrayList<>(4);
      }
      if (kept.contains(path)) {
        duplicate(path);
        skipValue(p);
        return;
      }
      kept.add(path);
      if (!names.contains(pattern)) {
        names.add(pattern);
      }
      if (unknownFields == SilverMapping.UnknownFields.REJECT) {
        if (fault == null) {
          fault = reject(RejectReason.UNKNOWN_FIELD, path + " is not a column of the table, and the source rejects unknown fields"
              + " (add the column to the schema, or name the field in silver.drop)");
        }
        skipValue(p);
      } else if (unknownFields == SilverMapping.UnknownFields.KEEP && extraIndex >= 0) {
        json = json == null ? new StringBuilder(64).append('{') : json.append(',');
        quote(path, json);
        json.append(':');
        if (!compact(p, json) && fault == null) {
          fault = reject(RejectReason.NOT_A_NUMBER, path + ": NaN and Infinity are not JSON numbers");
        }
      } else {
        skipValue(p);
      }
    }

    void duplicate(String path) {
      if (fault == null || fault.reason() == RejectReason.UNKNOWN_FIELD) {
        fault = reject(RejectReason.DUPLICATE_FIELD, path + " appears twice in one object: JSON does not say which value is meant");
      }
    }

    List<String> names() {
      return names == null ? List.of() : List.copyOf(names);
    }
  }

  /** Whether the declaration drops {@code pattern}, or an object or array it is in. */
  private boolean dropped(String pattern) {
    if (drop.isEmpty()) {
      return false;
    }
    for (String p = pattern; ; ) {
      if (drop.contains(p)) {
        return true;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf("[]"));
      if (cut <= 0) {
        return false;
      }
      p = p.substring(0, cut);
    }
  }

  /** What the first pass keeps of a record beyond its top-level scalars, made for records that need it. */
  private final class Nested {
    final JsonToken[] tokens;
    final String[] texts;
    final Utf8[] plain;
    final Object[] held;
    final Extras extras;
    final byte[] source;
    final int sourceOffset;
    /** Per REPEATED column, its values (a List), or null for none. */
    final Object[] lists;
    /** Per ELEMENT column, its value in the element being read. */
    final Object[] elementValues;
    /** Per column, its first fault; null until there is one. */
    Typed[] faults;

    Nested(JsonToken[] tokens, String[] texts, Utf8[] plain, Object[] held, Extras extras, byte[] source, int sourceOffset) {
      this.tokens = tokens;
      this.texts = texts;
      this.plain = plain;
      this.held = held;
      this.extras = extras;
      this.source = source;
      this.sourceOffset = sourceOffset;
      this.lists = hasRepeated ? new Object[columns.length] : null;
      this.elementValues = hasElements ? new Object[columns.length] : null;
    }

    void fault(int column, RejectReason reason, String message) {
      fault(column, reject(reason, message));
    }

    void fault(int column, Typed reject) {
      if (faults == null) {
        faults = new Typed[columns.length];
      }
      if (faults[column] == null) {
        faults[column] = reject;
      }
    }

    void faultAll(Node n, RejectReason reason, String message) {
      for (int c : n.columnsUnder) {
        fault(c, reason, message);
      }
    }
  }

  /**
   * Reads the record the parser's current token starts and fills the source columns of a row of
   * {@code width} values. Leaves the parser on the record's last token. {@code source} is the byte
   * array the parser reads, from {@code sourceOffset} on: plain strings become {@link Utf8} slices
   * of it.
   */
  Typed type(JsonParser p, int width, byte[] source, int sourceOffset) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT) {
      skipValue(p);
      return reject(RejectReason.NOT_AN_OBJECT, "record is a JSON " + kind(t) + ", not an object");
    }
    // A record of a CSV or xlsx file starts with its row number: only such a record pays for more
    // than this one comparison of the first field's name.
    if (p.nextToken() == JsonToken.FIELD_NAME && FileRecords.ROW_FIELD.equals(p.currentName())) {
      if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
        skipRest(p);
        return reject(RejectReason.WRONG_TYPE, FileRecords.ROW_FIELD + " is the row number of a file's record: expected an integer");
      }
      long row = p.getLongValue();
      if (p.nextToken() == JsonToken.FIELD_NAME && FileRecords.REJECT_FIELD.equals(p.currentName())) {
        return markedReject(p).atRow(row);
      }
      return typeFields(p, width, source, sourceOffset).atRow(row);
    }
    return typeFields(p, width, source, sourceOffset);
  }

  /**
   * The reject a file's reader marked its row as ({@link FileRecords#REJECT_FIELD}: a ragged row,
   * an error cell), the parser left on the record's end.
   */
  private static Typed markedReject(JsonParser p) throws IOException {
    p.nextToken();
    RejectReason reason = p.currentToken() != JsonToken.VALUE_STRING ? null : switch (p.getText()) {
      case "RAGGED_ROW" -> RejectReason.RAGGED_ROW;
      case "CELL_ERROR" -> RejectReason.CELL_ERROR;
      default -> null;
    };
    String message = reason == null ? null : reason.name();
    p.skipChildren();
    if (p.nextToken() == JsonToken.FIELD_NAME && FileRecords.REJECT_MESSAGE_FIELD.equals(p.currentName())) {
      p.nextToken();
      message = message == null ? null : p.getText();
      p.skipChildren();
      p.nextToken();
    }
    skipRest(p);
    return reason == null
        ? reject(RejectReason.WRONG_TYPE, FileRecords.REJECT_FIELD + " names no reason a file reader gives (RAGGED_ROW, CELL_ERROR)")
        : reject(reason, message);
  }

  /** Skips the fields from the parser's current token (a field's name, or the end) to the record's end. */
  private static void skipRest(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.FIELD_NAME && p.currentToken() != JsonToken.END_OBJECT) {
      p.skipChildren(); // on a value: its field's name was read
      p.nextToken();
    }
    while (p.currentToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      p.skipChildren();
      p.nextToken();
    }
  }

  /**
   * Types the record's fields from the parser's current token, which is the first field's name
   * (or the record's end): the record's start and any row number are read.
   */
  private Typed typeFields(JsonParser p, int width, byte[] source, int sourceOffset) throws IOException {
    JsonToken[] tokens = new JsonToken[columns.length];
    String[] texts = new String[columns.length];
    Utf8[] plain = new Utf8[columns.length];
    Object[] held = hasConsuming ? new Object[columns.length] : null;
    Extras extras = new Extras();
    Nested nested = null;
    long nodesSeen = 0;
    int position = 0;
    for (JsonToken field = p.currentToken(); field == JsonToken.FIELD_NAME; field = p.nextToken()) {
      String name = p.currentName();
      int c = column(name, position++);
      JsonToken value = p.nextToken();
      if (c < 0) {
        if (c == -1) {
          extras.unknown(p, name, name);
        } else {
          int node = -2 - c;
          if (node < 64 && (nodesSeen & 1L << node) != 0) {
            extras.duplicate(name);
            skipValue(p);
            continue;
          }
          nodesSeen |= node < 64 ? 1L << node : 0;
          if (nested == null) {
            nested = new Nested(tokens, texts, plain, held, extras, source, sourceOffset);
          }
          read(p, nodes[node], value, -1, nested);
        }
        continue;
      }
      if (tokens[c] != null) {
        extras.duplicate(name);
      }
      tokens[c] = value;
      plain[c] = null;
      if (held != null && columns[c].consumes()) {
        texts[c] = null;
        held[c] = typeValue(p, value, columns[c].field(), columns[c].shape(), false, At.column(name, name), extras);
      } else if (value.isStructStart()) {
        texts[c] = null;
        skipValue(p);
      } else if (value == JsonToken.VALUE_STRING && columns[c].copiesPlainStrings()
          && (plain[c] = plainString(source, sourceOffset, p.currentTokenLocation().getByteOffset(), maxStringLength)) != null) {
        // Left undecoded: the parser still steps over it and checks its UTF-8.
        texts[c] = null;
      } else {
        texts[c] = value == JsonToken.VALUE_NULL ? null : p.getText();
      }
    }
    if (extras.fault != null && extras.fault.reason() == RejectReason.DUPLICATE_FIELD) {
      return extras.fault;
    }
    Typed[] faults = nested == null ? null : nested.faults;
    Object[] values = new Object[width];
    for (int i = 0; i < columns.length; i++) {
      Column c = columns[i];
      if (faults != null && faults[i] != null) {
        return faults[i];
      }
      if (c.kind() != Kind.SCALAR) {
        Object list = nested == null ? null : nested.lists[i];
        values[c.index()] = list == null ? List.of() : list;
        continue;
      }
      JsonToken token = tokens[i];
      Object value;
      if (token == null || token == JsonToken.VALUE_NULL) {
        value = null;
      } else if (held != null && c.consumes()) {
        value = held[i];
        if (value instanceof Typed fault) {
          return fault;
        }
      } else if (plain[i] != null) {
        value = plain[i];
      } else if (token.isStructStart()) {
        return reject(
            RejectReason.WRONG_TYPE,
            c.sourceField() + ": expected " + article(c.field().type()) + ", got a JSON " + kind(token));
      } else {
        Object typed = convert(c.field(), c.range(), c.lowercase(), token, texts[i]);
        if (typed instanceof Fault fault) {
          return reject(fault.reason(), c.sourceField() + ": " + fault.detail());
        }
        value = typed;
      }
      if (value == null && c.field().required()) {
        return reject(RejectReason.MISSING_REQUIRED, c.sourceField() + " is required");
      }
      values[c.index()] = value;
    }
    if (extras.fault != null) {
      return extras.fault;
    }
    if (extras.json != null) {
      values[extraIndex] = new RawJson(extras.json.append('}').toString());
    }
    return extras.names == null ? new Typed(values, null, null) : new Typed(values, null, null, extras.names());
  }

  /**
   * Where a value is inside a record: made into text only for a reject or an unknown field, so a
   * clean record's nested fields cost no string building. {@code under} is the object or array
   * holding it (null at a column's own field, whose {@code name} is the whole path, with {@code
   * rootPattern} its form with {@code []}); {@code index} its element index, or -1.
   */
  private record At(At under, String name, int index, String rootPattern) {
    static At column(String path, String pattern) {
      return new At(null, path, -1, pattern);
    }

    /** With element indexes: {@code items[3].unit_price}. */
    @Override
    public String toString() {
      String own = index < 0 ? name : name + "[" + index + "]";
      return under == null ? (index < 0 ? name : own) : under + "." + own;
    }

    /** With {@code []} for any element: {@code items[].unit_price}, as unknown fields are counted. */
    String pattern() {
      String own = under == null ? rootPattern : name;
      own = index < 0 ? own : own + "[]";
      return under == null ? own : under.pattern() + "." + own;
    }

    /** A field of the object this value is. */
    String field(String field) {
      return this + "." + field;
    }

    String fieldPattern(String field) {
      return pattern() + "." + field;
    }
  }

  /**
   * Types the value of field {@code f} the parser is on ({@code token}), and leaves the parser on
   * its last token: the value, null for NULL, a List for a REPEATED field (unless {@code
   * single}: then one element of it), a {@link Struct} for a RECORD, a {@link RawJson} for JSON, or
   * a reject {@link Typed} whose message starts with the value's path. {@code at} is where the
   * value is.
   */
  private Object typeValue(JsonParser p, JsonToken token, Field f, Shape shape, boolean single, At at, Extras extras)
      throws IOException {
    if (f.repeated() && !single) {
      if (token == JsonToken.VALUE_NULL) {
        return List.of();
      }
      if (token != JsonToken.START_ARRAY) {
        skipValue(p);
        return reject(RejectReason.WRONG_TYPE, at + ": expected an array of " + typeWord(f.type()) + ", got a JSON " + kind(token));
      }
      List<Object> values = new ArrayList<>();
      Typed fault = null;
      int i = 0;
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
        At element = new At(at.under(), at.name(), i, at.rootPattern());
        Object v = typeValue(p, t, f, shape, true, element, extras);
        if (fault != null) {
          continue;
        }
        if (v instanceof Typed reject) {
          fault = reject;
        } else if (v == null) {
          fault = reject(RejectReason.MISSING_REQUIRED, element + " is required (an array element cannot be NULL)");
        } else {
          values.add(v);
        }
      }
      return fault != null ? fault : values;
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (shape != null) {
      if (token != JsonToken.START_OBJECT) {
        skipValue(p);
        return reject(RejectReason.WRONG_TYPE, at + ": expected an object, got a JSON " + kind(token));
      }
      Object[] values = new Object[shape.fields.length];
      boolean[] seen = new boolean[values.length];
      Typed[] faults = null;
      int position = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        int k = shape.indexOf(name, position++);
        if (k < 0) {
          extras.unknown(p, at.field(name), at.fieldPattern(name));
        } else if (seen[k]) {
          extras.duplicate(at.field(name));
          skipValue(p);
        } else {
          seen[k] = true;
          Object v = typeValue(p, value, shape.fields[k], shape.shapes[k], false, new At(at, name, -1, null), extras);
          if (v instanceof Typed reject) {
            if (faults == null) {
              faults = new Typed[values.length];
            }
            faults[k] = reject;
          } else {
            values[k] = v;
          }
        }
      }
      for (int k = 0; k < values.length; k++) {
        if (faults != null && faults[k] != null) {
          return faults[k];
        }
        Field sub = shape.fields[k];
        if (values[k] == null) {
          if (sub.repeated()) {
            values[k] = List.of();
          } else if (sub.required()) {
            return reject(RejectReason.MISSING_REQUIRED, at.field(sub.name()) + " is required");
          }
        }
      }
      return new Struct(shape, values);
    }
    if (f.type() == FieldType.JSON) {
      StringBuilder json = new StringBuilder();
      return compact(p, json) ? new RawJson(json.toString())
          : reject(RejectReason.NOT_A_NUMBER, at + ": NaN and Infinity are not JSON numbers");
    }
    if (token.isStructStart()) {
      skipValue(p);
      return reject(RejectReason.WRONG_TYPE, at + ": expected " + article(f.type()) + ", got a JSON " + kind(token));
    }
    Object typed = convert(f, null, false, token, p.getText());
    return typed instanceof Fault fault ? reject(fault.reason(), at + ": " + fault.detail()) : typed;
  }

  /**
   * Reads the value of field {@code n} the parser is on, and leaves the parser on its last token;
   * {@code element} is the index of the array element it is in, or -1.
   */
  private void read(JsonParser p, Node n, JsonToken value, int element, Nested r) throws IOException {
    if (n.column >= 0) {
      readEnd(p, n, columns[n.column], value, element, r);
    } else if (n.children != null) {
      if (value == JsonToken.START_OBJECT) {
        readFields(p, n, element, r);
      } else if (value != JsonToken.VALUE_NULL) {
        r.faultAll(n, RejectReason.WRONG_TYPE, n.where(element) + ": expected an object, got a JSON " + kind(value));
        skipValue(p);
      }
    } else if (value == JsonToken.START_ARRAY) {
      readElements(p, n, r);
    } else if (value != JsonToken.VALUE_NULL) {
      r.faultAll(n, RejectReason.WRONG_TYPE, n.where(element) + ": expected an array, got a JSON " + kind(value));
      skipValue(p);
    }
  }

  /** The fields of an object on the way, up to its END_OBJECT; the ones no column reads are unknown. */
  private void readFields(JsonParser p, Node n, int element, Nested r) throws IOException {
    List<String> seen = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      Node child = n.children.get(name);
      JsonToken value = p.nextToken();
      if (child == null) {
        r.extras.unknown(p, n.where(element) + "." + name, n.pattern() + "." + name);
        continue;
      }
      if (seen == null) {
        seen = new ArrayList<>(n.children.size());
      } else if (seen.contains(name)) {
        r.extras.duplicate(n.where(element) + "." + name);
        skipValue(p);
        continue;
      }
      seen.add(name);
      read(p, child, value, element, r);
    }
  }

  /** The elements of an array on a {@code []} path, up to its END_ARRAY: one value per element for each column. */
  private void readElements(JsonParser p, Node array, Nested r) throws IOException {
    Node each = array.elements;
    for (int c : each.columnsUnder) {
      r.lists[c] = new ArrayList<>();
    }
    int i = 0;
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
      for (int c : each.columnsUnder) {
        r.elementValues[c] = null;
      }
      if (t == JsonToken.START_OBJECT) {
        readFields(p, each, i, r);
      } else if (t != JsonToken.VALUE_NULL) {
        r.faultAll(each, RejectReason.WRONG_TYPE, each.where(i) + ": expected an object, got a JSON " + kind(t));
        skipValue(p);
      }
      for (int c : each.columnsUnder) {
        Object v = r.elementValues[c];
        if (v == null) {
          r.fault(c, RejectReason.MISSING_REQUIRED, whereInElement(each, c, i) + " is required (an array element cannot be NULL)");
        } else {
          @SuppressWarnings("unchecked")
          List<Object> values = (List<Object>) r.lists[c];
          values.add(v);
        }
      }
    }
  }

  /** The path of column {@code c}'s field in element {@code i} of the array {@code each} stands for. */
  private String whereInElement(Node each, int c, int i) {
    String field = columns[c].sourceField();
    return each.prefix + "[" + i + "]" + field.substring(field.indexOf("[]") + 2);
  }

  /** The value of a column's own field. */
  private void readEnd(JsonParser p, Node n, Column c, JsonToken value, int element, Nested r) throws IOException {
    int slot = n.column;
    switch (c.kind()) {
      case SCALAR -> {
        // As the fast path does, so that pass two types it the same way.
        r.tokens[slot] = value;
        r.plain[slot] = null;
        r.texts[slot] = null;
        if (c.consumes()) {
          r.held[slot] = typeValue(p, value, c.field(), c.shape(), false, At.column(n.where(element), n.pattern()), r.extras);
        } else if (value.isStructStart()) {
          skipValue(p);
        } else if (value == JsonToken.VALUE_STRING && c.copiesPlainStrings()
            && (r.plain[slot] = plainString(r.source, r.sourceOffset, p.currentTokenLocation().getByteOffset(), maxStringLength)) != null) {
          // left undecoded
        } else if (value != JsonToken.VALUE_NULL) {
          r.texts[slot] = p.getText();
        }
      }
      case ELEMENT -> r.elementValues[slot] = element(p, c, value, n, element, slot, r);
      case ARRAY -> {
        if (c.consumes()) {
          Object v = typeValue(p, value, c.field(), c.shape(), false, At.column(n.where(element), n.pattern()), r.extras);
          if (v instanceof Typed reject) {
            r.fault(slot, reject);
          } else {
            r.lists[slot] = v;
          }
        } else if (value == JsonToken.START_ARRAY) {
          List<Object> values = new ArrayList<>();
          r.lists[slot] = values;
          int i = 0;
          for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            Object v = element(p, c, t, n, i, slot, r);
            if (v != null) {
              values.add(v);
            } else {
              // Kept only if the element had no fault of its own: the first fault wins.
              r.fault(slot, RejectReason.MISSING_REQUIRED, n.prefix + "[" + i + "] is required (an array element cannot be NULL)");
            }
          }
        } else if (value != JsonToken.VALUE_NULL) {
          r.fault(slot, RejectReason.WRONG_TYPE, n.where(element) + ": expected an array of "
              + typeWord(c.field().type()) + ", got a JSON " + kind(value));
          skipValue(p);
        }
      }
    }
  }

  /**
   * One value of a REPEATED column, typed: null when it is NULL or faulty (the fault kept). {@code
   * at} is its index in its array, which {@code n}'s path names ({@code labels[at].name}) or which
   * follows it ({@code languages[at]}).
   */
  private Object element(JsonParser p, Column c, JsonToken t, Node n, int at, int slot, Nested r) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (c.consumes()) {
      Object v = typeValue(p, t, c.field(), c.shape(), true,
          At.column(where(c, n, at), n.pattern() + (c.kind() == Kind.ELEMENT ? "" : "[]")), r.extras);
      if (v instanceof Typed reject) {
        r.fault(slot, reject);
        return null;
      }
      return v;
    }
    if (t.isStructStart()) {
      r.fault(slot, RejectReason.WRONG_TYPE, where(c, n, at) + ": expected " + article(c.field().type()) + ", got a JSON " + kind(t));
      skipValue(p);
      return null;
    }
    Object typed = convert(c.field(), c.range(), c.lowercase(), t, p.getText());
    if (typed instanceof Fault fault) {
      r.fault(slot, fault.reason(), where(c, n, at) + ": " + fault.detail());
      return null;
    }
    return typed;
  }

  private static String where(Column c, Node n, int at) {
    return c.kind() == Kind.ELEMENT ? n.where(at) : n.prefix + "[" + at + "]";
  }

  /** The column of source field {@code name} ({@code -2 - i} for {@code nodes[i]}), or -1; {@code position} is its place in the record. */
  private int column(String name, int position) {
    if (position >= fieldAt.length) {
      Integer c = bySourceField.get(name);
      return c == null ? -1 : c;
    }
    FieldAt seen = fieldAt[position];
    if (seen != null && (seen.name() == name || seen.name().equals(name))) {
      return seen.column();
    }
    Integer c = bySourceField.get(name);
    int column = c == null ? -1 : c;
    fieldAt[position] = new FieldAt(name, column);
    return column;
  }

  /**
   * The string whose opening quote is at {@code quoteInParser} (as the parser that starts at
   * {@code sourceOffset} counts; negative when unknown) as a {@link Utf8} slice, or null when it
   * must be decoded: escapes, a 4-byte character, empty, a first or last byte that is not visible
   * ASCII (whitespace to strip, or a non-ASCII character that may be), or more than {@code
   * maxLength} bytes (decoding checks the parser's limit, which counts characters).
   */
  static Utf8 plainString(byte[] source, int sourceOffset, long quoteInParser, int maxLength) {
    long quote = sourceOffset + quoteInParser;
    if (quoteInParser < 0 || quote >= source.length || source[(int) quote] != '"') {
      return null;
    }
    int start = (int) quote + 1;
    int i = start;
    while (i < source.length) {
      int b = source[i] & 0xFF;
      if (b == '"') {
        break;
      }
      if (b == '\\' || b >= 0xF0) {
        return null;
      }
      i++;
    }
    if (i == start || i == source.length || i - start > maxLength
        || !visibleAscii(source[start]) || !visibleAscii(source[i - 1])) {
      return null;
    }
    return new Utf8(source, start, i - start);
  }

  private static boolean visibleAscii(byte b) {
    return b > 0x20 && b < 0x7F;
  }

  /**
   * Steps over the value the parser is on. Jackson checks the UTF-8 of the strings it skips, so
   * bytes that are not UTF-8 fail the object wherever they are, as a full parse would.
   */
  static void skipValue(JsonParser p) throws IOException {
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    }
  }

  /** Why a value does not fit its column: the message follows the field's path and a colon. */
  private record Fault(RejectReason reason, String detail) {}

  /** A scalar typed for its field: the value, null for NULL, or a {@link Fault}. */
  private Object convert(Field f, double[] range, boolean lowercase, JsonToken token, String text) {
    boolean textual = token == JsonToken.VALUE_STRING;
    if (token.isNumeric() && !finiteJson(text)) {
      // Parsed (so that the rest of the file loads) but not JSON, and no value of any column.
      return new Fault(RejectReason.NOT_A_NUMBER, text + " is not a JSON number");
    }
    switch (f.type()) {
      case STRING:
        {
          String s = textual ? text.strip() : numberText(token, text);
          if (s.isEmpty()) {
            return null;
          }
          s = lowercase ? s.toLowerCase(Locale.ROOT) : s;
          // A masked column's clear value goes no further than here: rows hold the mask only.
          return f.masking() == null ? s : Sensitivity.mask(f.masking(), s, maskingSalt);
        }
      case FLOAT64:
        {
          Double d = toDouble(token, text);
          if (d == null) {
            return textual && text.isBlank()
                ? null
                : new Fault(RejectReason.NOT_A_NUMBER, quoted(token, text) + " is not a number" + commaHint(text));
          }
          if (d.isInfinite()) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is beyond FLOAT64 (about 1.8e308)");
          }
          if (d == 0 && hasNonZeroDigit(text)) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is too small for FLOAT64: it would become 0");
          }
          if (range != null && (d < range[0] || d > range[1])) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is outside [" + fmt(range[0]) + ", " + fmt(range[1]) + "]");
          }
          return d;
        }
      case INT64:
        {
          if (textual && text.isBlank()) {
            return null;
          }
          try {
            long v = token == JsonToken.VALUE_NUMBER_INT ? Long.parseLong(text) : new BigDecimal(text.strip()).longValueExact();
            if (range != null && (v < range[0] || v > range[1])) {
              return new Fault(RejectReason.OUT_OF_RANGE, v + " is out of range");
            }
            return v;
          } catch (NumberFormatException | ArithmeticException e) {
            String s = text.strip();
            if (isDecimal(s) && new BigDecimal(s).stripTrailingZeros().scale() <= 0) {
              return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is outside INT64 (-2^63 to 2^63 - 1)");
            }
            return new Fault(RejectReason.NOT_A_NUMBER, quoted(token, text) + " is not an integer" + commaHint(text));
          }
        }
      case NUMERIC:
      case BIGNUMERIC:
        {
          String s = textual ? text.strip() : text;
          if (s.isEmpty()) {
            return null;
          }
          if (range == null) {
            String plain = plainDecimal(s, f);
            if (plain != null) {
              return plain;
            }
          }
          if (!isDecimal(s)) {
            return new Fault(RejectReason.NOT_A_NUMBER, quoted(token, text) + " is not a number" + commaHint(s));
          }
          BigDecimal v = new BigDecimal(s);
          int digits = Math.max(0, v.stripTrailingZeros().scale());
          if (digits > f.effectiveScale()) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " has " + digits + " digits after the point; "
                + f.typeName() + " keeps " + f.effectiveScale() + ", and silver never rounds");
          }
          if (v.abs().compareTo(f.decimalMax()) > 0) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is beyond " + f.typeName() + " (at most "
                + f.decimalMax().toPlainString() + ")");
          }
          if (range != null && (v.compareTo(BigDecimal.valueOf(range[0])) < 0 || v.compareTo(BigDecimal.valueOf(range[1])) > 0)) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is outside [" + fmt(range[0]) + ", " + fmt(range[1]) + "]");
          }
          // Written as JSON text: BigQuery and DuckDB read it exactly, where a JSON number could pass through a double.
          return v.toPlainString();
        }
      case BOOL:
        {
          if (token.isBoolean()) {
            return token == JsonToken.VALUE_TRUE;
          }
          String s = text.strip().toLowerCase(Locale.ROOT);
          if (s.isEmpty()) {
            return null;
          }
          if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
          }
          return new Fault(RejectReason.WRONG_TYPE, quoted(token, text) + " is not a boolean");
        }
      case TIMESTAMP:
        {
          if (!textual) {
            return new Fault(RejectReason.INVALID_TIMESTAMP, "a JSON " + kind(token) + " (" + quoted(token, text)
                + ") is not a timestamp: give ISO 8601 text with a time zone (2011-04-22T13:33:48Z)");
          }
          String s = text.strip();
          if (s.isEmpty()) {
            return null;
          }
          Object t = SilverTime.timestamp(s, timezone);
          return t instanceof SilverTime.Problem why ? new Fault(RejectReason.INVALID_TIMESTAMP, quoted(token, text) + " " + why.why) : t;
        }
      case DATETIME:
      case TIME:
        {
          boolean time = f.type() == FieldType.TIME;
          if (!textual) {
            return new Fault(RejectReason.INVALID_TIMESTAMP, "a JSON " + kind(token) + " (" + quoted(token, text) + ") is not a "
                + (time ? "time: give hh:mm:ss text" : "date and time: give ISO 8601 text (2024-02-29T13:33:48)"));
          }
          String s = text.strip();
          if (s.isEmpty()) {
            return null;
          }
          Object t = time ? SilverTime.time(s) : SilverTime.datetime(s);
          return t instanceof SilverTime.Problem why ? new Fault(RejectReason.INVALID_TIMESTAMP, quoted(token, text) + " " + why.why) : t;
        }
      case DATE:
        {
          if (!textual) {
            return new Fault(RejectReason.INVALID_DATE, "a JSON " + kind(token) + " (" + quoted(token, text)
                + ") is not a date: give YYYY-MM-DD text");
          }
          String s = text.strip();
          if (s.isEmpty()) {
            return null;
          }
          Object d = SilverTime.date(s);
          return d instanceof SilverTime.Problem why ? new Fault(RejectReason.INVALID_DATE, quoted(token, text) + " " + why.why) : d;
        }
      case BYTES:
        {
          if (!textual) {
            return new Fault(RejectReason.WRONG_TYPE, "a JSON " + kind(token) + " (" + quoted(token, text) + ") is not bytes: give base64 text");
          }
          String s = text.strip();
          if (s.isEmpty()) {
            return null;
          }
          try {
            // Standard base64, as BigQuery reads BYTES in JSON; written back canonical.
            return java.util.Base64.getEncoder().encodeToString(java.util.Base64.getDecoder().decode(s));
          } catch (IllegalArgumentException e) {
            return new Fault(RejectReason.WRONG_TYPE, quoted(token, text) + " is not base64");
          }
        }
      default:
        throw new IllegalStateException("Unsupported type " + f.type());
    }
  }

  /**
   * {@code s} itself when it is a decimal in plain canonical notation ({@code -?(0|[1-9]\\d*)(\\.\\d+)?},
   * the form BigDecimal's toPlainString gives it) that surely fits the column: at most the scale's
   * digits after the point and fewer integer digits than the precision leaves, so that the common
   * value needs no BigDecimal; null for anything else, which the exact path decides.
   */
  private static String plainDecimal(String s, Field f) {
    int n = s.length();
    int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    int intStart = i;
    while (i < n && isDigit(s.charAt(i))) {
      i++;
    }
    int intDigits = i - intStart;
    if (intDigits == 0 || intDigits > 1 && s.charAt(intStart) == '0') {
      return null;
    }
    int fraction = 0;
    if (i < n) {
      if (s.charAt(i) != '.') {
        return null;
      }
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      fraction = i - start;
      if (fraction == 0 || i < n) {
        return null;
      }
    }
    int scale = f.effectiveScale();
    int room = f.precision() > 0 ? f.precision() - scale : f.type() == FieldType.NUMERIC ? 29 : 38;
    return fraction <= scale && intDigits <= room && !(intStart == 1 && intDigits == 1 && s.charAt(1) == '0' && fraction == 0)
        ? s : null;
  }

  /** Whether a numeric token's text is a JSON number, not NaN or Infinity (which the parser lets through). */
  private static boolean finiteJson(String text) {
    char c = text.charAt(0);
    return c >= '0' && c <= '9' || c == '-' && text.length() > 1 && text.charAt(1) >= '0' && text.charAt(1) <= '9';
  }

  private static boolean hasNonZeroDigit(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /** A hint for {@code 12,50}: a decimal comma. */
  private static String commaHint(String text) {
    String s = text.strip();
    return s.indexOf(',') > 0 && isDecimal(s.replace(',', '.')) ? " (a decimal comma: silver reads a point)" : "";
  }

  /** "a string", "an int64": the type in a sentence. */
  private static String article(FieldType type) {
    String word = typeWord(type);
    return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
  }

  private static String typeWord(FieldType type) {
    return type == FieldType.RECORD ? "object" : type.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Writes the value the parser is on as compact JSON (numbers as their text, exactly), leaving
   * the parser on its last token; false when it holds NaN or Infinity, which JSON cannot.
   */
  static boolean compact(JsonParser p, StringBuilder out) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        out.append('{');
        boolean ok = true;
        boolean first = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          if (!first) {
            out.append(',');
          }
          first = false;
          quote(p.currentName(), out);
          out.append(':');
          p.nextToken();
          ok &= compact(p, out);
        }
        out.append('}');
        return ok;
      }
      case START_ARRAY -> {
        out.append('[');
        boolean ok = true;
        boolean first = true;
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          if (!first) {
            out.append(',');
          }
          first = false;
          ok &= compact(p, out);
        }
        out.append(']');
        return ok;
      }
      case VALUE_STRING -> quote(p.getText(), out);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        if (!finiteJson(p.getText())) {
          return false;
        }
        out.append(p.getText());
      }
      case VALUE_TRUE -> out.append("true");
      case VALUE_FALSE -> out.append("false");
      default -> out.append("null");
    }
    return true;
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text, out);
    out.append('"');
  }

  private static Double toDouble(JsonToken token, String text) {
    if (token.isNumeric()) {
      return NumberInput.parseDouble(text, true);
    }
    if (token != JsonToken.VALUE_STRING) {
      return null;
    }
    String s = text.strip();
    if (!isDecimal(s)) {
      return null;
    }
    return NumberInput.parseDouble(s, true);
  }

  /**
   * {@code [+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?}: Double.parseDouble also takes "NaN",
   * "Infinity", hex floats and a type suffix, none of which is a coordinate.
   */
  static boolean isDecimal(String s) {
    int n = s.length();
    int start = skipSign(s, 0);
    int intEnd = skipDigits(s, start);
    boolean point = intEnd < n && s.charAt(intEnd) == '.';
    int end = point ? skipDigits(s, intEnd + 1) : intEnd;
    if (intEnd == start && (!point || end == intEnd + 1)) {
      return false; // no digit before or after the point
    }
    if (end < n && (s.charAt(end) == 'e' || s.charAt(end) == 'E')) {
      int exponent = skipSign(s, end + 1);
      end = skipDigits(s, exponent);
      if (end == exponent) {
        return false;
      }
    }
    return end == n;
  }

  private static int skipSign(String s, int i) {
    return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
  }

  private static int skipDigits(String s, int i) {
    while (i < s.length() && isDigit(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** ASCII digits only, as the pattern's \\d. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A JSON number or boolean as text: plain notation, as a decimal's string form would be. */
  private static String numberText(JsonToken token, String text) {
    if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      return new BigDecimal(text).toPlainString();
    }
    // "-0" is the only integer JSON spells in two ways.
    return token == JsonToken.VALUE_NUMBER_INT && text.equals("-0") ? "0" : text;
  }

  private static String quoted(JsonToken token, String text) {
    String s = token == JsonToken.VALUE_STRING ? "'" + text + "'" : text;
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "array";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      case VALUE_NULL -> "null";
      default -> t.name().toLowerCase(Locale.ROOT);
    };
  }

  private static Typed reject(RejectReason reason, String message) {
    return new Typed(null, reason, message);
  }
}
