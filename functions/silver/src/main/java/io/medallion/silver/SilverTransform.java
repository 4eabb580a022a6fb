package io.medallion.silver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medallion.schema.Field;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Streams bronze records into silver NDJSON rows and rejects, one record in memory at a time.
 *
 * <p>Input is a JSON array (an API page) or newline-delimited JSON objects (a dropped file). Each
 * record becomes exactly one row or one reject, so bronze records = rows + rejects always.
 */
public final class SilverTransform {

  /** Lineage of the bronze object being read, written into every row. */
  public record Lineage(String runId, String sourceUri, long generation, Instant ingestedAt) {}

  /** Running totals of one load. */
  public static final class Counts {
    long records;
    long rows;
    long rejects;
    final Map<RejectReason, Long> rejectsByReason = new EnumMap<>(RejectReason.class);

    public long records() {
      return records;
    }

    public long rows() {
      return rows;
    }

    public long rejects() {
      return rejects;
    }

    /** Rejects per reason (they sum to {@link #rejects()}). */
    public Map<RejectReason, Long> rejectsByReason() {
      return Map.copyOf(rejectsByReason);
    }
  }

  /** BigQuery and DuckDB both read this TIMESTAMP text as UTC. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private final ObjectMapper mapper =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final JsonFactory factory = mapper.getFactory();
  private final TableSchema schema;
  private final RecordTyper typer;
  private final int keyIndex;
  private final int runIdIndex;
  private final int uriIndex;
  private final int generationIndex;
  private final int recordIndex;
  private final int ingestedIndex;

  public SilverTransform(TableSchema schema, SilverMapping mapping) {
    this.schema = schema;
    this.typer = new RecordTyper(schema, mapping);
    this.keyIndex = schema.indexOf(mapping.keyColumn());
    this.runIdIndex = require(schema, "_run_id");
    this.uriIndex = require(schema, "_source_uri");
    this.generationIndex = require(schema, "_source_generation");
    this.recordIndex = require(schema, "_source_record");
    this.ingestedIndex = require(schema, "_ingested_at");
  }

  /** Writers of one load: rows and rejects, and the keys seen so far across its objects. */
  public final class Load implements AutoCloseable {
    private final JsonGenerator rows;
    private final JsonGenerator rejects;
    private final Set<String> keys = new HashSet<>();
    private final Counts counts = new Counts();

    public Load(OutputStream rowsOut, OutputStream rejectsOut) throws IOException {
      this.rows = ndjson(rowsOut);
      this.rejects = ndjson(rejectsOut);
    }

    public Counts counts() {
      return counts;
    }

    /**
     * Reads every record of one bronze object.
     *
     * @throws MalformedBronzeException when the bytes are not a JSON array or JSON objects
     */
    public void read(InputStream in, Lineage lineage) throws IOException, MalformedBronzeException {
      Object[] lineageValues = new Object[schema.size()];
      lineageValues[runIdIndex] = lineage.runId();
      lineageValues[uriIndex] = lineage.sourceUri();
      lineageValues[generationIndex] = lineage.generation();
      lineageValues[ingestedIndex] = TIMESTAMP.format(lineage.ingestedAt());
      long index = 0;
      try (JsonParser p = factory.createParser(in)) {
        JsonToken first = p.nextToken();
        if (first == null) {
          throw new MalformedBronzeException(lineage.sourceUri() + " is empty: no JSON in it", null);
        }
        boolean array = first == JsonToken.START_ARRAY;
        if (!array && first != JsonToken.START_OBJECT) {
          throw new MalformedBronzeException(
              lineage.sourceUri() + ": expected a JSON array or JSON objects one per line, found "
                  + first.asString(),
              null);
        }
        JsonToken t = array ? p.nextToken() : first;
        while (t != null && !(array && t == JsonToken.END_ARRAY)) {
          JsonNode record = mapper.readTree(p);
          accept(record, index++, lineageValues);
          t = p.nextToken();
        }
        if (array && (t == null || p.nextToken() != null)) {
          throw new MalformedBronzeException(
              lineage.sourceUri() + ": " + (t == null ? "the array is not closed" : "content after the array"),
              null);
        }
      } catch (JsonProcessingException e) {
        // Limit violations (nesting depth, string length) carry no location.
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
            + ", column " + e.getLocation().getColumnNr();
        throw new MalformedBronzeException(
            lineage.sourceUri() + " is not valid JSON" + where + " (record " + index + "): "
                + e.getOriginalMessage(),
            e);
      }
    }

    private void accept(JsonNode record, long index, Object[] lineageValues) throws IOException {
      counts.records++;
      RecordTyper.Typed typed = typer.type(record, schema.size());
      if (!typed.rejected() && keyIndex >= 0) {
        String key = (String) typed.values()[keyIndex];
        if (key != null && !keys.add(key)) {
          typed =
              new RecordTyper.Typed(
                  null, RejectReason.DUPLICATE_KEY,
                  schema.fields().get(keyIndex).name() + " " + key + " already seen in this load");
        }
      }
      if (typed.rejected()) {
        counts.rejects++;
        counts.rejectsByReason.merge(typed.reason(), 1L, Long::sum);
        rejects.writeStartObject();
        rejects.writeStringField("source_uri", (String) lineageValues[uriIndex]);
        rejects.writeNumberField("source_generation", (Long) lineageValues[generationIndex]);
        rejects.writeNumberField("source_record", index);
        rejects.writeStringField("reason", typed.reason().name());
        rejects.writeStringField("message", typed.message());
        rejects.writeFieldName("record");
        mapper.writeTree(rejects, record);
        rejects.writeEndObject();
        return;
      }
      counts.rows++;
      Object[] values = typed.values();
      rows.writeStartObject();
      for (int i = 0; i < values.length; i++) {
        Object v = i == recordIndex ? (Object) index : values[i] != null ? values[i] : lineageValues[i];
        if (v == null) {
          continue;
        }
        Field f = schema.fields().get(i);
        rows.writeFieldName(f.name());
        if (v instanceof String s) {
          rows.writeString(s);
        } else if (v instanceof Double d) {
          rows.writeNumber(d);
        } else if (v instanceof Long l) {
          rows.writeNumber(l);
        } else if (v instanceof Boolean b) {
          rows.writeBoolean(b);
        } else {
          throw new IllegalStateException("Unexpected value type " + v.getClass());
        }
      }
      rows.writeEndObject();
    }

    @Override
    public void close() throws IOException {
      // Flush only: the streams belong to the caller, who commits or discards them.
      rows.flush();
      rejects.flush();
    }
  }

  private JsonGenerator ndjson(OutputStream out) throws IOException {
    JsonGenerator g = factory.createGenerator(out);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.setRootValueSeparator(new SerializedString("\n"));
    return g;
  }

  private static int require(TableSchema schema, String column) {
    int i = schema.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("Silver schema lacks lineage column " + column);
    }
    return i;
  }
}
