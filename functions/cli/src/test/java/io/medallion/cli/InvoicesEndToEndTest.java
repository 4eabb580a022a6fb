package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.config.MedallionConfig;
import io.medallion.gold.GoldModels;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.local.pubsub.SubscriptionPolicy;
import io.medallion.local.replay.Expected;
import io.medallion.local.replay.GeneratedRecord;
import io.medallion.local.replay.RecordGenerator;
import io.medallion.local.replay.ReplayServer;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.run.RunRequest;
import io.medallion.source.Source;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The invoices source (Brazilian NF-e, nested) run locally end to end on {@code
 * replay:invoices?records=N&seed=S}: the replay server pages with {@code $skip}/{@code $top} and
 * checks a bearer token; silver keeps the invoices nested (RECORD, REPEATED RECORD, NUMERIC); gold
 * is computed here again from the records as sent, in exact decimals, independently of the
 * pipeline's code and SQL. The data-quality checks pass on the run and fail on gold made wrong on
 * purpose; and a file of invoices dropped into bronze is a run of its own.
 */
class InvoicesEndToEndTest {

  static final Source SOURCE = SourceRegistry.standard().find("invoices").orElseThrow();
  static final String RUN = "nfe-e2e";
  static final int RECORDS = 1_500;
  static final long SEED = 5;
  static final URI ORIGIN = new SourceOrigin.Replay("invoices", RECORDS, SEED).toUri();
  /** The declared $top, the most the API allows. */
  static final int PAGE = 100;

  static List<GeneratedRecord> data;
  /** The clean records as sent, by access key. */
  static final Map<String, JsonObject> clean = new TreeMap<>();
  static final List<ReplayServer.Request> seen = Collections.synchronizedList(new ArrayList<>());
  static ReplayServer replay;
  static LocalPipeline pipeline;
  @TempDir static Path home;

