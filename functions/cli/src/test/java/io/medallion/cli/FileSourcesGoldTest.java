package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.gold.GoldModels;
import java.util.stream.Stream;
import java.time.Duration;
import java.time.Clock;
import io.medallion.ledger.Status;
import io.medallion.ledger.RunSummary;
import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.local.samples.SampleFiles;
import io.medallion.port.ObjectId;
import io.medallion.silver.RejectReason;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gold of the two example file sources, {@code sales} and {@code audience}, end to end and
 * against an independent computation in Java from the generated records. The sample files
 * ({@link SampleFiles#write}: real xlsx with Excel date cells, windows-1252 CSVs with decimal
 * commas) are dropped into each source's inbox all at once: the spreadsheets as {@code ./medallion
 * drop} does, the CSVs copied into the inbox directory as a person does while serve runs; the
 * pipeline reads them with the format readers, loads them, archives them and builds gold, the
 * audience model waiting for both files of each date. Every row of every gold table is compared
 * with sums and medians computed here from the records ({@link SampleFiles#files}); the checks
 * pass, and fail on gold made wrong on purpose.
 */
class FileSourcesGoldTest {

  static final Source SALES = SourceRegistry.standard().find("sales").orElseThrow();
  static final Source AUDIENCE = SourceRegistry.standard().find("audience").orElseThrow();
  static final long SEED = 11;

  @TempDir static Path home;
  @TempDir static Path samples;
  static LocalPipeline pipeline;
  static DuckDbWarehouse warehouse;
  static List<SampleFiles.SampleFile> sales;
  static List<SampleFiles.SampleFile> audience;
  /** Rejects per reason, per source, as silver wrote them to staging. */
  static final Map<String, Map<RejectReason, Long>> rejects = new HashMap<>();
  static final Map<String, List<Path>> dropped = new HashMap<>();

  @BeforeAll
  static void dropTheSampleFiles() throws Exception {
    pipeline = new LocalPipeline(MedallionConfig.defaults(), home, PipelineRuns.fast(), l -> l, Clock.systemUTC());
    warehouse = pipeline.warehouse();
    sales = SampleFiles.files(SALES, SEED);
    audience = SampleFiles.files(AUDIENCE, SEED);
    for (Source source : List.of(SALES, AUDIENCE)) {
      List<Path> files = SampleFiles.write(source, samples.resolve(source.name()), SEED);
      dropped.put(source.name(), files);
      for (Path file : files) {
        if (source == SALES) { // as ./medallion drop does
          ObjectId id = new ObjectId(pipeline.config().bronzeBucket(), source.drops().inbox() + file.getFileName());
          pipeline.objects().createIfAbsent(id, null, Map.of(), Files.readAllBytes(file)).orElseThrow();
        } else { // as a person copies files into the inbox directory while serve runs: its watcher finds them
          Path inbox = pipeline.layout().buckets().resolve(pipeline.config().bronzeBucket()).resolve(source.drops().inbox());
          Files.createDirectories(inbox);
          Files.copy(file, inbox.resolve(file.getFileName()));
        }
      }
    }
    pipeline.objects().scanOnce();
    pipeline.objects().scanOnce(); // a file is announced once its size has not changed between two scans
    assertTrue(pipeline.awaitIdle(Duration.ofMinutes(5)), "the pipeline did not go idle");
    Path staging = pipeline.layout().buckets().resolve(pipeline.config().stagingBucket());
    for (Source source : List.of(SALES, AUDIENCE)) {
      try (Stream<Path> files = Files.walk(staging.resolve(source.name()))) {
        for (Path f : files.filter(f -> f.getFileName().toString().equals("rejects.ndjson")).toList()) {
          for (String line : Files.readAllLines(f)) {
            rejects.computeIfAbsent(source.name(), k -> new TreeMap<>())
                .merge(RejectReason.valueOf(JsonParser.parseString(line).getAsJsonObject().get("reason").getAsString()), 1L, Long::sum);
          }
        }
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    pipeline.close();
  }

  @Test
  void everyDroppedFileIsLoadedAndArchived_andEveryRunSucceeded() throws Exception {
    Path bronze = pipeline.layout().buckets().resolve(pipeline.config().bronzeBucket());
    for (Source source : List.of(SALES, AUDIENCE)) {
      try (Stream<Path> inbox = Files.walk(bronze.resolve(source.drops().inbox()))) {
        assertEquals(List.of(), inbox.filter(Files::isRegularFile).toList(), source.name() + ": the inbox is empty");
      }
      try (Stream<Path> archive = Files.walk(bronze.resolve(source.drops().archive()))) {
        assertEquals(dropped.get(source.name()).stream().map(p -> p.getFileName().toString()).sorted().toList(),
            archive.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList(),
            source.name() + ": every file archived once");
      }
    }
    int runs = 0;
    for (String run : pipeline.ledger().recentRuns(500)) {
      RunSummary s = RunSummary.of(run, pipeline.ledger().events(run));
      assertEquals(Status.SUCCEEDED, s.silver(), s.toString());
      assertEquals(Status.SUCCEEDED, s.load(), s.toString());
      assertTrue(s.reconciled(), s.toString());
      runs++;
    }
    assertEquals(dropped.values().stream().mapToInt(List::size).sum(), runs, "a run per file");
  }

  // --- sales --------------------------------------------------------------------------------------------

  /** The records each file holds once: a record repeated exactly within its file counts once. */
  private static List<JsonObject> distinctSales() {
    List<JsonObject> out = new ArrayList<>();
    for (SampleFiles.SampleFile f : sales) {
      Set<String> seen = new HashSet<>();
      for (JsonObject o : f.records()) {
        if (seen.add(o.toString())) {
          out.add(o);
        }
      }
    }
    return out;
  }

  @Test
  void silverLoadsEachSaleOnce_andRejectsEveryExactRepeatAsADuplicateRow() throws Exception {
    long all = sales.stream().mapToLong(f -> f.records().size()).sum();
    long distinct = distinctSales().size();
    assertTrue(all - distinct >= 12, "the generator repeats some rows: " + (all - distinct));
    assertEquals(Map.of(RejectReason.DUPLICATE_ROW, all - distinct), rejects.get("sales"));
    assertEquals(distinct, count("select count(*) from silver_sales.sales"));
  }

  @Test
  void theFourSalesTables_equalSumsComputedFromTheRecords() throws Exception {
    Map<String, Long> byYearMonth = new TreeMap<>();
    Map<String, Long> byBrandLine = new TreeMap<>();
    Map<String, Long> byBrandYearMonth = new TreeMap<>();
    Map<String, Long> byLineYearMonth = new TreeMap<>();
    for (JsonObject o : distinctSales()) {
      LocalDate day = LocalDate.parse(o.get("DATA_VENDA").getAsString());
      String ym = day.getYear() + "|" + day.getMonthValue();
      String brand = o.get("ID_MARCA").getAsLong() + "|" + o.get("MARCA").getAsString();
      String line = o.get("ID_LINHA").getAsLong() + "|" + o.get("LINHA").getAsString();
      long units = o.get("QTD_VENDA").getAsLong();
      byYearMonth.merge(ym, units, Long::sum);
      byBrandLine.merge(brand + "|" + line, units, Long::sum);
      byBrandYearMonth.merge(brand + "|" + ym, units, Long::sum);
      byLineYearMonth.merge(line + "|" + ym, units, Long::sum);
    }
    assertEquals(36, byYearMonth.size());
    assertEquals(12, byBrandLine.size());
    assertEquals(byYearMonth, table("select year, month, qtd_venda from gold_sales.sales_by_year_month"));
    assertEquals(byBrandLine, table("select id_marca, marca, id_linha, linha, qtd_venda from gold_sales.sales_by_brand_line"));
    assertEquals(byBrandYearMonth, table("select id_marca, marca, year, month, qtd_venda from gold_sales.sales_by_brand_year_month"));
    assertEquals(byLineYearMonth, table("select id_linha, linha, year, month, qtd_venda from gold_sales.sales_by_line_year_month"));
  }

  @Test
  void theSalesChecksPass_andEachFailsOnGoldOrSilverMadeWrong() throws Exception {
    Map<String, String> checks = checks(SALES);
    for (Map.Entry<String, String> c : checks.entrySet()) {
      assertEquals(0, failing(c.getValue()), c.getKey());
    }
    // One month's sum one unit short: that table no longer reconciles with silver.
    assertEquals(1, failing(replaced(checks.get("sales_totals_reconcile"), "gold_sales.sales_by_brand_year_month",
        "(select id_marca, marca, year, month, qtd_venda - case when year = 2018 and month = 5 and id_marca = 2 then 1 else 0 end"
            + " as qtd_venda from gold_sales.sales_by_brand_year_month)")));
    // A month 13.
    assertEquals(1, failing(replaced(checks.get("sales_month_in_range"), "gold_sales.sales_by_line_year_month",
        "(select id_linha, linha, year, case when id_linha = 101 and year = 2017 and month = 1 then 13 else month end as month,"
            + " qtd_venda from gold_sales.sales_by_line_year_month)")));
    // A negative day in silver.
    List<Object> sale = warehouse.read("select id_linha, cast(data_venda as varchar) from silver_sales.sales order by 2, 1 limit 1").rows().get(0);
    assertEquals(1, failing(replaced(checks.get("sales_quantity_not_negative"), "from silver_sales.sales",
        "from (select * replace (case when id_linha = " + sale.get(0) + " and data_venda = date '" + sale.get(1)
            + "' then -2 else qtd_venda end as qtd_venda) from silver_sales.sales) as sales")));
  }

  // --- audience -----------------------------------------------------------------------------------------

  /** One exhibition as the partner's file gives it. */
  record Exhibition(String signal, String program, String name, LocalDate day, LocalTime start, double audience) {}

  @Test
  void availableTime_isEachSignalsDayWithSecondsForSale() throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    for (JsonObject o : records(audience, "availability")) {
      if (o.get("SEGUNDOS_DISPONIVEIS").getAsLong() > 0) {
        expected.put(o.get("SINAL").getAsString() + "|" + o.get("DATA").getAsString(), o.get("SEGUNDOS_DISPONIVEIS").getAsLong());
      }
    }
    assertTrue(expected.size() < 420 && expected.size() > 330, "some days have no time left: " + expected.size());
    assertEquals(expected, table("select signal, cast(broadcast_date as varchar), available_seconds from gold_media.available_time"));
    assertEquals(Map.of(), rejects.getOrDefault("audience", Map.of()), "every audience record is clean");
  }

  @Test
  void expectedAudience_isTheMedianOfTheLastFourSameWeekdayExhibitions_computedHereOnItsOwn() throws Exception {
    List<Exhibition> exhibitions = new ArrayList<>();
    for (JsonObject o : records(audience, "audience")) {
      exhibitions.add(new Exhibition(o.get("SINAL").getAsString(), o.get("COD_PROGRAMA").getAsString(),
          o.get("PROGRAMA").getAsString(), LocalDate.parse(o.get("DATA_EXIBICAO").getAsString()),
          LocalTime.parse(o.get("HORA_INICIO").getAsString()), o.get("AUDIENCIA_MEDIA").getAsDouble()));
    }
    Map<String, List<Object>> expected = new TreeMap<>();
    int fewerThanFour = 0;
    for (JsonObject a : records(audience, "availability")) {
      long seconds = a.get("SEGUNDOS_DISPONIVEIS").getAsLong();
      if (seconds <= 0) {
        continue;
      }
      String signal = a.get("SINAL").getAsString();
      LocalDate day = LocalDate.parse(a.get("DATA").getAsString());
      Map<String, List<Exhibition>> byProgram = new TreeMap<>();
      for (Exhibition e : exhibitions) {
        if (e.signal().equals(signal) && e.day().isBefore(day) && e.day().getDayOfWeek() == day.getDayOfWeek()) {
          byProgram.computeIfAbsent(e.program(), k -> new ArrayList<>()).add(e);
        }
      }
      for (Map.Entry<String, List<Exhibition>> p : byProgram.entrySet()) {
        List<Exhibition> latest = p.getValue().stream()
            .sorted(Comparator.comparing(Exhibition::day).thenComparing(Exhibition::start).reversed()).limit(4).toList();
        double[] values = latest.stream().mapToDouble(Exhibition::audience).sorted().toArray();
        int n = values.length;
        double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        fewerThanFour += n < 4 ? 1 : 0;
        expected.put(signal + "|" + day + "|" + p.getKey(), List.of(latest.get(0).name(), median, (long) n,
            latest.get(0).day().toString(), seconds));
      }
    }
    assertTrue(fewerThanFour > 0 && fewerThanFour < expected.size(), "both medians of four and of fewer: " + fewerThanFour);
    Map<String, List<Object>> actual = new TreeMap<>();
    for (List<Object> r : warehouse.read("select signal, cast(broadcast_date as varchar), program_code, program_name,"
        + " expected_audience, exhibitions, cast(last_exhibition_date as varchar), available_seconds from gold_media.expected_audience").rows()) {
      actual.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), List.of(r.get(3), ((Number) r.get(4)).doubleValue(),
          ((Number) r.get(5)).longValue(), r.get(6), ((Number) r.get(7)).longValue()));
    }
    assertEquals(expected.keySet(), actual.keySet());
    for (Map.Entry<String, List<Object>> e : expected.entrySet()) {
      List<Object> want = e.getValue();
      List<Object> got = actual.get(e.getKey());
      assertEquals((double) want.get(1), (double) got.get(1), 1e-9, "median of " + e.getKey());
      assertEquals(List.of(want.get(0), want.get(2), want.get(3), want.get(4)), List.of(got.get(0), got.get(2), got.get(3), got.get(4)),
          e.getKey());
    }
    assertTrue(actual.values().stream().anyMatch(v -> "Jornal da Manhã".equals(v.get(0))), "the accent survives");
  }

  @Test
  void theAudienceChecksPass_andEachFailsOnGoldMadeWrong() throws Exception {
    Map<String, String> checks = checks(AUDIENCE);
    for (Map.Entry<String, String> c : checks.entrySet()) {
      assertEquals(0, failing(c.getValue()), c.getKey());
    }
    List<Object> row = warehouse.read("select signal, cast(broadcast_date as varchar), program_code from gold_media.expected_audience"
        + " where exhibitions = 4 order by 2, 1, 3 limit 1").rows().get(0);
    String victim = "(select * replace (case when signal = '" + row.get(0) + "' and broadcast_date = date '" + row.get(1)
        + "' and program_code = '" + row.get(2) + "' then %s else %s end as %s) from gold_media.expected_audience)";
    // Time for sale that is not the signal's that day.
    assertEquals(1, failing(replaced(checks.get("expected_audience_has_available_time"), "gold_media.expected_audience",
        String.format(victim, "available_seconds + 1", "available_seconds", "available_seconds"))));
    // A median above every value it is the median of.
    assertEquals(1, failing(replaced(checks.get("expected_audience_within_its_exhibitions"), "gold_media.expected_audience",
        String.format(victim, "expected_audience + 50", "expected_audience", "expected_audience"))));
  }

  // --- helpers ------------------------------------------------------------------------------------------

  private static List<JsonObject> records(List<SampleFiles.SampleFile> files, String resource) {
    List<JsonObject> out = new ArrayList<>();
    files.stream().filter(f -> f.resource().equals(resource)).forEach(f -> out.addAll(f.records()));
    return out;
  }

  /** A table as key (every column but the last, joined by |) to its last column, a whole number. */
  private static Map<String, Long> table(String sql) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (List<Object> r : warehouse.read(sql).rows()) {
      StringBuilder key = new StringBuilder();
      for (int i = 0; i < r.size() - 1; i++) {
        key.append(i == 0 ? "" : "|").append(r.get(i));
      }
      Long before = out.put(key.toString(), ((Number) r.get(r.size() - 1)).longValue());
      assertEquals(null, before, "one row per " + key);
    }
    return out;
  }

  /** The run the checks look at, bound as their @run_id (see checks()). */
  private static String checkedRun = "none";

  private static long count(String sql) throws Exception {
    Map<String, Object> values = Map.of("run_id", checkedRun, "checked_at", Instant.now());
    return ((Number) warehouse.read(sql, GoldModels.parametersOf(sql, values)).rows().get(0).get(0)).longValue();
  }

  private static Map<String, String> checks(Source source) {
    Map<String, String> out = new TreeMap<>();
    // The run of the 2018 file (of one audience file): a check may look at what its run loaded.
    String runId;
    try {
      runId = (String) warehouse.read("select min(_run_id) from " + io.medallion.config.MedallionConfig.defaults().silverDataset(source) + "." + source.silverTables().get(0)
          + (source == SALES ? " where extract(year from data_venda) = 2018" : "")).rows().get(0).get(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    checkedRun = runId;
    for (GoldModels.Check c : GoldModels.checksFor(source, io.medallion.config.MedallionConfig.defaults().silverDataset(source),
        io.medallion.config.MedallionConfig.defaults().goldDataset(source), "ops")) {
      out.put(c.name(), c.sql());
    }
    assertEquals(source.checks().size(), out.size());
    return out;
  }

  private static long failing(String check) throws Exception {
    return count("select count(*) from (" + check + ") as failing");
  }

  /** The check with one of its tables replaced by a query of the same columns. */
  private static String replaced(String check, String table, String replacement) {
    assertTrue(check.contains(table), check);
    return check.replaceAll(java.util.regex.Pattern.quote(table) + "\\b", java.util.regex.Matcher.quoteReplacement(replacement));
  }
}
