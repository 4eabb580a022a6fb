package io.medallion.local.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import io.medallion.local.replay.GeneratorSpec.Defect;
import io.medallion.local.replay.GeneratorSpec.MessRule;
import io.medallion.local.replay.GeneratorSpec.ResourcePlan;
import io.medallion.local.replay.GeneratorSpec.Step;
import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a source's records as its API serves them, from the generator spec its declaration names
 * ({@code "replay": {"generator": "<name>.generator.json"}}), together with what silver must make
 * of each ({@link Expected}). The spec language is described in this package's README.
 *
 * <p>Deterministic: the same seed gives the same records, and {@code generate(n, seed)} is a prefix
 * of {@code generate(m, seed)} for {@code n < m}, since each record draws from its own random
 * stream (a child resource's records from their parent's).
 *
 * <p>Every record is checked against the silver contract as it is made ({@link ContractReading}): a
 * record the mess made invalid, or a defect whose record silver would reject for another reason or
 * field than the spec says, fails generation with a message naming the spec, the record and the
 * rule. So a spec cannot promise an outcome its records do not have.
 */
public final class RecordGenerator {

  /** Records per block of {@link #writeJsonArray}: each block is the sequence of its own seed. */
  static final int BLOCK = 10_000;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long RESOURCE_SALT = 0xD6E8FEB86659FD93L;

  private final GeneratorSpec spec;

  RecordGenerator(GeneratorSpec spec) {
    this.spec = spec;
  }

  /**
   * The generator of {@code source}, from the spec its declaration names.
   *
   * @throws DeclarationException when it names none, or the spec has problems (each with its field)
   */
  public static RecordGenerator forSource(Source source) throws DeclarationException {
    GeneratorSpec spec = GeneratorSpec.forSource(source);
    if (spec == null) {
      throw new DeclarationException(List.of(new DeclarationException.Problem(source.file(), "/replay",
          "source " + source.name() + " names no generator (\"replay\": {\"generator\": \"" + source.name()
              + ".generator.json\"})")));
    }
    return new RecordGenerator(spec);
  }

  /** The source it generates for. */
  public Source source() {
    return spec.source;
  }

  /**
   * How many records the sample files of file resource {@code resource} hold, and the record field
   * (and date pattern) each named part of a file's name comes from; empty when its spec says none.
   */
  public java.util.Optional<SampleFiles> sampleFiles(String resource) {
    GeneratorSpec.ResourcePlan plan = spec.plans.get(resource);
    if (plan == null || plan.files == null) {
      return java.util.Optional.empty();
    }
    Map<String, SampleFiles.Part> parts = new LinkedHashMap<>();
    plan.files.parts().forEach((name, p) -> parts.put(name, new SampleFiles.Part(p[0], p[1])));
    return java.util.Optional.of(new SampleFiles(plan.files.records(), parts));
  }

