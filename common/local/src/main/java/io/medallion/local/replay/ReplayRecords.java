package io.medallion.local.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.medallion.source.DeclarationException;
import io.medallion.source.DeclarationException.Problem;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The records a replay server serves, per resource, each exactly as it goes out (its JSON bytes):
 * a top-level resource's as one list in order, a child resource's per parent, keyed by the values
 * its path placeholders take from the parent record (joined by {@code /}, in the order the
 * placeholders appear in the path and then the params).
 */
public final class ReplayRecords {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, List<byte[]>> lists;
  private final Map<String, Map<String, List<byte[]>>> children;

  private ReplayRecords(Map<String, List<byte[]>> lists, Map<String, Map<String, List<byte[]>>> children) {
    this.lists = Collections.unmodifiableMap(lists);
    this.children = Collections.unmodifiableMap(children);
  }

  static ReplayRecords of(Map<String, List<byte[]>> lists, Map<String, Map<String, List<byte[]>>> children) {
    return new ReplayRecords(new LinkedHashMap<>(lists), new LinkedHashMap<>(children));
  }

  /** The records of a top-level resource, in order (empty when it has none). */
  List<byte[]> list(String resource) {
    return lists.getOrDefault(resource, List.of());
  }

  /** A child resource's records by parent key. */
  Map<String, List<byte[]>> children(String resource) {
    return children.getOrDefault(resource, Map.of());
  }

  /** How many records a resource has (a child's over all parents). */
  public int size(String resource) {
    if (children.containsKey(resource)) {
      return children.get(resource).values().stream().mapToInt(List::size).sum();
    }
    return list(resource).size();
  }

  /** These records with {@code resource}'s replaced by {@code records} (a top-level resource). */
  ReplayRecords with(String resource, List<byte[]> records) {
    Map<String, List<byte[]>> l = new LinkedHashMap<>(lists);
    l.put(resource, List.copyOf(records));
    return new ReplayRecords(l, children);
  }

  /** Generated records of every resource of a source. */
  public static ReplayRecords of(Source source, GeneratedData data) {
    Map<String, List<byte[]>> lists = new LinkedHashMap<>();
    Map<String, Map<String, List<byte[]>>> children = new LinkedHashMap<>();
    for (String resource : data.resources()) {
      Source.Resource r = source.resource(resource).orElseThrow();
      List<GeneratedRecord> records = data.records(resource);
      if (r.parent() == null) {
        lists.put(resource, records.stream().map(g -> g.json().getBytes(StandardCharsets.UTF_8)).toList());
        continue;
      }
      // Every parent the server can name has a list, an empty one when it has no children (a
      // show without episodes answers an empty page, not 404).
      List<GeneratedRecord> parents = data.records(r.parent().resource());
      List<String> keys = new ArrayList<>();
      Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
      for (GeneratedRecord p : parents) {
        @SuppressWarnings("unchecked")
        Map<String, Object> parent = (Map<String, Object>) JsonValues.parse(p.json().getBytes(StandardCharsets.UTF_8));
        String key = parentKey(r, parent);
        keys.add(key);
        if (key != null) {
          byKey.putIfAbsent(key, new ArrayList<>());
        }
      }
      for (GeneratedRecord g : records) {
        byKey.get(keys.get(g.parent())).add(g.json().getBytes(StandardCharsets.UTF_8));
      }
      children.put(resource, byKey);
    }
    return new ReplayRecords(lists, children);
  }

