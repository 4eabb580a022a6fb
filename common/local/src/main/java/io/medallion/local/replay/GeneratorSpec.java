package io.medallion.local.replay;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.medallion.local.replay.Gen.Cond;
import io.medallion.source.DeclarationException;
import io.medallion.source.DeclarationException.Problem;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A generator spec ({@code schemas/sources/<name>.generator.json}) read and compiled against its
 * source's declaration: per resource, the steps that make a record, the mess and the defects, and
 * how the replay server serves it. The language is described in this package's README; every
 * problem names the file and the field, and all are reported at once.
 */
final class GeneratorSpec {

  /** The reject reasons of the silver contract. */
  static final Set<String> REASONS = Set.of("MISSING_REQUIRED", "WRONG_TYPE", "NOT_A_NUMBER", "OUT_OF_RANGE", "DUPLICATE_KEY",
      "INVALID_TIMESTAMP", "INVALID_DATE", "DUPLICATE_ROW");

  private static final Set<String> TOP = Set.of("$comment", "description", "reference", "auth", "resources");
  private static final Set<String> RESOURCE = Set.of("$comment", "description", "records", "per_parent", "record", "mess",
      "defects", "serve", "files");
  private static final Set<String> SERVE = Set.of("$comment", "default_page_size", "max_page_size", "envelope",
      "total_endpoint", "link_params");
  private static final Set<String> LINK_PARAMS = Set.of("page", "page_size", "offset", "limit", "cursor");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  final Source source;
  final String file;
  final Map<String, ResourcePlan> plans = new LinkedHashMap<>();
  /** Seconds an OAuth access token lasts on the replay server. */
  final long tokenLifetimeSeconds;

  private final List<Problem> problems = new ArrayList<>();
  private Map<String, Object> reference = Map.of();
  private int uniqueSets;

  /** How the replay server serves one resource, beyond what the declaration says. */
  record ServeOptions(Integer defaultPageSize, Integer maxPageSize, Object envelope, Object totalBody,
      boolean totalNumbersAsStrings, Map<String, String> linkParams) {
    static final ServeOptions DEFAULTS = new ServeOptions(null, null, null, null, false, Map.of());

    String linkParam(String role, String fallback) {
      return linkParams.getOrDefault(role, fallback);
    }
  }

  /**
   * How many records a file resource's sample files hold, and which record field gives each named
   * part of a file's name ({@code {year}} from {@code DATA_VENDA} as {@code yyyy}): records with
   * the same parts go to the same file.
   *
   * @param parts part name to the field and, for a date field, the {@code java.time} pattern its
   *     date is written with in the name (null: the field's text)
   */
  record FileSample(int records, Map<String, String[]> parts) {}

  /** One step of a record: a field (in the order the API writes them) or a let. */
  record Step(boolean let, int slot, Gen value) {}

  /** A mess rule: changes how a valid record is written, never that it is valid. */
  record MessRule(Cond when, int[] setSlots, Gen[] setValues, Gen repeat, Gen field, Cond fieldIf, Gen value, String at) {}

  /** A defect: makes a record invalid in one way, with the reject silver must give. */
  record Defect(String name, String reason, String field, boolean repeatEarlier, int[] setSlots, Gen[] setValues,
      int[] removeSlots, int[] fillSlots, Gen[] fillValues) {}

  /** A resource compiled: the slots of its fields and lets, its steps, mess and defects. */
  static final class ResourcePlan {
    final String name;
    final int resourceIndex;
    final Source.Resource resource;
    String[] fields = new String[0];
    int[] copyOf = new int[0];
    final Map<String, Integer> fieldSlots = new LinkedHashMap<>();
    final Map<String, Integer> letSlots = new LinkedHashMap<>();
    final List<Step> steps = new ArrayList<>();
    final List<MessRule> mess = new ArrayList<>();
    final List<Defect> defects = new ArrayList<>();
    int every;
    int perParentMin = -1;
    int perParentMax = -1;
    String records;
    ServeOptions serve = ServeOptions.DEFAULTS;
    ContractReading reading;
    /** How sample files of a file resource are made from its records, or null. */
    FileSample files;

    ResourcePlan(String name, int resourceIndex, Source.Resource resource) {
      this.name = name;
      this.resourceIndex = resourceIndex;
      this.resource = resource;
    }

    boolean generated() {
      return records == null;
    }

    int slot(String field) {
      Integer s = fieldSlots.get(field);
      if (s == null) {
        throw new IllegalStateException("resource " + name + " has no field '" + field + "' (fields: " + fieldSlots.keySet() + ")");
      }
      return s;
    }
  }

  private GeneratorSpec(Source source, String file, long tokenLifetimeSeconds) {
    this.source = source;
    this.file = file;
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
  }

  /** The spec a source's declaration names ({@code replay.generator}), or none when it names none. */
  static GeneratorSpec forSource(Source source) throws DeclarationException {
    if (source.replay() == null || source.replay().generator() == null) {
      return null;
    }
    String path = SourceDeclarations.DIRECTORY + source.replay().generator();
    String where = source.files().describe(path);
    String text = source.files().read(path).orElseThrow(() -> new DeclarationException(
        List.of(new Problem(where, "", "no such file (named by replay.generator of " + source.file() + ")"))));
    return parse(source, where, text);
  }

  /** Reads and compiles a spec's text; {@code where} names it in messages. */
  static GeneratorSpec parse(Source source, String where, String text) throws DeclarationException {
    JsonObject root;
    try {
      JsonElement e = JsonParser.parseString(text);
      if (!e.isJsonObject()) {
        throw new DeclarationException(List.of(new Problem(where, "", "a generator spec is one JSON object")));
      }
      root = e.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new DeclarationException(List.of(new Problem(where, "", "not valid JSON: " + e.getMessage())));
    }
    long lifetime = 3600;
    if (root.has("auth")) {
      JsonElement expires = root.getAsJsonObject("auth").get("expires_in");
      if (expires != null) {
        lifetime = expires.getAsLong();
      }
    }
    GeneratorSpec spec = new GeneratorSpec(source, where, lifetime);
    spec.compile(root);
    if (!spec.problems.isEmpty()) {
      throw new DeclarationException(spec.problems);
    }
    return spec;
  }

  private void problem(String pointer, String message) {
    problems.add(new Problem(file, pointer, message));
  }

