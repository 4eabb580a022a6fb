package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.config.MedallionConfig;
import io.medallion.ledger.RunSummary;
import io.medallion.ledger.Status;
import io.medallion.port.ObjectId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big file typed in the warehouse gives what the function gives: the same CSV, hostile values
 * and all, dropped into two sources alike but for the threshold ({@code src/test/resources/
 * big-file-source}: {@code payments_fn} types it in the function, {@code payments_sql} in DuckDB
 * by the generated SQL), loads the same rows and rejects each record for the same reason.
 */
class WarehouseTypingParityTest {

  @TempDir Path home;

  /** Every kind of value silver types or refuses, one record each (the line numbers are the rows'). */
  private static final String CSV = String.join("\r\n",
      "ID;CLIENTE;VALOR;TAXA;PARCELAS;PAGO;DATA;HORA;MOMENTO;TIPO;NOTA",
      "p1; Ana Ação ;1.234,56;0,5;3;true;05/01/2024;10:15:00;2024-01-05T10:15:00Z;PIX;first",
      "p2;Bruno;12;1e-3;1;FALSE;2024-01-06;23:59:59;2024-01-06T23:59:59-03:00;Boleto;",
      "p3;;;0,1;1;true;06/01/2024;08:00:00;;pix;missing amount",
      "p4;Carla;12,5x;0,1;1;true;06/01/2024;08:00:00;;pix;not a number",
      "p5;Davi;1,234;0,1;1;true;06/01/2024;08:00:00;;pix;three decimals",
      "p6;Eva;10;1e400;1;true;06/01/2024;08:00:00;;pix;infinite rate",
      "p7;Fábio;10;1e-400;1;true;06/01/2024;08:00:00;;pix;vanishing rate",
      "p8;Gil;10;0,1;99999999999999999999;true;06/01/2024;08:00:00;;pix;too many installments",
      "p9;Hugo;10;0,1;2,5;true;06/01/2024;08:00:00;;pix;half an installment",
      "p10;Iris;10;0,1;30;true;06/01/2024;08:00:00;;pix;out of range",
      "p11;Jó;10;0,1;1;yes;06/01/2024;08:00:00;;pix;not a boolean",
      "p12;Kim;10;0,1;1;true;30/02/2024;08:00:00;;pix;no such day",
      "p13;Lu;10;0,1;1;true;06/01/2024;25:00:00;;pix;no such hour",
      "p14;Mia;10;0,1;1;true;06/01/2024;08:00:00;2024-01-06T08:00:00;pix;no zone",
      "p1;Nina;10;0,1;1;true;06/01/2024;08:00:00;;pix;a key seen before",
      ";Otto;10;0,1;1;true;06/01/2024;08:00:00;;pix;no id",
      "p15;NA;100.000,00;NA;NA;NA;NA;NA;NA;NA;null values",
      "p16;\"Pé; \"\"quoted\"\"\";7;0,1;1;true;06/01/2024;08:00:00;;PIX;a quoted delimiter",
      "p17;\"two\nlines\";8;0,1;1;true;06/01/2024;08:00:00;;pix;a quoted line break, last") + "\r\n";

  @Test
  void theSameFile_typedInTheWarehouse_loadsTheSameRowsAndRejectsTheSameRecords() throws Exception {
    Path dir = Path.of(WarehouseTypingParityTest.class.getResource("/big-file-source").toURI());
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(dir)), home,
        PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      for (String source : List.of("payments_fn", "payments_sql")) {
        p.objects().createIfAbsent(new ObjectId(p.config().bronzeBucket(), source + "/inbox/payments_2024-01-06.csv"), null,
            Map.of(), CSV.getBytes(StandardCharsets.UTF_8)).orElseThrow();
      }
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      for (String run : p.ledger().recentRuns(5)) {
        RunSummary s = RunSummary.of(run, p.ledger().events(run));
        assertEquals(Status.SUCCEEDED, s.gold(), s.toString());
        assertEquals(19, s.silverRecords(), s.toString());
      }
      Path staging = p.layout().buckets().resolve(p.config().stagingBucket());
      try (Stream<Path> files = Files.walk(staging.resolve("payments_sql"))) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("rows-")), "the warehouse wrote the rows");
      }
      String columns = "payment_id, customer, amount, rate, installments, paid, paid_on, paid_at_time, recorded_at, kind,"
          + " _file_key, _source_record, cast(_extra as varchar) as extra";
      List<List<Object>> fn = p.warehouse().read("select " + columns + " from silver_sales.payments_fn order by _source_record").rows();
      List<List<Object>> sql = p.warehouse().read("select " + columns + " from silver_sales.payments_sql order by _source_record").rows();
      assertTrue(fn.size() >= 5, "some rows load: " + fn);
      assertEquals(fn, sql);
      assertEquals(rejects(staging.resolve("payments_fn")), rejects(staging.resolve("payments_sql")));
    }
  }

  @Test
  void aFileTheWarehouseCannotRead_isTypedByTheFunction_aRaggedRowStillOneReject() throws Exception {
    String ragged = "ID;CLIENTE;VALOR;TAXA;PARCELAS;PAGO;DATA;HORA;MOMENTO;TIPO;NOTA\r\n"
        + "p1;Ana;10;0,1;1;true;06/01/2024;08:00:00;;pix;ok\r\n"
        + "p2;Bia;10;0,1\r\n"
        + "p3;Caio;11;0,1;1;true;06/01/2024;08:00:00;;pix;ok\r\n";
    Path dir = Path.of(WarehouseTypingParityTest.class.getResource("/big-file-source").toURI());
    try (LocalPipeline p = new LocalPipeline(MedallionConfig.defaults().withSourcesDirs(List.of(dir)), home,
        PipelineRuns.fast(), l -> l, Clock.systemUTC())) {
      for (String source : List.of("payments_fn", "payments_sql")) {
        p.objects().createIfAbsent(new ObjectId(p.config().bronzeBucket(), source + "/inbox/payments_2024-01-07.csv"), null,
            Map.of(), ragged.getBytes(StandardCharsets.UTF_8)).orElseThrow();
      }
      assertTrue(p.awaitIdle(Duration.ofMinutes(2)));
      Path staging = p.layout().buckets().resolve(p.config().stagingBucket());
      assertEquals(List.of("3 RAGGED_ROW"), rejects(staging.resolve("payments_fn")));
      assertEquals(rejects(staging.resolve("payments_fn")), rejects(staging.resolve("payments_sql")));
      assertEquals(p.warehouse().read("select payment_id from silver_sales.payments_fn order by 1").rows(),
          p.warehouse().read("select payment_id from silver_sales.payments_sql order by 1").rows());
    }
  }

  /** Each reject's record number and reason, in order. */
  private static List<String> rejects(Path dir) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("rejects")).flatMap(f -> {
        try {
          return Files.readAllLines(f).stream();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject())
          .map(o -> o.get("source_record").getAsLong() + " " + o.get("reason").getAsString())
          .sorted(java.util.Comparator.comparingLong(s -> Long.parseLong(s.split(" ")[0]))).toList();
    }
  }
}