  /** Records given as JSON text, for a test that writes its own: one top-level resource. */
  public static ReplayRecords ofJson(String resource, List<String> records) {
    Map<String, List<byte[]>> lists = new LinkedHashMap<>();
    lists.put(resource, records.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    return new ReplayRecords(lists, new LinkedHashMap<>());
  }

  /**
   * The recorded records of a source: the JSON array {@code replay.records} of its declaration names
   * (its first resource's), and those the generator spec names per resource. A child resource's
   * file is a JSON object of parent key to array.
   */
  public static ReplayRecords recorded(Source source) throws DeclarationException {
    Map<String, String> files = new LinkedHashMap<>();
    if (source.replay() != null && source.replay().records() != null) {
      files.put(source.resources().get(0).name(), source.replay().records());
    }
    GeneratorSpec spec = GeneratorSpec.forSource(source);
    if (spec != null) {
      spec.plans.values().stream().filter(p -> !p.generated()).forEach(p -> files.putIfAbsent(p.name, p.records));
    }
    return read(source, files);
  }

  /** Generated records where the spec generates, recorded ones where it or the declaration names a file. */
  static ReplayRecords merge(ReplayRecords generated, ReplayRecords recorded) {
    Map<String, List<byte[]>> lists = new LinkedHashMap<>(generated.lists);
    lists.putAll(recorded.lists);
    Map<String, Map<String, List<byte[]>>> children = new LinkedHashMap<>(generated.children);
    children.putAll(recorded.children);
    return new ReplayRecords(lists, children);
  }

  private static ReplayRecords read(Source source, Map<String, String> files) throws DeclarationException {
    Map<String, List<byte[]>> lists = new LinkedHashMap<>();
    Map<String, Map<String, List<byte[]>>> children = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = SourceDeclarations.DIRECTORY + f.getValue();
      String where = source.files().describe(path);
      var text = source.files().read(path);
      if (text.isEmpty()) {
        problems.add(new Problem(where, "", "no such file (recorded records of resource " + f.getKey() + ")"));
        continue;
      }
      byte[] bytes = text.get().getBytes(StandardCharsets.UTF_8);
      boolean child = source.resource(f.getKey()).orElseThrow().parent() != null;
      try (JsonParser p = JsonValues.JSON.createParser(bytes)) {
        JsonToken first = p.nextToken();
        if (!child) {
          if (first != JsonToken.START_ARRAY) {
            throw new IOException("recorded records are one JSON array");
          }
          lists.put(f.getKey(), elements(p, bytes));
        } else {
          if (first != JsonToken.START_OBJECT) {
            throw new IOException("a child resource's recorded records are a JSON object of parent key to array");
          }
          Map<String, List<byte[]>> byKey = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.START_ARRAY) {
              throw new IOException("the records of parent '" + key + "' are not an array");
            }
            byKey.put(key, elements(p, bytes));
          }
          children.put(f.getKey(), byKey);
        }
      } catch (IOException e) {
        problems.add(new Problem(where, "", "not usable as recorded records: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new DeclarationException(problems);
    }
    return new ReplayRecords(lists, children);
  }

  /** The elements of the array the parser is at, each exactly as written in the file. */
  private static List<byte[]> elements(JsonParser p, byte[] bytes) throws IOException {
    List<byte[]> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      int start = (int) p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      int end = (int) p.currentLocation().getByteOffset();
      out.add(Arrays.copyOfRange(bytes, start, end));
    }
    return out;
  }

  /** The placeholders of a child resource's path, then of its params, in order. */
  static List<String> placeholders(Source.Resource child) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(child.endpoint().path());
    while (m.find()) {
      out.add(m.group(1));
    }
    for (String v : child.endpoint().params().values()) {
      Matcher pm = PLACEHOLDER.matcher(v);
      while (pm.find()) {
        if (!out.contains(pm.group(1))) {
          out.add(pm.group(1));
        }
      }
    }
    return out;
  }

  /** The key of a parent record for a child resource, or null when a placeholder's field is missing. */
  static String parentKey(Source.Resource child, Map<String, Object> parent) {
    List<String> values = new ArrayList<>();
    for (String placeholder : placeholders(child)) {
      String s = JsonValues.scalarText(JsonValues.at(parent, child.parent().fields().get(placeholder).split("\\.")));
      if (s == null) {
        return null;
      }
      values.add(s);
    }
    return String.join("/", values);
  }
}