  private void onlyKeys(JsonObject o, Set<String> allowed, String at) {
    for (String k : o.keySet()) {
      if (!allowed.contains(k)) {
        problem(at + "/" + k, "is not a field here (one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private void compile(JsonObject root) {
    onlyKeys(root, TOP, "");
    if (root.has("reference")) {
      String ref = root.get("reference").getAsString();
      String path = SourceDeclarations.DIRECTORY + ref;
      var text = source.files().read(path);
      if (text.isEmpty()) {
        problem("/reference", "no file " + source.files().describe(path));
      } else {
        try {
          Object data = JsonValues.fromGson(JsonParser.parseString(text.get()));
          if (!(data instanceof Map)) {
            problem("/reference", source.files().describe(path) + " is not a JSON object of tables");
          } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> tables = (Map<String, Object>) data;
            reference = tables;
          }
        } catch (JsonParseException e) {
          problem("/reference", source.files().describe(path) + " is not valid JSON: " + e.getMessage());
        }
      }
    }
    JsonObject resources = root.has("resources") && root.get("resources").isJsonObject()
        ? root.getAsJsonObject("resources") : new JsonObject();
    if (!root.has("resources")) {
      problem("/resources", "is required: an object of the declaration's resources");
    }
    for (String name : resources.keySet()) {
      if (source.resource(name).isEmpty()) {
        problem("/resources/" + name, "the source " + source.name() + " declares no resource '" + name + "' (it has "
            + source.resources().stream().map(Source.Resource::name).toList() + ")");
      }
    }
    for (int i = 0; i < source.resources().size(); i++) {
      Source.Resource r = source.resources().get(i);
      String at = "/resources/" + r.name();
      ResourcePlan plan = new ResourcePlan(r.name(), i, r);
      try {
        plan.reading = new ContractReading(source.silverSchema(r.silverTable()), r.silver());
      } catch (RuntimeException e) {
        problem(at, "cannot read the silver schema of '" + r.silverTable() + "': " + e.getMessage());
      }
      JsonElement spec = resources.get(r.name());
      if (spec == null || !spec.isJsonObject()) {
        problem(at, "is required: how to make the records of resource '" + r.name() + "' (record steps, or records)");
        continue;
      }
      resource(plan, spec.getAsJsonObject(), at);
      plans.put(r.name(), plan);
    }
  }

  private void resource(ResourcePlan plan, JsonObject o, String at) {
    onlyKeys(o, RESOURCE, at);
    if (o.has("serve")) {
      plan.serve = serve(o.get("serve"), at + "/serve");
    }
    boolean child = plan.resource.parent() != null;
    if (o.has("records")) {
      plan.records = o.get("records").getAsString();
      if (source.files().read(SourceDeclarations.DIRECTORY + plan.records).isEmpty()) {
        problem(at + "/records", "no file " + source.files().describe(SourceDeclarations.DIRECTORY + plan.records));
      }
      for (String k : List.of("record", "mess", "defects", "per_parent")) {
        if (o.has(k)) {
          problem(at + "/" + k, "recorded records are served as recorded: '" + k + "' does not apply");
        }
      }
      return;
    }
    if (!o.has("record") || !o.get("record").isJsonArray()) {
      problem(at + "/record", "is required: the steps that make a record (or give recorded records)");
      return;
    }
    if (child) {
      int[] range = range(o.get("per_parent"), at + "/per_parent");
      if (range == null) {
        problem(at + "/per_parent", "is required for a child resource: [min, max] records per parent record");
      } else {
        plan.perParentMin = range[0];
        plan.perParentMax = range[1];
      }
    } else if (o.has("per_parent")) {
      problem(at + "/per_parent", "only a child resource (one with a parent) has records per parent");
    }
    // Field names first, so that mess and defects may name any field.
    List<JsonObject> steps = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    List<Integer> copies = new ArrayList<>();
    var array = o.getAsJsonArray("record");
    for (int i = 0; i < array.size(); i++) {
      String sat = at + "/record/" + i;
      if (!array.get(i).isJsonObject()) {
        problem(sat, "a step is {\"field\": name, \"value\": ...} or {\"let\": name, \"value\": ...}");
        steps.add(null);
        continue;
      }
      JsonObject step = array.get(i).getAsJsonObject();
      steps.add(step);
      if (step.has("field")) {
        String name = step.get("field").getAsString();
        if (plan.fieldSlots.containsKey(name)) {
          problem(sat + "/field", "field '" + name + "' is made twice");
        }
        plan.fieldSlots.put(name, fields.size());
        fields.add(name);
        copies.add(-1);
      } else if (step.has("let")) {
        String name = step.get("let").getAsString();
        if (!NAME.matcher(name).matches() || name.equals("this") || name.equals("parent") || name.equals("index")) {
          problem(sat + "/let", "'" + name + "' is not a usable name (letters, digits, _; not this, parent, index)");
        }
        if (plan.letSlots.containsKey(name)) {
          problem(sat + "/let", "'" + name + "' is bound twice");
        }
        plan.letSlots.put(name, plan.letSlots.size());
      } else {
        problem(sat, "a step names a field or a let");
      }
    }
    plan.fields = fields.toArray(String[]::new);
    for (String let : plan.letSlots.keySet()) {
      if (plan.fieldSlots.containsKey(let) || reference.containsKey(let)) {
        problem(at + "/record", "'" + let + "' is both a let and a field or reference table: $" + let + " would be ambiguous");
      }
    }
    for (String field : plan.fieldSlots.keySet()) {
      if (reference.containsKey(field)) {
        problem(at + "/record", "'" + field + "' is both a field and a reference table: $" + field
            + " would be ambiguous (rename the table)");
      }
    }
    Scope scope = new Scope(plan, child);
    for (int i = 0; i < steps.size(); i++) {
      JsonObject step = steps.get(i);
      String sat = at + "/record/" + i;
      if (step == null) {
        continue;
      }
      if (step.has("field")) {
        String name = step.get("field").getAsString();
        int slot = plan.fieldSlots.get(name);
        if (step.has("copy_of")) {
          String from = step.get("copy_of").getAsString();
          Integer source = plan.fieldSlots.get(from);
          if (source == null) {
            problem(sat + "/copy_of", "no field '" + from + "' to copy");
          } else {
            copies.set(slot, source);
          }
          onlyKeys(step, Set.of("field", "copy_of", "$comment"), sat);
        } else {
          onlyKeys(step, Set.of("field", "value", "$comment"), sat);
          plan.steps.add(new Step(false, slot, gen(step.get("value"), sat + "/value", scope)));
        }
        scope.generated.add(name);
      } else if (step.has("let")) {
        onlyKeys(step, Set.of("let", "value", "$comment"), sat);
        String name = step.get("let").getAsString();
        plan.steps.add(new Step(true, plan.letSlots.get(name), gen(step.get("value"), sat + "/value", scope)));
        scope.bound.add(name);
      }
    }
    plan.copyOf = copies.stream().mapToInt(Integer::intValue).toArray();
    scope.generated.addAll(plan.fieldSlots.keySet());
    plan.letSlots.keySet().stream().filter(n -> !scope.mapLocals.contains(n)).forEach(scope.bound::add);
    scope.mess = true;
    if (o.has("mess")) {
      var rules = o.getAsJsonArray("mess");
      for (int i = 0; i < rules.size(); i++) {
        messRule(plan, rules.get(i).getAsJsonObject(), at + "/mess/" + i, scope);
      }
    }
    if (o.has("defects")) {
      defects(plan, o.getAsJsonObject("defects"), at + "/defects", scope);
    }
    if (o.has("files")) {
      plan.files = fileSample(plan, o.get("files"), at + "/files");
    }
  }

  /** {@code "files": {"records": n, "parts": {"year": {"field": "DATA_VENDA", "format": "yyyy"}}}}. */
  private FileSample fileSample(ResourcePlan plan, JsonElement e, String at) {
    Source.FileInput input = plan.resource.file();
    boolean pushed = input == null && source.push() != null && source.push().resource().equals(plan.resource.name());
    if (input == null && !pushed) {
      problem(at, "only a file resource (resources[].file in the declaration) or the resource a source's push names has"
          + " sample files");
      return null;
    }
    if (!e.isJsonObject()) {
      problem(at, "is an object: {\"records\": n, \"parts\": {...}}");
      return null;
    }
    JsonObject o = e.getAsJsonObject();
    onlyKeys(o, Set.of("$comment", "records", "parts"), at);
    int records = o.has("records") && o.get("records").isJsonPrimitive() ? o.get("records").getAsInt() : 0;
    if (records < 1) {
      problem(at + "/records", "is required: how many records the sample files hold, at least 1");
    }
    Map<String, String[]> parts = new LinkedHashMap<>();
    JsonObject p = o.has("parts") && o.get("parts").isJsonObject() ? o.getAsJsonObject("parts") : new JsonObject();
    if (pushed) {
      // Files to post: NDJSON named after the resource, no name parts to fill.
      for (String part : p.keySet()) {
        problem(at + "/parts/" + part, "a pushed resource's sample files have no name parts");
      }
      return new FileSample(records, parts);
    }
    for (String part : input.pattern().parts()) {
      if (!p.has(part) || !p.get(part).isJsonObject() || !p.getAsJsonObject(part).has("field")) {
        problem(at + "/parts/" + part, "is required: {\"field\": F} (and \"format\" for a date) gives the part {" + part
            + "} of " + input.pattern());
        continue;
      }
      JsonObject d = p.getAsJsonObject(part);
      onlyKeys(d, Set.of("field", "format"), at + "/parts/" + part);
      String field = d.get("field").getAsString();
      if (!plan.fieldSlots.containsKey(field)) {
        problem(at + "/parts/" + part + "/field", "no field '" + field + "' in this resource");
      }
      String format = d.has("format") ? d.get("format").getAsString() : null;
      if (format != null) {
        try {
          java.time.format.DateTimeFormatter.ofPattern(format);
        } catch (IllegalArgumentException bad) {
          problem(at + "/parts/" + part + "/format", "not a date pattern: " + bad.getMessage());
        }
      }
      parts.put(part, new String[] {field, format});
    }
    for (String part : p.keySet()) {
      if (!input.pattern().parts().contains(part)) {
        problem(at + "/parts/" + part, "is not a part of " + input.pattern());
      }
    }
    return new FileSample(records, parts);
  }

  private ServeOptions serve(JsonElement e, String at) {
    if (!e.isJsonObject()) {
      problem(at, "is an object");
      return ServeOptions.DEFAULTS;
    }
    JsonObject o = e.getAsJsonObject();
    onlyKeys(o, SERVE, at);
    Integer pageSize = o.has("default_page_size") ? o.get("default_page_size").getAsInt() : null;
    Integer maxPageSize = o.has("max_page_size") ? o.get("max_page_size").getAsInt() : null;
    Object envelope = null;
    if (o.has("envelope")) {
      envelope = JsonValues.fromGson(o.get("envelope"));
      if (!(envelope instanceof Map)) {
        problem(at + "/envelope", "is a JSON object: the body around the records");
      }
    }
    Object totalBody = null;
    boolean asStrings = false;
    if (o.has("total_endpoint")) {
      JsonObject t = o.getAsJsonObject("total_endpoint");
      onlyKeys(t, Set.of("body", "numbers_as_strings", "$comment"), at + "/total_endpoint");
      totalBody = t.has("body") ? JsonValues.fromGson(t.get("body")) : null;
      asStrings = t.has("numbers_as_strings") && t.get("numbers_as_strings").getAsBoolean();
    }
    Map<String, String> linkParams = new LinkedHashMap<>();
    if (o.has("link_params")) {
      JsonObject l = o.getAsJsonObject("link_params");
      onlyKeys(l, LINK_PARAMS, at + "/link_params");
      l.entrySet().forEach(en -> linkParams.put(en.getKey(), en.getValue().getAsString()));
    }
    return new ServeOptions(pageSize, maxPageSize, envelope, totalBody, asStrings, linkParams);
  }

  private void messRule(ResourcePlan plan, JsonObject o, String at, Scope scope) {
    onlyKeys(o, Set.of("$comment", "description", "when", "set", "field", "repeat", "if", "value"), at);
    Cond when = o.has("when") ? cond(o.get("when"), at + "/when", scope) : null;
    int[] setSlots = new int[0];
    Gen[] setValues = new Gen[0];
    if (o.has("set")) {
      List<Integer> slots = new ArrayList<>();
      List<Gen> values = new ArrayList<>();
      sets(plan, o.getAsJsonObject("set"), at + "/set", scope, slots, values);
      setSlots = slots.stream().mapToInt(Integer::intValue).toArray();
      setValues = values.toArray(Gen[]::new);
    }
    Gen field = null;
    Gen repeat = null;
    Cond fieldIf = null;
    Gen value = null;
    if (o.has("field")) {
      field = gen(o.get("field"), at + "/field", scope);
      repeat = o.has("repeat") ? gen(o.get("repeat"), at + "/repeat", scope) : null;
      scope.thisField = true;
      fieldIf = o.has("if") ? cond(o.get("if"), at + "/if", scope) : null;
      if (!o.has("value")) {
        problem(at + "/value", "is required with field: the value to write");
      } else {
        value = gen(o.get("value"), at + "/value", scope);
      }
      scope.thisField = false;
      checkFieldChoices(plan, o.get("field"), at + "/field");
    } else if (o.has("value") || o.has("repeat") || o.has("if")) {
      problem(at, "value, repeat and if go with field (the field a rule picks); set names fields itself");
    }
    if (!o.has("set") && !o.has("field")) {
      problem(at, "a mess rule sets fields (set) or a picked field (field + value)");
    }
    plan.mess.add(new MessRule(when, setSlots, setValues, repeat, field, fieldIf, value, at));
  }

  /** A field choice given as constants is checked now rather than at the first record it hits. */
  private void checkFieldChoices(ResourcePlan plan, JsonElement e, String at) {
    List<JsonElement> names = new ArrayList<>();
    if (e.isJsonPrimitive()) {
      names.add(e);
    } else if (e.isJsonObject() && e.getAsJsonObject().has("pick") && e.getAsJsonObject().get("pick").isJsonArray()) {
      e.getAsJsonObject().getAsJsonArray("pick").forEach(names::add);
    }
    for (JsonElement n : names) {
      if (n.isJsonPrimitive() && !n.getAsString().startsWith("$") && !plan.fieldSlots.containsKey(n.getAsString())) {
        problem(at, "no field '" + n.getAsString() + "' in this resource");
      }
    }
  }

  private void sets(ResourcePlan plan, JsonObject o, String at, Scope scope, List<Integer> slots, List<Gen> values) {
    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
      Integer slot = plan.fieldSlots.get(e.getKey());
      if (slot == null) {
        problem(at + "/" + e.getKey(), "no field '" + e.getKey() + "' in this resource");
        continue;
      }
      slots.add(slot);
      values.add(gen(e.getValue(), at + "/" + e.getKey(), scope));
    }
  }

  private void defects(ResourcePlan plan, JsonObject o, String at, Scope scope) {
    onlyKeys(o, Set.of("$comment", "description", "every", "cycle"), at);
    plan.every = o.has("every") ? o.get("every").getAsInt() : 0;
    if (plan.every < 2) {
      problem(at + "/every", "is required: one defect per block of this many records (at least 2)");
    }
    if (!o.has("cycle") || o.getAsJsonArray("cycle").isEmpty()) {
      problem(at + "/cycle", "is required: the defects, in the order blocks cycle through them");
      return;
    }
    var cycle = o.getAsJsonArray("cycle");
    for (int i = 0; i < cycle.size(); i++) {
      String dat = at + "/cycle/" + i;
      JsonObject d = cycle.get(i).getAsJsonObject();
      onlyKeys(d, Set.of("$comment", "description", "name", "reject", "field", "repeat_earlier", "set", "remove",
          "fill_nulls"), dat);
      String reason = d.has("reject") ? d.get("reject").getAsString() : null;
      if (reason == null || !REASONS.contains(reason)) {
        problem(dat + "/reject", "is required: the reject reason silver must give, one of " + new java.util.TreeSet<>(REASONS));
      }
      String field = d.has("field") ? d.get("field").getAsString() : null;
      if ("DUPLICATE_ROW".equals(reason)) {
        // An exact repeat is the whole record's fault, not a field's.
        if (field != null && !field.equals(ContractReading.WHOLE_RECORD)) {
          problem(dat + "/field", "a DUPLICATE_ROW is the whole record's: leave field out (or \"*\")");
        }
        field = ContractReading.WHOLE_RECORD;
      } else if (field == null) {
        problem(dat + "/field", "is required: the API field silver must name");
      } else if (plan.reading != null && !plan.reading.fieldColumns().containsKey(field)
          && !plan.reading.fieldColumns().containsKey(field.split("[.\\[]", 2)[0])) {
        // A path inside a RECORD column (totals.total) names the column's field first.
        problem(dat + "/field", "'" + field + "' feeds no column of silver table " + plan.resource.silverTable());
      }
      boolean repeat = d.has("repeat_earlier") && d.get("repeat_earlier").getAsBoolean();
      List<Integer> setSlots = new ArrayList<>();
      List<Gen> setValues = new ArrayList<>();
      if (d.has("set")) {
        sets(plan, d.getAsJsonObject("set"), dat + "/set", scope, setSlots, setValues);
      }
      List<Integer> remove = new ArrayList<>();
      if (d.has("remove")) {
        for (JsonElement r : d.getAsJsonArray("remove")) {
          Integer slot = plan.fieldSlots.get(r.getAsString());
          if (slot == null) {
            problem(dat + "/remove", "no field '" + r.getAsString() + "' in this resource");
          } else {
            remove.add(slot);
          }
        }
      }
      List<Integer> fillSlots = new ArrayList<>();
      List<Gen> fillValues = new ArrayList<>();
      if (d.has("fill_nulls")) {
        sets(plan, d.getAsJsonObject("fill_nulls"), dat + "/fill_nulls", scope, fillSlots, fillValues);
      }
      if (repeat && (d.has("set") || d.has("remove") || d.has("fill_nulls"))) {
        problem(dat, "repeat_earlier sends an earlier clean record again as it was: set, remove and fill_nulls do not apply");
      }
      if (!repeat && !d.has("set") && !d.has("remove")) {
        problem(dat, "a defect sets or removes fields, or repeats an earlier record (repeat_earlier)");
      }
      plan.defects.add(new Defect(d.has("name") ? d.get("name").getAsString() : "defect " + i, reason, field, repeat,
          setSlots.stream().mapToInt(Integer::intValue).toArray(), setValues.toArray(Gen[]::new),
          remove.stream().mapToInt(Integer::intValue).toArray(),
          fillSlots.stream().mapToInt(Integer::intValue).toArray(), fillValues.toArray(Gen[]::new)));
    }
  }

  /** What a reference may name at a point of the spec. */
  private static final class Scope {
    final ResourcePlan plan;
    final boolean child;
    final java.util.Set<String> generated = new java.util.HashSet<>();
    final java.util.Set<String> bound = new java.util.HashSet<>();
    /** Names a map binds: let slots of their own, seen only inside the map. */
    final java.util.Set<String> mapLocals = new java.util.HashSet<>();
    boolean mess;
    boolean thisField;

    Scope(ResourcePlan plan, boolean child) {
      this.plan = plan;
      this.child = child;
    }
  }

  // --- Values -----------------------------------------------------------------------------------

  private static final Gen NULL = new Gen.Const(null);

  private Gen gen(JsonElement e, String at, Scope scope) {
    if (e == null || e.isJsonNull()) {
      return NULL;
    }
    if (e.isJsonPrimitive()) {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isString()) {
        String s = p.getAsString();
        if (s.startsWith("$$")) {
          return new Gen.Const(s.substring(1));
        }
        if (s.startsWith("$")) {
          return ref(s.substring(1), at, scope);
        }
        return new Gen.Const(s);
      }
      return new Gen.Const(JsonValues.fromGson(p));
    }
    if (e.isJsonArray()) {
      problem(at, "a list is written {\"const\": [...]} (data) or {\"array\": [...]} (generated elements)");
      return NULL;
    }
    JsonObject o = e.getAsJsonObject();
    String kind = kindOf(o, at);
    if (kind == null) {
      return NULL;
    }
    JsonElement arg = o.get(kind);
    switch (kind) {
      case "const":
        only(o, at, "const");
        return new Gen.Const(JsonValues.fromGson(arg));
      case "pick":
        only(o, at, "pick");
        if (arg.isJsonArray()) {
          var a = arg.getAsJsonArray();
          if (a.isEmpty()) {
            problem(at + "/pick", "nothing to pick from");
            return NULL;
          }
          Gen[] options = new Gen[a.size()];
          for (int i = 0; i < a.size(); i++) {
            options[i] = gen(a.get(i), at + "/pick/" + i, scope);
          }
          return new Gen.PickOf(options);
        }
        return new Gen.PickFrom(gen(arg, at + "/pick", scope));
      case "weighted": {
        only(o, at, "weighted", "weights", "weight");
        Gen list = arg.isJsonArray() ? new Gen.Const(JsonValues.fromGson(arg)) : gen(arg, at + "/weighted", scope);
        double[] weights = null;
        if (o.has("weights")) {
          JsonElement w = o.get("weights");
          Object resolved = w.isJsonArray() ? JsonValues.fromGson(w) : constant(w, at + "/weights", scope);
          if (resolved instanceof List<?> l) {
            weights = l.stream().mapToDouble(Gen::number).toArray();
          } else {
            problem(at + "/weights", "is a list of numbers (or a reference to one)");
          }
        } else if (!o.has("weight")) {
          problem(at, "weighted needs weights (a list) or weight (the field of each row that weighs it)");
        }
        return new Gen.Weighted(list, weights, o.has("weight") ? o.get("weight").getAsString() : null);
      }
      case "find": {
        only(o, at, "find", "where");
        Object where = o.has("where") ? JsonValues.fromGson(o.get("where")) : null;
        if (!(where instanceof Map)) {
          problem(at + "/where", "is required: the fields a row must have, e.g. {\"name\": \"United States\"}");
          return NULL;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> w = (Map<String, Object>) where;
        return new Gen.Find(gen(arg, at + "/find", scope), w);
      }
      case "cases": {
        only(o, at, "cases", "else");
        var a = arg.getAsJsonArray();
        double[] below = new double[a.size()];
        Gen[] values = new Gen[a.size()];
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
          JsonObject c = a.get(i).getAsJsonObject();
          onlyKeys(c, Set.of("p", "value"), at + "/cases/" + i);
          sum += c.get("p").getAsDouble();
          below[i] = sum;
          values[i] = gen(c.get("value"), at + "/cases/" + i + "/value", scope);
        }
        if (sum > 1) {
          problem(at + "/cases", "the shares add up to " + sum + ", more than 1");
        }
        return new Gen.Cases(below, values, gen(o.get("else"), at + "/else", scope));
      }
      case "chance": {
        only(o, at, "chance", "then", "else");
        double p = arg.getAsDouble();
        if (p < 0 || p > 1) {
          problem(at + "/chance", "is a share between 0 and 1");
        }
        return new Gen.Cases(new double[] {p}, new Gen[] {gen(o.get("then"), at + "/then", scope)},
            gen(o.get("else"), at + "/else", scope));
      }
      case "if":
        only(o, at, "if", "then", "else");
        return new Gen.If(cond(arg, at + "/if", scope), gen(o.get("then"), at + "/then", scope),
            gen(o.get("else"), at + "/else", scope));
      case "integer": {
        only(o, at, "integer");
        long[] r = longRange(arg, at + "/integer");
        return r == null ? NULL : new Gen.IntRange(r[0], r[1]);
      }
      case "decimal":
        only(o, at, "decimal");
        return decimal(arg, at + "/decimal", scope);
      case "boolean":
        only(o, at, "boolean");
        return new Gen.Coin();
      case "uuid": {
        only(o, at, "uuid");
        boolean unique = arg.isJsonObject() && arg.getAsJsonObject().has("unique")
            && arg.getAsJsonObject().get("unique").getAsBoolean();
        return new Gen.Uuid(unique, uniqueSets++);
      }
      case "chars": {
        only(o, at, "chars");
        JsonObject c = arg.getAsJsonObject();
        onlyKeys(c, Set.of("length", "alphabet", "unique"), at + "/chars");
        String alphabet = c.has("alphabet") ? c.get("alphabet").getAsString()
            : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        if (!c.has("length") || alphabet.isEmpty()) {
          problem(at + "/chars", "needs a length (and a non-empty alphabet)");
          return NULL;
        }
        return new Gen.Chars(c.get("length").getAsInt(), alphabet, c.has("unique") && c.get("unique").getAsBoolean(),
            uniqueSets++);
      }
      case "pattern":
        only(o, at, "pattern");
        return new Gen.Fill(gen(arg, at + "/pattern", scope));
      case "replace":
        only(o, at, "replace", "token", "with");
        if (!o.has("token") || !o.has("with")) {
          problem(at, "replace needs token and with");
          return NULL;
        }
        return new Gen.Replace(gen(arg, at + "/replace", scope), o.get("token").getAsString(),
            gen(o.get("with"), at + "/with", scope));
      case "concat": {
        only(o, at, "concat", "separator");
        return new Gen.Concat(gens(arg, at + "/concat", scope), o.has("separator") ? o.get("separator").getAsString() : "");
      }
      case "coalesce":
        only(o, at, "coalesce");
        return new Gen.Coalesce(gens(arg, at + "/coalesce", scope));
      case "words": {
        only(o, at, "words");
        JsonObject w = arg.getAsJsonObject();
        onlyKeys(w, Set.of("from", "count"), at + "/words");
        int[] count = w.has("count") ? range(w.get("count"), at + "/words/count") : new int[] {1, 1};
        Gen from = w.get("from").isJsonArray() ? new Gen.Const(JsonValues.fromGson(w.get("from")))
            : gen(w.get("from"), at + "/words/from", scope);
        return count == null ? NULL : new Gen.Words(from, count[0], count[1]);
      }
      case "slug", "lower", "upper", "capitalize", "text", "number":
        only(o, at, kind);
        return new Gen.Transform(kind, gen(arg, at + "/" + kind, scope));
      case "odd_case":
        only(o, at, kind);
        return new Gen.OddCase(gen(arg, at + "/odd_case", scope));
      case "raw": {
        only(o, at, "raw");
        Integer slot = scope.plan.fieldSlots.get(arg.getAsString());
        if (slot == null) {
          problem(at + "/raw", "no field '" + arg.getAsString() + "' in this resource");
          return NULL;
        }
        return new Gen.Raw(slot);
      }
      case "earlier": {
        only(o, at, "earlier");
        Integer slot = scope.plan.fieldSlots.get(arg.getAsString());
        if (slot == null) {
          problem(at + "/earlier", "no field '" + arg.getAsString() + "' in this resource");
          return NULL;
        }
        if (!scope.mess) {
          problem(at + "/earlier", "earlier is for mess rules and defects: records made so far are known only then");
        }
        return new Gen.Earlier(slot, arg.getAsString());
      }
      case "object": {
        only(o, at, "object");
        JsonObject fields = arg.getAsJsonObject();
        String[] names = fields.keySet().toArray(String[]::new);
        Gen[] values = new Gen[names.length];
        for (int i = 0; i < names.length; i++) {
          values[i] = gen(fields.get(names[i]), at + "/object/" + names[i], scope);
        }
        return new Gen.ObjectOf(names, values);
      }
      case "array": {
        only(o, at, "array", "count");
        if (arg.isJsonArray()) {
          return new Gen.ArrayOf(null, 0, 0, gens(arg, at + "/array", scope));
        }
        int[] count = o.has("count") ? range(o.get("count"), at + "/count") : null;
        if (count == null) {
          problem(at + "/count", "is required with one element generator: [min, max] elements");
          return NULL;
        }
        return new Gen.ArrayOf(gen(arg, at + "/array", scope), count[0], count[1], null);
      }
      case "sequence": {
        only(o, at, "sequence");
        JsonObject s = arg.getAsJsonObject();
        onlyKeys(s, Set.of("start", "step"), at + "/sequence");
        return new Gen.Sequence(s.has("start") ? s.get("start").getAsLong() : 1, s.has("step") ? s.get("step").getAsLong() : 1);
      }
      case "timestamp":
        only(o, at, "timestamp");
        return timestamp(arg.getAsJsonObject(), at + "/timestamp", scope);
      case "fixed":
        only(o, at, "fixed");
        return fixed(arg, at + "/fixed", scope);
      case "add", "subtract", "multiply": {
        only(o, at, kind);
        Gen[] parts = gens(arg, at + "/" + kind, scope);
        if (parts.length < 2) {
          problem(at + "/" + kind, "takes at least two values");
          return NULL;
        }
        return new Gen.Arithmetic(kind, parts);
      }
      case "quotient", "remainder": {
        only(o, at, kind);
        Gen[] parts = gens(arg, at + "/" + kind, scope);
        if (parts.length != 2) {
          problem(at + "/" + kind, "takes two values: [dividend, divisor]");
          return NULL;
        }
        return new Gen.Division(kind.equals("remainder"), parts[0], parts[1]);
      }
      case "at":
        only(o, at, "at", "index");
        if (!o.has("index")) {
          problem(at + "/index", "is required: the element's position from 0");
          return NULL;
        }
        return new Gen.At(gen(arg, at + "/at", scope), gen(o.get("index"), at + "/index", scope));
      case "round": {
        only(o, at, "round", "scale", "mode");
        if (!o.has("scale")) {
          problem(at + "/scale", "is required: the digits after the point");
          return NULL;
        }
        java.math.RoundingMode mode = java.math.RoundingMode.HALF_EVEN;
        if (o.has("mode")) {
          try {
            mode = java.math.RoundingMode.valueOf(o.get("mode").getAsString().toUpperCase(java.util.Locale.ROOT));
          } catch (IllegalArgumentException bad) {
            problem(at + "/mode", "is half_even (the default), half_up, half_down, up, down, ceiling or floor");
          }
        }
        return new Gen.Round(gen(arg, at + "/round", scope), o.get("scale").getAsInt(), mode);
      }
      case "sum":
        only(o, at, "sum", "of", "scale");
        return new Gen.Sum(gen(arg, at + "/sum", scope),
            o.has("of") ? o.get("of").getAsString().split("\\.") : new String[0], o.has("scale") ? o.get("scale").getAsInt() : -1);
      case "check_digits": {
        only(o, at, "check_digits", "scheme");
        String scheme = o.has("scheme") ? o.get("scheme").getAsString() : "";
        if (!Set.of("cnpj", "cpf", "mod11").contains(scheme)) {
          problem(at + "/scheme", "is cnpj (12 digits in), cpf (9 digits in) or mod11 (one digit, weights 2..9 from the right)");
          return NULL;
        }
        return new Gen.CheckDigits(gen(arg, at + "/check_digits", scope), scheme);
      }
      case "pad": {
        only(o, at, "pad", "width", "with");
        String with = o.has("with") ? o.get("with").getAsString() : "0";
        if (!o.has("width") || with.length() != 1) {
          problem(at, "pad needs a width (and with, one character; 0 by default)");
          return NULL;
        }
        return new Gen.Pad(gen(arg, at + "/pad", scope), o.get("width").getAsInt(), with.charAt(0));
      }
      case "format_time": {
        only(o, at, "format_time", "format");
        try {
          return new Gen.FormatTime(gen(arg, at + "/format_time", scope),
              java.time.format.DateTimeFormatter.ofPattern(o.get("format").getAsString(), java.util.Locale.ROOT));
        } catch (RuntimeException bad) {
          problem(at + "/format", "is required: a java.time DateTimeFormatter pattern (yyMM, yyyy-MM-dd): " + bad.getMessage());
          return NULL;
        }
      }
      case "map":
        return map(o, arg, at, scope);
      case "omit":
        only(o, at, "omit");
        if (!arg.isJsonPrimitive() || !arg.getAsJsonPrimitive().isBoolean() || !arg.getAsBoolean()) {
          problem(at + "/omit", "is true: the field is left out of the record");
        }
        return new Gen.Const(JsonValues.ABSENT);
      default:
        problem(at, "unknown generator '" + kind + "'");
        return NULL;
    }
  }