  /**
   * A file resource's sample files, as its spec's {@code files} says.
   *
   * @param records how many records they hold in all
   * @param parts each named part of a file's name, from which field of a record
   */
  public record SampleFiles(int records, Map<String, Part> parts) {
    public SampleFiles {
      parts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parts));
    }

    /**
     * @param field the record field the part's text comes from
     * @param dateFormat for a date field, the pattern the name writes its date with; null for its text
     */
    public record Part(String field, String dateFormat) {}
  }

  GeneratorSpec spec() {
    return spec;
  }

  /**
   * {@code records} records of each top-level resource, and the records of each child resource for
   * them, with what silver must make of each. A resource the spec gives recorded records for has
   * none here (the server reads the file).
   */
  public GeneratedData generate(int records, long seed) {
    Map<String, List<GeneratedRecord>> out = new LinkedHashMap<>();
    make(records, seed, true).forEach((resource, made) ->
        out.put(resource, made.stream().map(m -> new GeneratedRecord(m.json, m.expected, m.parent)).toList()));
    return new GeneratedData(out);
  }

  /**
   * The records a replay server serves, made as {@link #generate} makes them but without their
   * expectations (and without the check against the spec that comes with them): what a local run
   * of a million records needs, in the time and memory the records themselves take.
   */
  ReplayRecords served(int records, long seed) {
    Map<String, List<byte[]>> lists = new LinkedHashMap<>();
    Map<String, Map<String, List<byte[]>>> children = new LinkedHashMap<>();
    Map<String, List<Made>> made = make(records, seed, false);
    made.forEach((resource, list) -> {
      Source.Resource r = spec.source.resource(resource).orElseThrow();
      if (r.parent() == null) {
        lists.put(resource, list.stream().map(m -> m.json.getBytes(StandardCharsets.UTF_8)).toList());
        return;
      }
      List<Made> parents = made.get(r.parent().resource());
      Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
      List<String> keys = new ArrayList<>();
      for (Made p : parents) {
        String key = ReplayRecords.parentKey(r, p.map);
        keys.add(key);
        if (key != null) {
          byKey.putIfAbsent(key, new ArrayList<>());
        }
      }
      for (Made m : list) {
        byKey.get(keys.get(m.parent)).add(m.json.getBytes(StandardCharsets.UTF_8));
      }
      children.put(resource, byKey);
    });
    return ReplayRecords.of(lists, children);
  }

  /** The records of every generated resource, in declaration order. */
  private Map<String, List<Made>> make(int records, long seed, boolean expect) {
    if (records < 0) {
      throw new IllegalArgumentException("records must not be negative, got " + records);
    }
    // The records as sent are kept only for resources whose children need their parent's fields.
    Set<String> haveChildren = new HashSet<>();
    spec.source.resources().forEach(r -> {
      if (r.parent() != null) {
        haveChildren.add(r.parent().resource());
      }
    });
    Map<String, List<Made>> out = new LinkedHashMap<>();
    for (ResourcePlan plan : spec.plans.values()) {
      if (!plan.generated()) {
        continue;
      }
      List<Made> list = new ArrayList<>();
      Sink sink = new Sink(true, expect, haveChildren.contains(plan.name));
      if (plan.resource.parent() == null) {
        Draw d = new Draw(plan, new Draw.Run());
        for (int i = 0; i < records; i++) {
          d.r = new SplittableRandom(mix(seed + GOLDEN * (i + 1) + plan.resourceIndex * RESOURCE_SALT));
          d.index = i;
          d.parent = null;
          list.add(make(d, seed, sink).withParent(-1));
        }
      } else {
        List<Made> parents = out.get(plan.resource.parent().resource());
        if (parents == null) {
          throw new IllegalStateException(spec.file + ": resource " + plan.name + " is a child of "
              + plan.resource.parent().resource() + ", which has no generated records");
        }
        children(plan, parents, seed, sink, list);
      }
      out.put(plan.name, list);
    }
    return out;
  }

  /** The records of a child resource: for each parent with a key not seen before, its own stream. */
  private void children(ResourcePlan plan, List<Made> parents, long seed, Sink sink, List<Made> list) {
    Draw d = new Draw(plan, new Draw.Run());
    Set<String> keys = new HashSet<>();
    long index = 0;
    for (int p = 0; p < parents.size(); p++) {
      String key = ReplayRecords.parentKey(plan.resource, parents.get(p).map);
      if (key == null || !keys.add(key)) {
        continue; // the server could not tell this parent's children from an earlier one's
      }
      SplittableRandom r = new SplittableRandom(mix(mix(seed + GOLDEN * (p + 1)) + plan.resourceIndex * RESOURCE_SALT));
      int count = plan.perParentMin == plan.perParentMax ? plan.perParentMin : r.nextInt(plan.perParentMin, plan.perParentMax + 1);
      for (int k = 0; k < count; k++) {
        d.r = r;
        d.index = index++;
        d.parent = parents.get(p).map;
        list.add(make(d, seed, sink).withParent(p));
      }
    }
  }

  /**
   * Writes {@code count} records of top-level resource {@code resource} as one JSON array (one
   * record per line, as a large export looks), holding one block of {@value #BLOCK} records in
   * memory at a time: for benchmark inputs of any size. Block {@code b} is the sequence of seed
   * {@code seed + b}, so its duplicates repeat records of the same block. Expectations are not
   * computed.
   *
   * @return the bytes written
   */
  public long writeJsonArray(String resource, long seed, long count, OutputStream out) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    ResourcePlan plan = spec.plans.get(resource);
    if (plan == null || !plan.generated() || plan.resource.parent() != null) {
      throw new IllegalArgumentException("resource '" + resource + "' of " + spec.source.name()
          + " is not a generated top-level resource");
    }
    Counting counted = new Counting(out);
    try (JsonGenerator g = JsonValues.JSON.createGenerator(counted)) {
      g.setRootValueSeparator(null);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeRaw("[\n");
      Sink sink = new Sink(false, false, false);
      sink.stream = g;
      long done = 0;
      for (long block = 0; done < count; block++) {
        int n = (int) Math.min(BLOCK, count - done);
        long blockSeed = seed + block;
        Draw d = new Draw(plan, new Draw.Run());
        for (int i = 0; i < n; i++) {
          d.r = new SplittableRandom(mix(blockSeed + GOLDEN * (i + 1) + plan.resourceIndex * RESOURCE_SALT));
          d.index = i;
          if (done++ > 0) {
            g.writeRaw(",\n");
          }
          make(d, blockSeed, sink);
        }
      }
      g.writeRaw("\n]\n");
    }
    return counted.count;
  }

  /** Where made records go: kept as text (with their expectation, their fields as sent), or streamed. */
  private static final class Sink {
    final boolean keep;
    final boolean expect;
    final boolean keepFields;
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    JsonGenerator stream;
    JsonGenerator toBuffer;

    Sink(boolean keep, boolean expect, boolean keepFields) {
      this.keep = keep;
      this.expect = expect;
      this.keepFields = keepFields;
      if (keep) {
        try {
          toBuffer = JsonValues.JSON.createGenerator(buffer);
          toBuffer.setRootValueSeparator(null);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /**
   * A made record: its text, its expectation and its fields as sent (each when asked for), and the
   * position of its parent record (-1 at the top level).
   */
  private record Made(String json, Expected expected, Map<String, Object> map, int parent) {
    Made withParent(int parent) {
      return new Made(json, expected, map, parent);
    }
  }

  /** Makes the record {@code d} stands at, from its steps, its mess or defect. */
  private Made make(Draw d, long seed, Sink sink) {
    ResourcePlan plan = d.plan;
    d.raw = new Object[plan.fields.length];
    d.lets = new Object[plan.letSlots.size()];
    for (Step s : plan.steps) {
      Object v = s.value().next(d);
      if (s.let()) {
        d.lets[s.slot()] = v;
      } else {
        d.raw[s.slot()] = v;
      }
    }
    Defect defect = defectAt(plan, d.index, seed);
    Object[] raw = d.raw;
    Map<String, Object> parent = d.parent;
    if (defect != null && defect.repeatEarlier()) {
      Draw.Run run = d.run;
      if (run.cleanRaw.isEmpty()) {
        throw new IllegalStateException(spec.file + ": defect " + defect.name() + " at record " + d.index
            + " of " + plan.name + " has no earlier clean record to repeat");
      }
      // Served again among the current parent's records: the client takes that parent's fields.
      raw = run.cleanRaw.get(d.r.nextInt(run.cleanRaw.size()));
    } else {
      for (MessRule rule : plan.mess) {
        mess(d, rule);
      }
      if (defect != null) {
        for (int i = 0; i < defect.setSlots().length; i++) {
          d.raw[defect.setSlots()[i]] = defect.setValues()[i].next(d);
        }
        for (int slot : defect.removeSlots()) {
          d.raw[slot] = JsonValues.ABSENT;
        }
        for (int i = 0; i < defect.fillSlots().length; i++) {
          if (d.raw[defect.fillSlots()[i]] == null) {
            d.raw[defect.fillSlots()[i]] = defect.fillValues()[i].next(d);
          }
        }
      }
    }
    Made made;
    try {
      if (sink.keep) {
        write(sink.toBuffer, plan, raw);
        sink.toBuffer.flush();
        String json = sink.buffer.toString(StandardCharsets.UTF_8);
        sink.buffer.reset();
        Map<String, Object> map = sink.expect || sink.keepFields ? asMap(plan, raw) : null;
        made = new Made(json, sink.expect ? expect(plan, d, defect, map, parent) : null, sink.keepFields ? map : null, -1);
      } else {
        write(sink.stream, plan, raw);
        made = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (defect == null) {
      d.run.cleanRaw.add(raw);
    }
    return made;
  }

  private static void mess(Draw d, MessRule rule) {
    if (rule.when() != null && !rule.when().test(d)) {
      return;
    }
    for (int i = 0; i < rule.setSlots().length; i++) {
      d.raw[rule.setSlots()[i]] = rule.setValues()[i].next(d);
    }
    if (rule.field() == null) {
      return;
    }
    int times = rule.repeat() == null ? 1 : (int) Gen.number(rule.repeat().next(d));
    for (int t = 0; t < times; t++) {
      String name = JsonValues.scalarText(rule.field().next(d));
      d.thisSlot = d.plan.slot(name);
      if (rule.fieldIf() == null || rule.fieldIf().test(d)) {
        d.raw[d.thisSlot] = rule.value().next(d);
      }
      d.thisSlot = -1;
    }
  }

  /** What silver must make of the record, checked against what the spec says it is. */
  private Expected expect(ResourcePlan plan, Draw d, Defect defect, Map<String, Object> record, Map<String, Object> parent) {
    Object read = plan.reading.read(record, parent, d.run.seenKeys, d.run.seenRows);
    if (read instanceof ContractReading.Fault f) {
      if (defect == null) {
        throw new IllegalStateException(spec.file + ": record " + d.index + " of " + plan.name
            + " should be valid, but silver would reject it (" + f.reason() + " on " + f.field()
            + "): a mess rule made it invalid. The record: " + JsonValues.text(record));
      }
      if (!f.reason().equals(defect.reason()) || !f.field().equals(defect.field())) {
        throw new IllegalStateException(spec.file + ": defect " + defect.name() + " at record " + d.index + " of "
            + plan.name + " promises " + defect.reason() + " on " + defect.field() + ", but silver would give "
            + f.reason() + " on " + f.field() + ". The record: " + JsonValues.text(record));
      }
      return new Expected.Reject(f.reason(), f.field());
    }
    if (defect != null) {
      throw new IllegalStateException(spec.file + ": defect " + defect.name() + " at record " + d.index + " of "
          + plan.name + " promises " + defect.reason() + " on " + defect.field()
          + ", but silver would load the record. The record: " + JsonValues.text(record));
    }
    return new Expected.Clean(plan.reading.columns(), (Object[]) read);
  }

  /** The record as the API sends it: fields in order, copies last written, removed ones left out. */
  private static Map<String, Object> asMap(ResourcePlan plan, Object[] raw) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < plan.fields.length; i++) {
      Object v = plan.copyOf[i] >= 0 ? raw[plan.copyOf[i]] : raw[i];
      if (v != JsonValues.ABSENT) {
        map.put(plan.fields[i], v);
      }
    }
    return map;
  }

  private static void write(JsonGenerator g, ResourcePlan plan, Object[] raw) throws IOException {
    g.writeStartObject();
    for (int i = 0; i < plan.fields.length; i++) {
      Object v = plan.copyOf[i] >= 0 ? raw[plan.copyOf[i]] : raw[i];
      if (v == JsonValues.ABSENT) {
        continue;
      }
      g.writeFieldName(plan.fields[i]);
      JsonValues.write(g, v);
    }
    g.writeEndObject();
  }

  /**
   * The defect of record {@code i}, or null: one per block of {@code every}, at a seeded position,
   * never the very first record (so that a duplicate always has an earlier clean record to repeat),
   * cycling through the spec's defects block by block.
   */
  private static Defect defectAt(ResourcePlan plan, long i, long seed) {
    if (plan.defects.isEmpty()) {
      return null;
    }
    long every = plan.every;
    long block = i / every;
    long position = Math.floorMod(mix(seed ^ 0xD1B54A32D192ED03L ^ mix(block)), every);
    if (block == 0 && position == 0) {
      position = 1;
    }
    if (i % every != position) {
      return null;
    }
    return plan.defects.get((int) Math.floorMod(block + seed, (long) plan.defects.size()));
  }

  /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Counts what passes through. */
  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
