package io.medallion.silver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
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
 *   <li>fields the schema does not name are ignored.
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

  /** A typed record or a reject. */
  record Typed(Object[] values, RejectReason reason, String message) {
    boolean rejected() {
      return reason != null;
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

  private record Column(int index, String sourceField, Field field, double[] range, boolean lowercase, Kind kind) {
    /** Whether a plain string of this column can be copied as its input bytes ({@link Utf8}). */
    boolean copiesPlainStrings() {
      return field.type() == FieldType.STRING && !lowercase && kind == Kind.SCALAR;
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

  /**
   * @throws IllegalArgumentException when a column's source path is not a path, takes {@code []}
   *     towards a column that is not REPEATED, or ends where another goes on
   */
  RecordTyper(TableSchema schema, SilverMapping mapping, int maxStringLength) {
    this.maxStringLength = maxStringLength;
    List<Column> list = new ArrayList<>();
    Map<String, Node> top = new LinkedHashMap<>();
    boolean repeated = false;
    boolean elements = false;
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
      list.add(new Column(i, path.toString(), f, mapping.ranges().get(f.name()), mapping.lowercase().contains(f.name()), kind));
      place(top, path, slot, f.name());
    }
    this.columns = list.toArray(Column[]::new);
    this.hasRepeated = repeated;
    this.hasElements = elements;
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
    return c != null && c <= -2 && nodes[-2 - c].elements != null;
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

  /** What the first pass keeps of a record beyond its top-level scalars, made for records that need it. */
  private final class Nested {
    final JsonToken[] tokens;
    final String[] texts;
    final Utf8[] plain;
    final byte[] source;
    final int sourceOffset;
    /** Per REPEATED column, its values (a List), or null for none. */
    final Object[] lists;
    /** Per ELEMENT column, its value in the element being read. */
    final Object[] elementValues;
    /** Per column, its first fault; null until there is one. */
    Typed[] faults;

    Nested(JsonToken[] tokens, String[] texts, Utf8[] plain, byte[] source, int sourceOffset) {
      this.tokens = tokens;
      this.texts = texts;
      this.plain = plain;
      this.source = source;
      this.sourceOffset = sourceOffset;
      this.lists = hasRepeated ? new Object[columns.length] : null;
      this.elementValues = hasElements ? new Object[columns.length] : null;
    }

    void fault(int column, RejectReason reason, String message) {
      if (faults == null) {
        faults = new Typed[columns.length];
      }
      if (faults[column] == null) {
        faults[column] = reject(reason, message);
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
    JsonToken[] tokens = new JsonToken[columns.length];
    String[] texts = new String[columns.length];
    Utf8[] plain = new Utf8[columns.length];
    Nested nested = null;
    int position = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      int c = column(p.currentName(), position++);
      JsonToken value = p.nextToken();
      if (c < 0) {
        if (c == -1) {
          skipValue(p);
        } else {
          if (nested == null) {
            nested = new Nested(tokens, texts, plain, source, sourceOffset);
          }
          read(p, nodes[-2 - c], value, -1, nested);
        }
        continue;
      }
      tokens[c] = value;
      plain[c] = null;
      if (value.isStructStart()) {
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
      } else if (plain[i] != null) {
        value = plain[i];
      } else if (token.isStructStart()) {
        return reject(
            RejectReason.WRONG_TYPE,
            c.sourceField() + ": expected a " + c.field().type().name().toLowerCase(Locale.ROOT)
                + ", got a JSON " + kind(token));
      } else {
        Object typed = convert(c, token, texts[i]);
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
    return new Typed(values, null, null);
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

  /** The fields of an object on the way, up to its END_OBJECT. */
  private void readFields(JsonParser p, Node n, int element, Nested r) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      Node child = n.children.get(p.currentName());
      JsonToken value = p.nextToken();
      if (child == null) {
        skipValue(p);
      } else {
        read(p, child, value, element, r);
      }
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
        if (value.isStructStart()) {
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
        if (value == JsonToken.START_ARRAY) {
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
              + c.field().type().name().toLowerCase(Locale.ROOT) + ", got a JSON " + kind(value));
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
    if (t.isStructStart()) {
      r.fault(slot, RejectReason.WRONG_TYPE, where(c, n, at) + ": expected a "
          + c.field().type().name().toLowerCase(Locale.ROOT) + ", got a JSON " + kind(t));
      skipValue(p);
      return null;
    }
    Object typed = convert(c, t, p.getText());
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

  /** A scalar typed for its column: the value, null for NULL, or a {@link Fault}. */
  private static Object convert(Column c, JsonToken token, String text) {
    boolean textual = token == JsonToken.VALUE_STRING;
    switch (c.field().type()) {
      case STRING:
        {
          String s = textual ? text.strip() : numberText(token, text);
          if (s.isEmpty()) {
            return null;
          }
          return c.lowercase() ? s.toLowerCase(Locale.ROOT) : s;
        }
      case FLOAT64:
        {
          Double d = toDouble(token, text);
          if (d == null) {
            return textual && text.isBlank()
                ? null
                : new Fault(RejectReason.NOT_A_NUMBER, quoted(token, text) + " is not a number");
          }
          double[] r = c.range();
          if (r != null && (d < r[0] || d > r[1])) {
            return new Fault(RejectReason.OUT_OF_RANGE, quoted(token, text) + " is outside [" + fmt(r[0]) + ", " + fmt(r[1]) + "]");
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
            double[] r = c.range();
            if (r != null && (v < r[0] || v > r[1])) {
              return new Fault(RejectReason.OUT_OF_RANGE, v + " is out of range");
            }
            return v;
          } catch (NumberFormatException | ArithmeticException e) {
            return new Fault(RejectReason.NOT_A_NUMBER, quoted(token, text) + " is not an integer");
          }
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
          Object t = SilverTime.timestamp(s);
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
      default:
        throw new IllegalStateException("Unsupported type " + c.field().type());
    }
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