  private static final Set<String> KINDS = Set.of("const", "pick", "weighted", "find", "cases", "chance", "if", "integer",
      "decimal", "boolean", "uuid", "chars", "pattern", "replace", "concat", "coalesce", "words", "slug", "lower",
      "upper", "capitalize", "text", "number", "odd_case", "raw", "earlier", "object", "array", "sequence", "timestamp", "omit",
      "fixed", "add", "subtract", "multiply", "round", "sum", "check_digits", "pad", "format_time", "map", "quotient",
      "remainder", "at");

  /** {@code {"fixed": {"min": "0.01", "max": "99.99", "scale": 2}}}: constant bounds are checked now. */
  private Gen fixed(JsonElement e, String at, Scope scope) {
    if (!e.isJsonObject()) {
      problem(at, "is {\"min\", \"max\", \"scale\"}");
      return NULL;
    }
    JsonObject f = e.getAsJsonObject();
    onlyKeys(f, Set.of("min", "max", "scale"), at);
    if (!f.has("min") || !f.has("max") || !f.has("scale")) {
      problem(at, "is {\"min\", \"max\", \"scale\"}: both ends included, digits after the point");
      return NULL;
    }
    int scale = f.get("scale").getAsInt();
    Gen min = gen(f.get("min"), at + "/min", scope);
    Gen max = gen(f.get("max"), at + "/max", scope);
    java.math.BigDecimal[] bounds = new java.math.BigDecimal[2];
    Gen[] both = {min, max};
    for (int i = 0; i < 2; i++) {
      if (both[i] instanceof Gen.Const c) {
        String text = JsonValues.scalarText(c.value());
        if (text == null || !ContractReading.isDecimal(text)) {
          problem(at + (i == 0 ? "/min" : "/max"), "is a decimal number (or a reference to one)");
          return NULL;
        }
        bounds[i] = new java.math.BigDecimal(text);
        if (bounds[i].stripTrailingZeros().scale() > scale) {
          problem(at, "min and max are decimals with at most " + scale + " digits after the point");
          return NULL;
        }
      }
    }
    if (bounds[0] != null && bounds[1] != null && bounds[1].compareTo(bounds[0]) < 0) {
      problem(at + "/max", "is less than min");
      return NULL;
    }
    return new Gen.Fixed(min, max, scale);
  }