  @BeforeAll
  static void runOnce() throws Exception {
    data = RecordGenerator.forSource(SOURCE).generate(RECORDS, SEED).records("invoices");
    for (GeneratedRecord r : data) {
      if (r.expected().isClean()) {
        JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
        clean.put(o.get("access_key").getAsString(), o);
      }
    }
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, fast, ledger -> ledger, Clock.systemUTC());
    replay = pipeline.endpoints().serverFor(SourceOrigin.replay(ORIGIN).orElseThrow());
    replay.misbehave((request, normal) -> {
      seen.add(request);
      return normal;
    });
    pipeline.publish(pipeline.config().runRequestsTopic(), OutboundMessage.json(
        new RunRequest("invoices", RUN, null, null, ORIGIN, null, false).toJson(), Map.of()));
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(3)), "pipeline went idle");
  }

  @AfterAll
  static void stop() throws Exception {
    pipeline.close();
  }

  @Test
  void theRunSucceeds_readingEveryPageByOffset_withTheBearerToken() throws Exception {
    RunSummary s = RunSummary.of(RUN, pipeline.ledger().events(RUN));
    assertTrue(s.succeeded(), s.toString());
    assertTrue(s.reconciled(), "bronze records = silver rows + rejects: " + s);
    assertEquals(Status.SUCCEEDED, s.dq(), "every data-quality check passed: " + s);
    assertEquals(RECORDS, s.bronzeRecords());
    assertEquals(RECORDS / PAGE, s.pages());
    String token = "Bearer " + replay.credentials().values().iterator().next();
    List<ReplayServer.Request> pages;
    synchronized (seen) {
      pages = seen.stream().filter(ReplayServer.Request::isPage).toList();
    }
    assertTrue(pages.stream().allMatch(r -> token.equals(r.header("Authorization"))), "the token on every page");
    assertTrue(pages.stream().allMatch(r -> Integer.toString(PAGE).equals(r.params().get("$top"))), "the declared $top");
    TreeSet<Integer> skips = pages.stream().map(r -> Integer.parseInt(r.params().get("$skip")))
        .collect(Collectors.toCollection(TreeSet::new));
    for (int skip = 0; skip < RECORDS; skip += PAGE) {
      assertTrue(skips.contains(skip), "asked for $skip=" + skip + ": " + skips);
    }
    assertTrue(pipeline.deadLetters().list().isEmpty());
  }

  @Test
  void silverKeepsEachCleanInvoiceNested_andRejectsEachDefectWithItsReason() throws Exception {
    Map<String, List<Object>> expected = new TreeMap<>();
    clean.forEach((key, o) -> {
      JsonObject totals = o.getAsJsonObject("totals");
      JsonArray items = o.getAsJsonArray("items");
      JsonObject last = items.get(items.size() - 1).getAsJsonObject();
      expected.put(key, norm(Arrays.asList(o.getAsJsonObject("issuer").get("cnpj").getAsString(), (long) items.size(),
          dec(last.get("quantity"), 4), dec(last.get("unit_price"), 2),
          dec(last.getAsJsonObject("taxes").getAsJsonObject("icms").get("amount"), 2), dec(totals.get("total"), 2), OffsetDateTime.parse(o.get("issued_at").getAsString()).toInstant())));
    });
    Map<String, List<Object>> actual = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read("select inv.access_key, inv.issuer.cnpj, array_length(inv.items),"
        + " cast(inv.items[array_length(inv.items)].quantity as string), cast(inv.items[array_length(inv.items)].unit_price as string),"
        + " cast(inv.items[array_length(inv.items)].taxes.icms.amount as string), cast(inv.totals.total as string), inv.issued_at"
        + " from silver_finance.invoices as inv").rows()) {
      actual.put((String) r.get(0), norm(r.subList(1, r.size())));
    }
    assertSameRows(expected, actual);

    Map<Integer, String> expectedRejects = new TreeMap<>();
    for (int i = 0; i < data.size(); i++) {
      if (data.get(i).expected() instanceof Expected.Reject j) {
        expectedRejects.put(i, j.reason() + " " + j.field());
      }
    }
    Map<Integer, String> actualRejects = new TreeMap<>();
    for (JsonObject reject : Rejects.of(pipeline, "invoices", RUN)) {
      String page = reject.get("source_uri").getAsString().replaceAll(".*/page-0*([0-9]+)\\.json$", "$1");
      int position = (Integer.parseInt(page) - 1) * PAGE + reject.get("source_record").getAsInt();
      String expectedField = expectedRejects.getOrDefault(position, " ?").split(" ")[1];
      String message = reject.get("message").getAsString();
      // The reject names the field's path in its message (totals.total, not just totals).
      actualRejects.put(position, reject.get("reason").getAsString() + " " + (message.contains(expectedField) ? expectedField : message));
    }
    assertEquals(expectedRejects, actualRejects);
    assertEquals(4, expectedRejects.values().stream().distinct().count(), "every defect of the spec: " + expectedRejects.values());
  }

  @Test
  void everyGoldTableEqualsAnIndependentComputation_inExactDecimals() throws Exception {
    // fct_invoices: one row per invoice, issuer and recipient flattened, totals as sent.
    Map<String, List<Object>> invoices = new TreeMap<>();
    // fct_invoice_items: one row per line.
    Map<String, List<Object>> items = new TreeMap<>();
    // revenue_by_issuer_day: per day at -03:00 and issuer.
    Map<String, BigDecimal[]> revenue = new TreeMap<>();
    Map<String, String> issuerNames = new TreeMap<>();
    clean.forEach((key, o) -> {
      JsonObject issuer = o.getAsJsonObject("issuer");
      JsonObject recipient = o.getAsJsonObject("recipient");
      JsonObject totals = o.getAsJsonObject("totals");
      JsonArray lines = o.getAsJsonArray("items");
      OffsetDateTime issued = OffsetDateTime.parse(o.get("issued_at").getAsString());
      LocalDate day = issued.toLocalDate(); // every invoice is sent at -03:00, Brasilia time
      String cnpj = issuer.get("cnpj").getAsString();
      // A CPF is masked in silver: the HMAC-SHA256 of it under the finance domain's salt, in hex.
      String document = recipient.has("cnpj") ? recipient.get("cnpj").getAsString()
          : io.medallion.schema.Sensitivity.hmac(financeSalt(), recipient.get("cpf").getAsString());
      invoices.put(key, norm(Arrays.asList(o.get("number").getAsLong(), Long.parseLong(o.get("series").getAsString()),
          issued.toInstant(), day, cnpj, issuer.get("name").getAsString(), issuer.get("state").getAsString(), document,
          recipient.has("cnpj"), recipient.get("state").getAsString(),
          !recipient.get("state").getAsString().equals(issuer.get("state").getAsString()), (long) lines.size(),
          dec(totals.get("products"), 2), dec(totals.get("icms"), 2), dec(totals.get("pis"), 2), dec(totals.get("cofins"), 2),
          dec(totals.get("total"), 2), RUN)));
      for (JsonElement e : lines) {
        JsonObject line = e.getAsJsonObject();
        JsonObject taxes = line.getAsJsonObject("taxes");
        items.put(key + "/" + String.format("%02d", line.get("number").getAsInt()), norm(Arrays.asList(cnpj, day,
            line.get("product_code").getAsString(), line.get("ncm").getAsString(), line.get("cfop").getAsString(),
            dec(line.get("quantity"), 4), dec(line.get("unit_price"), 2), dec(line.get("total"), 2),
            dec(taxes.getAsJsonObject("icms").get("rate"), 2), dec(taxes.getAsJsonObject("icms").get("amount"), 2),
            dec(taxes.getAsJsonObject("pis").get("amount"), 2), dec(taxes.getAsJsonObject("cofins").get("amount"), 2))));
      }
      BigDecimal[] sums = revenue.computeIfAbsent(day + "/" + cnpj, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO,
          BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
      sums[0] = sums[0].add(BigDecimal.ONE);
      sums[1] = sums[1].add(BigDecimal.valueOf(lines.size()));
      sums[2] = sums[2].add(dec(totals.get("total"), 2));
      sums[3] = sums[3].add(dec(totals.get("icms"), 2));
      sums[4] = sums[4].add(dec(totals.get("pis"), 2));
      sums[5] = sums[5].add(dec(totals.get("cofins"), 2));
      issuerNames.put(cnpj, issuer.get("name").getAsString());
    });

    assertSameRows(invoices, table("select access_key, number, series, issued_at, issued_on, issuer_cnpj, issuer_name,"
        + " issuer_state, recipient_document, is_recipient_company, recipient_state, is_interstate, item_count,"
        + " " + text("products_amount, icms_amount, pis_amount, cofins_amount, total_amount") + ", _run_id from gold_finance.fct_invoices"));
    assertSameRows(items, table("select access_key || '/' || lpad(cast(item_number as string), 2, '0'), issuer_cnpj, issued_on,"
        + " product_code, ncm, cfop, " + text("quantity, unit_price, total_amount, icms_rate, icms_amount, pis_amount, cofins_amount")
        + " from gold_finance.fct_invoice_items"));
    Map<String, List<Object>> revenueExpected = new TreeMap<>();
    revenue.forEach((k, sums) -> {
      List<Object> row = new ArrayList<>(List.of(issuerNames.get(k.substring(k.indexOf('/') + 1))));
      row.addAll(Arrays.asList(sums));
      revenueExpected.put(k, norm(row));
    });
    assertSameRows(revenueExpected, table("select cast(issued_on as string) || '/' || issuer_cnpj, issuer_name, invoice_count,"
        + " item_count, " + text("revenue_amount, icms_amount, pis_amount, cofins_amount") + " from gold_finance.revenue_by_issuer_day"));
    assertTrue(revenueExpected.size() > 30, "eight issuers over several days: " + revenueExpected.keySet());
    assertTrue(items.size() > clean.size() * 8, "1 to 20 lines per invoice: " + items.size());
  }

  @Test
  void everyDataQualityCheckRan_andFoundNothing() throws Exception {
    QueryResult dq = pipeline.warehouse().read(
        "select check_name, failing_rows from ops.dq_results where run_id = @run order by check_name", Map.of("run", RUN));
    assertEquals(SOURCE.checks().stream().sorted().toList(), dq.rows().stream().map(r -> (String) r.get(0)).toList());
    assertTrue(dq.rows().stream().allMatch(r -> ((Number) r.get(1)).longValue() == 0), dq.rows().toString());
  }

  @Test
  void theChecksFindGoldMadeWrongOnPurpose() throws Exception {
    Map<String, String> checks = new TreeMap<>();
    for (GoldModels.Check c : GoldModels.checksFor(SOURCE, io.medallion.config.MedallionConfig.defaults().silverDataset(SOURCE),
        io.medallion.config.MedallionConfig.defaults().goldDataset(SOURCE), "ops")) {
      checks.put(c.name(), c.sql());
    }
    String victim = clean.keySet().iterator().next();
    String wrongDigit = victim.substring(0, 43) + (char) ('0' + (victim.charAt(43) - '0' + 1) % 10);
    // The last digit changed: its check digit no longer holds.
    assertEquals(1, failing(checks.get("fct_invoices_access_key_valid"), "gold_finance.fct_invoices",
        "(select * replace (case when access_key = '" + victim + "' then '" + wrongDigit + "' else access_key end as access_key)"
            + " from gold_finance.fct_invoices)"));
    // A letter where a digit belongs fails the check without failing the query.
    assertEquals(1, failing(checks.get("fct_invoices_access_key_valid"), "gold_finance.fct_invoices",
        "(select * replace (case when access_key = '" + victim + "' then 'X' || substr(access_key, 2) else access_key end as access_key)"
            + " from gold_finance.fct_invoices)"));
    // One cent more on one line: its invoice no longer adds up.
    assertEquals(1, failing(checks.get("fct_invoices_items_add_up"), "gold_finance.fct_invoice_items",
        "(select * replace (case when access_key = '" + victim + "' and item_number = 1 then total_amount + 0.01"
            + " else total_amount end as total_amount) from gold_finance.fct_invoice_items)"));
    // The same issuer, series and number under a second key: an invoice twice.
    assertEquals(1, failing(checks.get("fct_invoices_not_twice"), "gold_finance.fct_invoices",
        "(select * from gold_finance.fct_invoices union all select * replace ('9' || substr(access_key, 2) as access_key)"
            + " from gold_finance.fct_invoices where access_key = '" + victim + "')"));
  }

  @Test
  void aFileOfInvoicesDroppedIntoBronze_isARunOfItsOwn_throughGold(@TempDir Path own) throws Exception {
    List<GeneratedRecord> some = RecordGenerator.forSource(SOURCE).generate(40, 99).records("invoices").stream()
        .filter(r -> r.expected().isClean()).limit(12).toList();
    SubscriptionPolicy fast = SubscriptionPolicy.DEFAULT.withBackoff(Duration.ofMillis(10), Duration.ofMillis(200));
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults(), own, fast, ledger -> ledger, Clock.systemUTC())) {
      String run = PipelineRuns.drop(p, "invoices/manual/nfe-2024-03.json",
          some.stream().map(GeneratedRecord::json).collect(Collectors.joining(",", "[", "]")));
      RunSummary s = RunSummary.of(run, p.ledger().events(run));
      assertTrue(s.succeeded() && s.reconciled(), s.toString());
      assertEquals(Status.SUCCEEDED, s.dq(), s.toString());
      TreeSet<String> keys = some.stream().map(r -> JsonParser.parseString(r.json()).getAsJsonObject().get("access_key").getAsString())
          .collect(Collectors.toCollection(TreeSet::new));
      TreeSet<String> gold = new TreeSet<>();
      for (List<Object> r : p.warehouse().read("select access_key, _run_id from gold_finance.fct_invoices").rows()) {
        assertEquals(run, r.get(1));
        gold.add((String) r.get(0));
      }
      assertEquals(keys, gold);

      // A second file: four of the same invoices again (a later load of the same documents) and new
      // ones. The incremental facts and day totals merge it, and equal a full rebuild.
      List<GeneratedRecord> more = RecordGenerator.forSource(SOURCE).generate(40, 99).records("invoices").stream()
          .filter(r -> r.expected().isClean()).skip(12).limit(12).toList();
      String second = PipelineRuns.drop(p, "invoices/manual/nfe-2024-04.json",
          java.util.stream.Stream.concat(some.stream().limit(4), more.stream()).map(GeneratedRecord::json)
              .collect(Collectors.joining(",", "[", "]")));
      RunSummary s2 = RunSummary.of(second, p.ledger().events(second));
      assertTrue(s2.succeeded(), s2.toString());
      PipelineRuns.assertGoldEqualsAFullRebuild(p, "invoices");
      assertEquals(16L, p.warehouse().read("select count(*) from gold_finance.fct_invoices where _run_id = @run", Map.of("run", second))
          .scalar(), "the second load's versions of the four invoices won, beside its twelve new ones");
    }
  }

  /** How many rows a check returns with one of its tables replaced by a query of the same columns. */
  private static long failing(String check, String table, String replacement) throws Exception {
    assertTrue(check.contains(table), check);
    String wrong = check.replaceAll(java.util.regex.Pattern.quote(table) + "\\b", java.util.regex.Matcher.quoteReplacement(replacement));
    return pipeline.warehouse().read("select count(*) from (" + wrong + ") as failing")
        .rows().get(0).get(0) instanceof Number n ? n.longValue() : -1;
  }

  // --- Helpers ----------------------------------------------------------------------------------------------

  /** Equal tables, or a message naming the first row that differs (whole tables are too long to read). */
  private static void assertSameRows(Map<String, List<Object>> expected, Map<String, List<Object>> actual) {
    for (Map.Entry<String, List<Object>> e : expected.entrySet()) {
      assertEquals(e.getValue(), actual.get(e.getKey()), "row " + e.getKey());
    }
    assertEquals(expected.keySet(), actual.keySet());
  }

  /** A value as sent, exactly, at the scale of its NUMERIC column (2 for money, 4 for quantities). */
  private static BigDecimal dec(JsonElement e, int scale) {
    return new BigDecimal(e.getAsString()).setScale(scale);
  }

  /**
   * NUMERIC columns read as their text ({@code 1301.62}, {@code 3.0000}): the warehouse's query
   * results give a DECIMAL as a Double, which would hide a cent lost on the way.
   */
  private static String text(String columns) {
    return Arrays.stream(columns.split(", ")).map(c -> "cast(" + c + " as string) as " + c).collect(Collectors.joining(", "));
  }

  /** Exact decimals as their text at their scale; whole numbers (BIGINT, HUGEINT) by value. */
  private static List<Object> norm(List<?> values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof BigDecimal d) {
        out.add(d.toPlainString());
      } else if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) {
        out.add(v.toString());
      } else {
        out.add(v);
      }
    }
    return out;
  }

  /** A table read as its first column -> the others. */
  private static Map<String, List<Object>> table(String sql) throws Exception {
    Map<String, List<Object>> out = new TreeMap<>();
    for (List<Object> r : pipeline.warehouse().read(sql).rows()) {
      out.put((String) r.get(0), norm(r.subList(1, r.size())));
    }
    return out;
  }

  /** The salt this test's pipeline hashes with: FINANCE_MASKING_SALT if set, else the home's key. */
  private static byte[] financeSalt() {
    try {
      return io.medallion.local.secrets.LocalMaskingSalts.salt(home, MedallionConfig.environment(),
          new io.medallion.source.SecretRef("FINANCE_MASKING_SALT")).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
