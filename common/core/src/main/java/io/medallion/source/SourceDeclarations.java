package io.medallion.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.DeclarationException.Problem;
import io.medallion.source.auth.AuthSpec;
import io.medallion.source.paginate.Offset;
import io.medallion.source.paginate.PageNumber;
import io.medallion.source.paginate.PaginatorSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a source declaration and checks it: first against {@code schemas/source.schema.json}, then
 * for what a schema cannot say (a parent declared after its child, a placeholder no parent field
 * fills, a silver column the table lacks, a model without its SQL file). Every problem names the
 * file and the field, and all of them are reported at once.
 */
public final class SourceDeclarations {

  /** Where declarations live in a root laid out as the repository is. */
  public static final String DIRECTORY = "schemas/sources/";

  private static final ObjectMapper JACKSON = new ObjectMapper();
  /** Loaded on first use: the shipped declarations do not need it at run time (see {@link SourceFiles#checkedByTheBuild}). */
  private static final class Schema {
    static final JsonSchema INSTANCE = loadSchema("schemas/source.schema.json");
  }
  /** The columns every silver table has, filled by silver from where each row came from. */
  public static final List<String> LINEAGE_COLUMNS =
      List.of("_run_id", "_source_uri", "_source_generation", "_source_record", "_ingested_at");

  /**
   * The columns a Pub/Sub BigQuery subscription with {@code write_metadata} fills beside the
   * message's own fields (https://cloud.google.com/pubsub/docs/bigquery, "Write metadata"): a
   * stream source's silver table has them instead of the lineage columns, which no subscription
   * can fill. With a table schema the message data itself is spread over the columns, so there is
   * no {@code data} column.
   */
  public static final Map<String, FieldType> STREAM_METADATA_COLUMNS = streamMetadataColumns();