  /** {@code {"map": G, "as": name, "position": name, "let": {...}, "to": G}}: its names are let slots seen only inside it. */
  private Gen map(JsonObject o, JsonElement arg, String at, Scope scope) {
    only(o, at, "map", "as", "position", "let", "to");
    Gen list = gen(arg, at + "/map", scope);
    if (!o.has("as") || !o.has("to")) {
      problem(at, "map needs as (the element's name) and to (what each element becomes)");
      return NULL;
    }
    List<String> names = new ArrayList<>();
    int as = local(o.get("as").getAsString(), at + "/as", scope, names);
    int position = o.has("position") ? local(o.get("position").getAsString(), at + "/position", scope, names) : -1;
    List<Integer> slots = new ArrayList<>();
    List<Gen> lets = new ArrayList<>();
    if (o.has("let")) {
      for (Map.Entry<String, JsonElement> let : o.getAsJsonObject("let").entrySet()) {
        Gen value = gen(let.getValue(), at + "/let/" + let.getKey(), scope);
        slots.add(local(let.getKey(), at + "/let/" + let.getKey(), scope, names));
        lets.add(value);
      }
    }
    Gen to = gen(o.get("to"), at + "/to", scope);
    scope.bound.removeAll(names);
    return new Gen.MapOf(list, as, position, slots.stream().mapToInt(Integer::intValue).toArray(), lets.toArray(Gen[]::new), to);
  }

