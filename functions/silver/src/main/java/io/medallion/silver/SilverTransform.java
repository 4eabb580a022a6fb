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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * record becomes exactly one row or one reject, so bronze records = rows + rejects always; a
 * broken NDJSON record is a reject too ({@link RejectReason#MALFORMED_JSON}), while a fault in an
 * array fails the object, at its line and column. A file that is one object wrapping the records
 * ({@code {"data": [...]}}) fails as well, rather than load as one record.
 *
 * <p>How: {@link RecordSplitter} cuts the object into batches of whole records (about 1 MB); worker
 * threads parse, type and serialize batches in parallel, and hash the rows' keys; the calling
 * thread takes the results in input order, rejects keys seen before ({@link KeySet}) and writes,
 * and types a batch itself rather than wait for one. The output is byte for byte
 * the same at any thread count, and memory stays bounded: a few batches in flight, the key table.
 */
public final class SilverTransform {

  /**
   * Lineage of the bronze object being read, written into every row.
   *
   * @param parent for a child resource's page, the parent record's fields it carries (field to
   *     text, a null for a JSON null), written into the {@code _parent_<field>} columns
   * @param fileKey for a file source's file, its logical key, written into {@code _file_key}; else null
   */
  public record Lineage(
      String runId, String sourceUri, long generation, Instant ingestedAt, Map<String, String> parent, String fileKey) {
    public Lineage {
      parent = parent == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parent));
    }

    public Lineage(String runId, String sourceUri, long generation, Instant ingestedAt, Map<String, String> parent) {
      this(runId, sourceUri, generation, ingestedAt, parent, null);
    }

    public Lineage(String runId, String sourceUri, long generation, Instant ingestedAt) {
      this(runId, sourceUri, generation, ingestedAt, Map.of());
    }
  }

  /** The prefix of the columns a child resource's rows take from their parent record. */
  public static final String PARENT_PREFIX = "_parent_";

  /** The column of a file source's rows that holds their file's logical key. */
  public static final String FILE_KEY = "_file_key";

  /** Running totals of one load. */
  public static final class Counts {
    long records;
    long rows;
    long rejects;
    final Map<RejectReason, Long> rejectsByReason = new EnumMap<>(RejectReason.class);
    final Map<String, Long> unknownFields = new java.util.TreeMap<>();

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

    /**
     * The fields no column reads, by path ({@code items[].discount}), and in how many of the rows
     * loaded each came (kept in {@code _extra}, or dropped, as the source declares); a record
     * rejected is counted among the rejects instead.
     */
    public Map<String, Long> unknownFields() {
      return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(unknownFields));
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
          // NaN and Infinity are not JSON, but a record holding one is a reject naming its field,
          // not a file that fails as a whole.
          .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();
  private final ObjectMapper mapper =
      new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final TableSchema schema;
  private final SerializedString[] names;
  private final RecordTyper typer;
  private final int keyIndex;
  /**
   * The columns whose values make a row what it is (all but the lineage ones), when the source
   * is distinct; null otherwise, and then nothing is spent on it.
   */
  private final int[] distinctColumns;
  private final int runIdIndex;
  private final int uriIndex;
  private final int generationIndex;
  private final int recordIndex;
  private final int ingestedIndex;
  private final int batchBytes;
  /** Masks a rejected record's masked columns (a reject keeps the record); null when none is masked. */
  private final io.medallion.schema.RecordMask rejectMask;

  public SilverTransform(TableSchema schema, SilverMapping mapping) {
    this(schema, mapping, RecordSplitter.BATCH_BYTES, null);
  }

  /**
   * Masking the schema's masked columns ({@code "sensitive": {"masking": ...}}) with the domain's
   * salt; refused (IllegalStateException) when a column is hashed and {@code maskingSalt} is null.
   */
  public SilverTransform(TableSchema schema, SilverMapping mapping, byte[] maskingSalt) {
    this(schema, mapping, RecordSplitter.BATCH_BYTES, maskingSalt);
  }

  /** With batches of about {@code batchBytes}: tests use small ones to get many batches. */
  SilverTransform(TableSchema schema, SilverMapping mapping, int batchBytes) {
    this(schema, mapping, batchBytes, null);
  }

  SilverTransform(TableSchema schema, SilverMapping mapping, int batchBytes, byte[] maskingSalt) {
    this.schema = schema;
    this.names = schema.names().stream().map(SerializedString::new).toArray(SerializedString[]::new);
    this.typer = new RecordTyper(schema, mapping, factory.streamReadConstraints().getMaxStringLength(), maskingSalt);
    this.rejectMask = io.medallion.schema.RecordMask.ofSource(schema, mapping, maskingSalt);
    this.keyIndex = schema.indexOf(mapping.keyColumn());
    this.distinctColumns = mapping.distinct() ? java.util.stream.IntStream.range(0, schema.size())
        .filter(i -> !io.medallion.source.SourceDeclarations.LINEAGE_COLUMNS.contains(schema.names().get(i)))
        .toArray() : null;
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
    /** A distinct load's rows so far, each tagged with where it was first seen ({@link #tag}). */
    private final KeySet rowsSeen = distinctColumns == null ? null : new KeySet(true);
    /** The objects read so far, in order: a tag's object is its position here. */
    private final List<String> objects = new ArrayList<>();
    private final Counts counts = new Counts();
    private final int threads;
    private final ExecutorService workers;
    /** What the object being read wraps, if its first record does. */
    private String wrapper;

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
      // The calling thread types batches too, whenever the writer waits (Typing.take): threads - 1
      // workers keep as many cores busy without a third thread competing for two cores.
      this.workers =
          threads == 1
              ? null
              : Executors.newFixedThreadPool(threads - 1, r -> {
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
     * @throws MalformedBronzeException when the bytes are not a JSON array or JSON objects, or are
     *     one object that wraps the records in an array (a whole API response, not its records)
     */
    public void read(InputStream in, Lineage lineage) throws IOException, MalformedBronzeException {
      RecordSplitter splitter = BronzeInput.open(in, lineage.sourceUri(), factory, batchBytes);
      objects.add(lineage.sourceUri());
      long recordsBefore = counts.records;
      wrapper = null;
      Object[] lineageValues = lineageValues(lineage);
      Deque<Typing> inFlight = new ArrayDeque<>();
      // Batches typed ahead of the writer: enough to keep every worker busy; none on one thread.
      int window = workers == null ? 0 : 2 * threads;
      try {
        try {
          RecordSplitter.Batch batch;
          while ((batch = splitter.next()) != null) {
            RecordSplitter.Batch b = batch;
            Typing task = new Typing(() -> type(b, lineageValues, lineage.sourceUri()));
            if (workers == null) {
              task.run();
            } else {
              workers.execute(task);
            }
            inFlight.add(task);
            if (inFlight.size() > window) {
              write(next(inFlight), lineageValues);
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
      if (wrapper != null && counts.records - recordsBefore == 1) {
        // Loaded as one record it would be one reject, or worse one row, and the records lost.
        throw new MalformedBronzeException(
            lineage.sourceUri() + " is one JSON object holding " + wrapper
                + "; silver expects a JSON array of records or one record per line (NDJSON)", null);
      }
    }

    private void drain(Deque<Typing> inFlight, Object[] lineageValues)
        throws IOException, MalformedBronzeException {
      while (!inFlight.isEmpty()) {
        write(next(inFlight), lineageValues);
      }
    }

    /**
     * The oldest batch in flight, taken off the queue. Until it is typed, this thread types it
     * itself if no worker has taken it yet, else the oldest batch no worker has taken.
     */
    private Typing next(Deque<Typing> inFlight) {
      Typing head = inFlight.poll();
      while (!head.isDone() && !head.take()) {
        Typing untaken = null;
        for (Typing t : inFlight) {
          if (!t.taken()) {
            untaken = t;
            break;
          }
        }
        if (untaken == null || !untaken.take()) {
          break; // every batch is being typed: wait for the head
        }
      }
      return head;
    }

    /** Writes a typed batch in order: its rows, except keys seen before, which become rejects. */
    private void write(Future<TypedBatch> pending, Object[] lineageValues)
        throws IOException, MalformedBronzeException {
      TypedBatch t = result(pending);
      RecordSplitter.Batch b = t.batch();
      if (t.wrapper() != null) {
        wrapper = t.wrapper();
      }

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
        Object key = t.keys().values[i];
        long earlier = rowsSeen == null ? -1 : t.rowKeys().addTaggedTo(rowsSeen, i, tag(t.index(i)));
        if (earlier >= 0) {
          // An exact repeat is a DUPLICATE_ROW before its key is looked at: its key is the earlier row's.
          rows.write(t.rows(), runFrom, rowFrom - runFrom);
          runFrom = end;
          ByteArrayOutputStream line = new ByteArrayOutputStream(512);
          try (JsonGenerator g = factory.createGenerator(line)) {
            writeReject(g, lineageValues, t.index(i), RejectReason.DUPLICATE_ROW, sameValuesAs(earlier), b, i);
          }
          line.writeTo(rejects);
          counts.reject(RejectReason.DUPLICATE_ROW);
        } else if (key != null && !t.keys().addTo(keys, i)) {
          rows.write(t.rows(), runFrom, rowFrom - runFrom);
          runFrom = end;
          ByteArrayOutputStream line = new ByteArrayOutputStream(512);
          try (JsonGenerator g = factory.createGenerator(line)) {
            writeReject(g, lineageValues, t.index(i), RejectReason.DUPLICATE_KEY,
                schema.fields().get(keyIndex).name() + " " + key + " already seen in this load", b, i);
          }
          line.writeTo(rejects);
          counts.reject(RejectReason.DUPLICATE_KEY);
        } else {
          counts.rows++;
          if (t.unknownFields() != null && t.unknownFields()[i] != null) {
            for (String name : t.unknownFields()[i]) {
              counts.unknownFields.merge(name, 1L, Long::sum);
            }
          }
        }
        rowFrom = end;
      }
      rows.write(t.rows(), runFrom, rowFrom - runFrom);
      counts.records += b.count();
    }

    /** Record {@code record} of the object being read, as a tag: its object's position, then the record. */
    private long tag(long record) {
      return (long) (objects.size() - 1) << RECORD_BITS | record;
    }

    /** The message of a DUPLICATE_ROW: which record had these values first. */
    private String sameValuesAs(long tag) {
      int object = (int) (tag >>> RECORD_BITS);
      long record = tag & ((1L << RECORD_BITS) - 1);
      return "every column equals record " + record
          + (object == objects.size() - 1 ? "" : " of " + objects.get(object)) + ", the first with these values in this load";
    }

    @Override
    public void close() throws IOException {
      if (workers != null) {
        workers.shutdownNow();
      }
      try {
        keys.close();
        if (rowsSeen != null) {
          rowsSeen.close();
        }
      } finally {
        // Flush only: the streams belong to the caller, who commits or discards them.
        rows.flush();
        rejects.flush();
      }
    }
  }

  /**
   * One batch typed: rows and rejects serialized, and per record where its line ends in either
   * buffer ({@code -1} in the other), and the row's key, checked when the batch is written; for
   * an object's first NDJSON record, the records it wraps if it does ({@link #wrapperOf}); for the
   * records of a CSV or xlsx file, their row numbers (null when none is).
   */
  private record TypedBatch(
      RecordSplitter.Batch batch, byte[] rows, int[] rowEnds, BatchKeys keys, BatchKeys rowKeys, byte[] rejects,
      int[] rejectEnds, RejectReason[] reasons, String wrapper, List<String>[] unknownFields, long[] fileRows) {

    /** Where record {@code i} came from: its file row, or its index in the object. */
    long index(int i) {
      return fileRows != null && fileRows[i] > 0 ? fileRows[i] : batch.firstRecord() + i;
    }
  }

  /**
   * Parses, types and serializes one batch; runs on a worker thread. A record of NDJSON that is
   * not JSON becomes a {@link RejectReason#MALFORMED_JSON} reject; in an array it fails the object.
   */
  private TypedBatch type(RecordSplitter.Batch b, Object[] lineageValues, String uri)
      throws IOException, MalformedBronzeException {
    Bytes rowBytes = new Bytes(b.bytes().length + b.bytes().length / 2);
    Bytes rejectBytes = new Bytes(256);
    int[] rowEnds = new int[b.count()];
    int[] rejectEnds = new int[b.count()];
    BatchKeys keys = new BatchKeys(b.count());
    BatchKeys rowKeys = distinctColumns == null ? null : new BatchKeys(b.count());
    Bytes rowValues = distinctColumns == null ? null : new Bytes(b.bytes().length);
    RejectReason[] reasons = new RejectReason[b.count()];
    Positions positions = new Positions(b);
    String wrapper = null;
    List<String>[] unknown = null;
    long[] fileRows = null;
    int i = 0;
    int from = 0; // where in the batch's bytes the parser starts
    JsonParser p = factory.createParser(b.bytes());
    try (JsonGenerator rows = factory.createGenerator(rowBytes);
        JsonGenerator rejects = factory.createGenerator(rejectBytes);
        JsonGenerator values = rowValues == null ? null : factory.createGenerator(rowValues)) {
      rows.setRootValueSeparator(null);
      rejects.setRootValueSeparator(null);
      if (values != null) {
        values.setRootValueSeparator(null); // each row's bytes alike, the first's too
      }
      for (; i < b.count(); i++) {
        RecordSplitter.Fault fault = b.faults() == null ? null : b.faults()[i];
        RecordTyper.Typed typed = null;
        if (fault == null) {
          try {
            if (p.nextToken() == null) {
              throw new MalformedBronzeException(uri + " is not valid JSON (record " + (b.firstRecord() + i) + ")", null);
            }
            typed = typer.type(p, schema.size(), b.bytes(), from);
          } catch (JsonProcessingException e) {
            if (b.array()) {
              throw malformed(uri, b, positions, from, i, e);
            }
            fault = new RecordSplitter.Fault(faultAt(e, from, b, i), e.getOriginalMessage());
          }
        }
        if (fault != null) {
          writeMalformed(rejects, lineageValues, b, i, fault, positions);
          rejectEnds[i] = rejectBytes.size() + rejects.getOutputBuffered();
          rowEnds[i] = -1;
          reasons[i] = RejectReason.MALFORMED_JSON;
          // A parser cannot go on after a fault: a new one starts at the next record.
          p.close();
          from = i + 1 < b.count() ? b.starts()[i + 1] : b.bytes().length;
          p = factory.createParser(b.bytes(), from, b.bytes().length - from);
          continue;
        }
        if (i == 0 && b.firstRecord() == 0 && !b.array()) {
          wrapper = wrapperOf(b, 0);
        }
        if (!typed.rejected() && !typed.unknown().isEmpty()) {
          if (unknown == null) {
            @SuppressWarnings("unchecked")
            List<String>[] perRecord = new List[b.count()];
            unknown = perRecord;
          }
          unknown[i] = typed.unknown();
        }
        // A file's record names its row (its CSV line, its sheet row); any other its place in the object.
        long index = b.firstRecord() + i;
        if (typed.row() >= 0) {
          index = typed.row();
          if (fileRows == null) {
            fileRows = new long[b.count()];
          }
          fileRows[i] = index;
        }
        if (typed.rejected()) {
          writeReject(rejects, lineageValues, index, typed.reason(), typed.message(), b, i);
          rejectEnds[i] = rejectBytes.size() + rejects.getOutputBuffered();
          rowEnds[i] = -1;
          reasons[i] = typed.reason();
        } else {
          writeRow(rows, typed.values(), lineageValues, index);
          rowEnds[i] = rowBytes.size() + rows.getOutputBuffered();
          rejectEnds[i] = -1;
          keys.set(i, keyIndex < 0 ? null : typed.values()[keyIndex]);
          if (values != null) {
            int start = rowValues.size();
            writeValues(values, typed.values(), lineageValues);
            rowKeys.setEncoded(i, rowValues.array(), start, rowValues.size() - start);
          }
        }
      }
      if (p.nextToken() != null) {
        throw new MalformedBronzeException(
            uri + " is not valid JSON (record " + (b.firstRecord() + i) + "): a value where none was expected", null);
      }
      rows.flush();
      rejects.flush();
    } catch (JsonProcessingException e) {
      throw malformed(uri, b, positions, from, i, e);
    } finally {
      p.close();
    }
    if (rowKeys != null) {
      rowKeys.encoded = rowValues.array();
    }
    return new TypedBatch(b, rowBytes.array(), rowEnds, keys, rowKeys, rejectBytes.array(), rejectEnds, reasons, wrapper, unknown,
        fileRows);
  }

  /** A batch's typing, run by whichever thread takes it first: a worker or the writer. */
  private static final class Typing extends FutureTask<TypedBatch> {
    private final java.util.concurrent.atomic.AtomicBoolean taken = new java.util.concurrent.atomic.AtomicBoolean();

    Typing(java.util.concurrent.Callable<TypedBatch> typing) {
      super(typing);
    }

    /** Types the batch on this thread unless another took it; true when this call typed it. */
    boolean take() {
      if (!taken.compareAndSet(false, true)) {
        return false;
      }
      super.run();
      return true;
    }

    boolean taken() {
      return taken.get();
    }

    @Override
    public void run() {
      take();
    }
  }

  /**
   * The keys of a batch's rows, as {@link KeySet} stores them and with their hashes: made by the
   * worker that types the batch, so that the thread writing batches in order only probes the set.
   */
  private static final class BatchKeys {
    /** Per record its key, or null: text as {@link RecordTyper.Utf8} or String, or a typed value. */
    final Object[] values;
    final long[] hashes;
    /** Of a key that is not a Utf8 slice: where its encoded bytes are in {@link #encoded}. */
    final int[] offsets;
    final int[] lengths;
    byte[] encoded = new byte[256];
    int size;

    BatchKeys(int records) {
      values = new Object[records];
      hashes = new long[records];
      offsets = new int[records];
      lengths = new int[records];
    }

    void set(int i, Object key) {
      values[i] = key;
      if (key == null) {
        return;
      }
      if (key instanceof RecordTyper.Utf8 u) {
        hashes[i] = KeySet.hash(u.bytes(), u.offset(), u.length());
        return;
      }
      // A number or a date: its text is its value too.
      String text = key.toString();
      if (encoded.length - size < 3 * text.length()) {
        encoded = java.util.Arrays.copyOf(encoded, Math.max(encoded.length * 2, size + 3 * text.length()));
      }
      int length = KeySet.encode(text, encoded, size);
      offsets[i] = size;
      lengths[i] = length;
      hashes[i] = KeySet.hash(encoded, size, length);
      size += length;
    }

    /**
     * Record {@code i}'s key is the bytes {@code bytes[offset, offset + length)}, which stay where
     * they are: {@link #encoded} must be that array (or a copy that grew from it) when keys are added.
     */
    void setEncoded(int i, byte[] bytes, int offset, int length) {
      values[i] = Boolean.TRUE;
      offsets[i] = offset;
      lengths[i] = length;
      hashes[i] = KeySet.hash(bytes, offset, length);
    }

    /** Adds record {@code i}'s key with {@code tag} to a tagged set: -1 when new, else the earlier tag. */
    long addTaggedTo(KeySet set, int i, long tag) {
      return set.addTagged(encoded, offsets[i], lengths[i], hashes[i], tag);
    }

    /** Adds record {@code i}'s key to the set: false when it was there already. */
    boolean addTo(KeySet set, int i) {
      return values[i] instanceof RecordTyper.Utf8 u
          ? set.add(u.bytes(), u.offset(), u.length(), hashes[i])
          : set.add(encoded, offsets[i], lengths[i], hashes[i]);
    }
  }

  /** Where in the batch the parser's fault in record {@code i} is: its record's start when it does not say. */
  private static int faultAt(JsonProcessingException e, int from, RecordSplitter.Batch b, int i) {
    JsonLocation at = e.getLocation();
    long offset = at == null ? -1 : at.getByteOffset();
    return offset < 0 ? b.starts()[i] : (int) Math.min(from + offset, b.ends()[i]);
  }

  /**
   * How a lone NDJSON record wraps records rather than being one: the arrays of objects it holds
   * at its top level ({@code an array of 3 objects under "data"}), or null when it holds none.
   */
  private String wrapperOf(RecordSplitter.Batch b, int i) throws IOException {
    int start = b.starts()[i];
    if (b.bytes()[start] != '{') {
      return null;
    }
    Map<String, Long> arrays = new LinkedHashMap<>();
    try (JsonParser p = factory.createParser(b.bytes(), start, b.ends()[i] - start)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (p.nextToken() != JsonToken.START_ARRAY || typer.readsElementsOf(name)) {
          // Not an array, or one the mapping reads a column from (labels[].name): part of a record.
          p.skipChildren();
          continue;
        }
        long objects = 0;
        boolean onlyObjects = true;
        for (JsonToken t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
          onlyObjects &= t == JsonToken.START_OBJECT;
          p.skipChildren();
          objects++;
        }
        if (onlyObjects && objects > 0) {
          arrays.put(name, objects);
        }
      }
    }
    if (arrays.isEmpty()) {
      return null;
    }
    if (arrays.size() == 1) {
      Map.Entry<String, Long> only = arrays.entrySet().iterator().next();
      return "an array of " + only.getValue() + (only.getValue() == 1 ? " object" : " objects") + " under \""
          + only.getKey() + "\"";
    }
    List<String> each = new ArrayList<>();
    arrays.forEach((name, n) -> each.add(n + " under \"" + name + "\""));
    return "arrays of objects: " + String.join(", ", each);
  }

  /** Lines and columns of offsets in a batch, counted forward from its first byte. */
  private static final class Positions {
    private final RecordSplitter.Batch batch;
    private int counted;
    private long lineBreaks;
    private int lastLineBreak = -1;

    Positions(RecordSplitter.Batch batch) {
      this.batch = batch;
    }

    long line(int at) {
      countTo(at);
      return batch.line() + lineBreaks;
    }

    long column(int at) {
      countTo(at);
      return lastLineBreak < 0 ? batch.column() + at : at - lastLineBreak;
    }

    /** Asked in increasing order, so each batch is counted once. */
    private void countTo(int at) {
      if (at < counted) {
        counted = 0;
        lineBreaks = 0;
        lastLineBreak = -1;
      }
      byte[] bytes = batch.bytes();
      for (; counted < at; counted++) {
        if (bytes[counted] == '\n') {
          lineBreaks++;
          lastLineBreak = counted;
        }
      }
    }

    String at(int offset) {
      return "line " + line(offset) + ", column " + column(offset);
    }
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
      writeValue(g, v);
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /** Bits of a tag that hold the record's position in its object; the object's position is above them. */
  private static final int RECORD_BITS = 40;

  /**
   * A row's values without its lineage, as one JSON array flushed to the generator's stream: the
   * bytes a distinct load compares (two rows are the same when these bytes are).
   */
  private void writeValues(JsonGenerator g, Object[] values, Object[] lineageValues) throws IOException {
    g.writeStartArray();
    for (int c : distinctColumns) {
      Object v = values[c] != null ? values[c] : lineageValues[c];
      if (v == null) {
        g.writeNull();
      } else {
        writeValue(g, v);
      }
    }
    g.writeEndArray();
    g.flush();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    // Classes first, the List (an interface, a slower check) last: flat rows meet no List.
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
    } else if (v instanceof List<?> list) {
      // A REPEATED column, written even when empty: BigQuery's is never NULL, and DuckDB reads [] as empty.
      g.writeStartArray();
      for (Object element : list) {
        writeValue(g, element);
      }
      g.writeEndArray();
    } else if (v instanceof RecordTyper.Struct struct) {
      // A RECORD: its fields in schema order; a NULL one left out, as in a row.
      g.writeStartObject();
      Object[] values = struct.values();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          g.writeFieldName(struct.shape().names[i]);
          writeValue(g, values[i]);
        }
      }
      g.writeEndObject();
    } else if (v instanceof RecordTyper.RawJson json) {
      // A JSON column's value, already compact JSON: BigQuery loads it as the JSON value it is.
      g.writeRawValue(json.json());
    } else {
      throw new IllegalStateException("Unexpected value type " + v.getClass());
    }
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
    // The record as it came, white space outside strings left out: the parser has read it, so it
    // is JSON, unless it holds NaN or Infinity, which a tree writes as strings.
    int start = b.starts()[i];
    String compact = compactJson(b.bytes(), start, b.ends()[i]);
    if (rejectMask != null) {
      // A masked table's reject keeps the record with its masked columns masked, as a row would.
      String masked;
      try {
        masked = new String(rejectMask.apply(java.util.Arrays.copyOfRange(b.bytes(), start, b.ends()[i])), StandardCharsets.UTF_8);
      } catch (RuntimeException unreadable) {
        masked = null;
      }
      if (masked != null) {
        g.writeRawValue(masked);
      } else {
        g.writeNull();
      }
    } else if (compact != null) {
      g.writeRawValue(compact);
    } else {
      mapper.writeTree(g, mapper.readTree(factory.createParser(b.bytes(), start, b.ends()[i] - start)));
    }
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /**
   * The JSON text {@code bytes[start, end)} without the white space between its tokens, or null
   * when it holds a NaN or Infinity (an 'N' or 'I' outside strings), which are not JSON. Numbers,
   * escapes and every field, a repeated one too, stay as written.
   */
  static String compactJson(byte[] bytes, int start, int end) {
    byte[] out = new byte[end - start];
    int n = 0;
    boolean inString = false;
    for (int k = start; k < end; k++) {
      byte c = bytes[k];
      if (inString) {
        out[n++] = c;
        if (c == '\\') {
          out[n++] = bytes[++k];
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
        out[n++] = c;
      } else if (c == 'N' || c == 'I') {
        return null;
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out[n++] = c;
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /** Bytes of a broken record's text a reject keeps: enough to find and recognise it. */
  static final int RAW_EXCERPT = 1024;

  /**
   * A reject of a record that is not JSON: where it starts and where its fault is, and an excerpt
   * of its text instead of the record.
   */
  private void writeMalformed(
      JsonGenerator g, Object[] lineageValues, RecordSplitter.Batch b, int i, RecordSplitter.Fault fault,
      Positions positions) throws IOException {
    int start = b.starts()[i];
    long line = positions.line(start);
    String message = positions.at(fault.at()) + ": " + fault.what();
    g.writeStartObject();
    g.writeFieldName("source_uri");
    g.writeString((SerializableString) lineageValues[uriIndex]);
    g.writeNumberField("source_generation", (Long) lineageValues[generationIndex]);
    g.writeNumberField("source_record", b.firstRecord() + i);
    g.writeStringField("reason", RejectReason.MALFORMED_JSON.name());
    g.writeStringField("message", message);
    g.writeNumberField("line", line);
    // A broken record cannot be masked field by field: a masked table's reject keeps no text of it.
    g.writeStringField("raw", rejectMask != null ? "(withheld: the table has masked columns; line " + line + " of the bronze object)"
        : excerpt(b.bytes(), start, b.ends()[i]));
    g.writeEndObject();
    g.writeRaw('\n');
  }

  /**
   * At most {@link #RAW_EXCERPT} bytes of text, cut before a character, without trailing white
   * space; bytes that are not UTF-8 become U+FFFD.
   */
  static String excerpt(byte[] bytes, int start, int end) {
    while (end > start && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) {
      end--;
    }
    int cut = Math.min(end, start + RAW_EXCERPT);
    if (cut < end) {
      while (cut > start && (bytes[cut] & 0xC0) == 0x80) {
        cut--;
      }
    }
    String text = new String(bytes, start, cut - start, StandardCharsets.UTF_8);
    return cut < end ? text + "..." : text;
  }

  private Object[] lineageValues(Lineage lineage) {
    Object[] values = new Object[schema.size()];
    values[runIdIndex] = new SerializedString(lineage.runId());
    values[uriIndex] = new SerializedString(lineage.sourceUri());
    values[generationIndex] = lineage.generation();
    values[ingestedIndex] = new SerializedString(TIMESTAMP.format(lineage.ingestedAt()));
    for (Map.Entry<String, String> p : lineage.parent().entrySet()) {
      int i = schema.indexOf(PARENT_PREFIX + p.getKey());
      if (i >= 0 && p.getValue() != null) {
        values[i] = new SerializedString(p.getValue());
      }
    }
    int fileKey = schema.indexOf(FILE_KEY);
    if (fileKey >= 0 && lineage.fileKey() != null) {
      values[fileKey] = new SerializedString(lineage.fileKey());
    }
    return values;
  }

  /** The parser's fault, placed in the object (batches start mid-object) and named by record. */
  private static MalformedBronzeException malformed(
      String uri, RecordSplitter.Batch b, Positions positions, int from, int i, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    // Limit violations (nesting depth, string length) carry no location.
    String where = at == null || at.getByteOffset() < 0 ? "" : " at " + positions.at((int) Math.min(from + at.getByteOffset(), b.bytes().length));
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
