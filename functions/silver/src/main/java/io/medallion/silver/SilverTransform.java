package io.medallion.silver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams bronze records into silver NDJSON rows and rejects.
 *
 * <p>Input is a JSON array (an API page) or newline-delimited JSON objects (a dropped file). Each
 * record becomes exactly one row or one reject, so bronze records = rows + rejects always.
 *
 * <p>How: {@link RecordSplitter} cuts the object into batches of whole records (about 1 MB); worker
 * threads parse, type and serialize batches in parallel; the calling thread takes the results in
 * input order, rejects keys seen before ({@link KeySet}) and writes. The output is byte for byte
 * the same at any thread count, and memory stays bounded: a few batches in flight, the key table.
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

    private void reject(RejectReason reason) {
      rejects++;
      rejectsByReason.merge(reason, 1L, Long::sum);
    }
  }

  /** BigQuery and DuckDB both read this TIMESTAMP text as UTC. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
  private static final AtomicInteger WORKER_IDS = new AtomicInteger();

  /** Jackson's own double parser and writer (FastDoubleParser, Schubfach): exact, and faster than the JDK 17 ones. */
  private final JsonFactory factory =
      JsonFactory.builder()
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          .build();
  private final ObjectMapper mapper =
      new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final TableSchema schema;
  private final SerializedString[] names;
  private final RecordTyper typer;
  private final int keyIndex;
  private final int runIdIndex;
  private final int uriIndex;
  private final int generationIndex;
  private final int recordIndex;
  private final int ingestedIndex;
  private final int batchBytes;

  public SilverTransform(TableSchema schema, SilverMapping mapping) {
    this(schema, mapping, RecordSplitter.BATCH_BYTES);
  }

  /** With batches of about {@code batchBytes}: tests use small ones to get many batches. */
  SilverTransform(TableSchema schema, SilverMapping mapping, int batchBytes) {
    this.schema = schema;
    this.names = schema.names().stream().map(SerializedString::new).toArray(SerializedString[]::new);
    this.typer = new RecordTyper(schema, mapping, factory.streamReadConstraints().getMaxStringLength());
    this.keyIndex = schema.indexOf(mapping.keyColumn());
    this.runIdIndex = require(schema, "_run_id");
    this.uriIndex = require(schema, "_source_uri");
    this.generationIndex = require(schema, "_source_generation");
    this.recordIndex = require(schema, "_source_record");
    this.ingestedIndex = require(schema, "_ingested_at");
    this.batchBytes = batchBytes;
  }

  /** Writers of one load: rows and rejects, and the keys seen so far across its objects. */
  public final class Load implements AutoCloseable {
    private final OutputStream rows;
    private final OutputStream rejects;
    private final KeySet keys = new KeySet();
    private final Counts counts = new Counts();
    private final int threads;
    private final ExecutorService workers;

    /** A load typed on as many threads as there are cores. */
    public Load(OutputStream rowsOut, OutputStream rejectsOut) {
      this(rowsOut, rejectsOut, Runtime.getRuntime().availableProcessors());
    }

    public Load(OutputStream rowsOut, OutputStream rejectsOut, int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.rows = new BufferedOutputStream(rowsOut, 1 << 16);
      this.rejects = new BufferedOutputStream(rejectsOut, 1 << 16);
      this.threads = threads;
      this.workers =
          threads == 1
              ? null
              : Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "silver-typer-" + WORKER_IDS.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
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
      RecordSplitter splitter = BronzeInput.open(in, lineage.sourceUri(), factory, batchBytes);
      Object[] lineageValues = lineageValues(lineage);
      Deque<Future<TypedBatch>> inFlight = new ArrayDeque<>();
      // Batches typed ahead of the writer: enough to keep every worker busy; none on one thread.
      int window = workers == null ? 0 : 2 * threads;
      try {
        try {
          RecordSplitter.Batch batch;
          while ((batch = splitter.next()) != null) {
            RecordSplitter.Batch b = batch;
            FutureTask<TypedBatch> task = new FutureTask<>(() -> type(b, lineageValues, lineage.sourceUri()));
            if (workers == null) {
              task.run();
            } else {
              workers.execute(task);
            }
            inFlight.add(task);
            if (inFlight.size() > window) {
              write(inFlight.poll(), lineageValues);
            }
          }
        } catch (MalformedBronzeException e) {
          // A fault the splitter found lies after every batch it returned: theirs come first.
          drain(inFlight, lineageValues);
          throw e;
        }
        drain(inFlight, lineageValues);
      } finally {
        inFlight.forEach(f -> f.cancel(true));
      }
    }

    private void drain(Deque<Future<TypedBatch>> inFlight, Object[] lineageValues)
        throws IOException, MalformedBronzeException {
      while (!inFlight.isEmpty()) {
        write(inFlight.poll(), lineageValues);
      }
    }

    /** Writes a typed batch in order: its rows, except keys seen before, which become rejects. */
    private void write(Future<TypedBatch> pending, Object[] lineageValues)
        throws IOException, MalformedBronzeException {
      TypedBatch t = result(pending);
      RecordSplitter.Batch b = t.batch();
      int rowFrom = 0;
      int rejectFrom = 0;
      // Rows are written in runs: one write per stretch of rows between duplicates, so a batch
      // without duplicates goes out in one write that bypasses the stream's buffer.
      int runFrom = 0;
      for (int i = 0; i < b.count(); i++) {
        if (t.rowEnds()[i] < 0) {
          int end = t.rejectEnds()[i];
          rejects.write(t.rejects(), rejectFrom, end - rejectFrom);
          rejectFrom = end;
          counts.reject(t.reasons()[i]);
          continue;
        }
        int end = t.rowEnds()[i];
        Object key = t.keys()[i];
        if (key != null && !(key instanceof RecordTyper.Utf8 u ? keys.add(u.bytes(), u.offset(), u.length()) : keys.add((String) key))) {
          rows.write(t.rows(), runFrom, rowFrom - runFrom);
          runFrom = end;
          ByteArrayOutputStream line = new ByteArrayOutputStream(512);
          try (JsonGenerator g = factory.createGenerator(line)) {
            writeReject(g, lineageValues, b.firstRecord() + i, RejectReason.DUPLICATE_KEY,
                schema.fields().get(keyIndex).name() + " " + key + " already seen in this load", b, i);
          }
          line.writeTo(rejects);
          counts.reject(RejectReason.DUPLICATE_KEY);
        } else {
          counts.rows++;
        }
        rowFrom = end;
      }
      rows.write(t.rows(), runFrom, rowFrom - runFrom);
      counts.records += b.count();
    }

    @Override
    public void close() throws IOException {
      if (workers != null) {
        workers.shutdownNow();
      }
      try {
        keys.close();
      } finally {
        // Flush only: the streams belong to the caller, who commits or discards them.
        rows.flush();
        rejects.flush();
      }
    }
  }

  /**
   * One batch typed: rows and rejects serialized, and per record where its line ends in either
   * buffer ({@code -1} in the other), and the row's key, checked when the batch is written.
   */
  private record TypedBatch(
      RecordSplitter.Batch batch, byte[] rows, int[] rowEnds, Object[] keys, byte[] rejects, int[] rejectEnds,
      RejectReason[] reasons) {}

  /** Parses, types and serializes one batch; runs on a worker thread. */
  private TypedBatch type(RecordSplitter.Batch b, Object[] lineageValues, String uri)
      throws IOException, MalformedBronzeException {
    Bytes rowBytes = new Bytes(b.bytes().length + b.bytes().length / 2);
    Bytes rejectBytes = new Bytes(256);
    int[] rowEnds = new int[b.count()];
    int[] rejectEnds = new int[b.count()];
    Object[] keys = new Object[b.count()]; // String or RecordTyper.Utf8
    RejectReason[] reasons = new RejectReason[b.count()];
    int i = 0;
    try (JsonParser p = factory.createParser(b.bytes());
        JsonGenerator rows = factory.createGenerator(rowBytes);
        JsonGenerator rejects = factory.createGenerator(rejectBytes)) {
      rows.setRootValueSeparator(null);
      rejects.setRootValueSeparator(null);
      for (; i < b.count(); i++) {
        if (p.nextToken() == null) {
          throw new MalformedBronzeException(uri + " is not valid JSON (record " + (b.firstRecord() + i) + ")", null);
        }
        RecordTyper.Typed typed = typer.type(p, schema.size(), b.bytes());
        if (typed.rejected()) {
          writeReject(rejects, lineageValues, b.firstRecord() + i, typed.reason(), typed.message(), b, i);
          rejectEnds[i] = rejectBytes.size() + rejects.getOutputBuffered();
          rowEnds[i] = -1;
          reasons[i] = typed.reason();
        } else {
          writeRow(rows, typed.values(), lineageValues, b.firstRecord() + i);
          rowEnds[i] = rowBytes.size() + rows.getOutputBuffered();
          rejectEnds[i] = -1;
          keys[i] = keyIndex < 0 ? null : typed.values()[keyIndex];
        }
      }
      if (p.nextToken() != null) {
        throw new MalformedBronzeException(
            uri + " is not valid JSON (record " + (b.firstRecord() + i) + "): a value where none was expected", null);
      }
      rows.flush();
      rejects.flush();
    } catch (JsonProcessingException e) {
      throw malformed(uri, b, i, e);
    }
    return new TypedBatch(b, rowBytes.array(), rowEnds, keys, rejectBytes.array(), rejectEnds, reasons);
  }

  /** A byte array stream that hands over its array instead of copying it. */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    byte[] array() {
      return buf;
    }
  }

  private void writeRow(JsonGenerator g, Object[] values, Object[] lineageValues, long index) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < values.length; i++) {
      Object v = i == recordIndex ? (Object) index : values[i] != null ? values[i] : lineageValues[i];
      if (v == null) {
        continue;
      }
      g.writeFieldName(names[i]);
      if (v instanceof RecordTyper.Utf8 u) {
        g.writeRawUTF8String(u.bytes(), u.offset(), u.length());
      } else if (v instanceof String s) {
        g.writeString(s);
      } else if (v instanceof SerializableString s) {
        g.writeString(s);
      } else if (v instanceof Double d) {
        g.writeNumber(d);
      } else if (v instanceof Long l) {
        g.writeNumber(l);
      } else if (v instanceof Boolean bool) {
        g.writeBoolean(bool);
      } else {
        throw new IllegalStateException("Unexpected value type " + v.getClass());
      }
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** A reject line: where the record came from, why, and the record itself as JSON. */
  private void writeReject(
      JsonGenerator g, Object[] lineageValues, long index, RejectReason reason, String message,
      RecordSplitter.Batch b, int i) throws IOException {
    g.writeStartObject();
    g.writeFieldName("source_uri");
    g.writeString((SerializableString) lineageValues[uriIndex]);
    g.writeNumberField("source_generation", (Long) lineageValues[generationIndex]);
    g.writeNumberField("source_record", index);
    g.writeStringField("reason", reason.name());
    g.writeStringField("message", message);
    g.writeFieldName("record");
    // Read again from its bytes: rejects are few, and the typer kept no tree of the record.
    int start = b.starts()[i];
    mapper.writeTree(g, mapper.readTree(factory.createParser(b.bytes(), start, b.ends()[i] - start)));
    g.writeEndObject();
    g.writeRaw('\n');
  }

  private Object[] lineageValues(Lineage lineage) {
    Object[] values = new Object[schema.size()];
    values[runIdIndex] = new SerializedString(lineage.runId());
    values[uriIndex] = new SerializedString(lineage.sourceUri());
    values[generationIndex] = lineage.generation();
    values[ingestedIndex] = new SerializedString(TIMESTAMP.format(lineage.ingestedAt()));
    return values;
  }

  /** The parser's fault, placed in the object (batches start mid-object) and named by record. */
  private static MalformedBronzeException malformed(String uri, RecordSplitter.Batch b, int i, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    // Limit violations (nesting depth, string length) carry no location.
    String where = "";
    if (at != null && at.getLineNr() > 0) {
      long line = b.line() + at.getLineNr() - 1;
      long column = at.getLineNr() == 1 ? b.column() + at.getColumnNr() - 1 : at.getColumnNr();
      where = " at line " + line + ", column " + column;
    }
    return new MalformedBronzeException(
        uri + " is not valid JSON" + where + " (record " + (b.firstRecord() + i) + "): " + e.getOriginalMessage(), e);
  }

  private static TypedBatch result(Future<TypedBatch> pending) throws IOException, MalformedBronzeException {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted while typing records");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MalformedBronzeException m) {
        throw m;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  private static int require(TableSchema schema, String column) {
    int i = schema.indexOf(column);
    if (i < 0) {
      throw new IllegalArgumentException("Silver schema lacks lineage column " + column);
    }
    return i;
  }
}