  /** A name bound inside a map: a let slot of its own, visible until the map ends. */
  private int local(String name, String at, Scope scope, List<String> names) {
    ResourcePlan plan = scope.plan;
    if (!NAME.matcher(name).matches() || Set.of("this", "parent", "index").contains(name)) {
      problem(at, "'" + name + "' is not a usable name (letters, digits, _; not this, parent, index)");
    } else if (plan.letSlots.containsKey(name) || plan.fieldSlots.containsKey(name) || reference.containsKey(name)) {
      problem(at, "'" + name + "' is already a let, a field, a map's name or a reference table: $" + name + " would be ambiguous");
      return plan.letSlots.getOrDefault(name, 0);
    }
    int slot = plan.letSlots.size();
    plan.letSlots.put(name, slot);
    scope.mapLocals.add(name);
    scope.bound.add(name);
    names.add(name);
    return slot;
  }

  private String kindOf(JsonObject o, String at) {
    String kind = null;
    for (String k : o.keySet()) {
      if (KINDS.contains(k)) {
        if (kind != null) {
          problem(at, "names two generators, " + kind + " and " + k);
          return null;
        }
        kind = k;
      }
    }
    if (kind == null) {
      problem(at, "names no generator (one of " + new java.util.TreeSet<>(KINDS) + ")");
    }
    return kind;
  }

