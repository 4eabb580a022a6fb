package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.schema.FieldType;
import io.medallion.source.paginate.PageNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDeclarationsTest {

  @TempDir Path root;

  @Test
  void breweriesDeclaration_isShippedAndReadsAsDeclared() {
    Source b = SourceRegistry.standard().find("breweries").orElseThrow();
    assertEquals("https://api.openbrewerydb.org", b.defaultBaseUrl().toString());
    PageNumber p = (PageNumber) b.paginator(b.resources().get(0));
    assertEquals("per_page", p.pageSizeParam());
    assertEquals("/v1/breweries/meta", p.total().endpoint());
    assertTrue(p.total().consistency());
    assertEquals("brewery_id", b.silverMapping().keyColumn());
    assertEquals("country_summary", b.mainGoldTable());
  }

  @Test
  void everyShippedDeclaration_passesTheJsonSchema_whichTheFunctionsDoNotCheckAgain() throws Exception {
    SourceFiles shipped = SourceFiles.classpath();
    assertTrue(shipped.checkedByTheBuild());
    SourceFiles validated = new SourceFiles() {
      @Override
      public java.util.Optional<String> read(String path) {
        return shipped.read(path);
      }

      @Override
      public String describe(String path) {
        return shipped.describe(path);
      }

      @Override
      public java.util.List<String> list(String directory) {
        return shipped.list(directory);
      }
    };
    assertTrue(!validated.checkedByTheBuild());
    for (String name : SourceRegistry.standard().names()) {
      assertEquals(name, SourceDeclarations.load(validated, name).name()); // throws, naming each problem
    }
    assertTrue(SourceRegistry.standard().names().contains("breweries"), "the shipped ones were read");
  }

  @Test
  void aRegistryReadOnFirstUse_readsOnce_andOnlyWhenAskedAboutASource() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    SourceRegistry lazy = new SourceRegistry(() -> {
      reads.incrementAndGet();
      return SourceRegistry.standard();
    });
    assertEquals(0, reads.get(), "made, not read");
    assertTrue(lazy.find("breweries").isPresent());
    assertEquals(SourceRegistry.standard().names(), lazy.names());
    assertEquals(1, reads.get(), "read once");
  }

  private String problems(String json) throws Exception {
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.createDirectories(root.resolve("sql/demo"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_items.json"),
        "[{\"name\":\"item_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},{\"name\":\"price\",\"type\":\"FLOAT64\"},"
            + "{\"name\":\"kind\",\"type\":\"STRING\"}]");
    Files.writeString(root.resolve("sql/demo/demo_summary.sql"), "select 1 as n");
    Files.writeString(root.resolve("schemas/sources/demo.json"), json);
    DeclarationException e = assertThrows(DeclarationException.class,
        () -> SourceDeclarations.load(SourceFiles.directory(root), "demo"));
    return e.getMessage();
  }

  /** As {@link #problems}, with the model SQL the test wrote. */
  private String problemsKeepingSql(String json) throws Exception {
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_items.json"),
        "[{\"name\":\"item_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},{\"name\":\"n\",\"type\":\"INT64\"}]");
    Files.writeString(root.resolve("schemas/sources/demo.json"), json);
    DeclarationException e = assertThrows(DeclarationException.class,
        () -> SourceDeclarations.load(SourceFiles.directory(root), "demo"));
    return e.getMessage();
  }

  private static String demo(String client, String resource) {
    return "{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"client\":" + client + ",\"resources\":[" + resource + "],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\"}}";
  }

  private static final String CLIENT = "{\"base_url\":\"https://api.example.com\"}";

  /** A file source named demo whose resources are given, with the gold given. */
  private static String fileSource(String files, String resources, String goldExtra) {
    return "{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"files\":" + files + ",\"resources\":[" + resources + "],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\"" + goldExtra + "}}";
  }

  @Test
  void aFileSourcesMistakes_areEachNamedWithTheirField() throws Exception {
    String m = problems(fileSource("{\"inbox\":\"other/inbox/\",\"archive\":\"other/inbox/old/\"}",
        "{\"name\":\"items\",\"file\":{\"pattern\":\"items_{day}.csv\",\"key\":\"{date}\",\"date_part\":\"date\","
            + "\"format\":{\"type\":\"csv\",\"date_format\":\"dd/MM/yyyy {\"}},\"silver\":{\"table\":\"demo_items\"}},"
            + "{\"name\":\"more\",\"file\":{\"pattern\":\"ITEMS_{day}.csv\",\"format\":{\"type\":\"xlsx\"}},"
            + "\"silver\":{\"table\":\"demo_items\"}}",
        ",\"needs\":{\"demo_summary\":[\"more\", \"nope\"]}"));
    assertTrue(m.contains("/files/inbox: 'other/inbox/' is not under the source's folder demo/"), m);
    assertTrue(m.contains("/files/archive: 'other/inbox/old/' is inside the inbox"), m);
    assertTrue(m.contains("/resources/0/file/key: '{date}' names {date}, which the file name has not"), m);
    assertTrue(m.contains("/resources/0/file/date_part: 'date' is not a named part of the pattern items_{day}.csv"), m);
    assertTrue(m.contains("/resources/0/file/key: a file's rows are replaced by key") && m.contains("_file_key"), m);
    assertTrue(m.contains("/resources/1/file/pattern: resource 'items' has the same pattern"), m);
    assertTrue(m.contains("/gold/needs/demo_summary: resource 'more' declares no file.date_part"), m);
    assertTrue(m.contains("/gold/needs/demo_summary: 'nope' is not a file resource"), m);
    assertTrue(m.contains("not a date pattern"), m);
  }

  private static String withMaterialization(String materialization) {
    return "{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"client\":" + CLIENT + ",\"resources\":["
        + "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_items\"}}],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\","
        + "\"materializations\":{\"demo_summary\":" + materialization + "}}}";
  }

  @Test
  void anIncrementalModelOrSnapshotWithoutAUsableKey_isRefusedNamingTheModelAndWhy() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/gold"));
    Files.writeString(root.resolve("schemas/bigquery/gold/demo_summary.json"),
        "[{\"name\":\"n\",\"type\":\"INT64\"},{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\"}]");
    String noKey = problems(withMaterialization("{\"type\":\"incremental\"}"));
    assertTrue(noKey.contains("/gold/materializations/demo_summary") && noKey.contains("unique_key"), noKey);
    String unknownKey = problems(withMaterialization("{\"type\":\"incremental\",\"unique_key\":[\"item_id\"]}"));
    assertTrue(unknownKey.contains("model demo_summary: unique_key column 'item_id' is not a column of schemas/bigquery/gold/demo_summary.json"),
        unknownKey);
    String snapshot = problems(withMaterialization("{\"type\":\"snapshot\",\"unique_key\":[\"n\"],\"updated_at\":[\"_ingested_at\"]}"));
    assertTrue(snapshot.contains("snapshot demo_summary: schemas/bigquery/gold/demo_summary.json needs the column 'valid_from'"), snapshot);
    String snapshotKeyless = problems(withMaterialization("{\"type\":\"snapshot\"}"));
    assertTrue(snapshotKeyless.contains("unique_key"), snapshotKeyless);
  }

  private static String withApi(String api) {
    return "{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"client\":" + CLIENT + ",\"resources\":["
        + "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_items\"}}],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\","
        + "\"api\":" + api + "}}";
  }

  @Test
  void aPublishedTableTheApiCouldNotServe_isRefusedNamingTheFieldAndWhy() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/gold"));
    Files.writeString(root.resolve("schemas/bigquery/gold/demo_summary.json"),
        "[{\"name\":\"n\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},{\"name\":\"label\",\"type\":\"STRING\"},"
            + "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},{\"name\":\"day\",\"type\":\"DATE\"}]");
    String ok = problems(withApi("{\"demo_summary\":{\"key\":[\"n\"],\"period\":\"day\",\"filters\":[\"label\"]}}"));
    assertFalse(ok.contains("/gold/api"), ok);
    String m = problems(withApi("{\"demo_summary\":{\"key\":[\"label\"],\"period\":\"label\","
        + "\"filters\":[\"tags\",\"nosuch\"],\"order_by\":[\"day\"]},\"other\":{\"key\":[\"n\"]}}"));
    assertTrue(m.contains("/gold/api/demo_summary/key: table demo_summary: key column 'label' is NULLABLE"), m);
    assertTrue(m.contains("/gold/api/demo_summary/period: table demo_summary: period column 'label' is STRING"), m);
    assertTrue(m.contains("/gold/api/demo_summary/filters: table demo_summary: 'tags' is a RECORD or repeated column"), m);
    assertTrue(m.contains("/gold/api/demo_summary/filters: table demo_summary: 'nosuch' is not a column of"
        + " schemas/bigquery/gold/demo_summary.json (columns: n, label, tags, day)"), m);
    assertTrue(m.contains("/gold/api/demo_summary/order_by: table demo_summary: order_by column 'day' is NULLABLE"), m);
    assertTrue(m.contains("/gold/api/other: 'other' is not one of the models [demo_summary]"), m);
    String keyless = problems(withApi("{\"demo_summary\":{\"filters\":[\"label\"]}}"));
    assertTrue(keyless.contains("/gold/api/demo_summary") && keyless.contains("key"), keyless);
  }

  @Test
  void modelSqlNamingAnUnknownPlaceholderOrParameter_orAnIncrementalModelWithoutItsWindow_isRefused() throws Exception {
    Files.createDirectories(root.resolve("sql/demo"));
    Files.createDirectories(root.resolve("schemas/bigquery/gold"));
    Files.writeString(root.resolve("schemas/bigquery/gold/demo_summary.json"), "[{\"name\":\"n\",\"type\":\"INT64\"}]");
    Files.writeString(root.resolve("sql/demo/demo_summary.sql"), "select {{run_id}} as n from {{silver}}.demo_items where x = @since");
    String m = problemsKeepingSql(withMaterialization("{\"type\":\"table\"}"));
    assertTrue(m.contains("unknown placeholder {{run_id}}") && m.contains("run-time values are query parameters"), m);
    assertTrue(m.contains("unknown query parameter @since; it may use [@as_of, @run_id]"), m);
    Files.writeString(root.resolve("sql/demo/demo_summary.sql"), "select n from {{silver}}.demo_items");
    String unwindowed = problemsKeepingSql(withMaterialization("{\"type\":\"incremental\",\"unique_key\":[\"n\"]}"));
    assertTrue(unwindowed.contains("is incremental or a snapshot but does not read its window"), unwindowed);
  }

  @Test
  void aFileSourceWithAnEndpoint_orClientAndFilesBoth_isRefused() throws Exception {
    String m = problems(fileSource("{}", "{\"name\":\"items\",\"endpoint\":{\"path\":\"/x\"},\"silver\":{\"table\":\"demo_items\"}}", ""));
    assertTrue(m.contains("/resources/0"), m);
    String both = problems("{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"client\":" + CLIENT + ",\"files\":{},\"resources\":["
        + "{\"name\":\"items\",\"file\":{\"pattern\":\"x.csv\",\"format\":{\"type\":\"csv\"}},\"silver\":{\"table\":\"demo_items\"}}],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\"}}");
    assertTrue(both.contains("oneOf") || both.contains("client") || both.contains("files"), both);
  }

  /** A push-only source named demo: its push block and resource given. */
  private static String pushOnly(String push, String resource) {
    return "{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"push\":" + push + ",\"resources\":[" + resource + "],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\"}}";
  }

  @Test
  void aStreamSource_isPushOnly_andEveryThingABigQuerySubscriptionCannotDoIsRefused_namingItsField() throws Exception {
    String m = problems(pushOnly("{\"mode\":\"stream\"}", "{\"name\":\"items\",\"silver\":{\"table\":\"demo_items\","
        + "\"key\":\"item_id\",\"renames\":{\"type\":\"kind\"},\"lowercase\":[\"kind\"],\"distinct\":true,"
        + "\"timezone\":\"America/Sao_Paulo\",\"ranges\":{\"price\":[0,10]},\"drop\":[\"x\"]}}"));
    assertTrue(m.contains("/resources/0/silver/renames: renames is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/key: key is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/lowercase: lowercase is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/distinct: distinct is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/timezone: timezone is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/ranges: ranges is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/drop: drop is not streamed"), m);
    assertTrue(m.contains("/resources/0/silver/unknown_fields: a BigQuery subscription cannot keep unknown fields"), m);
    assertTrue(m.contains("needs the column {\"name\": \"publish_time\", \"type\": \"TIMESTAMP\"}"), m);

    // Mode files: pushes are collected into bronze files silver types, so silver's mapping applies.
    String files = problems(pushOnly("{}", "{\"name\":\"items\",\"silver\":{\"table\":\"demo_items\","
        + "\"renames\":{\"type\":\"kind\"}}}"));
    assertTrue(!files.contains("/push/mode") && !files.contains("is not streamed"), files);
    String filesWithEndpoint = problems(pushOnly("{}", "{\"name\":\"items\",\"endpoint\":{\"path\":\"/x\"},"
        + "\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(filesWithEndpoint.contains("/resources/0/endpoint: a push-only source's resource is pushed, never read"),
        filesWithEndpoint);

    String withClient = problems("{\"name\":\"demo\",\"domain\":\"sales\",\"description\":\"d\",\"client\":" + CLIENT + ",\"push\":{\"mode\":\"stream\"},"
        + "\"resources\":[{\"name\":\"items\",\"endpoint\":{\"path\":\"/x\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_items\",\"unknown_fields\":\"drop\"}}],"
        + "\"gold\":{\"models\":[\"demo_summary\"],\"main_table\":\"demo_summary\",\"main_order\":\"n\"}}");
    assertTrue(withClient.contains("/push/mode: stream mode writes the silver table through a Pub/Sub BigQuery subscription alone"),
        withClient);

    String noEndpoint = problems(demo(CLIENT, "{\"name\":\"items\",\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(noEndpoint.contains("/resources/0: declares neither endpoint"), noEndpoint);
  }

  @Test
  void aStreamTable_hasTheMetadataColumns_flat_andNoLineage() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_stream.json"),
        "[{\"name\":\"item_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
            + "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
            + "{\"name\":\"_run_id\",\"type\":\"STRING\"},"
            + "{\"name\":\"subscription_name\",\"type\":\"STRING\"},{\"name\":\"message_id\",\"type\":\"STRING\"},"
            + "{\"name\":\"publish_time\",\"type\":\"TIMESTAMP\"},{\"name\":\"attributes\",\"type\":\"STRING\"}]");
    String m = problems(pushOnly("{\"mode\":\"stream\"}",
        "{\"name\":\"items\",\"silver\":{\"table\":\"demo_stream\",\"unknown_fields\":\"reject\"}}"));
    assertTrue(m.contains("column tags of schemas/bigquery/silver/demo_stream.json is REPEATED"), m);
    assertTrue(m.contains("column _run_id of schemas/bigquery/silver/demo_stream.json is filled by silver's loads"), m);
    assertTrue(m.contains("needs the column {\"name\": \"attributes\", \"type\": \"JSON\"}"), m);
    assertFalse(m.contains("subscription_name"), m);
  }

  @Test
  void theTransactionsSource_streams_pushOnly_withItsSecret() {
    Source t = SourceRegistry.standard().find("transactions").orElseThrow();
    assertTrue(t.isPushOnly() && t.streams());
    assertEquals("TRANSACTIONS_PUSH_SECRET", t.push().secret().name());
    assertEquals(SilverMapping.UnknownFields.REJECT, t.silverMapping().unknownFields());
    assertEquals(FieldType.NUMERIC, t.silverSchema().field("amount").type());
  }

  @Test
  void fileNamePatterns_captureTheirParts_ignoringCase_andMatchWholeNames() {
    FileNamePattern p = FileNamePattern.parse("audiencia_{date}.csv");
    assertEquals(java.util.Optional.of(java.util.Map.of("date", "20240105")), p.match("AUDIENCIA_20240105.CSV"));
    assertEquals(java.util.Optional.empty(), p.match("audiencia_20240105.csv.bak"));
    assertEquals(java.util.Optional.empty(), p.match("x/audiencia_.csv"));
    assertEquals(java.util.Optional.of(java.util.Map.of("year", "2017")), FileNamePattern.parse("base*_{year}.xlsx").match("Base Final_2017.xlsx"));
    assertEquals("2017", FileNamePattern.fill("{year}", java.util.Map.of("year", "2017")));
    assertThrows(IllegalArgumentException.class, () -> FileNamePattern.parse("a_{x}_{x}.csv"));
    assertThrows(IllegalArgumentException.class, () -> FileNamePattern.parse("a_{X-1}.csv"));
  }

  @Test
  void unknownPaginator_isNamedWithItsField() throws Exception {
    String m = problems(demo(CLIENT, "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"pages\"}},"
        + "\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(m.contains("/resources/0/endpoint/paginator/type") && m.contains("page_number"), m);
  }

  @Test
  void missingFieldsAndTypos_pointAtTheField() throws Exception {
    String m = problems(demo("{\"base_url\":\"https://api.example.com\",\"auth\":{\"type\":\"bearer\"}}",
        "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"pagintor\":{\"type\":\"single_page\"}},\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(m.contains("/client/auth/token: is required"), m);
    assertTrue(m.contains("/resources/0/endpoint/pagintor: is not a field"), m);
  }

  @Test
  void semanticProblems_areAllReportedWithTheirFields() throws Exception {
    String m = problems(demo(CLIENT,
        "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items/{id}\",\"paginator\":{\"type\":\"single_page\"}},"
            + "\"silver\":{\"table\":\"demo_items\",\"key\":\"nope\",\"ranges\":{\"kind\":[0,1]},\"lowercase\":[\"price\"]}}"));
    assertTrue(m.contains("/resources/0/endpoint/path: placeholders [id] but no parent"), m);
    assertTrue(m.contains("/resources/0/silver/key: column 'nope'"), m);
    assertTrue(m.contains("/resources/0/silver/ranges/kind: column 'kind' is STRING, not a number"), m);
    assertTrue(m.contains("/resources/0/silver/lowercase: column 'price' is not a STRING"), m);
  }

  @Test
  void childBeforeItsParent_andASecretValue_areRefused() throws Exception {
    String m = problems(demo("{\"base_url\":\"https://api.example.com\",\"auth\":{\"type\":\"bearer\",\"token\":\"abc123\"}}",
        "{\"name\":\"items\",\"endpoint\":{\"path\":\"/x/{id}\",\"paginator\":{\"type\":\"single_page\"}},"
            + "\"parent\":{\"resource\":\"items\",\"fields\":{\"id\":\"id\"}},\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(m.contains("/client/auth/token"), "a token must be a secret reference: " + m);
  }

  @Test
  void aCredentialInTheBaseUrl_isRefused() throws Exception {
    String m = problems(demo("{\"base_url\":\"https://me:pw@api.example.com\"}",
        "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(m.contains("/client/base_url"), m);
  }

  @Test
  void silverRenamePaths_areChecked() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_issues.json"),
        "[{\"name\":\"issue_id\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},{\"name\":\"user_login\",\"type\":\"STRING\"},"
            + "{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},{\"name\":\"title\",\"type\":\"STRING\"},"
            + "{\"name\":\"comments\",\"type\":\"INT64\",\"mode\":\"REPEATED\"},{\"name\":\"id\",\"type\":\"STRING\"}]");
    String m = problems(demo(CLIENT, "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_issues\",\"key\":\"comments\",\"renames\":{\"id\":\"issue_id\",\"user..login\":\"user_login\","
        + "\"labels[].name\":\"title\",\"tags[]\":\"label_names\",\"x\":\"nope\"},\"lowercase\":[\"label_names\",\"comments\"]}}"));
    assertTrue(m.contains("/resources/0/silver/renames/user..login: not a field path: 'user..login' has an empty field name"), m);
    assertTrue(m.contains("/resources/0/silver/renames/labels[].name: 'labels[].name' takes a value from each element of an array:"
        + " column 'title' must be REPEATED (it is NULLABLE)"), m);
    assertTrue(m.contains("/resources/0/silver/renames/tags[]: not a field path: 'tags[]' ends at the array's elements"), m);
    assertTrue(m.contains("/resources/0/silver/renames/x: column 'nope' is not in"), m);
    assertTrue(m.contains("/resources/0/silver/key: column 'comments' is REPEATED: a key is one value"), m);
    assertTrue(m.contains("/resources/0/silver/lowercase: column 'comments' is not a STRING"), m);
    assertFalse(m.contains("column 'label_names' is not a STRING"), "lowercase applies to a REPEATED STRING's elements: " + m);
    assertTrue(m.contains("/resources/0/silver/renames: columns 'issue_id' and 'id' both take 'id':"
        + " a source field feeds one column (rename one of them, or drop a column)"), m);
  }

  @Test
  void pathsThatMeet_areRefused() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_issues.json"),
        "[{\"name\":\"user\",\"type\":\"STRING\"},{\"name\":\"user_login\",\"type\":\"STRING\"},"
            + "{\"name\":\"a_b\",\"type\":\"STRING\"},{\"name\":\"a_c\",\"type\":\"STRING\",\"mode\":\"REPEATED\"}]");
    String m = problems(demo(CLIENT, "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_issues\",\"renames\":{\"user.login\":\"user_login\",\"a.b\":\"a_b\",\"a[].c\":\"a_c\"}}}"));
    assertTrue(m.contains("/resources/0/silver/renames/user.login: columns 'user' and 'user_login' meet at 'user',"
        + " the value of one and the way to the other"), m);
    assertTrue(m.contains("/resources/0/silver/renames/a[].c: columns 'a_b' and 'a_c' need 'a' to be an object for one and an array"
        + " for the other"), m);
  }

  @Test
  void twoFieldsRenamedToOneColumn_areRefused() throws Exception {
    String m = problems(demo(CLIENT, "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_items\",\"renames\":{\"a.kind\":\"kind\",\"b.kind\":\"kind\"}}}"));
    assertTrue(m.contains("/resources/0/silver/renames/b.kind: column 'kind' is fed by 'a.kind' already: one source field per column"), m);
  }

  /** A silver table with the lineage columns and a column of each type the partition and cluster checks tell apart. */
  private void partitionedTable() throws Exception {
    Files.createDirectories(root.resolve("schemas/bigquery/silver"));
    Files.writeString(root.resolve("schemas/bigquery/silver/demo_sales.json"),
        "[{\"name\":\"sale_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},{\"name\":\"sold_on\",\"type\":\"DATE\"},"
            + "{\"name\":\"store\",\"type\":\"INT64\"},{\"name\":\"price\",\"type\":\"FLOAT64\"},"
            + "{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},{\"name\":\"seen\",\"type\":\"TIMESTAMP\",\"mode\":\"REPEATED\"},"
            + "{\"name\":\"address\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"city\",\"type\":\"STRING\"}]},"
            + "{\"name\":\"_run_id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},{\"name\":\"_source_uri\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
            + "{\"name\":\"_source_generation\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
            + "{\"name\":\"_source_record\",\"type\":\"INT64\",\"mode\":\"REQUIRED\"},"
            + "{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\",\"mode\":\"REQUIRED\"},{\"name\":\"_extra\",\"type\":\"JSON\"}]");
  }

  private static String salesResource(String silverExtra) {
    return "{\"name\":\"sales\",\"endpoint\":{\"path\":\"/sales\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_sales\",\"key\":\"sale_id\"" + silverExtra + "}}";
  }

  @Test
  void declaredPartitionAndCluster_areRead_andLeftOutPartsTakeTheDefaults() throws Exception {
    partitionedTable();
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("sql/demo"));
    Files.writeString(root.resolve("sql/demo/demo_summary.sql"), "select 1 as n");
    Files.writeString(root.resolve("schemas/sources/demo.json"), demo(CLIENT, salesResource(
        ",\"partition\":{\"column\":\"sold_on\",\"granularity\":\"MONTH\",\"expiration_days\":400},\"cluster\":[\"store\",\"sale_id\"]")));
    Source demo = SourceDeclarations.load(SourceFiles.directory(root), "demo");
    assertEquals(new io.medallion.port.TablePartitioning("sold_on", io.medallion.port.TablePartitioning.Granularity.MONTH, 400,
        java.util.List.of("store", "sale_id")), demo.partitioning("demo_sales"));
    assertEquals(400L * 24 * 3600 * 1000, demo.partitioning("demo_sales").expirationMs());

    Files.writeString(root.resolve("schemas/sources/demo.json"), demo(CLIENT, salesResource(",\"partition\":{\"expiration_days\":30}")));
    assertEquals(new io.medallion.port.TablePartitioning("_ingested_at", io.medallion.port.TablePartitioning.Granularity.DAY, 30,
        java.util.List.of("sale_id")), SourceDeclarations.load(SourceFiles.directory(root), "demo").partitioning("demo_sales"),
        "by ingestion day, clustered by the key, unless declared");
  }

  @Test
  void theShippedSources_arePartitionedByIngestionDay_orPublishTime_andClusteredByTheirKey() {
    Source breweries = SourceRegistry.standard().find("breweries").orElseThrow();
    assertEquals(new io.medallion.port.TablePartitioning("_ingested_at", io.medallion.port.TablePartitioning.Granularity.DAY, null,
        java.util.List.of("brewery_id")), breweries.partitioning(breweries.resources().get(0)));
    Source transactions = SourceRegistry.standard().find("transactions").orElseThrow();
    assertEquals(new io.medallion.port.TablePartitioning("publish_time", io.medallion.port.TablePartitioning.Granularity.DAY, null,
        java.util.List.of()), transactions.partitioning(transactions.resources().get(0)), "a stream table has no load and no key");
  }

  @Test
  void aPartitionColumnThatIsNoTimeColumn_isRefused_namingSourceResourceAndField() throws Exception {
    partitionedTable();
    for (String[] c : new String[][] {
        {"missing", "partition column 'missing' is not a column of schemas/bigquery/silver/demo_sales.json"},
        {"store", "partition column 'store' of schemas/bigquery/silver/demo_sales.json (resource 'sales', table demo_sales) is INT64"},
        {"seen", "partition column 'seen' of schemas/bigquery/silver/demo_sales.json (resource 'sales', table demo_sales) is REPEATED TIMESTAMP"},
        {"address", "is RECORD"}}) {
      String m = problems(demo(CLIENT, salesResource(",\"partition\":{\"column\":\"" + c[0] + "\"}")));
      assertTrue(m.contains("schemas/sources/demo.json /resources/0/silver/partition/column: partition column '" + c[0] + "'")
          && m.contains(c[1]) && m.contains("(resource 'sales', table demo_sales)"), c[0] + ": " + m);
    }
    String m = problems(demo(CLIENT, salesResource(",\"partition\":{\"granularity\":\"WEEK\"}")));
    assertTrue(m.contains("/resources/0/silver/partition/granularity"), m);
    m = problems(demo(CLIENT, salesResource(",\"partition\":{\"expiration_days\":0}")));
    assertTrue(m.contains("/resources/0/silver/partition/expiration_days"), m);
  }

  @Test
  void aTableWithoutIngestedAt_mustDeclareItsPartitionColumn() throws Exception {
    String m = problems(demo(CLIENT, "{\"name\":\"items\",\"endpoint\":{\"path\":\"/items\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_items\"}}"));
    assertTrue(m.contains("/resources/0/silver/partition: partition column '_ingested_at' (the default) is not a column of"
        + " schemas/bigquery/silver/demo_items.json (resource 'items', table demo_items): declare silver.partition.column"), m);
  }

  @Test
  void clusterColumnsBigQueryCannotClusterBy_areRefused_eachNamed() throws Exception {
    partitionedTable();
    String m = problems(demo(CLIENT, salesResource(",\"cluster\":[\"nope\",\"price\",\"tags\",\"address\"]")));
    assertTrue(m.contains("/resources/0/silver/cluster/0: clustering column 'nope' is not a column of schemas/bigquery/silver/demo_sales.json"), m);
    assertTrue(m.contains("/resources/0/silver/cluster/1: clustering column 'price' of schemas/bigquery/silver/demo_sales.json"
        + " (resource 'sales', table demo_sales) is FLOAT64: BigQuery clusters by"), m);
    assertTrue(m.contains("/resources/0/silver/cluster/2: clustering column 'tags'") && m.contains("is REPEATED STRING"), m);
    assertTrue(m.contains("/resources/0/silver/cluster/3: clustering column 'address'") && m.contains("is RECORD"), m);
    m = problems(demo(CLIENT, salesResource(",\"cluster\":[\"_extra\"]")));
    assertTrue(m.contains("/resources/0/silver/cluster/0: clustering column '_extra'") && m.contains("is JSON"), m);

    // The JSON Schema refuses five columns and a column named twice first; the declarations the
    // build has checked skip it, so the same is checked again with the schema file at hand.
    String five = ",\"cluster\":[\"sale_id\",\"store\",\"sold_on\",\"_run_id\",\"_ingested_at\"]";
    m = problems(demo(CLIENT, salesResource(five)));
    assertTrue(m.contains("/resources/0/silver/cluster: must have at most 4 items but found 5"), m);
    m = problemsCheckedByTheBuild(demo(CLIENT, salesResource(five)));
    assertTrue(m.contains("/resources/0/silver/cluster: 5 clustering columns [sale_id, store, sold_on, _run_id, _ingested_at]"
        + " (resource 'sales', table demo_sales): BigQuery allows at most 4"), m);
    m = problemsCheckedByTheBuild(demo(CLIENT, salesResource(",\"cluster\":[\"store\",\"store\"]")));
    assertTrue(m.contains("/resources/0/silver/cluster/1: clustering column 'store' is named twice (resource 'sales', table demo_sales)"), m);
    m = problems(demo(CLIENT, salesResource(",\"cluster\":[\"store\",\"store\"]")));
    assertTrue(m.contains("/resources/0/silver/cluster"), m);
    String floatKey = problems(demo(CLIENT, "{\"name\":\"sales\",\"endpoint\":{\"path\":\"/sales\",\"paginator\":{\"type\":\"single_page\"}},"
        + "\"silver\":{\"table\":\"demo_sales\",\"key\":\"price\"}}"));
    assertTrue(floatKey.contains("/resources/0/silver/key: clustering column 'price' (the key, clustered by default)")
        && floatKey.contains("declare silver.cluster (or [] for none)"), floatKey);
  }

  /** The problems of a declaration in a root whose files count as checked by the build: the JSON Schema is not applied again. */
  private String problemsCheckedByTheBuild(String json) throws Exception {
    Files.createDirectories(root.resolve("schemas/sources"));
    Files.createDirectories(root.resolve("sql/demo"));
    Files.writeString(root.resolve("sql/demo/demo_summary.sql"), "select 1 as n");
    Files.writeString(root.resolve("schemas/sources/demo.json"), json);
    SourceFiles dir = SourceFiles.directory(root);
    SourceFiles checked = new SourceFiles() {
      @Override
      public java.util.Optional<String> read(String path) {
        return dir.read(path);
      }

      @Override
      public String describe(String path) {
        return dir.describe(path);
      }

      @Override
      public java.util.List<String> list(String directory) {
        return dir.list(directory);
      }

      @Override
      public boolean checkedByTheBuild() {
        return true;
      }
    };
    return assertThrows(DeclarationException.class, () -> SourceDeclarations.load(checked, "demo")).getMessage();
  }
}