  private static Map<String, FieldType> streamMetadataColumns() {
    Map<String, FieldType> columns = new LinkedHashMap<>();
    columns.put("subscription_name", FieldType.STRING);
    columns.put("message_id", FieldType.STRING);
    columns.put("publish_time", FieldType.TIMESTAMP);
    columns.put("attributes", FieldType.JSON);
    return java.util.Collections.unmodifiableMap(columns);
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private SourceDeclarations() {}

  /**
   * Reads and checks {@code schemas/sources/<name>.json} from {@code files}.
   *
   * @throws DeclarationException listing every problem, each with its field
   */
  public static Source load(SourceFiles files, String name) throws DeclarationException {
    String path = DIRECTORY + name + ".json";
    String text = files.read(path).orElseThrow(() -> new DeclarationException(
        List.of(new Problem(files.describe(path), "", "no such file"))));
    return parse(files, path, text);
  }

  /**
   * Checks a declaration's text; {@code path} is where it is (its name must match) and {@code
   * files} where its schemas and SQL are.
   */
  public static Source parse(SourceFiles files, String path, String text) throws DeclarationException {
    String where = files.describe(path);
    if (!files.checkedByTheBuild()) {
      checkAgainstSchema(where, text);
    }
    List<Problem> problems = new ArrayList<>();
    Json root = new Json(JsonParser.parseString(text).getAsJsonObject(), "");
    Source source;
    try {
      source = build(root, files, where);
    } catch (IllegalArgumentException e) {
      throw new DeclarationException(List.of(new Problem(where, "", e.getMessage())));
    }
    String expected = path.substring(path.lastIndexOf('/') + 1);
    if (!expected.equals(source.name() + ".json")) {
      problems.add(new Problem(where, "/name", "the source '" + source.name() + "' must be in a file named "
          + source.name() + ".json"));
    }
    check(source, root, problems);
    if (!problems.isEmpty()) {
      throw new DeclarationException(problems);
    }
    return source;
  }

  private static void checkAgainstSchema(String where, String text) throws DeclarationException {
    checkAgainstSchema(Schema.INSTANCE, where, text);
  }

  /** The JSON Schema's verdict on a declaration's text (of a source, a domain), every problem with its field. */
  public static void checkAgainstSchema(JsonSchema schema, String where, String text) throws DeclarationException {
    JsonNode node;
    try {
      node = JACKSON.readTree(text);
    } catch (JsonProcessingException e) {
      String at = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new DeclarationException(List.of(new Problem(where, "", "not valid JSON" + at + ": " + e.getOriginalMessage())));
    }
    if (node == null || !node.isObject()) {
      throw new DeclarationException(List.of(new Problem(where, "", "a declaration is one JSON object")));
    }
    List<Problem> problems = new ArrayList<>();
    for (ValidationMessage m : sorted(schema.validate(node))) {
      problems.add(new Problem(where, pointer(m), friendly(m)));
    }
    if (!problems.isEmpty()) {
      throw new DeclarationException(problems);
    }
  }

  private static Source build(Json root, SourceFiles files, String where) {
    Source.Client client = root.child("client").map(c -> new Source.Client(
        URI.create(c.required("base_url")),
        c.textMap("headers"),
        c.child("auth").map(AuthSpec::parse).orElse(new io.medallion.source.auth.NoAuth()),
        c.child("paginator").map(PaginatorSpec::parse).orElse(null),
        c.integer("max_concurrency").orElse(4),
        c.number("requests_per_second").orElse(null),
        c.strings("allowed_hosts"))).orElse(null);
    String name = root.required("name");
    Source.Drops drops = root.child("files").map(f -> new Source.Drops(
        f.string("inbox", name + "/inbox/"), f.string("archive", name + "/archive/"),
        f.string("quarantine", name + "/quarantine/"), f.integer("archive_cold_after_days").orElse(30),
        f.has("warehouse_typing_above_bytes") ? f.object().get("warehouse_typing_above_bytes").getAsLong() : DEFAULT_WAREHOUSE_TYPING))
        .orElse(null);
    List<Source.Resource> resources = new ArrayList<>();
    for (Json r : root.children("resources")) {
      Source.Endpoint endpoint = r.child("endpoint").map(e -> new Source.Endpoint(
          e.required("path"), e.textMap("params"), e.textMap("headers"), e.string("data_selector", "$"),
          e.child("paginator").map(PaginatorSpec::parse).orElse(null),
          e.child("incremental").map(i -> new Source.Incremental(i.required("cursor_path"), i.required("start_param"),
              i.required("initial_value"),
              Source.Incremental.Compare.valueOf(i.string("compare", "timestamp").toUpperCase(Locale.ROOT)))).orElse(null)))
          .orElse(null);
      Source.FileInput file = r.child("file").map(SourceDeclarations::fileInput).orElse(null);
      Source.Parent parent = r.child("parent").map(p -> new Source.Parent(p.required("resource"), p.textMap("fields"),
          p.strings("include"))).orElse(null);
      Json s = r.child("silver").orElseThrow();
      Map<String, double[]> ranges = new LinkedHashMap<>();
      s.child("ranges").ifPresent(rs -> rs.object().entrySet().forEach(en -> ranges.put(en.getKey(),
          new double[] {en.getValue().getAsJsonArray().get(0).getAsDouble(), en.getValue().getAsJsonArray().get(1).getAsDouble()})));
      resources.add(new Source.Resource(r.required("name"), endpoint, parent, r.string("primary_key").orElse(null),
          s.required("table"),
          new SilverMapping(s.textMap("renames"), s.string("key").orElse(null), ranges, new LinkedHashSet<>(s.strings("lowercase")),
              SilverMapping.UnknownFields.valueOf(s.string("unknown_fields").orElse("keep").toUpperCase(Locale.ROOT)),
              new LinkedHashSet<>(s.strings("drop")), s.string("timezone").map(SourceDeclarations::zone).orElse(null),
              s.has("distinct") && s.object().get("distinct").getAsBoolean(),
              s.child("partition").map(pt -> new SilverMapping.Partition(pt.string("column").orElse(null),
                  pt.string("granularity").map(g -> io.medallion.port.TablePartitioning.Granularity.valueOf(
                      g.toUpperCase(Locale.ROOT))).orElse(null),
                  pt.integer("expiration_days").orElse(null))).orElse(null),
              s.has("cluster") ? s.strings("cluster") : null),
          file));
    }
    Json g = root.child("gold").orElseThrow();
    Map<String, List<String>> needs = new LinkedHashMap<>();
    g.child("needs").ifPresent(n -> n.object().keySet().forEach(model -> needs.put(model, n.strings(model))));
    Map<String, Source.Materialization> materializations = new LinkedHashMap<>();
    g.child("materializations").ifPresent(ms -> ms.object().keySet().forEach(model -> {
      Json m = ms.child(model).orElseThrow();
      materializations.put(model, new Source.Materialization(
          Source.Materialization.Kind.valueOf(m.required("type").toUpperCase(Locale.ROOT)),
          m.strings("unique_key"), m.has("updated_at") ? m.strings("updated_at") : List.of()));
    }));
    Map<String, Source.Published> api = new LinkedHashMap<>();
    g.child("api").ifPresent(as -> as.object().keySet().forEach(table -> {
      Json a = as.child(table).orElseThrow();
      api.put(table, new Source.Published(a.strings("key"), a.string("period").orElse(null),
          a.has("filters") ? a.strings("filters") : List.of(), a.has("order_by") ? a.strings("order_by") : List.of(),
          a.integer("max_page_size").orElse(Source.Published.DEFAULT_MAX_PAGE_SIZE),
          a.has("max_bytes_billed") ? a.object().get("max_bytes_billed").getAsLong() : Source.Published.DEFAULT_MAX_BYTES_BILLED,
          a.integer("cache_seconds").orElse(Source.Published.DEFAULT_CACHE_SECONDS)));
    }));
    Source.Gold gold = new Source.Gold(g.strings("models"), g.strings("checks"), g.required("main_table"), g.required("main_order"),
        needs, g.integer("freshness_hours").orElse(null), materializations, api);
    Source.Replay replay = root.child("replay").map(r -> new Source.Replay(r.string("generator").orElse(null),
        r.string("records").orElse(null))).orElse(null);
    return new Source(root.required("name"), root.required("domain"), root.required("description"), root.strings("docs"),
        root.string("schedule").orElse(null), client, resources, gold, replay, files, where, drops,
        root.child("push").map(p -> new Source.Push(p.string("resource").orElse(resources.get(0).name()),
            p.secret("secret").orElse(null),
            p.has("max_body_bytes") ? p.object().get("max_body_bytes").getAsLong() : 10L << 20,
            p.child("batch").flatMap(b -> b.integer("max_seconds")).orElse(300),
            p.child("batch").filter(b -> b.has("max_bytes")).map(b -> b.object().get("max_bytes").getAsLong()).orElse(100L << 20),
            Source.Push.Mode.valueOf(p.string("mode", "files").toUpperCase(Locale.ROOT)),
            p.has("callers") ? p.strings("callers") : List.of(),
            p.integer("load_every_minutes").orElse(5)))
            .orElse(null));
  }

  /** Files above this many bytes are typed in the warehouse unless a source declares otherwise: 512 MiB. */
  public static final long DEFAULT_WAREHOUSE_TYPING = 512L << 20;

  private static Source.FileInput fileInput(Json f) {
    Json fm = f.child("format").orElseThrow();
    com.google.gson.JsonElement sheet = fm.object().get("sheet");
    FileFormat format = new FileFormat(
        FileFormat.Type.valueOf(fm.required("type").toUpperCase(Locale.ROOT)),
        fm.string("delimiter", ",").charAt(0),
        fm.string("quote", "\"").charAt(0),
        fm.integer("header_row").orElse(1),
        java.nio.charset.Charset.forName(fm.string("encoding", "UTF-8")),
        fm.string("decimal", ".").charAt(0),
        fm.string("date_format").orElse(null),
        fm.string("datetime_format").orElse(null),
        sheet != null && sheet.isJsonPrimitive() && sheet.getAsJsonPrimitive().isString() ? sheet.getAsString() : null,
        sheet != null && sheet.isJsonPrimitive() && sheet.getAsJsonPrimitive().isNumber() ? sheet.getAsInt() : 1,
        fm.strings("null_values"));
    return new Source.FileInput(FileNamePattern.parse(f.required("pattern")), f.string("key").orElse(null),
        f.string("date_part").orElse(null), f.string("date_pattern", "yyyy-MM-dd"), format);
  }

  /** A declared time zone, or a clear error. */
  private static java.time.ZoneId zone(String id) {
    try {
      return java.time.ZoneId.of(id);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("silver.timezone '" + id + "' is not a time zone (an IANA name such as America/Sao_Paulo)", e);
    }
  }

  /** What the schema cannot say. */
  private static void check(Source source, Json root, List<Problem> problems) {
    String where = source.file();
    Set<String> names = new HashSet<>();
    Set<String> tables = new HashSet<>();
    List<Json> declared = root.children("resources");
    for (int i = 0; i < source.resources().size(); i++) {
      Source.Resource r = source.resources().get(i);
      String at = "/resources/" + i;
      if (!names.add(r.name())) {
        problems.add(new Problem(where, at + "/name", "resource '" + r.name() + "' is declared twice"));
      }
      if (!tables.add(r.silverTable())) {
        problems.add(new Problem(where, at + "/silver/table", "silver table '" + r.silverTable()
            + "' is loaded by two resources; each resource loads a table of its own"));
      }
      if (source.isPushOnly()) {
        if (source.streams()) {
          checkStream(source, r, at, problems);
        } else {
          // Mode files: collected bronze files typed by silver as any NDJSON file is.
          if (r.endpoint() != null || r.file() != null) {
            problems.add(new Problem(where, at + (r.endpoint() != null ? "/endpoint" : "/file"), "a push-only source's"
                + " resource is pushed, never read: remove " + (r.endpoint() != null ? "endpoint" : "file")));
          }
          checkSilver(source, r, at, problems);
        }
        continue;
      }
      if (r.endpoint() == null && r.file() == null) {
        problems.add(new Problem(where, at, "declares neither endpoint (an API's resource) nor file (a file source's):"
            + " only a push-only source's resources declare neither"));
        continue;
      }
      if (r.file() != null || source.isFileSource()) {
        checkFile(source, r, at, problems);
        checkSilver(source, r, at, problems);
        continue;
      }
      PaginatorSpec paginator = source.paginator(r);
      if (paginator == null) {
        problems.add(new Problem(where, at + "/endpoint", "no paginator: declare one here or in client.paginator"
            + " ({\"type\": \"single_page\"} when the API does not page)"));
      } else {
        checkPaginator(paginator, where, at + "/endpoint/paginator", problems);
      }
      checkPlaceholders(source, r, i, declared.get(i), problems);
      checkSilver(source, r, at, problems);
    }
    for (int m = 0; m < source.gold().models().size(); m++) {
      String model = source.gold().models().get(m);
      String path = "sql/" + source.name() + "/" + model + ".sql";
      Optional<String> sql = source.files().read(path);
      if (sql.isEmpty()) {
        problems.add(new Problem(where, "/gold/models/" + m, "no SQL for model '" + model + "' at " + source.files().describe(path)));
      } else {
        boolean windowed = source.gold().materialization(model).kind() != Source.Materialization.Kind.TABLE;
        checkSqlText(sql.get(), source.files().describe(path), "/gold/models/" + m, where, Set.of("silver", "gold"),
            windowed ? Set.of("since", "until", "run_id", "as_of") : Set.of("run_id", "as_of"), windowed, problems);
      }
    }
    for (int k = 0; k < source.gold().checks().size(); k++) {
      String check = source.gold().checks().get(k);
      String path = "sql/" + source.name() + "/checks/" + check + ".sql";
      Optional<String> sql = source.files().read(path);
      if (sql.isEmpty()) {
        problems.add(new Problem(where, "/gold/checks/" + k, "no SQL for check '" + check + "' at " + source.files().describe(path)));
      } else {
        checkSqlText(sql.get(), source.files().describe(path), "/gold/checks/" + k, where, Set.of("silver", "gold", "ops"),
            Set.of("run_id", "checked_at"), false, problems);
      }
    }
    source.gold().materializations().forEach((model, m) -> checkMaterialization(source, model, m, problems));
    source.gold().api().forEach((table, p) -> checkPublished(source, table, p, problems));
    source.gold().needs().forEach((model, inputs) -> {
      if (!source.gold().models().contains(model)) {
        problems.add(new Problem(where, "/gold/needs/" + model, "'" + model + "' is not one of the models " + source.gold().models()));
      }
      for (String input : inputs) {
        Optional<Source.Resource> r = source.resource(input);
        if (r.isEmpty() || r.get().file() == null) {
          problems.add(new Problem(where, "/gold/needs/" + model, "'" + input + "' is not a file resource of this source"));
        } else if (r.get().file().datePart() == null) {
          problems.add(new Problem(where, "/gold/needs/" + model, "resource '" + input
              + "' declares no file.date_part: which business date its files are of is unknown"));
        } else if (!("{" + r.get().file().datePart() + "}").equals(r.get().file().key())) {
          problems.add(new Problem(where, "/gold/needs/" + model, "resource '" + input + "' must declare file.key \"{"
              + r.get().file().datePart() + "}\": a dataset's file of a date replaces the one before it, and silver's"
              + " _file_key tells which dates have landed"));
        }
      }
    });
    if (source.isFileSource()) {
      checkDrops(source, problems);
    }
    if (source.push() != null && source.resource(source.push().resource()).isEmpty()) {
      problems.add(new Problem(where, "/push/resource", "'" + source.push().resource() + "' is not a resource of this source"));
    }
    if (source.streams() && !source.isPushOnly()) {
      problems.add(new Problem(where, "/push/mode", "stream mode writes the silver table through a Pub/Sub BigQuery"
          + " subscription alone, so a streaming source is push-only: remove " + (source.client() != null ? "client" : "files")
          + ", or push in mode files"));
    }
    if (source.isPushOnly() && source.resources().size() > 1) {
      problems.add(new Problem(where, "/resources", "a push-only source has one resource, the one its pushes write;"
          + " declare another source for other records"));
    }
    if (!source.gold().models().contains(source.gold().mainTable())) {
      problems.add(new Problem(where, "/gold/main_table", "'" + source.gold().mainTable() + "' is not one of the models "
          + source.gold().models()));
    }
    if (source.replay() != null) {
      for (String file : new String[] {source.replay().generator(), source.replay().records()}) {
        if (file != null && source.files().read(DIRECTORY + file).isEmpty()) {
          problems.add(new Problem(where, "/replay", "no file " + source.files().describe(DIRECTORY + file)));
        }
      }
    }
  }

  /**
   * A push-only (stream) resource: what a Pub/Sub BigQuery subscription does is write each
   * message's fields into the columns of their names, so anything silver would do to a record
   * (rename, range, lowercase, dedupe, a zone, keep unknown fields in {@code _extra}), a parent,
   * and nested columns are refused here rather than silently not done.
   */
  private static void checkStream(Source source, Source.Resource r, String at, List<Problem> problems) {
    String where = source.file();
    if (r.endpoint() != null || r.file() != null) {
      problems.add(new Problem(where, at + (r.endpoint() != null ? "/endpoint" : "/file"), "a push-only source's resource"
          + " is pushed, never read: remove " + (r.endpoint() != null ? "endpoint" : "file")));
    }
    if (r.parent() != null) {
      problems.add(new Problem(where, at + "/parent", "a streamed resource has no parent: each pushed record is one row"));
    }
    SilverMapping m = r.silver();
    String unsupported = " is not streamed: a BigQuery subscription writes each field to the column of its name, as it is";
    if (!m.renames().isEmpty()) {
      problems.add(new Problem(where, at + "/silver/renames", "renames" + unsupported + " (name the columns as the fields)"));
    }
    if (m.keyColumn() != null) {
      problems.add(new Problem(where, at + "/silver/key", "key" + unsupported + " (a record seen twice is two rows:"
          + " check the key in gold, a check that selects the ids seen twice)"));
    }
    if (!m.ranges().isEmpty()) {
      problems.add(new Problem(where, at + "/silver/ranges", "ranges" + unsupported + " (check them in gold)"));
    }
    if (!m.lowercase().isEmpty()) {
      problems.add(new Problem(where, at + "/silver/lowercase", "lowercase" + unsupported));
    }
    if (!m.drop().isEmpty()) {
      problems.add(new Problem(where, at + "/silver/drop", "drop" + unsupported + " (unknown_fields drop drops every"
          + " field without a column)"));
    }
    if (m.distinct()) {
      problems.add(new Problem(where, at + "/silver/distinct", "distinct" + unsupported));
    }
    if (m.timezone() != null) {
      problems.add(new Problem(where, at + "/silver/timezone", "timezone" + unsupported + " (push timestamps with their offset)"));
    }
    if (m.unknownFields() == SilverMapping.UnknownFields.KEEP) {
      problems.add(new Problem(where, at + "/silver/unknown_fields", "a BigQuery subscription cannot keep unknown fields"
          + " in _extra: declare drop (drop_unknown_fields: written without them) or reject (such a message goes to the"
          + " source's dead-letter topic)"));
    }
    String path = "schemas/bigquery/silver/" + r.silverTable() + ".json";
    Optional<TableSchema> read = silverSchema(source, r, at, problems);
    if (read.isEmpty()) {
      return;
    }
    TableSchema schema = read.get();
    checkPartitioning(source, r, at, schema, problems);
    STREAM_METADATA_COLUMNS.forEach((column, type) -> {
      int idx = schema.indexOf(column);
      if (idx < 0 || schema.fields().get(idx).type() != type) {
        problems.add(new Problem(where, at + "/silver/table", path + " needs the column {\"name\": \"" + column
            + "\", \"type\": \"" + type + "\"} a BigQuery subscription's write_metadata fills"));
      }
    });
    for (io.medallion.schema.Field f : schema.fields()) {
      if (f.type() == FieldType.RECORD || f.repeated()) {
        problems.add(new Problem(where, at + "/silver/table", "column " + f.name() + " of " + path + " is "
            + (f.repeated() ? "REPEATED" : "a RECORD") + ": a streamed table here has flat columns only"));
      }
      if (LINEAGE_COLUMNS.contains(f.name()) || SilverMapping.EXTRA_COLUMN.equals(f.name())) {
        problems.add(new Problem(where, at + "/silver/table", "column " + f.name() + " of " + path
            + " is filled by silver's loads, which a streamed table never has: remove it"));
      }
    }
  }

  /** A file resource: its key and date name parts its pattern has, its date pattern parses. */
  private static void checkFile(Source source, Source.Resource r, String at, List<Problem> problems) {
    String where = source.file();
    if (r.file() == null || !source.isFileSource()) {
      problems.add(new Problem(where, at, r.file() == null
          ? "a file source's resource declares file (pattern, format), not endpoint"
          : "a resource with file belongs to a source with files (the inbox), not client"));
      return;
    }
    Source.FileInput f = r.file();
    if (f.key() != null) {
      try {
        FileNamePattern.fill(f.key(), f.pattern().parts().stream().collect(
            java.util.stream.Collectors.toMap(p -> p, p -> p)));
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(where, at + "/file/key", e.getMessage() + " (the pattern is " + f.pattern() + ")"));
      }
    }
    if (f.datePart() != null && !f.pattern().parts().contains(f.datePart())) {
      problems.add(new Problem(where, at + "/file/date_part", "'" + f.datePart() + "' is not a named part of the pattern "
          + f.pattern()));
    }
    try {
      java.time.format.DateTimeFormatter.ofPattern(f.datePattern());
      for (String pattern : new String[] {f.format().dateFormat(), f.format().datetimeFormat()}) {
        if (pattern != null) {
          java.time.format.DateTimeFormatter.ofPattern(pattern);
        }
      }
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(where, at + "/file", "not a date pattern: " + e.getMessage()));
    }
    for (int k = 0; k < source.resources().size(); k++) {
      Source.Resource other = source.resources().get(k);
      if (other != r && other.file() != null && other.file().pattern().toString().equalsIgnoreCase(f.pattern().toString())) {
        problems.add(new Problem(where, at + "/file/pattern", "resource '" + other.name()
            + "' has the same pattern: which resource a file is for must be clear from its name"));
      }
    }
  }

  /** The inbox, archive and quarantine are apart, under the source's own folder. */
  private static final java.util.regex.Pattern SQL_PLACEHOLDER = java.util.regex.Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /**
   * A model's or check's SQL names only the placeholders (datasets) and query parameters (run-time
   * values) it is given, and an incremental or snapshot model reads its window (@since and @until):
   * found here, not as a failed build.
   */
  private static void checkSqlText(String sql, String file, String pointer, String where, Set<String> placeholders,
      Set<String> parameters, boolean windowed, List<Problem> problems) {
    java.util.regex.Matcher m = SQL_PLACEHOLDER.matcher(sql);
    while (m.find()) {
      if (!placeholders.contains(m.group(1))) {
        problems.add(new Problem(where, pointer, file + ": unknown placeholder {{" + m.group(1) + "}}: the placeholders are "
            + new java.util.TreeSet<>(placeholders) + "; run-time values are query parameters (@run_id, ...)"));
      }
    }
    Set<String> named = new java.util.TreeSet<>(io.medallion.port.NamedParameters.parse(sql).names());
    for (String name : named) {
      if (!parameters.contains(name)) {
        problems.add(new Problem(where, pointer, file + ": unknown query parameter @" + name + "; it may use "
            + new java.util.TreeSet<>(parameters).stream().map(p -> "@" + p).toList()));
      }
    }
    if (windowed && !(named.contains("since") && named.contains("until"))) {
      problems.add(new Problem(where, pointer, file + " is incremental or a snapshot but does not read its window: filter silver"
          + " with _ingested_at >= @since and _ingested_at < @until (else every build reads all of silver)"));
    }
  }

  /**
   * A materialization is refused before any build: an incremental model or a snapshot without a
   * unique key (a MERGE would not know which row a delta row replaces), key or order columns the
   * model's gold schema does not have, a snapshot without its history columns.
   */
  private static void checkMaterialization(Source source, String model, Source.Materialization m, List<Problem> problems) {
    String where = source.files().describe(source.name() + ".json");
    String at = "/gold/materializations/" + model;
    if (!source.gold().models().contains(model)) {
      problems.add(new Problem(where, at, "'" + model + "' is not one of the models " + source.gold().models()));
      return;
    }
    if (m.kind() == Source.Materialization.Kind.TABLE) {
      return;
    }
    if (m.uniqueKey().isEmpty()) {
      problems.add(new Problem(where, at + "/unique_key", "model " + model + " is " + m.kind().label()
          + " but names no unique_key: which row a new row replaces would be unknown"));
      return;
    }
    String path = "schemas/bigquery/gold/" + model + ".json";
    Optional<String> text = source.files().read(path);
    if (text.isEmpty()) {
      return; // the missing schema file is reported with the model
    }
    java.util.Set<String> columns = new java.util.HashSet<>();
    io.medallion.schema.TableSchema.parse(text.get()).fields().forEach(f -> columns.add(f.name()));
    for (String key : m.uniqueKey()) {
      if (!columns.contains(key)) {
        problems.add(new Problem(where, at + "/unique_key", "model " + model + ": unique_key column '" + key
            + "' is not a column of " + path));
      }
    }
    for (String column : m.updatedAt()) {
      if (!columns.contains(column)) {
        problems.add(new Problem(where, at + "/updated_at", "model " + model + ": updated_at column '" + column
            + "' is not a column of " + path));
      }
    }
    if (m.kind() == Source.Materialization.Kind.SNAPSHOT) {
      if (m.updatedAt().size() != 1) {
        problems.add(new Problem(where, at + "/updated_at", "snapshot " + model
            + " needs exactly one updated_at column: when each version was seen"));
      }
      for (String history : List.of("valid_from", "valid_to", "is_current")) {
        if (!columns.contains(history)) {
          problems.add(new Problem(where, at, "snapshot " + model + ": " + path + " needs the column '" + history
              + "' (TIMESTAMP, TIMESTAMP, BOOL): the snapshot writes each version's validity there"));
        }
      }
    }
  }

  /** Types a period column may have: a date or an instant compared by {@code from}/{@code to}, or a year. */
  private static final Set<FieldType> PERIOD_TYPES = Set.of(FieldType.DATE,
      FieldType.DATETIME, FieldType.TIMESTAMP, FieldType.INT64);

  /**
   * A published table is refused before anything serves it: not a model of the source, a column
   * its gold schema does not have, a key or order column that may be NULL (a page's position would
   * have no value), a RECORD or ARRAY column as a filter, a period that is not a date, instant or
   * year.
   */
  private static void checkPublished(Source source, String table, Source.Published p, List<Problem> problems) {
    String where = source.files().describe(source.name() + ".json");
    String at = "/gold/api/" + table;
    if (!source.gold().models().contains(table)) {
      problems.add(new Problem(where, at, "'" + table + "' is not one of the models " + source.gold().models()));
      return;
    }
    if (source.name().equals("sources")) {
      problems.add(new Problem(where, at, "a source named 'sources' cannot publish tables: /v1/sources/ is the"
          + " webhook's path (POST /v1/sources/<source>/records)"));
    }
    if (p.key().isEmpty()) {
      problems.add(new Problem(where, at + "/key", "table " + table + " names no key: a row's route and a page's"
          + " position need the columns that name one row"));
    }
    if (p.maxPageSize() < 1 || p.maxPageSize() > 10_000) {
      problems.add(new Problem(where, at + "/max_page_size", "max_page_size " + p.maxPageSize() + " is not within 1..10000"));
    }
    String path = "schemas/bigquery/gold/" + table + ".json";
    Optional<String> text = source.files().read(path);
    if (text.isEmpty()) {
      return; // the missing schema file is reported with the model
    }
    Map<String, io.medallion.schema.Field> columns = new LinkedHashMap<>();
    io.medallion.schema.TableSchema.parse(text.get()).fields().forEach(f -> columns.put(f.name(), f));
    java.util.function.BiFunction<String, String, Optional<io.medallion.schema.Field>> column = (field, name) -> {
      io.medallion.schema.Field f = columns.get(name);
      if (f == null) {
        problems.add(new Problem(where, at + "/" + field, "table " + table + ": '" + name + "' is not a column of "
            + path + " (columns: " + String.join(", ", columns.keySet()) + ")"));
        return Optional.empty();
      }
      if (f.type() == FieldType.RECORD || f.repeated()) {
        problems.add(new Problem(where, at + "/" + field, "table " + table + ": '" + name
            + "' is a RECORD or repeated column: a query parameter holds one scalar value"));
        return Optional.empty();
      }
      return Optional.of(f);
    };
    for (String k : p.key()) {
      column.apply("key", k).filter(f -> !f.required()).ifPresent(f -> problems.add(new Problem(where, at + "/key",
          "table " + table + ": key column '" + k + "' is NULLABLE in " + path + ": a key needs a value in every row")));
    }
    for (String o : p.orderBy()) {
      column.apply("order_by", o).filter(f -> !f.required()).ifPresent(f -> problems.add(new Problem(where, at + "/order_by",
          "table " + table + ": order_by column '" + o + "' is NULLABLE in " + path
              + ": a page's position is the last row's value in each order column")));
    }
    p.filters().forEach(f -> column.apply("filters", f));
    if (p.period() != null) {
      column.apply("period", p.period()).filter(f -> !PERIOD_TYPES.contains(f.type())).ifPresent(f -> problems.add(
          new Problem(where, at + "/period", "table " + table + ": period column '" + p.period() + "' is " + f.type()
              + "; from/to compare a DATE, DATETIME, TIMESTAMP or INT64 (a year)")));
    }
  }

  private static void checkDrops(Source source, List<Problem> problems) {
    Source.Drops d = source.drops();
    String[][] prefixes = {{"inbox", d.inbox()}, {"archive", d.archive()}, {"quarantine", d.quarantine()}};
    for (String[] p : prefixes) {
      if (!p[1].startsWith(source.name() + "/")) {
        problems.add(new Problem(source.file(), "/files/" + p[0], "'" + p[1] + "' is not under the source's folder "
            + source.name() + "/ (silver finds a file's source by its first folder)"));
      }
      for (String[] q : prefixes) {
        if (p != q && p[1].startsWith(q[1])) {
          problems.add(new Problem(source.file(), "/files/" + p[0], "'" + p[1] + "' is inside the " + q[0] + " '" + q[1]
              + "': each needs its own folder"));
        }
      }
    }
  }

  private static void checkPaginator(PaginatorSpec p, String where, String at, List<Problem> problems) {
    if (p instanceof PageNumber n) {
      if (n.pageSize() != null && n.maxPageSize() != null && n.pageSize() > n.maxPageSize()) {
        problems.add(new Problem(where, at + "/page_size", "page_size " + n.pageSize() + " is more than max_page_size " + n.maxPageSize()));
      }
      if (n.pageSize() != null && n.pageSizeParam() == null) {
        problems.add(new Problem(where, at + "/page_size_param", "page_size is declared but not how to send it (page_size_param)"));
      }
      if (n.total() != null && n.total().consistency() && n.total().endpoint() == null) {
        problems.add(new Problem(where, at + "/total/consistency", "a consistency check needs a total endpoint to ask at the start and the end"));
      }
    } else if (p instanceof Offset o) {
      if (o.maxLimit() != null && o.limit() > o.maxLimit()) {
        problems.add(new Problem(where, at + "/limit", "limit " + o.limit() + " is more than max_limit " + o.maxLimit()));
      }
      if (o.total() != null && o.total().consistency() && o.total().endpoint() == null) {
        problems.add(new Problem(where, at + "/total/consistency", "a consistency check needs a total endpoint"));
      }
    }
  }

  private static void checkPlaceholders(Source source, Source.Resource r, int i, Json declared, List<Problem> problems) {
    String where = source.file();
    String at = "/resources/" + i;
    Set<String> used = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(r.endpoint().path());
    while (m.find()) {
      used.add(m.group(1));
    }
    for (String v : r.endpoint().params().values()) {
      Matcher pm = PLACEHOLDER.matcher(v);
      while (pm.find()) {
        used.add(pm.group(1));
      }
    }
    if (r.parent() == null) {
      if (!used.isEmpty()) {
        problems.add(new Problem(where, at + "/endpoint/path", "placeholders " + used
            + " but no parent resource to fill them (declare parent)"));
      }
      return;
    }
    int parentIndex = -1;
    for (int k = 0; k < source.resources().size(); k++) {
      if (source.resources().get(k).name().equals(r.parent().resource())) {
        parentIndex = k;
      }
    }
    if (parentIndex < 0) {
      problems.add(new Problem(where, at + "/parent/resource", "no resource '" + r.parent().resource() + "' in this source"));
    } else if (parentIndex >= i) {
      problems.add(new Problem(where, at + "/parent/resource", "parent '" + r.parent().resource()
          + "' must be declared before its child '" + r.name() + "'"));
    } else if (source.resources().get(parentIndex).parent() != null) {
      problems.add(new Problem(where, at + "/parent/resource", "parent '" + r.parent().resource()
          + "' is itself a child: one level of parents is supported"));
    }
    for (String p : used) {
      if (!r.parent().fields().containsKey(p)) {
        problems.add(new Problem(where, at + "/endpoint", "placeholder {" + p + "} is not among parent.fields "
            + r.parent().fields().keySet()));
      }
    }
    for (String f : r.parent().fields().keySet()) {
      if (!used.contains(f)) {
        problems.add(new Problem(where, at + "/parent/fields/" + f, "{" + f + "} is used neither in the path nor in params"));
      }
    }
  }

  /** A resource's silver schema file, parsed; empty (and a problem) when it is missing or no schema. */
  private static Optional<TableSchema> silverSchema(Source source, Source.Resource r, String at, List<Problem> problems) {
    String where = source.file();
    String path = "schemas/bigquery/silver/" + r.silverTable() + ".json";
    Optional<String> text = source.files().read(path);
    if (text.isEmpty()) {
      problems.add(new Problem(where, at + "/silver/table", "no schema for silver table '" + r.silverTable() + "' at "
          + source.files().describe(path)));
      return Optional.empty();
    }
    try {
      return Optional.of(TableSchema.parse(text.get()));
    } catch (RuntimeException e) {
      problems.add(new Problem(where, at + "/silver/table", source.files().describe(path) + " is not a table schema: " + e.getMessage()));
      return Optional.empty();
    }
  }

  private static void checkSilver(Source source, Source.Resource r, String at, List<Problem> problems) {
    String where = source.file();
    String path = "schemas/bigquery/silver/" + r.silverTable() + ".json";
    Optional<TableSchema> read = silverSchema(source, r, at, problems);
    if (read.isEmpty()) {
      return;
    }
    TableSchema schema = read.get();
    checkPartitioning(source, r, at, schema, problems);
    for (String lineage : LINEAGE_COLUMNS) {
      if (schema.indexOf(lineage) < 0) {
        problems.add(new Problem(where, at + "/silver/table", path + " lacks the lineage column " + lineage
            + " (every silver table has " + LINEAGE_COLUMNS + ")"));
      }
    }
    for (String column : schema.names()) {
      if (column.startsWith("_parent_")) {
        String field = column.substring("_parent_".length());
        if (r.parent() == null || !r.parent().include().contains(field)) {
          problems.add(new Problem(where, at + (r.parent() == null ? "" : "/parent/include"), "column " + column + " of " + path
              + " takes parent field '" + field + "', which " + (r.parent() == null ? "a resource without parent cannot" : "parent.include does not list")));
        }
      }
    }
    if (r.file() != null && r.file().key() != null) {
      int fileKey = schema.indexOf("_file_key");
      if (fileKey < 0 || schema.fields().get(fileKey).type() != FieldType.STRING) {
        problems.add(new Problem(where, at + "/file/key", "a file's rows are replaced by key, so " + path
            + " needs a column {\"name\": \"_file_key\", \"type\": \"STRING\"}"));
      }
    }
    SilverMapping mapping = r.silver();
    if (mapping.keyColumn() != null && schema.indexOf(mapping.keyColumn()) < 0) {
      problems.add(new Problem(where, at + "/silver/key", "column '" + mapping.keyColumn() + "' is not in " + path));
    } else if (mapping.keyColumn() != null && schema.field(mapping.keyColumn()).repeated()) {
      problems.add(new Problem(where, at + "/silver/key", "column '" + mapping.keyColumn()
          + "' is REPEATED: a key is one value"));
    }
    Map<String, String> fedBy = new LinkedHashMap<>();
    new java.util.TreeMap<>(mapping.renames()).forEach((from, to) -> {
      String field = at + "/silver/renames/" + from;
      int idx = schema.indexOf(to);
      if (idx < 0) {
        problems.add(new Problem(where, field, "column '" + to + "' is not in " + path));
        return;
      }
      String before = fedBy.putIfAbsent(to, from);
      if (before != null) {
        problems.add(new Problem(where, field, "column '" + to + "' is fed by '" + before + "' already: one source field per column"));
        return;
      }
      SourcePath sourcePath;
      try {
        sourcePath = SourcePath.parse(from);
      } catch (IllegalArgumentException e) {
        problems.add(new Problem(where, field, "not a field path: " + e.getMessage()));
        return;
      }
      if (sourcePath.overElements() && !schema.fields().get(idx).repeated()) {
        problems.add(new Problem(where, field, "'" + from + "' takes a value from each element of an array: column '" + to
            + "' must be REPEATED (it is " + schema.fields().get(idx).mode() + ")"));
      }
    });
    checkPathsApart(schema, mapping, where, at, problems);
    mapping.ranges().forEach((column, range) -> {
      int idx = schema.indexOf(column);
      if (idx < 0) {
        problems.add(new Problem(where, at + "/silver/ranges/" + column, "column '" + column + "' is not in " + path));
      } else if (!schema.fields().get(idx).type().isNumeric()) {
        problems.add(new Problem(where, at + "/silver/ranges/" + column, "column '" + column + "' is "
            + schema.fields().get(idx).type() + ", not a number"));
      } else if (range[0] > range[1]) {
        problems.add(new Problem(where, at + "/silver/ranges/" + column, "min " + range[0] + " is more than max " + range[1]));
      }
    });
    int extra = schema.indexOf(SilverMapping.EXTRA_COLUMN);
    if (mapping.unknownFields() == SilverMapping.UnknownFields.KEEP && extra < 0) {
      problems.add(new Problem(where, at + "/silver", "unknown fields are kept (unknown_fields: keep, the default), so "
          + path + " needs a column {\"name\": \"_extra\", \"type\": \"JSON\"}; or declare unknown_fields drop or reject"));
    } else if (extra >= 0 && schema.fields().get(extra).type() != FieldType.JSON) {
      problems.add(new Problem(where, at + "/silver", "column _extra keeps the fields no column reads: it must be JSON, not "
          + schema.fields().get(extra).type()));
    }
    for (String column : mapping.lowercase()) {
      int idx = schema.indexOf(column);
      if (idx < 0) {
        problems.add(new Problem(where, at + "/silver/lowercase", "column '" + column + "' is not in " + path));
      } else if (schema.fields().get(idx).type() != FieldType.STRING) {
        problems.add(new Problem(where, at + "/silver/lowercase", "column '" + column + "' is not a STRING"));
      }
    }
  }

  /** The types BigQuery partitions a table by a column of (TimePartitioning.field, time-unit column partitioning). */
  private static final Set<FieldType> PARTITION_TYPES = java.util.EnumSet.of(FieldType.TIMESTAMP, FieldType.DATE, FieldType.DATETIME);

  /**
   * The types BigQuery clusters by: "Clustering columns must be top-level, non-repeated columns",
   * "You can specify up to four clustering columns"
   * (https://cloud.google.com/bigquery/docs/creating-clustered-tables#limitations), of type
   * BIGNUMERIC, BOOL, DATE, DATETIME, GEOGRAPHY, INT64, NUMERIC, RANGE, STRING or TIMESTAMP
   * (https://cloud.google.com/bigquery/docs/clustered-tables#cluster_column_types; the schema
   * files here name no GEOGRAPHY or RANGE). FLOAT64, BYTES, TIME, JSON and RECORD are refused.
   */
  private static final Set<FieldType> CLUSTER_TYPES = java.util.EnumSet.of(FieldType.STRING, FieldType.INT64,
      FieldType.NUMERIC, FieldType.BIGNUMERIC, FieldType.BOOL, FieldType.DATE, FieldType.DATETIME, FieldType.TIMESTAMP);

  /**
   * {@code silver.partition} and {@code silver.cluster}, and the defaults they leave, against the
   * table's schema file: the partition column is a top-level TIMESTAMP, DATE or DATETIME column,
   * not REPEATED ("The field must be a top-level TIMESTAMP or DATE field. Its mode must be NULLABLE
   * or REQUIRED", TimePartitioning.field, https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TimePartitioning;
   * DATETIME too, https://cloud.google.com/bigquery/docs/partitioned-tables#date_timestamp_partitioned_tables),
   * and each clustering column is one of {@link #CLUSTER_TYPES}, named once, at most four of them.
   * A default column counts as declared: a table without {@code _ingested_at} must say what it is
   * partitioned by.
   */
  private static void checkPartitioning(Source source, Source.Resource r, String at, TableSchema schema, List<Problem> problems) {
    String where = source.file();
    String path = "schemas/bigquery/silver/" + r.silverTable() + ".json";
    String of = " (resource '" + r.name() + "', table " + r.silverTable() + ")";
    SilverMapping.Partition declared = r.silver().partition();
    boolean columnDeclared = declared != null && declared.column() != null;
    String column = columnDeclared ? declared.column()
        : source.streams() ? Source.STREAM_PARTITION_COLUMN : Source.DEFAULT_PARTITION_COLUMN;
    String field = at + (columnDeclared ? "/silver/partition/column" : "/silver/partition");
    int idx = schema.indexOf(column);
    if (idx < 0) {
      problems.add(new Problem(where, field, "partition column '" + column + "'" + (columnDeclared ? "" : " (the default)")
          + " is not a column of " + path + of + ": declare silver.partition.column, a TIMESTAMP, DATE or DATETIME column"));
    } else {
      io.medallion.schema.Field f = schema.fields().get(idx);
      if (f.repeated() || !PARTITION_TYPES.contains(f.type())) {
        problems.add(new Problem(where, field, "partition column '" + column + "' of " + path + of + " is "
            + (f.repeated() ? "REPEATED " : "") + f.type() + ": BigQuery partitions by a top-level TIMESTAMP, DATE or"
            + " DATETIME column that is NULLABLE or REQUIRED"));
      }
    }
    List<String> cluster = r.silver().cluster();
    boolean clusterDeclared = cluster != null;
    if (!clusterDeclared) {
      cluster = r.silver().keyColumn() == null ? List.of() : List.of(r.silver().keyColumn());
    }
    if (cluster.size() > io.medallion.port.TablePartitioning.MAX_CLUSTERING_COLUMNS) {
      problems.add(new Problem(where, at + "/silver/cluster", cluster.size() + " clustering columns " + cluster + of
          + ": BigQuery allows at most " + io.medallion.port.TablePartitioning.MAX_CLUSTERING_COLUMNS));
    }
    Set<String> seen = new HashSet<>();
    for (int k = 0; k < cluster.size(); k++) {
      String name = cluster.get(k);
      String pointer = clusterDeclared ? at + "/silver/cluster/" + k : at + "/silver/key";
      String what = "clustering column '" + name + "'" + (clusterDeclared ? "" : " (the key, clustered by default)");
      if (!seen.add(name)) {
        problems.add(new Problem(where, pointer, what + " is named twice" + of));
        continue;
      }
      int c = schema.indexOf(name);
      if (c < 0) {
        if (clusterDeclared) { // an undeclared key's absence is reported with the key
          problems.add(new Problem(where, pointer, what + " is not a column of " + path + of));
        }
        continue;
      }
      io.medallion.schema.Field f = schema.fields().get(c);
      if (f.repeated() || !CLUSTER_TYPES.contains(f.type())) {
        problems.add(new Problem(where, pointer, what + " of " + path + of + " is " + (f.repeated() ? "REPEATED " : "")
            + f.type() + ": BigQuery clusters by top-level, non-repeated STRING, INT64, NUMERIC, BIGNUMERIC, BOOL, DATE,"
            + " DATETIME or TIMESTAMP columns" + (clusterDeclared ? "" : "; declare silver.cluster (or [] for none)")));
      }
    }
  }

  /**
   * Each source field feeds one column, and is either that column's value or an object or array
   * on the way to others: {@code user} and {@code user.login} cannot both be columns' sources, nor
   * {@code a.b} and {@code a[].c}, nor a field renamed and also the source of the column named
   * like it.
   */
  private static void checkPathsApart(TableSchema schema, SilverMapping mapping, String where, String at, List<Problem> problems) {
    List<String> columns = new ArrayList<>();
    List<List<String>> steps = new ArrayList<>();
    for (String column : schema.names()) {
      if (column.startsWith("_")) {
        continue;
      }
      SourcePath path;
      try {
        path = mapping.sourcePath(column);
      } catch (IllegalArgumentException e) {
        continue; // reported with its rename
      }
      List<String> s = new ArrayList<>(path.fields());
      if (path.overElements()) {
        s.add("[]");
        s.addAll(path.inElement());
      }
      for (int k = 0; k < steps.size(); k++) {
        List<String> other = steps.get(k);
        int common = 0;
        while (common < s.size() && common < other.size() && s.get(common).equals(other.get(common))) {
          common++;
        }
        boolean prefix = common == s.size() || common == other.size();
        boolean objectAndArray = !prefix && (s.get(common).equals("[]") || other.get(common).equals("[]"));
        if (prefix || objectAndArray) {
          String field = String.join(".", s.subList(0, Math.max(common, 1))).replace(".[]", "[]");
          String why = s.size() == other.size() && prefix ? "both take '" + field + "'"
              : objectAndArray ? "need '" + field + "' to be an object for one and an array for the other"
              : "meet at '" + field + "', the value of one and the way to the other";
          String rename = mapping.renames().containsValue(column) ? "/silver/renames/" + mapping.sourceField(column) : "/silver/renames";
          problems.add(new Problem(where, at + rename, "columns '" + columns.get(k) + "' and '" + column + "' " + why
              + ": a source field feeds one column (rename one of them, or drop a column)"));
        }
      }
      columns.add(column);
      steps.add(s);
    }
  }

  private static List<ValidationMessage> sorted(Set<ValidationMessage> messages) {
    List<ValidationMessage> list = new ArrayList<>(messages);
    list.sort(Comparator.comparing(SourceDeclarations::pointer).thenComparing(ValidationMessage::getMessage));
    return list;
  }

  private static String pointer(ValidationMessage m) {
    String p = m.getInstanceLocation().toString();
    if (m.getProperty() != null && ("required".equals(m.getType()) || "additionalProperties".equals(m.getType()))) {
      p = p + "/" + m.getProperty();
    }
    return p;
  }

  private static String friendly(ValidationMessage m) {
    String text = m.getMessage();
    // The validator's message starts with the path; the problem names the field already.
    int colon = text.indexOf(": ");
    String message = colon > 0 && text.startsWith("/") || colon > 0 && text.startsWith("$") ? text.substring(colon + 2) : text;
    if ("required".equals(m.getType())) {
      return "is required";
    }
    if ("additionalProperties".equals(m.getType())) {
      return "is not a field of this object (a typo?)";
    }
    return message;
  }

  /** A JSON Schema (draft 2020-12) shipped on the classpath, e.g. {@code schemas/source.schema.json}. */
  public static JsonSchema loadSchema(String path) {
    try (InputStream in = SourceDeclarations.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath");
      }
      SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code json} is a JSON object that at least names itself a source. */
  static boolean looksLikeDeclaration(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      return o.has("name") && (o.has("client") || o.has("files") || o.has("push"));
    } catch (RuntimeException e) {
      return false;
    }
  }
}