  private void only(JsonObject o, String at, String... allowed) {
    Set<String> set = new java.util.HashSet<>(List.of(allowed));
    set.add("$comment");
    onlyKeys(o, set, at);
  }

  private Gen[] gens(JsonElement e, String at, Scope scope) {
    if (!e.isJsonArray()) {
      problem(at, "is a list");
      return new Gen[0];
    }
    var a = e.getAsJsonArray();
    Gen[] out = new Gen[a.size()];
    for (int i = 0; i < a.size(); i++) {
      out[i] = gen(a.get(i), at + "/" + i, scope);
    }
    return out;
  }

  /** A reference that must be a constant (reference data), resolved now. */
  private Object constant(JsonElement e, String at, Scope scope) {
    Gen g = gen(e, at, scope);
    if (g instanceof Gen.Const c) {
      return c.value();
    }
    problem(at, "must name reference data here");
    return null;
  }

  private Gen ref(String text, String at, Scope scope) {
    String[] parts = text.split("\\.");
    String head = parts[0];
    String[] path = java.util.Arrays.copyOfRange(parts, 1, parts.length);
    switch (head) {
      case "this":
        if (!scope.thisField) {
          problem(at, "$this is the field a mess rule picked: only in that rule's if and value");
        }
        return new Gen.ThisRef();
      case "parent":
        if (!scope.child) {
          problem(at, "$parent is for child resources (with a parent in the declaration)");
        }
        return new Gen.ParentRef(path);
      case "index":
        return new Gen.Index();
      default:
        break;
    }
    ResourcePlan plan = scope.plan;
    if (plan.letSlots.containsKey(head)) {
      if (scope.mapLocals.contains(head) && !scope.bound.contains(head)) {
        problem(at, "$" + head + " is bound by a map: only inside that map's let and to");
      } else if (!scope.bound.contains(head)) {
        problem(at, "$" + head + " is bound later in the record: a step sees only the steps before it");
      }
      return new Gen.LetRef(plan.letSlots.get(head), path);
    }
    if (plan.fieldSlots.containsKey(head)) {
      if (!scope.generated.contains(head)) {
        problem(at, "$" + head + " is made later in the record: a step sees only the steps before it");
      }
      return new Gen.FieldRef(plan.fieldSlots.get(head), head, path);
    }
    if (reference.containsKey(head)) {
      Object v = JsonValues.at(reference, parts);
      if (v == JsonValues.ABSENT) {
        problem(at, "the reference data has no " + text);
        return NULL;
      }
      return new Gen.Const(v);
    }
    problem(at, "$" + head + " names no let, field, reference table, this, parent or index");
    return NULL;
  }

