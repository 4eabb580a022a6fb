package io.medallion.schema;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Masks one JSON record whose field names are its table's column names (a streamed record, which
 * a Pub/Sub BigQuery subscription writes as it is): every masked column of the schema, nested
 * RECORD leaves included, is replaced by its mask before the record leaves the webhook. Numbers
 * are written back as they came (Gson keeps a number's text).
 */
public final class RecordMask implements UnaryOperator<byte[]> {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  /** A masked column's place in the record, as field names, and its masking. */
  private record Target(String[] path, Sensitivity.Masking masking) {}

  private final List<Target> masked;
  private final byte[] salt;

  private RecordMask(List<Target> masked, byte[] salt) {
    this.masked = masked;
    this.salt = salt == null ? null : salt.clone();
  }

  /**
   * The mask of {@code schema}'s masked columns in a source record, which {@code mapping} maps to
   * columns (a column may read another field: {@code silver.columns}): what a reject keeps of a
   * record of a masked table. Null when the schema masks nothing.
   */
  public static RecordMask ofSource(TableSchema schema, io.medallion.source.SilverMapping mapping, byte[] salt) {
    RecordMask columns = of(schema, salt);
    if (columns == null) {
      return null;
    }
    List<Target> targets = new java.util.ArrayList<>();
    for (Target t : columns.masked) {
      List<String> path = new java.util.ArrayList<>();
      io.medallion.source.SourcePath top = mapping.sourcePath(t.path()[0]);
      path.addAll(top.fields());
      path.addAll(top.inElement());
      path.addAll(java.util.Arrays.asList(t.path()).subList(1, t.path().length));
      targets.add(new Target(path.toArray(String[]::new), t.masking()));
    }
    return new RecordMask(targets, salt);
  }

  /** The mask of {@code schema}'s masked columns, or null when it masks none. */
  public static RecordMask of(TableSchema schema, byte[] salt) {
    List<TableSchema.Marked> masked = schema.marked().stream().filter(m -> m.field().masking() != null).toList();
    if (masked.isEmpty()) {
      return null;
    }
    for (TableSchema.Marked m : masked) {
      if (m.field().masking() == Sensitivity.Masking.HASH && (salt == null || salt.length == 0)) {
        throw new IllegalStateException("column " + m.path() + " is masked by hash and no masking salt was given");
      }
    }
    return new RecordMask(masked.stream().map(m -> new Target(m.path().split("\\."), m.field().masking())).toList(), salt);
  }

  @Override
  public byte[] apply(byte[] record) {
    JsonElement root = JsonParser.parseString(new String(record, StandardCharsets.UTF_8));
    if (!root.isJsonObject()) {
      return record; // not a record: the load rejects it, and nothing in it is read as a column
    }
    for (Target t : masked) {
      mask(root.getAsJsonObject(), t.path(), 0, t.masking());
    }
    return GSON.toJson(root).getBytes(StandardCharsets.UTF_8);
  }

  private void mask(JsonObject o, String[] path, int at, Sensitivity.Masking masking) {
    JsonElement v = o.get(path[at]);
    if (v == null || v.isJsonNull()) {
      return;
    }
    if (at < path.length - 1) {
      if (v.isJsonObject()) {
        mask(v.getAsJsonObject(), path, at + 1, masking);
      } else if (v.isJsonArray()) {
        v.getAsJsonArray().forEach(e -> {
          if (e.isJsonObject()) {
            mask(e.getAsJsonObject(), path, at + 1, masking);
          }
        });
      }
      return;
    }
    if (v.isJsonPrimitive()) {
      String text = v.getAsString().strip();
      o.add(path[at], text.isEmpty() ? com.google.gson.JsonNull.INSTANCE : new JsonPrimitive(Sensitivity.mask(masking, text, salt)));
    } else if (v.isJsonArray()) {
      com.google.gson.JsonArray out = new com.google.gson.JsonArray();
      v.getAsJsonArray().forEach(e -> out.add(e.isJsonPrimitive() ? new JsonPrimitive(Sensitivity.mask(masking, e.getAsString().strip(), salt)) : e));
      o.add(path[at], out);
    } else {
      // An object where a STRING is declared: dropped rather than written in clear (the row fails the type anyway).
      o.add(path[at], com.google.gson.JsonNull.INSTANCE);
    }
  }
}