  private Gen decimal(JsonElement e, String at, Scope scope) {
    JsonObject d = e.getAsJsonObject();
    onlyKeys(d, Set.of("around", "spread", "min", "max", "scale"), at);
    int scaleMin = 2;
    int scaleMax = 2;
    if (d.has("scale")) {
      if (d.get("scale").isJsonArray()) {
        int[] r = range(d.get("scale"), at + "/scale");
        if (r != null) {
          scaleMin = r[0];
          scaleMax = r[1];
        }
      } else {
        scaleMin = scaleMax = d.get("scale").getAsInt();
      }
    }
    if (d.has("around")) {
      if (!d.has("spread")) {
        problem(at + "/spread", "is required with around: the value is around + (u*2-1)*spread");
      }
      return new Gen.Decimal(gen(d.get("around"), at + "/around", scope),
          d.has("spread") ? d.get("spread").getAsDouble() : 0, 0, 0, scaleMin, scaleMax);
    }
    if (!d.has("min") || !d.has("max")) {
      problem(at, "is {\"min\", \"max\"} or {\"around\", \"spread\"}, with an optional scale");
      return NULL;
    }
    return new Gen.Decimal(null, 0, d.get("min").getAsDouble(), d.get("max").getAsDouble(), scaleMin, scaleMax);
  }

  private Gen timestamp(JsonObject t, String at, Scope scope) {
    onlyKeys(t, Set.of("start", "step", "jitter", "between", "format", "after", "before", "within", "offset"), at);
    boolean dateOnly = t.has("format") && t.get("format").getAsString().equals("date");
    try {
      ZoneOffset offset = t.has("offset") ? ZoneOffset.of(t.get("offset").getAsString()) : null;
      if (t.has("after") || t.has("before")) {
        boolean before = t.has("before");
        if (t.has("after") && before || t.has("start") || t.has("between")) {
          problem(at, "is one of {\"start\", \"step\", \"jitter\"}, {\"between\": [from, to]},"
              + " {\"after\": G, \"within\": [d, d]} or {\"before\": G, \"within\": [d, d]}");
          return NULL;
        }
        var within = t.has("within") && t.get("within").isJsonArray() ? t.getAsJsonArray("within") : null;
        if (within == null || within.size() != 2) {
          problem(at + "/within", "is required with " + (before ? "before" : "after") + ": [shortest, longest] durations (PT1M, P30D)");
          return NULL;
        }
        long shortest = Duration.parse(within.get(0).getAsString()).toSeconds();
        long longest = Duration.parse(within.get(1).getAsString()).toSeconds();
        if (shortest < 0 || longest < shortest) {
          problem(at + "/within", "is [shortest, longest], not negative, shortest first");
          return NULL;
        }
        return new Gen.Relative(gen(t.get(before ? "before" : "after"), at + "/" + (before ? "before" : "after"), scope),
            before, shortest, longest, dateOnly, offset);
      }
      if (t.has("between")) {
        var b = t.getAsJsonArray("between");
        long a = instant(b.get(0).getAsString());
        long z = instant(b.get(1).getAsString());
        if (z < a) {
          problem(at + "/between", "ends before it starts");
        }
        return new Gen.Timestamp(a, 0, 0, z, true, dateOnly, offset);
      }
      if (!t.has("start")) {
        problem(at, "is {\"start\", \"step\", \"jitter\"} or {\"between\": [from, to]}");
        return NULL;
      }
      return new Gen.Timestamp(instant(t.get("start").getAsString()),
          t.has("step") ? Duration.parse(t.get("step").getAsString()).toSeconds() : 0,
          t.has("jitter") ? Duration.parse(t.get("jitter").getAsString()).toSeconds() : 0, 0, false, dateOnly, offset);
    } catch (RuntimeException e) {
      problem(at, "times are ISO-8601 (2024-01-01T00:00:00Z), durations too (PT1H), offsets +hh:mm: " + e.getMessage());
      return NULL;
    }
  }

  private static long instant(String s) {
    return OffsetDateTime.parse(s).toInstant().getEpochSecond();
  }

  private int[] range(JsonElement e, String at) {
    long[] r = longRange(e, at);
    return r == null ? null : new int[] {(int) r[0], (int) r[1]};
  }

  private long[] longRange(JsonElement e, String at) {
    if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() != 2) {
      problem(at, "is [min, max], both included");
      return null;
    }
    long min = e.getAsJsonArray().get(0).getAsLong();
    long max = e.getAsJsonArray().get(1).getAsLong();
    if (max < min) {
      problem(at, "max " + max + " is less than min " + min);
      return null;
    }
    return new long[] {min, max};
  }

  // --- Conditions -------------------------------------------------------------------------------

  private Cond cond(JsonElement e, String at, Scope scope) {
    if (e.isJsonPrimitive() && e.getAsString().startsWith("$")) {
      return new Cond.Truthy(gen(e, at, scope));
    }
    if (!e.isJsonObject() || e.getAsJsonObject().size() != 1) {
      problem(at, "a condition is \"$ref\" or one of {chance, present, absent, equals, matches, shorter_than, in, is, any, all, not}");
      return d -> false;
    }
    JsonObject o = e.getAsJsonObject();
    String kind = o.keySet().iterator().next();
    JsonElement arg = o.get(kind);
    switch (kind) {
      case "chance":
        return new Cond.Chance(arg.getAsDouble());
      case "present":
        return new Cond.Truthy(gen(arg, at + "/present", scope));
      case "absent":
        return new Cond.Not(new Cond.Truthy(gen(arg, at + "/absent", scope)));
      case "equals": {
        Gen[] two = gens(arg, at + "/equals", scope);
        return two.length == 2 ? new Cond.Equals(two[0], two[1]) : badPair(at + "/equals");
      }
      case "matches": {
        var a = arg.getAsJsonArray();
        try {
          return new Cond.Matches(gen(a.get(0), at + "/matches/0", scope), Pattern.compile(a.get(1).getAsString()));
        } catch (PatternSyntaxException ex) {
          problem(at + "/matches/1", "not a regular expression: " + ex.getDescription());
          return d -> false;
        }
      }
      case "shorter_than": {
        var a = arg.getAsJsonArray();
        return new Cond.ShorterThan(gen(a.get(0), at + "/shorter_than/0", scope), a.get(1).getAsInt());
      }
      case "in": {
        var a = arg.getAsJsonArray();
        Gen list = a.get(1).isJsonArray() ? new Gen.Const(JsonValues.fromGson(a.get(1))) : gen(a.get(1), at + "/in/1", scope);
        return new Cond.In(gen(a.get(0), at + "/in/0", scope), list);
      }
      case "is": {
        var a = arg.getAsJsonArray();
        String k = a.get(1).getAsString();
        if (!Set.of("null", "string", "number", "boolean", "object", "array", "absent").contains(k)) {
          problem(at + "/is/1", "a JSON kind: null, string, number, boolean, object, array or absent");
        }
        return new Cond.Is(gen(a.get(0), at + "/is/0", scope), k);
      }
      case "any", "all": {
        var a = arg.getAsJsonArray();
        Cond[] parts = new Cond[a.size()];
        for (int i = 0; i < a.size(); i++) {
          parts[i] = cond(a.get(i), at + "/" + kind + "/" + i, scope);
        }
        return kind.equals("any") ? new Cond.Any(parts) : new Cond.All(parts);
      }
      case "not":
        return new Cond.Not(cond(arg, at + "/not", scope));
      default:
        problem(at, "unknown condition '" + kind + "'");
        return d -> false;
    }
  }

  private Cond badPair(String at) {
    problem(at, "compares two values: [a, b]");
    return d -> false;
  }
}
